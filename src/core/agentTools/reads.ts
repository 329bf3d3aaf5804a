// The read tools' results: tables of a connection, a table's description, a bounded page of rows. Everything is
// read through TableService, so the schema checks (unknown columns) and the datasource's isolation apply.
import type { CellValue, ColumnSchema, RowCount, TableLocator, TableSchema } from '../../../api';
import type { TableService } from '../tableService';
import type { Role } from '../roles/roleModel';
import { ACCESS_TEXT } from './catalog';
import type { QueryInput, ReadRowsInput, TableInput } from './inputs';
import { resultRecord, type ResultValue } from './values';

export type AgentTables = Pick<TableService, 'schema' | 'tableInfos' | 'readRows' | 'countRows' | 'capabilities'>;

export const locatorOf = (datasourceId: string, input: TableInput): TableLocator =>
  input.schema === undefined ? { datasourceId, name: input.table } : { datasourceId, schema: input.schema, name: input.table };

const countValue = (count: RowCount): number | string => (count.capped ? `at least ${count.count}` : count.exact ? count.count : `about ${count.count}`);

export async function tablesOf(tables: AgentTables, datasourceId: string, signal?: AbortSignal) {
  const infos = await tables.tableInfos(datasourceId, signal ? { signal } : {});
  return infos.map((t) => ({
    ...(t.ref.schema !== undefined ? { schema: t.ref.schema } : {}),
    name: t.ref.name,
    kind: t.kind,
    ...(t.parent !== undefined ? { partitionOf: t.parent } : {}),
    ...(t.rowCount !== undefined ? { rows: countValue(t.rowCount) } : {}),
    ...(t.comment ? { comment: t.comment } : {}),
  }));
}

function column(c: ColumnSchema) {
  return {
    name: c.name,
    type: c.declaredType,
    kind: c.kind,
    nullable: c.nullable,
    ...(c.primaryKeyPosition !== undefined ? { primaryKeyPosition: c.primaryKeyPosition } : {}),
    ...(c.defaultValue !== undefined ? { default: c.defaultValue } : {}),
    ...(c.generated ? { generated: true } : {}),
    ...(c.autoIncrement ? { autoIncrement: true } : {}),
    ...(c.readOnly ? { readOnly: true } : {}),
    ...(c.enumValues ? { enumValues: c.enumValues } : {}),
    ...(c.maxLength !== undefined ? { maxLength: c.maxLength } : {}),
    ...(c.comment ? { comment: c.comment } : {}),
  };
}

export async function describeTable(tables: AgentTables, table: TableLocator, role: { role: Role; production: boolean; readOnlyReason?: string }) {
  const schema = await tables.schema(table);
  let rows: number | string;
  try {
    rows = countValue(await tables.countRows(table));
  } catch (error) {
    rows = `unknown (${error instanceof Error ? error.message : String(error)})`;
  }
  return {
    table: { ...(schema.table.schema !== undefined ? { schema: schema.table.schema } : {}), name: schema.table.name },
    kind: schema.kind,
    rows,
    columns: schema.columns.map(column),
    primaryKey: schema.primaryKey,
    ...(schema.uniqueKeys?.length ? { uniqueKeys: schema.uniqueKeys } : {}),
    foreignKeys: schema.foreignKeys.map((fk) => ({ columns: fk.columns, references: fk.references.schema ? `${fk.references.schema}.${fk.references.name}` : fk.references.name, referencedColumns: fk.referencedColumns })),
    rowKey: schema.rowKey ? { columns: schema.rowKey.columns, ...(schema.rowKey.synthetic ? { synthetic: true, note: 'Not a user column: it appears in each row\'s "key" only.' } : {}) } : null,
    ...(schema.readOnlyReason ? { readOnly: schema.readOnlyReason } : {}),
    ...(schema.notices?.length ? { notices: schema.notices } : {}),
    ...(schema.comment ? { comment: schema.comment } : {}),
    yourRole: role.role,
    production: role.production,
    access: role.readOnlyReason ?? ACCESS_TEXT[role.role],
  };
}

export interface RowsResult {
  table: string;
  columns: string[];
  rows: { key?: Record<string, ResultValue>; values: Record<string, ResultValue> }[];
  offset: number;
  limit: number;
  /** More rows match: read again with `nextOffset`. */
  more: boolean;
  nextOffset?: number;
  note?: string;
}

/**
 * A page of a statement's result, read like a table (a query reference): read-only, enforced by the database, within
 * the connection's statement timeout.
 */
export function queryRows(tables: AgentTables, datasourceId: string, input: QueryInput, signal?: AbortSignal): Promise<RowsResult> {
  const table: TableLocator = { datasourceId, name: 'query', query: { text: input.sql } };
  return readRows(tables, table, { connection: input.connection, table: 'query', filters: [], sort: [], limit: input.limit, offset: input.offset }, signal);
}

export async function readRows(tables: AgentTables, table: TableLocator, input: ReadRowsInput, signal?: AbortSignal): Promise<RowsResult> {
  const schema: TableSchema = await tables.schema(table);
  const known = new Set(schema.columns.map((c) => c.name));
  const unknown = (input.columns ?? []).filter((c) => !known.has(c));
  if (unknown.length > 0) throw new Error(`Unknown column ${unknown.map((c) => `"${c}"`).join(', ')} in ${schema.table.name}. Columns: ${[...known].join(', ')}.`);
  // One row more than asked tells whether there are more, without a count.
  const page = await tables.readRows(table, {
    limit: input.limit + 1,
    ...(input.filters.length > 0 ? { filters: input.filters } : {}),
    ...(input.sort.length > 0 ? { sort: input.sort } : {}),
    ...(input.offset > 0 ? { offset: input.offset } : {}),
    ...(signal ? { signal } : {}),
  });
  const wanted = input.columns ?? page.columns;
  const more = page.rows.length > input.limit;
  const rows = page.rows.slice(0, input.limit).map((cells, i) => {
    const values: Record<string, CellValue> = {};
    for (const name of wanted) {
      const at = page.columns.indexOf(name);
      if (at >= 0) values[name] = cells[at];
    }
    const key = page.keys[i];
    return { ...(key ? { key: resultRecord(key) } : {}), values: resultRecord(values) };
  });
  return {
    table: schema.table.name,
    columns: wanted,
    rows,
    offset: input.offset,
    limit: input.limit,
    more,
    ...(more ? { nextOffset: input.offset + input.limit } : {}),
    ...(page.note ? { note: page.note } : {}),
  };
}
