// When a query's result can be edited, and how its rows and edits map onto the one stored table it comes from. The
// rule is the issue's: the result's columns come from one base table (as the engine reports their origins) and
// include that table's whole primary key. Everything else about writing (roles, conflict checks, locks, audit) is
// the base table's, because edits are saved to it.
import type { CellValue, RowChange, RowKey, RowValues, TableRef, TableSchema } from '../../../api';

export interface ResultMapping {
  /** The stored table edits are saved to. */
  base: TableRef;
  /** Result column → base column, for the result's plain copies of base columns (first copy only). */
  toBase: ReadonlyMap<string, string>;
  /** Base column → result column. */
  toResult: ReadonlyMap<string, string>;
  /** Result columns holding the base table's primary key, in key order. */
  key: readonly string[];
}

const sameRef = (a: TableRef, b: TableRef): boolean => (a.schema ?? '') === (b.schema ?? '') && a.name === b.name;
const refName = (ref: TableRef): string => (ref.schema ? `${ref.schema}.${ref.name}` : ref.name);

/**
 * The one stored table a result's columns come from, or why there is none (then the result is read-only, with that
 * reason). A datasource's own reason (an engine that does not report origins) comes first.
 */
export function resultBase(result: TableSchema): { base: TableRef } | { reason: string } {
  if (result.readOnlyReason) return { reason: result.readOnlyReason };
  const tables: TableRef[] = [];
  for (const column of result.columns) {
    const table = column.origin?.table;
    if (table && !tables.some((t) => sameRef(t, table))) tables.push(table);
  }
  if (tables.length === 0) return { reason: 'This result is read-only: none of its columns is a plain column of a table.' };
  if (tables.length > 1) {
    return { reason: `This result is read-only: its columns come from ${tables.length} tables (${tables.map(refName).join(', ')}). Open a table to edit it.` };
  }
  const base = tables[0];
  return { base: base.schema === undefined ? { name: base.name } : { schema: base.schema, name: base.name } };
}

/**
 * The result's schema as views see it once its base table is known: editable columns are the plain copies of
 * writable base columns, the base's primary key becomes the result's row key, and foreign keys carry over where
 * all their columns are in the result. When the base cannot be edited through the result, the reason says why.
 */
export function editableResult(result: TableSchema, base: TableSchema): { schema: TableSchema; mapping?: ResultMapping } {
  const readOnly = (reason: string) => ({ schema: { ...result, readOnlyReason: reason, primaryKey: [], foreignKeys: [] } });
  const baseName = refName(base.table);
  if (base.readOnlyReason) return readOnly(`This result is read-only: ${base.readOnlyReason}`);
  if (base.kind !== 'table' && base.kind !== 'partitioned-table') return readOnly(`This result is read-only: "${baseName}" is a ${base.kind.replace('-', ' ')}, not a table.`);
  if (base.primaryKey.length === 0 || !base.rowKey || base.rowKey.synthetic) {
    return readOnly(`This result is read-only: "${baseName}" has no primary key, so its rows cannot be identified.`);
  }
  const toBase = new Map<string, string>();
  const toResult = new Map<string, string>();
  for (const column of result.columns) {
    const origin = column.origin;
    if (!origin || !sameRef(origin.table, base.table) || toResult.has(origin.column)) continue;
    if (!base.columns.some((c) => c.name === origin.column)) continue;
    toBase.set(column.name, origin.column);
    toResult.set(origin.column, column.name);
  }
  const missing = base.primaryKey.filter((k) => !toResult.has(k));
  if (missing.length > 0) {
    const list = missing.map((k) => `"${k}"`).join(', ');
    return readOnly(`This result is read-only: it leaves out ${baseName}'s key column${missing.length === 1 ? '' : 's'} ${list}, so its rows cannot be identified. Add ${missing.length === 1 ? 'it' : 'them'} to the SELECT list to edit.`);
  }
  const key = base.primaryKey.map((k) => toResult.get(k)!);
  const columns = result.columns.map((column) => {
    const baseColumn = toBase.has(column.name) ? base.columns.find((c) => c.name === toBase.get(column.name)) : undefined;
    if (!baseColumn) return { ...column, readOnly: true };
    const { name: _name, comment: _comment, ...properties } = baseColumn;
    return { ...column, ...properties, name: column.name, ...(baseColumn.comment !== undefined ? { comment: baseColumn.comment } : {}) };
  });
  const foreignKeys = base.foreignKeys
    .filter((fk) => fk.columns.every((c) => toResult.has(c)))
    .map((fk) => ({ ...fk, columns: fk.columns.map((c) => toResult.get(c)!) }));
  const schema: TableSchema = {
    ...result,
    columns,
    primaryKey: [...key],
    rowKey: { columns: [...key] },
    foreignKeys,
    notices: [...(result.notices ?? []), `Edits are saved to ${baseName}.`],
  };
  delete schema.readOnlyReason;
  return { schema, mapping: { base: { ...base.table }, toBase, toResult, key } };
}

/** The row keys of result rows: the key columns' values under their result names. */
export function resultKeys(mapping: ResultMapping, columns: readonly string[], rows: readonly CellValue[][]): (RowKey | null)[] {
  const indexes = mapping.key.map((name) => columns.indexOf(name));
  if (indexes.some((i) => i < 0)) return rows.map(() => null);
  return rows.map((row) => {
    const key: RowKey = {};
    mapping.key.forEach((name, i) => (key[name] = row[indexes[i]]));
    return key;
  });
}

function renamed(values: RowValues, names: ReadonlyMap<string, string>): RowValues {
  const out: RowValues = {};
  for (const [name, value] of Object.entries(values)) {
    const target = names.get(name);
    if (target !== undefined) out[target] = value;
  }
  return out;
}

/**
 * Edits of result rows as edits of the base table. Expected values of computed columns are dropped: they are not
 * stored anywhere the save could check them.
 */
export function toBaseChanges(mapping: ResultMapping, changes: readonly RowChange[]): RowChange[] {
  return changes.map((change) => {
    switch (change.kind) {
      case 'insert':
        return { kind: 'insert', values: renamed(change.values, mapping.toBase) };
      case 'update':
        return { kind: 'update', key: renamed(change.key, mapping.toBase), changes: renamed(change.changes, mapping.toBase), expected: renamed(change.expected, mapping.toBase) };
      case 'delete':
        return { kind: 'delete', key: renamed(change.key, mapping.toBase), expected: renamed(change.expected, mapping.toBase) };
    }
  });
}

/** A base table's row (as a write returned it) under the result's column names; base columns not shown are left out. */
export function toResultRow(mapping: ResultMapping, row: RowValues): RowValues {
  return renamed(row, mapping.toResult);
}
