// Browsers cap an element's height (Chromium ≈ 33.5M px, Firefox ≈ 17.9M px), and 10 million rows at 24 px need
// 240M px. So the scroll container's spacer is capped, and a virtual scroll offset is mapped onto it: dragging the
// scrollbar moves proportionally through the whole table, while wheel, keyboard and programmatic scrolling move
// the virtual offset 1:1 in pixels and only then place the scrollbar, so scrolling stays smooth at any size.

/** Well under every engine's cap, with room for zoom factors. */
export const MAX_PHYSICAL_HEIGHT = 8_000_000;

export class ScrollScaler {
  constructor(
    readonly contentHeight: number,
    readonly viewportHeight: number,
    readonly cap = MAX_PHYSICAL_HEIGHT,
  ) {}

  get physicalHeight(): number {
    return Math.min(this.contentHeight, this.cap);
  }

  get scaled(): boolean {
    return this.contentHeight > this.cap;
  }

  get maxVirtual(): number {
    return Math.max(0, this.contentHeight - this.viewportHeight);
  }

  get maxPhysical(): number {
    return Math.max(0, this.physicalHeight - this.viewportHeight);
  }

  virtualFromPhysical(physical: number): number {
    if (!this.scaled) return clamp(physical, 0, this.maxVirtual);
    if (this.maxPhysical === 0) return 0;
    return clamp((physical / this.maxPhysical) * this.maxVirtual, 0, this.maxVirtual);
  }

  physicalFromVirtual(virtual: number): number {
    if (!this.scaled) return clamp(virtual, 0, this.maxPhysical);
    if (this.maxVirtual === 0) return 0;
    return clamp((virtual / this.maxVirtual) * this.maxPhysical, 0, this.maxPhysical);
  }
}

/**
 * The vertical scroll position of the grid. `scrollBy`/`scrollTo` move the virtual offset and return the
 * scrollTop to set; `onScroll` interprets a scroll event, ignoring the echo of our own scrollTop assignment
 * (browsers round it), so a 1:1 wheel step is not re-derived from the coarse proportional mapping.
 */
export class VerticalScroll {
  private scaler = new ScrollScaler(0, 0);
  private virtual = 0;
  private expectedPhysical = 0;

  get top(): number {
    return this.virtual;
  }

  get physicalHeight(): number {
    return this.scaler.physicalHeight;
  }

  get scaled(): boolean {
    return this.scaler.scaled;
  }

  /** Call when the row count or the viewport changes; returns the scrollTop that keeps the virtual offset. */
  resize(contentHeight: number, viewportHeight: number): number {
    this.scaler = new ScrollScaler(contentHeight, viewportHeight);
    this.virtual = clamp(this.virtual, 0, this.scaler.maxVirtual);
    this.expectedPhysical = this.scaler.physicalFromVirtual(this.virtual);
    return this.expectedPhysical;
  }

  scrollTo(virtual: number): number {
    this.virtual = clamp(virtual, 0, this.scaler.maxVirtual);
    this.expectedPhysical = this.scaler.physicalFromVirtual(this.virtual);
    return this.expectedPhysical;
  }

  scrollBy(delta: number): number {
    return this.scrollTo(this.virtual + delta);
  }

  /** Returns true when the event moved the view (a scrollbar drag or any scrolling we did not cause). */
  onScroll(physical: number): boolean {
    if (Math.abs(physical - this.expectedPhysical) <= 1) return false;
    this.expectedPhysical = physical;
    const next = this.scaler.virtualFromPhysical(physical);
    const moved = next !== this.virtual;
    this.virtual = next;
    return moved;
  }
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
