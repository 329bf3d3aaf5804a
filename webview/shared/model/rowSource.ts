import type { CellValue, CountRequest, ReadRowsRequest, RowCount, RowKey, RowPage } from '../../../api';
import type { Query } from '../../../shared/protocolCodec';
import { PageCache } from './pageCache';

export interface RowReader {
  readRows(request: ReadRowsRequest): Promise<RowPage>;
  countRows(request?: CountRequest): Promise<RowCount>;
}

export interface RowSourceListener {
  /** Rows or the count changed: re-render. */
  changed(): void;
  failed(message: string): void;
}

export interface RowSourceOptions {
  pageSize?: number;
  maxPages?: number;
  /** First count is capped ("10,000+"), then an exact count follows in the background. */
  countCap?: number;
  maxConcurrent?: number;
}

/**
 * The rows a grid shows for one query: pages loaded on demand around the viewport (at most `maxConcurrent`
 * requests in flight, stale ones aborted), a cheap capped count first and an exact one after it. DOM-free.
 */
export class RowSource {
  readonly cache: PageCache;
  private query: Query = {};
  private count: RowCount | undefined;
  private controllers = new Set<AbortController>();
  private queue: number[] = [];
  private active = 0;
  private wanted = { first: 0, end: 0 };
  private failure: string | undefined;
  private pageNote: string | undefined;
  private readonly countCap: number;
  private readonly maxConcurrent: number;

  constructor(
    private readonly reader: RowReader,
    private readonly columns: readonly string[],
    private readonly listener: RowSourceListener,
    options: RowSourceOptions = {},
  ) {
    this.cache = new PageCache(options.pageSize ?? 200, options.maxPages ?? 60);
    this.countCap = options.countCap ?? 10_000;
    this.maxConcurrent = options.maxConcurrent ?? 2;
  }

  get pageSize(): number {
    return this.cache.pageSize;
  }

  get error(): string | undefined {
    return this.failure;
  }

  /** The datasource's note on the current result (e.g. "sorted in Nocoflo over the first 10,000 records"). */
  get note(): string | undefined {
    return this.pageNote;
  }

  /** Rows in the scroll space: exact when known, otherwise what is proven so far plus room to keep going. */
  get totalRows(): number {
    const end = this.cache.knownEnd;
    if (end !== undefined) return end;
    const loaded = this.cache.loadedEnd;
    if (this.count) return Math.max(this.count.count, loaded);
    return loaded > 0 ? loaded + this.pageSize : 0;
  }

  /** The count to show the user (exact, capped or estimated), undefined while unknown. */
  get displayCount(): RowCount | undefined {
    const end = this.cache.knownEnd;
    if (end !== undefined && (!this.count || !this.count.exact || this.count.capped)) return { count: end, exact: true };
    return this.count;
  }

  /** Is the first page in (so "no rows" can be told apart from "loading")? */
  get started(): boolean {
    return this.cache.knownEnd !== undefined || this.cache.loadedEnd > 0;
  }

  setQuery(query: Query): void {
    this.query = query;
    this.reset();
  }

  /**
   * Re-reads everything for the same query (after a save, or when the data changed elsewhere). `updatesOnly`: the
   * only writes since the count were updates, which add or remove no row, so without a filter or search (which an
   * update can move a row into or out of) the count stands. Counting again would cost an exact COUNT of the whole
   * table, seconds on tens of millions of rows, in the same connection the user's next save waits for.
   */
  reload(options: { updatesOnly?: boolean } = {}): void {
    // Only a finished exact count stands: a capped one's exact count is aborted by the reset and must start again.
    const finished = this.count !== undefined && this.count.exact && !this.count.capped;
    const countStands = options.updatesOnly === true && finished && !this.query.filters?.length && this.query.search === undefined;
    this.reset(countStands);
  }

  row(index: number): { values: CellValue[]; key: RowKey | null } | undefined {
    return this.cache.row(index);
  }

  /** Declares the rows in view; loads the pages they need. */
  want(first: number, end: number): void {
    this.wanted = { first, end };
    if (this.failure) return;
    const missing = this.cache.missing(first, end).filter((p) => !this.queue.includes(p));
    this.queue.push(...missing);
    this.pump();
  }

  retry(): void {
    this.failure = undefined;
    this.want(this.wanted.first, this.wanted.end);
  }

  dispose(): void {
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
    this.queue = [];
  }

  private reset(keepCount = false): void {
    this.dispose();
    this.active = 0;
    this.cache.clear();
    this.failure = undefined;
    this.pageNote = undefined;
    if (!keepCount) {
      this.count = undefined;
      void this.startCount();
    }
    this.want(this.wanted.first, this.wanted.end);
    this.listener.changed();
  }

  private wantedPages(): Set<number> {
    const pages = new Set<number>();
    if (this.wanted.end <= this.wanted.first) return pages;
    for (let p = Math.floor(this.wanted.first / this.pageSize); p <= Math.floor((this.wanted.end - 1) / this.pageSize); p++) pages.add(p);
    return pages;
  }

  private pump(): void {
    const wanted = this.wantedPages();
    // Pages scrolled past before their turn are not worth loading any more.
    this.queue = this.queue.filter((p) => wanted.has(p) && !this.cache.isLoading(p));
    while (this.active < this.maxConcurrent && this.queue.length > 0) {
      const pageIndex = this.queue.shift()!;
      if (this.cache.knownEnd !== undefined && pageIndex * this.pageSize >= this.cache.knownEnd) continue;
      void this.load(pageIndex);
    }
  }

  private async load(pageIndex: number): Promise<void> {
    const generation = this.cache.startLoading(pageIndex);
    const controller = new AbortController();
    this.controllers.add(controller);
    this.active++;
    try {
      const page = await this.reader.readRows({ ...this.query, ...this.cache.position(pageIndex), limit: this.pageSize, signal: controller.signal });
      const order = this.columns.map((c) => page.columns.indexOf(c));
      const rows = page.rows.map((row) => order.map((i): CellValue => (i < 0 ? null : (row[i] ?? null))));
      const stored = this.cache.store(pageIndex, { rows, keys: page.keys, ...(page.next !== undefined ? { next: page.next } : {}) }, generation, this.wantedPages());
      if (stored && page.note !== undefined) this.pageNote = page.note;
      if (stored) this.listener.changed();
    } catch (error) {
      this.cache.failed(pageIndex, generation);
      // Pages in flight together usually fail for the same reason: report the first one only.
      if (generation === this.cache.generation && !controller.signal.aborted && this.failure === undefined) {
        this.failure = error instanceof Error ? error.message : String(error);
        this.queue = [];
        this.listener.failed(this.failure);
      }
    } finally {
      this.controllers.delete(controller);
      if (generation === this.cache.generation) {
        this.active--;
        this.pump();
      }
    }
  }

  private async startCount(): Promise<void> {
    const generation = this.cache.generation;
    const controller = new AbortController();
    this.controllers.add(controller);
    const request: CountRequest = { ...(this.query.filters ? { filters: this.query.filters } : {}), ...(this.query.search ? { search: this.query.search } : {}), signal: controller.signal };
    try {
      const first = await this.reader.countRows({ ...request, cap: this.countCap });
      if (generation !== this.cache.generation) return;
      this.count = first;
      this.listener.changed();
      if (!first.capped && first.exact) return;
      const exact = await this.reader.countRows(request);
      if (generation !== this.cache.generation) return;
      this.count = exact;
      this.listener.changed();
    } catch {
      // A failed count leaves the grid usable: rows still page in, and the count shows what was loaded.
    } finally {
      this.controllers.delete(controller);
    }
  }
}
