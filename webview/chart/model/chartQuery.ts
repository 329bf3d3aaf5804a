import type { AggregateRequest, AggregateResult, CellValue, Filter } from '../../../api';
import type { ChartConfig } from './chartConfig';

// From builder state to the one aggregate the chart needs. The datasource groups and aggregates (GROUP BY in
// SQL), so only one row per group reaches the webview, whatever the table's size.

export type ChartRequest = Omit<AggregateRequest, 'signal'>;

/** Groups a chart asks for at most; `truncated` in the answer says when a table has more. */
export const MAX_GROUPS = 5_000;
/**
 * Rows a first, estimated answer is computed from when the datasource can sample a big table (tables under twice
 * this size answer exactly at once): ~100k rows aggregate in tens of milliseconds on every built-in engine.
 */
export const ESTIMATE_ROWS = 100_000;
/** Bins the automatic step aims at. */
export const TARGET_BINS = 20;

/** The measure's result column; group columns come first, in groupBy order. */
export const MEASURE = 'value';

/** Whether the colour column is a second group (pies have slices only). */
export const usesColor = (config: ChartConfig): boolean => config.color !== undefined && config.mark !== 'arc';

export function chartRequest(config: ChartConfig, filters: readonly Filter[], binStep?: number, limit = MAX_GROUPS): ChartRequest {
  const x: ChartRequest['groupBy'][number] = { column: config.x };
  if (config.bin) {
    const step = config.binStep ?? binStep;
    if (step === undefined) throw new Error('A binned chart needs its bin step (config.binStep or the automatic one).');
    x.bin = { step };
  } else if (config.timeUnit) x.timeUnit = config.timeUnit;
  const groupBy = [x];
  if (usesColor(config)) groupBy.push({ column: config.color! });
  const measure = config.aggregate === 'count' ? { op: 'count' as const, as: MEASURE } : { op: config.aggregate, column: config.y, as: MEASURE };
  return { groupBy, measures: [measure], ...(filters.length > 0 ? { filters: [...filters] } : {}), limit };
}

/** The extent of a binned x, which the automatic bin step is chosen from. */
export function extentRequest(config: ChartConfig, filters: readonly Filter[]): ChartRequest {
  return {
    groupBy: [],
    measures: [
      { op: 'min', column: config.x, as: 'min' },
      { op: 'max', column: config.x, as: 'max' },
    ],
    ...(filters.length > 0 ? { filters: [...filters] } : {}),
  };
}

/** A number from an aggregate cell: exact types (bigint, decimal text) become doubles, which is all a chart needs. */
export function toNumber(value: CellValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** The extent answer as numbers, or undefined when the column holds no numbers (all NULL, or no rows). */
export function readExtent(result: AggregateResult): { min: number; max: number } | undefined {
  const row = result.rows[0];
  if (!row) return undefined;
  const min = toNumber(row[result.columns.indexOf('min')] ?? null);
  const max = toNumber(row[result.columns.indexOf('max')] ?? null);
  return min === null || max === null ? undefined : { min, max };
}

/**
 * A round bin step (1, 2 or 5 times a power of ten) giving about `target` bins over [min, max]. Integer columns get
 * whole steps: bins of 0.2 over quantities 1 to 5 would be mostly empty.
 */
export function niceStep(min: number, max: number, target = TARGET_BINS, integer = false): number {
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = integer ? Math.max(1, span / target) : span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  // Keep integer-looking steps free of float noise (0.1 * 3 and friends).
  return Number(step.toPrecision(12));
}
