import type { ColumnSchema, TableSchema } from '../../../api';
import { type ChartConfig, isGroupable, isNumeric, isTemporal } from './chartConfig';

// The first chart of a table nobody has charted yet, chosen from its schema: a few categories (an enum, a
// boolean, a text column that turns out to have few values) against the mean of the first numeric column that is
// not a key; else a date column over time; else a histogram of a number.

export interface AutoCandidate {
  config: ChartConfig;
  /**
   * Accept this candidate only if it has at most this many groups. The schema cannot tell whether a text column
   * holds 5 countries or 50,000 e-mail addresses; asking the database for at most this many groups can.
   */
  maxGroups?: number;
}

/** Categories worth a bar each; more than this makes a poor first chart. */
export const AUTO_MAX_CATEGORIES = 30;

/** Columns that identify rows or point at other tables: their values are ids, not quantities or categories. */
function keyColumns(schema: TableSchema): Set<string> {
  const keys = new Set<string>(schema.primaryKey);
  for (const fk of schema.foreignKeys) fk.columns.forEach((c) => keys.add(c));
  for (const unique of schema.uniqueKeys ?? []) if (unique.length === 1) keys.add(unique[0]);
  for (const c of schema.columns) if (c.primaryKeyPosition !== undefined || c.autoIncrement) keys.add(c.name);
  return keys;
}

/** Candidates in order of preference; the caller takes the first whose group count fits. Empty without numbers. */
export function autoChartCandidates(schema: TableSchema): AutoCandidate[] {
  const keys = keyColumns(schema);
  const columns = schema.columns;
  const notKey = (c: ColumnSchema) => !keys.has(c.name);
  const numbers = columns.filter(isNumeric);
  if (numbers.length === 0) return [];
  const measureColumn = numbers.find(notKey);
  const measure: Pick<ChartConfig, 'aggregate' | 'y'> = measureColumn ? { aggregate: 'mean', y: measureColumn.name } : { aggregate: 'count' };
  const candidates: AutoCandidate[] = [];
  const categorical = (c: ColumnSchema) => c.kind === 'enum' || c.kind === 'boolean';
  for (const c of columns.filter((c) => categorical(c) && notKey(c))) {
    candidates.push({ config: { version: 1, mark: 'bar', x: c.name, ...measure }, maxGroups: AUTO_MAX_CATEGORIES });
  }
  for (const c of columns.filter((c) => c.kind === 'text' && notKey(c) && isGroupable(c))) {
    candidates.push({ config: { version: 1, mark: 'bar', x: c.name, ...measure }, maxGroups: AUTO_MAX_CATEGORIES });
  }
  for (const c of columns.filter((c) => isTemporal(c) && notKey(c))) {
    candidates.push({ config: { version: 1, mark: 'line', x: c.name, timeUnit: c.kind === 'date' ? 'month' : 'day', ...measure } });
  }
  // A histogram: how the measured number itself is distributed (or, in a table of ids only, the ids).
  const histogram = measureColumn ?? numbers[0];
  candidates.push({ config: { version: 1, mark: 'bar', x: histogram.name, bin: true, aggregate: 'count' } });
  return candidates;
}
