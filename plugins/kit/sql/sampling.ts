import type { AggregateRequest, AggregateResult, AggregateSample, CellValue, TableSchema } from '../../../api';
import { Params, type SqlBuilder, type Statement } from './queryBuilder';

// Sampled aggregates (AggregateRequest.sample): a big table answers from a few percent of its rows in tens of
// milliseconds, so a chart can draw at once and be replaced by the exact answer later. Tables with an integer key
// (SQLite's rowid, an integer primary key in PostgreSQL and MySQL) are sampled by reading many short windows of
// consecutive keys spread over the key's span: each window is an index range seek, so the cost is the sample's
// size, not the table's. PostgreSQL tables without one use TABLESAMPLE (postgres/tableOperations.ts).

/** A table is sampled only when it has at least this many times the rows asked for; smaller ones answer exactly. */
export const WORTH_SAMPLING = 2;
/** Windows a key-window sample reads at most (the digits subquery below counts to 10,000). */
export const MAX_WINDOWS = 10_000;
/** Keys per window at least: shorter windows would spend more on index seeks than on reading rows. */
export const MIN_WINDOW_KEYS = 10;

/**
 * About `keys` key values out of [min, max] as `windows` short runs of consecutive keys, one per equal stride of
 * the span at a pseudo-random place inside it. Many short windows, not a few long ones: rows next to each other are
 * alike (inserted together, in time order), so how well a sample represents the table depends on how many places it
 * looks at, not on how many rows it reads at each.
 */
export interface KeyWindowPlan {
  min: number;
  stride: number;
  /** Keys per window. */
  window: number;
  windows: number;
  /** max - min + 1 of the key. */
  span: number;
  /** The key values the windows cover inside [min, max]. */
  covered: number;
}

/** Undefined when the span is too small to be worth sampling, or not safely representable. */
export function keyWindows(min: number, max: number, keys: number, maxWindows = MAX_WINDOWS): KeyWindowPlan | undefined {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min || !(keys >= 1)) return undefined;
  const span = max - min + 1;
  if (span < WORTH_SAMPLING * keys || !Number.isSafeInteger(span)) return undefined;
  const wanted = Math.max(1, Math.min(maxWindows, MAX_WINDOWS, Math.floor(keys / MIN_WINDOW_KEYS)));
  // Strides rounded up, so the last one reaches the end of the span (the newest rows are sampled too); a window
  // there may run past max, which `covered` accounts for.
  const stride = Math.ceil(span / wanted);
  const windows = Math.ceil(span / stride);
  const window = Math.max(1, Math.min(stride, Math.ceil(keys / windows)));
  const plan = { min, stride, window, windows, span, covered: 0 };
  plan.covered = windowStarts(plan).reduce((sum, start) => sum + Math.max(0, Math.min(max, start + window - 1) - start + 1), 0);
  return plan;
}

/** Where each window starts, exactly as the SQL of keyWindowsFrom computes it (BigInt: the hash exceeds 2^53). */
export function windowStarts(plan: Pick<KeyWindowPlan, 'min' | 'stride' | 'window' | 'windows'>): number[] {
  const room = BigInt(plan.stride - plan.window + 1);
  const p = BigInt(HASH_PRIME);
  return Array.from({ length: plan.windows }, (_, i) => {
    const w = BigInt(i);
    return Number(BigInt(plan.min) + w * BigInt(plan.stride) + ((((w * BigInt(HASH)) % p) * w) % p) % room);
  });
}

/**
 * The plan to aggregate with, once the rows inside the first plan's windows are counted: sparse keys (gaps after
 * deletes, ids that step by 10) get longer windows so the sample still has about `target` rows. Undefined when the
 * table turns out small enough (or too sparse to estimate) to answer exactly.
 */
export function adjustKeyWindows(plan: KeyWindowPlan, rowsInWindows: number, target: number, maxWindows = MAX_WINDOWS): KeyWindowPlan | undefined {
  if (rowsInWindows <= 0) return undefined;
  const estimatedRows = (rowsInWindows * plan.span) / plan.covered;
  if (estimatedRows < WORTH_SAMPLING * target) return undefined;
  if (rowsInWindows >= target / 2) return plan;
  return keyWindows(plan.min, plan.min + plan.span - 1, Math.ceil((plan.covered * target) / rowsInWindows), maxWindows);
}

