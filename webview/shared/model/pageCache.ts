import type { CellValue, RowKey } from '../../../api';

// Rows arrive in fixed-size pages. A page right after a cached one is fetched with that page's keyset cursor
// (`after`), so sequential scrolling costs the same at row 9,000,000 as at row 0; any other page (a scrollbar
// jump) is fetched by offset. Memory is bounded: least recently used pages are evicted, except those in view.

export interface CachedPage {
  /** Values in the grid's column order. */
  rows: CellValue[][];
  keys: (RowKey | null)[];
  next?: string;
}

export type PagePosition = { after: string } | { offset: number };

export class PageCache {
  private readonly pages = new Map<number, CachedPage>();
  private readonly loading = new Set<number>();
  private end: number | undefined;
  private gen = 0;

  constructor(
    readonly pageSize: number,
    readonly maxPages: number,
  ) {}

  /** Bumped by `clear`, so answers to requests made before a sort or filter change are dropped. */
  get generation(): number {
    return this.gen;
  }

  /** The row count as proven by a short last page, if one was seen. */
  get knownEnd(): number | undefined {
    return this.end;
  }

  /** The highest row index loaded so far, plus one. */
  get loadedEnd(): number {
    let max = 0;
    for (const [index, page] of this.pages) max = Math.max(max, index * this.pageSize + page.rows.length);
    return max;
  }

  get size(): number {
    return this.pages.size;
  }

  clear(): void {
    this.pages.clear();
    this.loading.clear();
    this.end = undefined;
    this.gen++;
  }

  row(index: number): { values: CellValue[]; key: RowKey | null } | undefined {
    const pageIndex = Math.floor(index / this.pageSize);
    const page = this.pages.get(pageIndex);
    if (!page) return undefined;
    // Re-insert to mark as recently used (Map iteration order is insertion order).
    this.pages.delete(pageIndex);
    this.pages.set(pageIndex, page);
    const offset = index - pageIndex * this.pageSize;
    return offset < page.rows.length ? { values: page.rows[offset], key: page.keys[offset] } : undefined;
  }

  /** Pages covering rows [first, end) that are neither cached nor being loaded, nearest to `first` first. */
  missing(first: number, end: number): number[] {
    const out: number[] = [];
    if (end <= first) return out;
    const last = Math.floor((end - 1) / this.pageSize);
    for (let p = Math.floor(first / this.pageSize); p <= last; p++) {
      if (this.end !== undefined && p * this.pageSize >= this.end) break;
      if (!this.pages.has(p) && !this.loading.has(p)) out.push(p);
    }
    return out;
  }

  isLoading(pageIndex: number): boolean {
    return this.loading.has(pageIndex);
  }

  /** Keyset continuation when the previous page is cached and full, otherwise an offset. */
  position(pageIndex: number): PagePosition {
    const previous = this.pages.get(pageIndex - 1);
    if (previous?.next !== undefined && previous.rows.length === this.pageSize) return { after: previous.next };
    return { offset: pageIndex * this.pageSize };
  }

  startLoading(pageIndex: number): number {
    this.loading.add(pageIndex);
    return this.gen;
  }

  /** Stores a page; returns false (and stores nothing) when the cache was cleared since the request. */
  store(pageIndex: number, page: CachedPage, generation: number, keep: ReadonlySet<number> = new Set()): boolean {
    if (generation !== this.gen) return false;
    this.loading.delete(pageIndex);
    this.pages.set(pageIndex, page);
    if (page.rows.length < this.pageSize || (page.next === undefined && page.rows.length === 0)) {
      this.end = pageIndex * this.pageSize + page.rows.length;
    }
    this.evict(new Set([...keep, pageIndex]));
    return true;
  }

  failed(pageIndex: number, generation: number): void {
    if (generation === this.gen) this.loading.delete(pageIndex);
  }

  private evict(keep: ReadonlySet<number>): void {
    for (const index of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (!keep.has(index)) this.pages.delete(index);
    }
  }
}
