import type { AggregateRequest, AggregateResult, CellValue } from '../../api';
import { datasourceError } from '../kit/errors';
import { narrowBigint } from '../kit/numbers';

// An exact aggregate of a big table, run as consecutive key ranges ("chunks") whose partial groups are merged here.
// SQLite has no hash aggregation: one GROUP BY over ten million rows sorts them all and holds the worker for tens of
// seconds, and the worker can only hear that nobody wants the answer any more between statements. The merge must
// give what the single statement gives, so it follows SQLite's rules for which values form one group, how groups
// and values are ordered, and how each aggregate combines (BINARY collation only: callers do not chunk tables that
// declare another).

/** Keys the first chunk covers; later ones grow or shrink with how long a chunk took. */
export const FIRST_CHUNK_KEYS = 500_000;
const MIN_CHUNK_KEYS = 10_000;
// Short enough that a cancel is heard promptly, long enough that the per-statement work (and the up to limit + 1
// groups every chunk returns) stays small next to the aggregate itself. Sparse keys (ids that are timestamps) make
// chunks fast, so their width doubles until they hold enough rows.
const GROW_BELOW_MS = 100;
const SHRINK_ABOVE_MS = 400;
const MAX_CHUNK_KEYS = 2 ** 52;

export function nextChunkWidth(width: number, elapsedMs: number): number {
  if (elapsedMs < GROW_BELOW_MS) return Math.min(MAX_CHUNK_KEYS, width * 2);
  if (elapsedMs > SHRINK_ABOVE_MS) return Math.max(MIN_CHUNK_KEYS, Math.floor(width / 2));
  return width;
}

/** What the loop needs from the datasource: one chunk's aggregate rows, and the next key that exists. */
export interface ChunkSource {
  /** Rows of `request` over the rows whose key is in [low, high], groups ordered, at most its limit + 1. */
  aggregate(request: AggregateRequest, low: number, high: number): CellValue[][];
  /** The smallest key greater than `key`, or undefined: skips gaps in the keys without running empty chunks. */
  keyAfter(key: number): number | undefined;
}

/**
 * Runs `request` chunk by chunk over keys `min`…`max`, yielding to the event loop between chunks so that the
 * worker receives messages; stops with 'cancelled' once `signal` is aborted. `shape` is the single statement's
 * column names and group limit.
 */
