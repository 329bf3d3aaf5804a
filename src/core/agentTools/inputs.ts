// The tools' inputs, checked before anything is read. VS Code validates nothing against `inputSchema` when a tool is
// invoked, and a model can send anything, so every field is checked here and a refusal says what to send instead.
import type { CellValue, Filter, FilterOperator, RowValues, SortKey } from '../../../api';
import { inputValue } from './values';

/** Rows a read returns when the model does not say. */
export const DEFAULT_ROW_LIMIT = 50;
/** Rows a read may return at most, whatever the model asks. */
export const MAX_ROW_LIMIT = 200;
/** Changes one proposal may hold at most: a person has to review each of them. */
export const MAX_PROPOSED_CHANGES = 100;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export interface TableInput {
  connection: string;
  table: string;
  schema?: string;
}

export interface ReadRowsInput extends TableInput {
  columns?: string[];
  filters: Filter[];
  sort: SortKey[];
  limit: number;
  offset: number;
}

export interface ProposalInput extends TableInput {
  inserts: RowValues[];
  updates: { key: RowValues; changes: RowValues }[];
  deletes: { key: RowValues }[];
  /** Why the agent proposes this, shown to the person reviewing. */
  reason?: string;
}

const OPERATORS: readonly FilterOperator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startswith', 'endswith', 'isnull', 'notnull', 'in'];

class InputError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(raw: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isObject(raw)) throw new InputError(`${where} must be an object.`);
  const extra = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new InputError(`${where} has unknown field${extra.length === 1 ? '' : 's'} ${extra.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ')}.`);
  return raw;
}

function text(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new InputError(`${where} must be a non-empty string.`);
  return raw;
}

function optionalText(raw: unknown, where: string): string | undefined {
  return raw === undefined ? undefined : text(raw, where);
}

function list(raw: unknown, where: string): unknown[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new InputError(`${where} must be an array.`);
  return raw;
}

function integer(raw: unknown, where: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min) throw new InputError(`${where} must be a whole number of at least ${min}.`);
  return Math.min(raw, max);
}

function value(raw: unknown, where: string): CellValue {
  const checked = inputValue(raw, where);
  if (!checked.ok) throw new InputError(checked.error);
  return checked.value;
}

function record(raw: unknown, where: string): RowValues {
  if (!isObject(raw) || Object.keys(raw).length === 0) throw new InputError(`${where} must be an object of column names to values.`);
  return Object.fromEntries(Object.entries(raw).map(([column, v]) => [column, value(v, `${where}.${column}`)]));
}

function table(raw: Record<string, unknown>): TableInput {
  const schema = optionalText(raw.schema, 'schema');
  return { connection: text(raw.connection, 'connection'), table: text(raw.table, 'table'), ...(schema !== undefined ? { schema } : {}) };
}

function check<T>(build: () => T): Checked<T> {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, error: error.message };
    throw error;
  }
}

export const checkListTables = (raw: unknown): Checked<{ connection: string }> =>
  check(() => ({ connection: text(object(raw, 'The input', ['connection']).connection, 'connection') }));

export const checkDescribeTable = (raw: unknown): Checked<TableInput> => check(() => table(object(raw, 'The input', ['connection', 'schema', 'table'])));

export function checkReadRows(raw: unknown): Checked<ReadRowsInput> {
  return check(() => {
    const input = object(raw, 'The input', ['connection', 'schema', 'table', 'columns', 'filters', 'sort', 'limit', 'offset']);
    const columns = input.columns === undefined ? undefined : list(input.columns, 'columns').map((c, i) => text(c, `columns[${i}]`));
    const filters = list(input.filters, 'filters').map((f, i): Filter => {
      const where = `filters[${i}]`;
      const filter = object(f, where, ['column', 'op', 'value']);
      const op = filter.op;
      if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) throw new InputError(`${where}.op must be one of ${OPERATORS.join(', ')}.`);
      const column = text(filter.column, `${where}.column`);
      if (op === 'isnull' || op === 'notnull') return { column, op: op as FilterOperator };
      if (op === 'in') return { column, op, value: list(filter.value, `${where}.value`).map((v, j) => value(v, `${where}.value[${j}]`)) };
      if (filter.value === undefined) throw new InputError(`${where}.value is needed for "${op}".`);
      return { column, op: op as FilterOperator, value: value(filter.value, `${where}.value`) };
    });
    const sort = list(input.sort, 'sort').map((s, i): SortKey => {
      const key = object(s, `sort[${i}]`, ['column', 'direction']);
      const direction = key.direction ?? 'asc';
      if (direction !== 'asc' && direction !== 'desc') throw new InputError(`sort[${i}].direction must be "asc" or "desc".`);
      return { column: text(key.column, `sort[${i}].column`), direction };
    });
    return {
      ...table(input),
      ...(columns !== undefined ? { columns } : {}),
      filters,
      sort,
      limit: integer(input.limit, 'limit', DEFAULT_ROW_LIMIT, 1, MAX_ROW_LIMIT),
      offset: integer(input.offset, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    };
  });
}

export function checkProposal(raw: unknown): Checked<ProposalInput> {
  return check(() => {
    const input = object(raw, 'The input', ['connection', 'schema', 'table', 'inserts', 'updates', 'deletes', 'reason']);
    const inserts = list(input.inserts, 'inserts').map((row, i) => record(object(row, `inserts[${i}]`, ['values']).values, `inserts[${i}].values`));
    const updates = list(input.updates, 'updates').map((u, i) => {
      const update = object(u, `updates[${i}]`, ['key', 'changes']);
      return { key: record(update.key, `updates[${i}].key`), changes: record(update.changes, `updates[${i}].changes`) };
    });
    const deletes = list(input.deletes, 'deletes').map((d, i) => ({ key: record(object(d, `deletes[${i}]`, ['key']).key, `deletes[${i}].key`) }));
    const count = inserts.length + updates.length + deletes.length;
    if (count === 0) throw new InputError('The proposal is empty: give at least one of inserts, updates or deletes.');
    if (count > MAX_PROPOSED_CHANGES) throw new InputError(`The proposal holds ${count} changes; at most ${MAX_PROPOSED_CHANGES} can be reviewed at once. Split it.`);
    const reason = optionalText(input.reason, 'reason');
    return { ...table(input), inserts, updates, deletes, ...(reason !== undefined ? { reason } : {}) };
  });
}

export interface QueryInput {
  connection: string;
  sql: string;
  limit: number;
  offset: number;
}

/** Longest statement an agent may send: a question, not a script. */
export const MAX_QUERY_LENGTH = 20_000;

export function checkRunQuery(raw: unknown): Checked<QueryInput> {
  return check(() => {
    const input = object(raw, 'The input', ['connection', 'sql', 'limit', 'offset']);
    const sql = text(input.sql, 'sql');
    if (sql.length > MAX_QUERY_LENGTH) throw new InputError(`sql is ${sql.length} characters long; send one statement of at most ${MAX_QUERY_LENGTH}.`);
    return {
      connection: text(input.connection, 'connection'),
      sql,
      limit: integer(input.limit, 'limit', DEFAULT_ROW_LIMIT, 1, MAX_ROW_LIMIT),
      offset: integer(input.offset, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    };
  });
}
