import type { CellValue, Filter, ForeignKey, RowCount, RowKey, TableRef } from '../api';
import { groupedNumber } from './numberFormat';

// What the form view decides without a DOM: where First/Previous/Next/Last/"go to row N" lead, how the position
// reads ("row 12 of 1,234"), how a focused key is read (its position in the order: rowsBefore.ts), and which
// filters follow a foreign key in either direction. Unit-tested in plain Node.

export type NavStep = 'first' | 'previous' | 'next' | 'last';

/**
 * The row index a step leads to, or undefined when it goes nowhere (already first, already last, or the last row
 * is not known yet). `total` counts the rows of the query when it is known exactly.
 */
export function stepTarget(step: NavStep, position: number, total: number | undefined): number | undefined {
  switch (step) {
    case 'first':
      return position === 0 ? undefined : 0;
    case 'previous':
      return position > 0 ? position - 1 : undefined;
    case 'next':
      return total === undefined || position + 1 < total ? position + 1 : undefined;
    case 'last':
      return total === undefined || total === 0 || position === total - 1 ? undefined : total - 1;
  }
}

/** "12" typed into "go to row" → index 11; a clear message for anything else. */
export function parseGoTo(text: string, total: number | undefined): { ok: true; index: number } | { ok: false; error: string } {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: `"${text}" is not a row number.` };
  const n = Number(trimmed);
  if (n < 1) return { ok: false, error: 'Rows are numbered from 1.' };
  if (total !== undefined && n > total) return { ok: false, error: total === 0 ? 'There are no rows.' : `There ${total === 1 ? 'is 1 row' : `are ${groupedNumber(total)} rows`}.` };
  return { ok: true, index: n - 1 };
}

/** "row 12 of 1,234", "row 12 of 10,000+", "row 12 of ~1.2M", "row 12" while counting. */
export function positionText(position: number, count: RowCount | undefined): string {
  const row = `row ${groupedNumber(position + 1)}`;
  if (!count) return row;
  if (count.capped) return `${row} of ${groupedNumber(count.count)}+`;
  if (!count.exact) return `${row} of ~${new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(count.count)}`;
  return `${row} of ${groupedNumber(count.count)}`;
}

/** The rows matching `key` exactly: how a focused record is read. */
export function keyFilters(key: RowKey): Filter[] {
  return Object.entries(key).map(([column, value]) => (value === null ? { column, op: 'isnull' } : { column, op: 'eq', value }));
}

export const sameTable = (a: TableRef, b: TableRef): boolean => a.name === b.name && (a.schema ?? '') === (b.schema ?? '');

/** The key of the record a foreign key points at, or undefined while any of its columns is NULL or unknown. */
export function referencedKey(fk: ForeignKey, values: Readonly<Record<string, CellValue | undefined>>): RowKey | undefined {
  const key: RowKey = {};
  for (let i = 0; i < fk.columns.length; i++) {
    const value = values[fk.columns[i]];
    if (value === null || value === undefined) return undefined;
    key[fk.referencedColumns[i] ?? fk.columns[i]] = value;
  }
  return key;
}

/**
 * Filters on the referencing table that find the rows pointing at this record through `fk` (a foreign key of the
 * other table whose `references` is this table), or undefined when this record has no value to point at.
 */
export function referencingFilters(fk: ForeignKey, values: Readonly<Record<string, CellValue | undefined>>): Filter[] | undefined {
  const filters: Filter[] = [];
  for (let i = 0; i < fk.columns.length; i++) {
    const value = values[fk.referencedColumns[i] ?? ''];
    if (value === null || value === undefined) return undefined;
    filters.push({ column: fk.columns[i], op: 'eq', value });
  }
  return filters;
}

/** "customers" → "customer", "categories" → "category": good enough for "3 rows in orders reference this customer". */
export function singular(name: string): string {
  if (/ies$/i.test(name) && name.length > 3) return `${name.slice(0, -3)}y`;
  if (/(ss|us|is)$/i.test(name)) return name;
  if (/(ches|shes|xes|ses)$/i.test(name)) return name.slice(0, -2);
  if (/s$/i.test(name) && name.length > 1) return name.slice(0, -1);
  return name;
}

/** "3 rows in orders reference this customer", with the count's own precision. */
export function referenceText(count: RowCount, table: string, referenced: string): string {
  const n = count.capped ? `${groupedNumber(count.count)}+` : count.exact ? groupedNumber(count.count) : `~${groupedNumber(count.count)}`;
  const rows = count.count === 1 && count.exact && !count.capped ? 'row' : 'rows';
  const verb = count.count === 1 && count.exact && !count.capped ? 'references' : 'reference';
  return `${n} ${rows} in ${table} ${verb} this ${singular(referenced)}`;
}
