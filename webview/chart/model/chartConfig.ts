import type { AggregateOp, ColumnKind, ColumnSchema, TimeUnit } from '../../../api';

// The chart builder's state: what the user chose (mark, x, aggregate, y, colour), independent of the data. It is
// also the view config Nocoflo stores with "Set as Default View for This Table", so it is read back defensively:
// a stored config may come from an older build or name a column that was dropped since.

export const MARKS = ['bar', 'line', 'area', 'point', 'arc', 'tick', 'rect'] as const;
export type ChartMark = (typeof MARKS)[number];

export const MARK_LABELS: Record<ChartMark, string> = {
  bar: 'Bar',
  line: 'Line',
  area: 'Area',
  point: 'Point',
  arc: 'Pie',
  tick: 'Tick',
  rect: 'Heatmap',
};

export const AGGREGATE_OPS: readonly AggregateOp[] = ['count', 'sum', 'mean', 'min', 'max'];
export const AGGREGATE_LABELS: Record<AggregateOp, string> = { count: 'Count', sum: 'Sum', mean: 'Mean', min: 'Min', max: 'Max' };
export const TIME_UNITS: readonly TimeUnit[] = ['year', 'month', 'day', 'hour'];

export interface ChartConfig {
  version: 1;
  mark: ChartMark;
  /** The column grouped along x (for a pie: the slices). */
  x: string;
  /** Groups a numeric x into bins of `binStep`; without a step, one is chosen from the data's extent. */
  bin?: boolean;
  binStep?: number;
  /** Truncates a date/time x to this unit. */
  timeUnit?: TimeUnit;
  aggregate: AggregateOp;
  /** The numeric column the aggregate reads; absent for count (rows). */
  y?: string;
  /** A second grouping column: colour of each series (for a heatmap: its rows). Not used by pies. */
  color?: string;
}

const NUMERIC: ReadonlySet<ColumnKind> = new Set(['integer', 'float', 'decimal']);
const TEMPORAL: ReadonlySet<ColumnKind> = new Set(['date', 'datetime', 'datetimetz']);
/** Values that cannot be a group key in every database (or mean nothing as one). */
const UNGROUPABLE: ReadonlySet<ColumnKind> = new Set(['blob', 'json', 'array']);

export const isNumeric = (column: Pick<ColumnSchema, 'kind'>): boolean => NUMERIC.has(column.kind);
export const isTemporal = (column: Pick<ColumnSchema, 'kind'>): boolean => TEMPORAL.has(column.kind);
export const isGroupable = (column: Pick<ColumnSchema, 'kind'>): boolean => !UNGROUPABLE.has(column.kind);

/** Whether a view of this table can chart it at all: it needs a number to aggregate or bin. */
export const hasNumericColumn = (columns: readonly Pick<ColumnSchema, 'kind'>[]): boolean => columns.some(isNumeric);

/**
 * A config read back from storage, checked against today's columns. The parts that define the chart (mark, x,
 * aggregate) must be valid or the whole config is refused (undefined); optional parts that no longer fit (a
 * dropped colour column, a time unit on a column that is no longer a date) are dropped instead, and an aggregate
 * whose column is gone falls back to counting rows, so a stale config still opens as close to itself as possible.
 */
export function validateConfig(raw: unknown, columns: readonly ColumnSchema[]): ChartConfig | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.version !== 1) return undefined;
  if (typeof r.mark !== 'string' || !(MARKS as readonly string[]).includes(r.mark)) return undefined;
  const byName = (name: unknown) => (typeof name === 'string' ? columns.find((c) => c.name === name) : undefined);
  const x = byName(r.x);
  if (!x || !isGroupable(x)) return undefined;
  if (typeof r.aggregate !== 'string' || !(AGGREGATE_OPS as readonly string[]).includes(r.aggregate)) return undefined;
  const config: ChartConfig = { version: 1, mark: r.mark as ChartMark, x: x.name, aggregate: r.aggregate as AggregateOp };
  if (r.bin === true && isNumeric(x)) {
    config.bin = true;
    if (typeof r.binStep === 'number' && Number.isFinite(r.binStep) && r.binStep > 0) config.binStep = r.binStep;
  } else if (typeof r.timeUnit === 'string' && (TIME_UNITS as readonly string[]).includes(r.timeUnit) && isTemporal(x)) {
    config.timeUnit = r.timeUnit as TimeUnit;
  }
  if (config.aggregate !== 'count') {
    const y = byName(r.y);
    if (y && isNumeric(y)) config.y = y.name;
    else config.aggregate = 'count';
  }
  const color = byName(r.color);
  if (color && isGroupable(color) && color.name !== x.name && config.mark !== 'arc') config.color = color.name;
  return config;
}

/** A short description for titles and notes: "Mean of price by country". */
export function describeConfig(config: ChartConfig): string {
  const measure = config.aggregate === 'count' ? 'Count of rows' : `${AGGREGATE_LABELS[config.aggregate]} of ${config.y}`;
  const x = config.bin ? `${config.x} (binned)` : config.timeUnit ? `${config.x} (${config.timeUnit})` : config.x;
  return `${measure} by ${x}${config.color ? ` and ${config.color}` : ''}`;
}
