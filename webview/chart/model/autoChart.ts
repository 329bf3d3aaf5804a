import type { AggregateResult, ColumnSchema, Filter, TableSchema } from '../../../api';
import { type ChartConfig, isGroupable, isNumeric, isTemporal } from './chartConfig';
import { type ChartRequest, toNumber } from './chartQuery';

// The first chart of a table nobody has charted yet, chosen from its schema: a few categories (an enum, a
// boolean, a text column that turns out to have few values) against the mean of the first numeric column that is
// not a key; else a date column over time; else a histogram of a number. Columns that are mostly NULL are passed
// over, and among the categories the most filled come first: a chart of Chinook's invoices by BillingState (half
// NULL, one tall NULL bar) says less than one by BillingCountry (always filled).

export interface AutoCandidate {
  config: ChartConfig;
  /**
   * Accept this candidate only if it has at most this many groups. The schema cannot tell whether a text column
   * holds 5 countries or 50,000 e-mail addresses; asking the database for at most this many groups can.
   */
  maxGroups?: number;
  /** Whether the candidate's x is worth charting only if it is mostly filled (see `rankByFill`). */
  needsValues?: boolean;
}

/** A candidate whose x is NULL in more rows than this share is passed over. */
export const AUTO_MAX_NULL_SHARE = 0.5;

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
    candidates.push({ config: { version: 1, mark: 'bar', x: c.name, ...measure }, maxGroups: AUTO_MAX_CATEGORIES, needsValues: true });
  }
  for (const c of columns.filter((c) => c.kind === 'text' && notKey(c) && isGroupable(c))) {
    candidates.push({ config: { version: 1, mark: 'bar', x: c.name, ...measure }, maxGroups: AUTO_MAX_CATEGORIES, needsValues: true });
  }
  for (const c of columns.filter((c) => isTemporal(c) && notKey(c))) {
    candidates.push({ config: { version: 1, mark: 'line', x: c.name, timeUnit: c.kind === 'date' ? 'month' : 'day', ...measure }, needsValues: true });
  }
  // A histogram: how the measured number itself is distributed (or, in a table of ids only, the ids).
  const histogram = measureColumn ?? numbers[0];
  candidates.push({ config: { version: 1, mark: 'bar', x: histogram.name, bin: true, aggregate: 'count' } });
  return candidates;
}

const FILLED = (i: number) => `filled${i}`;

/**
 * One aggregate that tells how many rows there are and, for each candidate that needs values, how many of them
 * have a value in its x (COUNT of a column skips NULLs). Undefined when no candidate needs to know.
 */
export function fillRequest(candidates: readonly AutoCandidate[], filters: readonly Filter[]): ChartRequest | undefined {
  const measures: ChartRequest['measures'] = [{ op: 'count', as: 'rows' }];
  candidates.forEach((c, i) => {
    if (c.needsValues) measures.push({ op: 'count', column: c.config.x, as: FILLED(i) });
  });
  if (measures.length === 1) return undefined;
  return { groupBy: [], measures, ...(filters.length > 0 ? { filters: [...filters] } : {}) };
}

/**
 * The candidates to try, in order, given the answer to `fillRequest`: those whose x is mostly NULL are dropped,
 * and the categories (candidates with `maxGroups`) are ordered by how many rows have a value, most first, keeping
 * the schema's order among equals. Without rows (an empty table or filters that match nothing) nothing is dropped.
 */
export function rankByFill(candidates: readonly AutoCandidate[], fill: AggregateResult | undefined): AutoCandidate[] {
  const row = fill?.rows[0];
  const rows = row ? toNumber(row[fill!.columns.indexOf('rows')] ?? null) : null;
  if (!row || !rows) return [...candidates];
  const filled = (i: number): number => {
    const at = fill!.columns.indexOf(FILLED(i));
    return at < 0 ? rows : (toNumber(row[at] ?? null) ?? 0);
  };
  const kept = candidates.map((candidate, i) => ({ candidate, filled: filled(i), i })).filter((c) => c.filled >= rows * (1 - AUTO_MAX_NULL_SHARE));
  const categories = kept.filter((c) => c.candidate.maxGroups !== undefined).sort((a, b) => b.filled - a.filled || a.i - b.i);
  const others = kept.filter((c) => c.candidate.maxGroups === undefined);
  return [...categories, ...others].map((c) => c.candidate);
}
