import type { ColumnSchema, ForeignKey, TableInfo, TableRef, TableSchema } from '../../api';
import { datasourceError } from '../kit/errors';
import { checkInValues } from './checkConstraint';
import type { Engine } from './engine';
import { columnKind } from './typeKinds';

// Reads SQLite's catalog through the table-valued pragma functions, which take the table name as a bound
// parameter — so even a table called `x"; drop table y; --` is only ever a value here.

const SYNTHETIC_KEY_NAMES = ['rowid', '_rowid_', 'oid'];

export function listTables(engine: Engine): TableInfo[] {
  const { rows } = engine.all(
    "SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name COLLATE NOCASE",
  );
  return rows.map(([name, type]) => ({ ref: { name: String(name) }, kind: type === 'view' ? 'view' : 'table' }));
}

export function readSchema(engine: Engine, table: TableRef): TableSchema {
  if (table.schema !== undefined && table.schema !== 'main') throw datasourceError('not_found', `SQLite datasources have no schema "${table.schema}".`);
  const entry = engine.all("SELECT type, wr FROM pragma_table_list WHERE schema = 'main' AND name = ?", [table.name]).rows[0];
  if (!entry) throw datasourceError('not_found', `Table "${table.name}" does not exist (it may have been dropped by another program).`);
  const isView = entry[0] === 'view';
  const withoutRowid = entry[1] === 1;
  const sql = String(engine.all("SELECT sql FROM sqlite_schema WHERE name = ? AND type IN ('table', 'view')", [table.name]).rows[0]?.[0] ?? '');

  const columns: ColumnSchema[] = [];
  for (const [, name, type, notNull, defaultValue, pk, hidden] of engine.all('SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)', [table.name]).rows) {
    // hidden 1: a virtual table's hidden column; 2 and 3: generated columns (virtual and stored).
    if (hidden === 1) continue;
    const declaredType = String(type ?? '');
    const column: ColumnSchema = {
      name: String(name),
      declaredType,
      kind: columnKind(declaredType),
      nullable: notNull === 0 && !(Number(pk) > 0 && /^INTEGER$/i.test(declaredType.trim())),
    };
    if (defaultValue !== null) column.defaultValue = String(defaultValue);
    if (Number(pk) > 0) column.primaryKeyPosition = Number(pk);
    if (hidden === 2 || hidden === 3) {
      column.generated = true;
      column.readOnly = true;
    }
    const enumValues = checkInValues(sql, column.name);
    if (enumValues) {
      column.enumValues = enumValues;
      if (column.kind === 'text') column.kind = 'enum';
    }
    if (Number(pk) === 1 && /^INTEGER$/i.test(declaredType.trim()) && /AUTOINCREMENT/i.test(sql)) column.autoIncrement = true;
    columns.push(column);
  }

  const primaryKey = columns.filter((c) => c.primaryKeyPosition !== undefined).sort((a, b) => a.primaryKeyPosition! - b.primaryKeyPosition!).map((c) => c.name);
  const schema: TableSchema = { table: { name: table.name }, kind: isView ? 'view' : 'table', columns, primaryKey, foreignKeys: isView ? [] : foreignKeys(engine, table.name), uniqueKeys: isView ? [] : uniqueKeys(engine, table.name) };

  if (isView) {
    schema.readOnlyReason = 'This is a view: SQLite views cannot be edited, so it opens read-only.';
  } else if (primaryKey.length > 0) {
    schema.rowKey = { columns: primaryKey };
  } else if (!withoutRowid) {
    const synthetic = SYNTHETIC_KEY_NAMES.find((n) => !columns.some((c) => c.name.toLowerCase() === n));
    if (synthetic) {
      // The rowid still gives fast, stable paging; but VACUUM may renumber the rowids of such a table, so an edit
      // addressed by rowid could land on another row.
      schema.rowKey = { columns: [synthetic], synthetic: true };
      schema.readOnlyReason = 'This table has no primary key, so Nocoflo cannot be sure an edit reaches the row you see (SQLite may renumber its internal row ids). It opens read-only; add a PRIMARY KEY to edit it.';
    } else schema.readOnlyReason = 'This table has no primary key, and its columns named rowid, _rowid_ and oid hide SQLite\'s row id, so its rows cannot be addressed safely. It opens read-only.';
  }
  if (engine.readOnlyReason && !schema.readOnlyReason) schema.readOnlyReason = engine.readOnlyReason;
  return schema;
}

function foreignKeys(engine: Engine, table: string): ForeignKey[] {
  const byId = new Map<number, ForeignKey>();
  for (const [id, , parent, from, to] of engine.all('SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table]).rows) {
    const fk = byId.get(Number(id)) ?? { columns: [], references: { name: String(parent) }, referencedColumns: [] };
    fk.columns.push(String(from));
    fk.referencedColumns.push(to === null ? '' : String(to));
    byId.set(Number(id), fk);
  }
  // `REFERENCES parent` without columns means the parent's primary key.
  for (const fk of byId.values()) {
    if (fk.referencedColumns.some((c) => c === '')) {
      const parentPk = engine.all('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', [fk.references.name]).rows.map((r) => String(r[0]));
      fk.referencedColumns = fk.referencedColumns.map((c, i) => c || parentPk[i] || '');
    }
  }
  return [...byId.values()];
}

function uniqueKeys(engine: Engine, table: string): string[][] {
  const keys: string[][] = [];
  for (const [name] of engine.all("SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1 AND partial = 0", [table]).rows) {
    const columns = engine.all('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [String(name)]).rows.map((r) => r[0]);
    // An expression index has NULL column names; it cannot address rows.
    if (columns.every((c) => c !== null)) keys.push(columns.map(String));
  }
  return keys;
}
