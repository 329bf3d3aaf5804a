// Which rows and columns to render for a scroll position: only those in view plus a small overscan, so the DOM
// holds a few hundred cells whether the table has ten rows or ten million.

export interface RowWindow {
  /** First row to render (inclusive). */
  first: number;
  /** Row after the last one to render (exclusive). */
  end: number;
}

export function visibleRows(virtualTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 4): RowWindow {
  if (rowCount <= 0 || viewportHeight <= 0) return { first: 0, end: 0 };
  const first = Math.max(0, Math.floor(virtualTop / rowHeight) - overscan);
  const end = Math.min(rowCount, Math.ceil((virtualTop + viewportHeight) / rowHeight) + overscan);
  return { first: Math.min(first, end), end };
}

/** Rows fully visible in the viewport: the PageUp/PageDown step. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}

/** The virtual scroll offset that brings `row` into view, or undefined when it already is. */
export function scrollToReveal(row: number, virtualTop: number, viewportHeight: number, rowHeight: number): number | undefined {
  const top = row * rowHeight;
  if (top < virtualTop) return top;
  if (top + rowHeight > virtualTop + viewportHeight) return top + rowHeight - viewportHeight;
  return undefined;
}

/** Column geometry: widths, prefix offsets, and a binary search for the columns in view. */
export class ColumnGeometry {
  readonly offsets: number[];
  readonly total: number;

  constructor(readonly widths: readonly number[]) {
    this.offsets = new Array<number>(widths.length);
    let x = 0;
    for (let i = 0; i < widths.length; i++) {
      this.offsets[i] = x;
      x += widths[i];
    }
    this.total = x;
  }

  get count(): number {
    return this.widths.length;
  }

  /** Index of the column containing x (clamped to the columns). */
  columnAt(x: number): number {
    let lo = 0;
    let hi = this.widths.length - 1;
    if (hi < 0) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  visible(scrollLeft: number, viewportWidth: number, overscan = 1): RowWindow {
    if (this.widths.length === 0 || viewportWidth <= 0) return { first: 0, end: 0 };
    const first = Math.max(0, this.columnAt(scrollLeft) - overscan);
    const end = Math.min(this.widths.length, this.columnAt(scrollLeft + viewportWidth) + 1 + overscan);
    return { first, end };
  }

  /** The scrollLeft that brings column `index` into view, or undefined when it already is. */
  reveal(index: number, scrollLeft: number, viewportWidth: number): number | undefined {
    const left = this.offsets[index];
    const right = left + this.widths[index];
    if (left < scrollLeft) return left;
    if (right > scrollLeft + viewportWidth) return Math.min(left, right - viewportWidth);
    return undefined;
  }
}