/** 0…9 as a derived table: plain SQL every engine runs (no recursive CTE, which MySQL caps at 1,000 rows). */
const DIGITS = `(SELECT 0 AS d ${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => `UNION ALL SELECT ${d}`).join(' ')})`;
/** 0…9,999, one row per possible window. */
const WINDOW_NUMBERS = `(SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d AS nocoflo_w FROM ${DIGITS} a CROSS JOIN ${DIGITS} b CROSS JOIN ${DIGITS} c CROSS JOIN ${DIGITS} e)`;
/**
 * Window w starts at (H·w² mod P) mod room into its stride: a hash, not random(), so the same chart gives the same
 * estimate every time. Quadratic on purpose: a linear H·w mod room is linear modulo every divisor of room too, so
 * for some strides every window began at the same phase of periodic data (ids cycling through 7 kinds: one kind
 * estimated 40 % high). Fits int64 in every engine: H·w < 2^45, then a residue below P times w < 2^34.
 */
const HASH = 2654435761;
const HASH_PRIME = 1000003;
const hashSql = (w: string) => `((((${w} * ${HASH}) % ${HASH_PRIME}) * ${w}) % ${HASH_PRIME})`;

/**
 * The FROM item of a key-window sample: the window numbers joined to the table by a key range each, so the engine
 * seeks each window in the key's index. `join` must make the window numbers the outer loop (SQLite: CROSS JOIN;
 * MySQL: STRAIGHT_JOIN), or the engine might scan the table and probe the windows instead; PostgreSQL needs no
 * hint (a range condition leaves it only a nested loop, and it puts the small side outside).
 */
export function keyWindowsFrom(table: string, keyExpr: string, plan: KeyWindowPlan, params: Params, join: string, bind: (placeholder: string) => string = (p) => p): string {
  const room = plan.stride - plan.window + 1;
  const add = (value: number) => bind(params.add(value));
  // Placeholders in the order the text reads them (`?` is positional in SQLite and MySQL).
  const windows = add(plan.windows);
  const start = `${add(plan.min)} + nw.nocoflo_w * ${add(plan.stride)} + ${hashSql('nw.nocoflo_w')} % ${add(room)}`;
  const end = `${add(plan.min)} + nw.nocoflo_w * ${add(plan.stride)} + ${hashSql('nw.nocoflo_w')} % ${add(room)} + ${add(plan.window - 1)}`;
  return `${WINDOW_NUMBERS} nw ${join} ${table} ON nw.nocoflo_w < ${windows} AND ${table}.${keyExpr} BETWEEN ${start} AND ${end}`;
}

/**
 * Turns the rows of a sampled aggregate (with the hidden row count last) into the answer: counts and sums scaled
 * by 1 / fraction, the hidden column dropped, `sample` set.
 */
export function sampledResult(
  request: Pick<AggregateRequest, 'measures'>,
  columns: string[],
  rows: CellValue[][],
  limit: number,
  fraction: number,
  method: string,
): AggregateResult {
  const groups = columns.length - request.measures.length;
  const scale = 1 / fraction;
  let sampled = 0;
  const shaped = rows.map((row) => {
    sampled += Number(row[row.length - 1] ?? 0);
    return row.slice(0, -1).map((value, index) => {
      const measure = index >= groups ? request.measures[index - groups] : undefined;
      if (!measure || (measure.op !== 'count' && measure.op !== 'sum') || value === null) return value;
      const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
      if (!Number.isFinite(n)) return value;
      return measure.op === 'count' ? Math.round(n * scale) : n * scale;
    });
  });
  const sample: AggregateSample = { fraction, rows: sampled, method };
  return { columns, rows: shaped.slice(0, limit), ...(shaped.length > limit ? { truncated: true } : {}), sample };
}

/** The target size of a valid `sample` member, or undefined when the request asks for the exact answer. */
export function sampleTarget(request: Pick<AggregateRequest, 'sample'>): number | undefined {
  const rows = request.sample?.rows;
  return typeof rows === 'number' && Number.isFinite(rows) && rows >= 1 ? Math.floor(rows) : undefined;
}

/**
 * How many rows a table had in a plan's windows, for a minute: a chart asks for its extent and then its groups, and
 * every builder change asks again, each time over the same windows; the key's extent (min and max) is part of the
 * key, so rows added at either end make a new entry.
 */
