// What the real-data suite compares: the datasource's pages turned into text cells, and the engine's own answer
// to the same question written as plain SQL for the raw client. Identifiers are quoted by dialect, values bound.
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceSession, Filter, ReadRowsRequest, TableRef } from '../../api';
import { type Cell, cell, type Dialect, type RawClient } from '../support/datasets';

/** An odd page size, so pages never line up with anything round in the data (tables of 100 or 1,000 rows). */
export const PAGE_SIZE = 97;

export function quote(dialect: Dialect, name: string): string {
  return dialect === 'mysql' ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`;
}

export function qualified(dialect: Dialect, table: TableRef): string {
  // MySQL's raw client is connected to the dataset's database, so its schema is implied.
  return table.schema && dialect === 'postgres' ? `${quote(dialect, table.schema)}.${quote(dialect, table.name)}` : quote(dialect, table.name);
}

/**
 * One sort key in the order the contract promises (NULLs first ascending, last descending), written the same way on
 * every engine instead of relying on each engine's default NULL placement.
 */
export function orderTerm(dialect: Dialect, column: string, direction: 'asc' | 'desc'): string {
  const q = quote(dialect, column);
  return direction === 'asc' ? `(${q} IS NULL) DESC, ${q} ASC` : `(${q} IS NULL) ASC, ${q} DESC`;
}

/**
 * PostgreSQL's raw client gets bytea as its text form (`\x…`); the datasource returns bytes, which `cell` writes as
 * `x'…'`. Everything else already compares as the engine's text.
 */
export function engineCell(dialect: Dialect, value: Cell): Cell {
  if (dialect === 'postgres' && value !== null && /^\\x[0-9a-f]*$/.test(value)) return `x'${value.slice(2)}'`;
  return value;
}

export interface ReadAll {
  columns: string[];
  rows: Cell[][];
  pages: number;
}

/** Reads a whole result through the datasource by following `next`, checking each page's size and columns. */
export async function readAll(session: DatasourceSession, table: TableRef, request: Omit<ReadRowsRequest, 'limit' | 'after'>): Promise<ReadAll> {
  const rows: Cell[][] = [];
  let columns: string[] | undefined;
  let after: string | undefined;
  for (let pages = 1; pages <= 10_000; pages++) {
    const page = await session.readRows(table, { ...request, limit: PAGE_SIZE, ...(after ? { after } : {}) });
    assert.ok(page.rows.length <= PAGE_SIZE, `a page of ${table.name} holds ${page.rows.length} rows, more than the limit ${PAGE_SIZE}`);
    if (columns) assert.deepEqual(page.columns, columns, `the columns of ${table.name} changed between pages`);
    columns ??= page.columns;
    rows.push(...page.rows.map((row) => row.map((value: CellValue) => cell(value))));
    if (!page.next) return { columns, rows, pages };
    // A page that is not full but promises more would be a broken cursor; an empty one would never end.
    assert.equal(page.rows.length, PAGE_SIZE, `a page of ${table.name} before the last holds ${page.rows.length} rows, not ${PAGE_SIZE}`);
    after = page.next;
  }
  throw new Error(`paging ${table.name} did not end`);
}

/** The engine's rows for the same columns, in `order` (SQL terms), already normalised for comparison. */
export async function engineRows(raw: RawClient, table: TableRef, columns: string[], where: { sql: string; params: unknown[] }, order: string[]): Promise<Cell[][]> {
  const select = columns.map((c) => quote(raw.dialect, c)).join(', ');
  const sql = `SELECT ${select} FROM ${qualified(raw.dialect, table)} WHERE ${where.sql}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
  return (await raw.query(sql, where.params)).map((row) => row.map((value) => engineCell(raw.dialect, value)));
}

export async function engineCount(raw: RawClient, table: TableRef, where: { sql: string; params: unknown[] }): Promise<number> {
  const [[count]] = await raw.query(`SELECT COUNT(*) FROM ${qualified(raw.dialect, table)} WHERE ${where.sql}`, where.params);
  return Number(count);
}

export const everything = { sql: '1 = 1', params: [] as unknown[] };

/** A text pattern for LIKE; the suite's needles hold no wildcard, so nothing needs escaping. */
function pattern(op: 'contains' | 'startswith' | 'endswith', value: string): string {
  assert.ok(!/[%_\\]/.test(value), `the needle ${JSON.stringify(value)} must hold no LIKE wildcard`);
  return op === 'contains' ? `%${value}%` : op === 'startswith' ? `${value}%` : `%${value}`;
}

/**
 * The contract's filter semantics as the engine's own SQL: `ne` keeps NULLs, ordered comparisons never match NULL,
 * `in` with a NULL item matches NULL, and the text operators ignore case but keep accents. MySQL's LIKE follows the
 * column's collation (which also folds accents), so there both sides are lower-cased and compared as bytes.
 */
export function engineFilter(dialect: Dialect, filter: Filter): { sql: string; params: unknown[] } {
  const c = quote(dialect, filter.column);
  const value = filter.value as unknown;
  const comparisons = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
  switch (filter.op) {
    case 'eq':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return { sql: `${c} ${comparisons[filter.op]} ?`, params: [value] };
    case 'ne':
      return { sql: `(${c} <> ? OR ${c} IS NULL)`, params: [value] };
    case 'isnull':
      return { sql: `${c} IS NULL`, params: [] };
    case 'notnull':
      return { sql: `${c} IS NOT NULL`, params: [] };
    case 'in': {
      const items = value as unknown[];
      const present = items.filter((item) => item !== null);
      const parts = [...(present.length ? [`${c} IN (${present.map(() => '?').join(', ')})`] : []), ...(present.length < items.length ? [`${c} IS NULL`] : [])];
      return { sql: `(${parts.join(' OR ')})`, params: present };
    }
    case 'contains':
    case 'startswith':
    case 'endswith': {
      const like = dialect === 'mysql' ? `LOWER(${c}) LIKE BINARY LOWER(?)` : `lower(${c}) LIKE lower(?)`;
      return { sql: like, params: [pattern(filter.op, String(value))] };
    }
  }
}

/** Rows as sorted JSON lines: a multiset that compares regardless of order. */
export const multiset = (rows: Cell[][]) => rows.map((row) => JSON.stringify(row)).sort();

/**
 * Compares a datasource's rows with the engine's, both sorted by a column with ties: the sort values must come in
 * the same sequence, and each run of equal values must hold the same rows (as multisets, since the engine orders a
 * run as it likes). Together that means every row exactly once, in the promised order.
 */
export function assertSameRunsOfTies(actual: Cell[][], expected: Cell[][], sortIndex: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} rows read, the engine has ${expected.length}`);
  assert.deepEqual(
    actual.map((row) => row[sortIndex]),
    expected.map((row) => row[sortIndex]),
    `${what}: the sort values come in a different sequence than the engine's ORDER BY`,
  );
  let start = 0;
  let runs = 0;
  for (let i = 1; i <= expected.length; i++) {
    if (i < expected.length && expected[i][sortIndex] === expected[start][sortIndex]) continue;
    assert.deepEqual(multiset(actual.slice(start, i)), multiset(expected.slice(start, i)), `${what}: the run of ${JSON.stringify(expected[start][sortIndex])} (rows ${start}–${i - 1}) differs`);
    runs++;
    start = i;
  }
  // A column without ties would make this an ordinary ordered comparison, not the check it claims to be.
  assert.ok(runs < expected.length, `${what}: the sort column has no ties`);
}

/** What the datasource refused with: its DatasourceError code. */
export async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  throw new Error('the datasource accepted what it should have refused');
}
