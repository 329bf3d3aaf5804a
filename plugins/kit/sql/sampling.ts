import type { AggregateRequest, AggregateResult, AggregateSample, CellValue, TableSchema } from '../../../api';
import { Params, type SqlBuilder, type Statement } from './queryBuilder';

// Sampled aggregates (AggregateRequest.sample): a big table answers from a few percent of its rows in tens of
// milliseconds, so a chart can draw at once and be replaced by the exact answer later. SQL datasources sample
// either with the engine's own block sampling (PostgreSQL's TABLESAMPLE) or, where there is none (SQLite, MySQL),
// by reading a number of short ranges of an integer key, spread over the key's span: each range is an index range
// scan, so the cost is the sample's size, not the table's.

/** A table is sampled only when it has at least this many times the rows asked for; smaller ones answer exactly. */
export const WORTH_SAMPLING = 2;
/** Ranges a key-range sample reads: enough strata that clustered data (by time, say) is covered evenly. */
export const SAMPLE_STRATA = 64;

export interface KeyRangePlan {
  /** Inclusive [low, high] key ranges, ascending and disjoint. */
  ranges: [number, number][];
  /** How many key values the ranges cover. */
  covered: number;
  /** max - min + 1 of the key. */
  span: number;
}

/** A deterministic generator, so the same chart over the same data gives the same estimate every time. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * About `keys` key values out of [min, max] as SAMPLE_STRATA windows, one at a random place inside each of as many
 * equal strata (a stratified sample: every part of the table is represented, unlike one random range).
 * Undefined when the span is too small to be worth sampling or not safely representable.
 */
export function keyRanges(min: number, max: number, keys: number, strata = SAMPLE_STRATA): KeyRangePlan | undefined {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min || !(keys >= 1)) return undefined;
  const span = max - min + 1;
  if (span < WORTH_SAMPLING * keys) return undefined;
  const count = Math.max(1, Math.min(strata, Math.floor(keys)));
  const width = span / count;
  const window = Math.max(1, Math.min(Math.floor(width), Math.ceil(keys / count)));
  const random = mulberry32(0x9e3779b9);
  const ranges: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const stratumStart = min + Math.floor(i * width);
    const stratumEnd = min + Math.floor((i + 1) * width) - 1;
    const room = Math.max(0, stratumEnd - stratumStart + 1 - window);
    const low = stratumStart + Math.floor(random() * (room + 1));
    ranges.push([low, Math.min(stratumEnd, low + window - 1)]);
  }
  return { ranges, covered: ranges.reduce((sum, [low, high]) => sum + (high - low + 1), 0), span };
}

/**
 * The plan to aggregate with, once the rows inside the first plan's ranges are counted: sparse keys (gaps after
 * deletes, ids that step by 10) get wider ranges so the sample still has about `target` rows. Undefined when the
 * table turns out small enough (or too sparse to estimate) to answer exactly.
 */
export function adjustKeyRanges(plan: KeyRangePlan, rowsInRanges: number, target: number, min: number, max: number): KeyRangePlan | undefined {
  if (rowsInRanges <= 0) return undefined;
  const estimatedRows = (rowsInRanges * plan.span) / plan.covered;
  if (estimatedRows < WORTH_SAMPLING * target) return undefined;
  if (rowsInRanges >= target / 2) return plan;
  return keyRanges(min, max, Math.ceil((plan.covered * target) / rowsInRanges));
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

/** `(key BETWEEN ? AND ? OR …)` over a plan's ranges: each range is an index range scan. */
export function keyRangeCondition(keyExpr: string, ranges: readonly (readonly [number, number])[], params: Params): string {
  return `(${ranges.map(([low, high]) => `${keyExpr} BETWEEN ${params.add(low)} AND ${params.add(high)}`).join(' OR ')})`;
}

const safeInteger = (value: CellValue | undefined): number | undefined => {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
};

/**
 * A key-range sampled aggregate as the statements it needs, for a datasource to run one after the other (the
 * SQLite worker synchronously, MySQL over the network): the key's extent (two index lookups), the rows in the
 * first ranges (to correct for sparse keys), then the aggregate. Returns undefined when the table should be
 * aggregated exactly instead. `keyExpr` is an integer key whose ranges the engine reads by index.
 */
export function* keyRangeSample(
  sql: SqlBuilder,
  schema: TableSchema,
  request: AggregateRequest,
  keyExpr: string,
  target: number,
  method: string,
  /** Converts the aggregate's rows as the datasource converts its exact answers. */
  shape: (rows: CellValue[][]) => CellValue[][] = (rows) => rows,
): Generator<Statement, AggregateResult | undefined, CellValue[][]> {
  const table = sql.table(schema.table);
  // Two subqueries: engines answer one MIN or MAX of an indexed key from the index, but not both in one query.
  const [extent] = yield { sql: `SELECT (SELECT MIN(${keyExpr}) FROM ${table}), (SELECT MAX(${keyExpr}) FROM ${table})`, params: [] };
  const min = safeInteger(extent?.[0]);
  const max = safeInteger(extent?.[1]);
  if (min === undefined || max === undefined) return undefined;
  const first = keyRanges(min, max, target);
  if (!first) return undefined;
  const probe = new Params(sql.dialect);
  const [counted] = yield { sql: `SELECT COUNT(*) FROM ${table} WHERE ${keyRangeCondition(keyExpr, first.ranges, probe)}`, params: probe.values };
  const plan = adjustKeyRanges(first, Number(counted?.[0] ?? 0), target, min, max);
  if (!plan) return undefined;
  const statement = sql.aggregate(schema, request, { where: (params) => keyRangeCondition(keyExpr, plan.ranges, params) });
  const rows = shape(yield statement);
  return sampledResult(request, statement.columns, rows, statement.limit, plan.covered / plan.span, `${plan.ranges.length} ${method} ranges`);
}

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