export async function aggregateInChunks(
  request: AggregateRequest,
  shape: { columns: string[]; limit: number },
  extent: { min: number; max: number },
  source: ChunkSource,
  signal?: AbortSignal,
): Promise<AggregateResult> {
  const merger = new ChunkMerger(request, shape.limit);
  let low = extent.min;
  let width = FIRST_CHUNK_KEYS;
  for (;;) {
    if (signal?.aborted) throw datasourceError('cancelled', 'Cancelled.');
    const high = Math.min(extent.max, low + width - 1);
    const started = performance.now();
    merger.add(source.aggregate(merger.chunkRequest, low, high));
    width = nextChunkWidth(width, performance.now() - started);
    const next = high < extent.max ? source.keyAfter(high) : undefined;
    if (next === undefined) break;
    low = next;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return merger.result(shape.columns);
}

// ---------------------------------------------------------------------------------------------------------------
// Merging partial groups
// ---------------------------------------------------------------------------------------------------------------

type Measure = AggregateRequest['measures'][number];

/** A measure's running value over the chunks, fed its parts (one or two columns of each chunk row). */
interface Accumulator {
  add(parts: CellValue[]): void;
  value(): CellValue;
}

/**
 * Merges chunk rows into the answer. Each chunk is asked for the same groups, filters and limit, with every mean
 * split into SUM and COUNT. With groups ordered and limited to K + 1 per chunk the merge is exact for the first
 * K + 1 groups overall: the groups ordered before one of them number at most K in every chunk too.
 */
export class ChunkMerger {
  readonly chunkRequest: AggregateRequest;
  private readonly groupCount: number;
  /** Per measure of the request, the positions of its parts among a chunk row's measure columns. */
  private readonly partsOf: number[][] = [];
  private readonly groups = new Map<string, { values: CellValue[]; measures: Accumulator[] }>();

  constructor(
    private readonly request: AggregateRequest,
    private readonly limit: number,
  ) {
    const parts: Measure[] = [];
    const part = (op: Measure['op'], column: string | undefined): number => {
      parts.push({ op, ...(column !== undefined ? { column } : {}), as: `p${parts.length}` });
      return parts.length - 1;
    };
    for (const m of request.measures) {
      this.partsOf.push(m.op === 'mean' ? [part('sum', m.column), part('count', m.column)] : [part(m.op, m.column)]);
    }
    const { signal: _signal, sample: _sample, ...rest } = request;
    this.chunkRequest = { ...rest, measures: parts };
    this.groupCount = request.groupBy.length;
  }

  add(rows: CellValue[][]): void {
    const g = this.groupCount;
    for (const row of rows) {
      const values = row.slice(0, g);
      const id = groupIdentity(values);
      let group = this.groups.get(id);
      if (!group) {
        group = { values, measures: this.request.measures.map((m) => accumulator(m.op)) };
        this.groups.set(id, group);
      }
      for (let i = 0; i < group.measures.length; i++) group.measures[i].add(this.partsOf[i].map((p) => row[g + p]));
    }
    // Groups past the first K + 1 so far can never be among the first K + 1 at the end (see the class comment).
    if (this.groups.size > 2 * (this.limit + 1)) this.keepFirst(this.limit + 1);
  }

  result(columns: string[]): AggregateResult {
    const kept = this.keepFirst(this.limit + 1);
    const rows = kept.slice(0, this.limit).map((group) => [...group.values, ...group.measures.map((m) => m.value())]);
    return { columns, rows, ...(kept.length > this.limit ? { truncated: true } : {}) };
  }

  private keepFirst(n: number): { values: CellValue[]; measures: Accumulator[] }[] {
    const ordered = [...this.groups.entries()].sort(([, a], [, b]) => compareRows(a.values, b.values)).slice(0, n);
    this.groups.clear();
    for (const [id, group] of ordered) this.groups.set(id, group);
    return ordered.map(([, group]) => group);
  }
}

function accumulator(op: Measure['op']): Accumulator {
  switch (op) {
    case 'count':
      return new CountOf();
    case 'sum':
      return new SumOf();
    case 'mean':
      return new MeanOf();
    case 'min':
      return new Extreme(-1);
    case 'max':
      return new Extreme(1);
    default:
      throw datasourceError('invalid_value', `Unknown aggregate "${String(op)}".`);
  }
}

class CountOf implements Accumulator {
  private n = 0;
  add([count]: CellValue[]): void {
    this.n += Number(count ?? 0);
  }
  value(): CellValue {
    return this.n;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * SQLite's SUM: NULL without values, an integer while every value is one (an error past 64 bits), else a double.
 * Integer partials are added exactly in BigInt; a double one (which normalize never turns into a bigint, and which
 * is not an integer or beyond 2^53) switches to double, added with Neumaier's compensation as SQLite does.
 */
class SumOf implements Accumulator {
  private seen = false;
  private double = false;
  private exact = 0n;
  private sum = 0;
  private compensation = 0;

  add([partial]: CellValue[]): void {
    if (partial === null || partial === undefined) return;
    this.seen = true;
    const n = typeof partial === 'bigint' ? partial : typeof partial === 'number' ? partial : Number(partial);
    if (typeof n === 'bigint') this.exact += n;
    else if (Number.isSafeInteger(n)) this.exact += BigInt(n);
    else this.double = true;
    const x = Number(n);
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  /** The sum as a double, for a mean. */
  approximate(): number {
    return this.double ? this.sum + this.compensation : Number(this.exact);
  }

  value(): CellValue {
    if (!this.seen) return null;
    if (this.double) return this.sum + this.compensation;
    // The single statement fails the same way; the caller reruns it to get SQLite's own error.
    if (this.exact < INT64_MIN || this.exact > INT64_MAX) throw new Error('integer overflow');
    return narrowBigint(this.exact);
  }
}

/** SQLite's AVG: the sum over the count, as a double; NULL without values. */
class MeanOf implements Accumulator {
  private readonly sum = new SumOf();
  private n = 0;
  add([sum, count]: CellValue[]): void {
    this.sum.add([sum]);
    this.n += Number(count ?? 0);
  }
  value(): CellValue {
    return this.n === 0 ? null : this.sum.approximate() / this.n;
  }
}

class Extreme implements Accumulator {
  private best: CellValue = null;
  constructor(private readonly direction: 1 | -1) {}
  add([partial]: CellValue[]): void {
    if (partial === null || partial === undefined) return;
    if (this.best === null || compareValues(partial, this.best) * this.direction > 0) this.best = partial;
  }
  value(): CellValue {
    return this.best;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SQLite's value identity and order
// ---------------------------------------------------------------------------------------------------------------

/** SQLite's storage-class order: NULL, then numbers (integer and real alike), text, blobs. */
function typeRank(value: CellValue): number {
  if (value === null) return 0;
  if (typeof value === 'string') return 2;
  if (value instanceof Uint8Array) return 3;
  return 1;
}

/** Compares as SQLite does with the BINARY collation (ORDER BY, MIN, MAX). */
export function compareValues(a: CellValue, b: CellValue): number {
  const rank = typeRank(a) - typeRank(b);
  if (rank !== 0) return rank;
  if (a === null || b === null) return 0;
  if (typeof a === 'string') return compareUtf8(a, b as string);
  if (a instanceof Uint8Array) return Buffer.compare(a, b as Uint8Array);
  // JavaScript compares a number with a bigint exactly, as SQLite compares integers with reals.
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : (b as number | bigint);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareRows(a: CellValue[], b: CellValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Text in UTF-8 byte order (SQLite's memcmp), without encoding: UTF-16 code units order the same except that a
 * surrogate (a code point above U+FFFF) must sort after U+E000…U+FFFF, which have the larger code unit.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Equal exactly when SQLite's GROUP BY puts the values in one group: integer 1 and real 1.0 are one group (and are
 * the same JavaScript number), NULL is a group, text never equals a number.
 */
export function groupIdentity(values: CellValue[]): string {
  let id = '';
  for (const value of values) {
    const part = valueIdentity(value);
    id += `${part.length}:${part}`;
  }
  return id;
}

function valueIdentity(value: CellValue): string {
  if (value === null) return 'z';
  if (typeof value === 'string') return `t${value}`;
  if (value instanceof Uint8Array) return `b${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (typeof value === 'bigint') return `n${value}`;
  const n = Number(value);
  // A double beyond 2^53 that is an integer can equal a 64-bit integer (a bigint): both spell it in full.
  return Number.isInteger(n) && !Number.isSafeInteger(n) ? `n${BigInt(n)}` : `n${n}`;
}