export class ProbeCache {
  private readonly entries = new Map<string, { rows: number; at: number }>();
  constructor(
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at <= this.ttlMs) return entry.rows;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, rows: number): void {
    this.entries.delete(key);
    this.entries.set(key, { rows, at: this.now() });
    // A few charts' tables at a time; the oldest goes first.
    if (this.entries.size > 64) this.entries.delete(this.entries.keys().next().value!);
  }
}

const safeInteger = (value: CellValue | undefined): number | undefined => {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
};

/**
 * A key-window sampled aggregate as the statements it needs, for a datasource to run one after the other (the
 * SQLite worker synchronously, MySQL over the network): the key's extent (two index lookups), the rows inside the
 * first windows (to correct for sparse keys), then the aggregate. Returns undefined when the table should be
 * aggregated exactly instead. `keyExpr` is an integer key the engine can seek (quoted, or SQLite's rowid).
 */
export function* keyWindowSample(
  sql: SqlBuilder,
  schema: TableSchema,
  request: AggregateRequest,
  options: {
    keyExpr: string;
    keyName: string;
    join: string;
    target: number;
    /**
     * Fewer windows for engines that plan each window's range anew (MySQL and MariaDB: "range checked for each
     * record", ~50 µs a window) than for those that just seek (SQLite).
     */
    maxWindows?: number;
    /** Wraps each bound number, for engines that would otherwise type it too narrowly (PostgreSQL: int4). */
    bind?: (placeholder: string) => string;
    /** Rows found in a plan's windows, remembered between the requests of one chart (its extent, then its groups). */
    probes?: ProbeCache;
  },
  /** Converts the aggregate's rows as the datasource converts its exact answers. */
  shape: (rows: CellValue[][]) => CellValue[][] = (rows) => rows,
): Generator<Statement, AggregateResult | undefined, CellValue[][]> {
  const { keyExpr, keyName, join, target, maxWindows = MAX_WINDOWS, bind } = options;
  const table = sql.table(schema.table);
  // Two subqueries: engines answer one MIN or MAX of an indexed key from the index, but not both in one query.
  const [extent] = yield { sql: `SELECT (SELECT MIN(${keyExpr}) FROM ${table}), (SELECT MAX(${keyExpr}) FROM ${table})`, params: [] };
  const min = safeInteger(extent?.[0]);
  const max = safeInteger(extent?.[1]);
  if (min === undefined || max === undefined) return undefined;
  const first = keyWindows(min, max, target, maxWindows);
  if (!first) return undefined;
  const probeKey = JSON.stringify([table, first.min, first.span, first.windows, first.window]);
  let rowsInWindows = options.probes?.get(probeKey);
  if (rowsInWindows === undefined) {
    const probe = new Params(sql.dialect);
    const [counted] = yield { sql: `SELECT COUNT(*) FROM ${keyWindowsFrom(table, keyExpr, first, probe, join, bind)}`, params: probe.values };
    rowsInWindows = Number(counted?.[0] ?? 0);
    options.probes?.set(probeKey, rowsInWindows);
  }
  const plan = adjustKeyWindows(first, rowsInWindows, target, maxWindows);
  if (!plan) return undefined;
  const statement = sql.aggregate(schema, request, { from: (quoted, params) => keyWindowsFrom(quoted, keyExpr, plan, params, join, bind) });
  const rows = shape(yield statement);
  return sampledResult(request, statement.columns, rows, statement.limit, plan.covered / plan.span, `${count(plan.windows)} windows of ${count(plan.window)} ${keyName}s`);
}

const count = (n: number) => n.toLocaleString('en-US');

/** Runs a statement generator with a synchronous engine. */
export function runStatements<T>(steps: Generator<Statement, T, CellValue[][]>, run: (statement: Statement) => CellValue[][]): T {
  let next = steps.next();
  while (!next.done) next = steps.next(run(next.value));
  return next.value;
}

/** Runs a statement generator over a connection. */
export async function runStatementsAsync<T>(steps: Generator<Statement, T, CellValue[][]>, run: (statement: Statement) => Promise<CellValue[][]>): Promise<T> {
  let next = steps.next();
  while (!next.done) next = steps.next(await run(next.value));
  return next.value;
}
