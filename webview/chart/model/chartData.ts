import type { AggregateResult, CellValue, ColumnSchema, TimeUnit } from '../../../api';
import { type ChartConfig, isNumeric, isTemporal } from './chartConfig';
import { toNumber, usesColor } from './chartQuery';

// Aggregate rows (one per group, group columns first, then the measure) as the flat records the chart draws.
// Fields have fixed names (x, x2, color, value) so column names with dots or brackets, which vega would read as
// nested paths, never reach an encoding.

export interface ChartDatum {
  x: number | string;
  /** End of a bin (bar and heatmap draw bins from x to x2). */
  x2?: number;
  color?: string;
  value: number | null;
}

export interface ChartData {
  values: ChartDatum[];
  /** Groups left out because their x is NULL on a numeric axis, where NULL has no place. */
  nullX: number;
}

export type XType = 'quantitative' | 'ordinal' | 'nominal';

/** How x is laid out: numbers on a scale for lines and points, bins on a scale, everything else as categories. */
export function xType(config: ChartConfig, column: Pick<ColumnSchema, 'kind'> | undefined): XType {
  if (config.bin) return 'quantitative';
  if (config.timeUnit || (column && isTemporal(column))) return 'ordinal';
  if (column && isNumeric(column)) return ['line', 'area', 'point', 'tick'].includes(config.mark) ? 'quantitative' : 'ordinal';
  return 'nominal';
}

export const NULL_LABEL = 'NULL';

/** A group value as a category label. NULL is a category of its own, named so. */
export function label(value: CellValue): string {
  if (value === null) return NULL_LABEL;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return String(value);
}

/** Booleans read back as true/false whether the database stores them as such or as 0/1 (SQLite, MySQL). */
export function booleanLabel(value: CellValue): string {
  if (value === 0 || value === 0n || value === false || value === '0') return 'false';
  if (value === 1 || value === 1n || value === true || value === '1') return 'true';
  return label(value);
}

/**
 * Time-unit groups in one spelling whichever database truncated them: SQLite and MySQL format text
 * ("2024-05", "2024-05-01 13:00"), PostgreSQL's date_trunc returns timestamps ("2024-05-01 00:00:00+00").
 */
export function timeLabel(value: CellValue, unit: TimeUnit): string {
  if (typeof value !== 'string') return label(value);
  const text = value.replace('T', ' ');
  if (!/^\d{4}/.test(text)) return text;
  switch (unit) {
    case 'year':
      return text.slice(0, 4);
    case 'month':
      return text.slice(0, 7);
    case 'day':
      return text.slice(0, 10);
    case 'hour':
      return `${text.slice(0, 13)}:00`;
  }
}

export function chartData(config: ChartConfig, result: AggregateResult, columns: readonly ColumnSchema[], binStep?: number): ChartData {
  const xColumn = columns.find((c) => c.name === config.x);
  const colorColumn = columns.find((c) => c.name === config.color);
  const type = xType(config, xColumn);
  const color = usesColor(config);
  const step = config.binStep ?? binStep;
  const values: ChartDatum[] = [];
  let nullX = 0;
  for (const row of result.rows) {
    const rawX = row[0] ?? null;
    const value = toNumber(row[color ? 2 : 1] ?? null);
    let x: number | string;
    if (type === 'quantitative') {
      const n = toNumber(rawX);
      if (n === null) {
        nullX++;
        continue;
      }
      x = n;
    } else if (config.timeUnit) x = timeLabel(rawX, config.timeUnit);
    else if (type === 'ordinal' && xColumn && isNumeric(xColumn)) x = toNumber(rawX) ?? NULL_LABEL;
    else if (xColumn?.kind === 'boolean') x = booleanLabel(rawX);
    else x = label(rawX);
    const datum: ChartDatum = { x, value };
    if (config.bin && typeof x === 'number' && step !== undefined) datum.x2 = Number((x + step).toPrecision(12));
    if (color) datum.color = colorColumn?.kind === 'boolean' ? booleanLabel(row[1] ?? null) : label(row[1] ?? null);
    values.push(datum);
  }
  return { values, nullX };
}
