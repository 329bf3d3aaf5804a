// The engine's own catalogue, read through the raw client: information_schema (PostgreSQL, MariaDB), pg_constraint
// for PostgreSQL's foreign keys (information_schema does not pair multi-column keys' columns), and SQLite's
// sqlite_master and table pragmas. The real-data suite compares the datasources' listTables/getSchema with these.
import type { Cell, RawClient } from '../support/datasets';

export interface CatalogueEntry {
  name: string;
  kind: 'table' | 'view';
}

export interface CatalogueColumn {
  name: string;
  nullable: boolean;
  /** The engine's type name, lower-cased (e.g. "integer", "character varying", "nvarchar(160)"). */
  type: string;
}

export interface CatalogueForeignKey {
  columns: string[];
  references: string;
  referencedColumns: string[];
}

const text = (value: Cell) => {
  if (value === null) throw new Error('the catalogue returned NULL where a name was expected');
  return value;
};

export async function catalogueTables(raw: RawClient, schema: string | undefined): Promise<CatalogueEntry[]> {
  const rows =
    raw.dialect === 'sqlite'
      ? await raw.query("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      : await raw.query("SELECT table_name, CASE WHEN table_type = 'VIEW' THEN 'view' ELSE 'table' END FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name", [schema]);
  return rows.map(([name, kind]) => ({ name: text(name), kind: kind === 'view' ? 'view' : 'table' }));
}

export async function catalogueColumns(raw: RawClient, schema: string | undefined, table: string): Promise<CatalogueColumn[]> {
  const rows =
    raw.dialect === 'sqlite'
      ? await raw.query("SELECT name, CASE WHEN \"notnull\" THEN 'NO' ELSE 'YES' END, type FROM pragma_table_info(?) ORDER BY cid", [table])
      : await raw.query('SELECT column_name, is_nullable, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position', [schema, table]);
  return rows.map(([name, nullable, type]) => ({ name: text(name), nullable: nullable === 'YES', type: (type ?? '').toLowerCase() }));
}

export async function cataloguePrimaryKey(raw: RawClient, schema: string | undefined, table: string): Promise<string[]> {
  const rows =
    raw.dialect === 'sqlite'
      ? await raw.query('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', [table])
      : raw.dialect === 'mysql'
        ? await raw.query("SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = ? AND table_name = ? AND constraint_name = 'PRIMARY' ORDER BY ordinal_position", [schema, table])
        : await raw.query(
            `SELECT k.column_name FROM information_schema.table_constraints c
               JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name
              WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = ? AND c.table_name = ? ORDER BY k.ordinal_position`,
            [schema, table],
          );
  return rows.map(([name]) => text(name));
}

/** Foreign keys, one per constraint, sorted by their columns so lists compare regardless of the engine's order. */
export async function catalogueForeignKeys(raw: RawClient, schema: string | undefined, table: string): Promise<CatalogueForeignKey[]> {
  let rows: Cell[][];
  if (raw.dialect === 'sqlite') {
    // "to" is NULL when the key names only the parent table: then it references the parent's primary key.
    rows = await raw.query('SELECT id, "from", "table", "to", seq FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table]);
    for (const row of rows) {
      if (row[3] === null) row[3] = (await cataloguePrimaryKey(raw, schema, text(row[2])))[Number(row[4])] ?? null;
    }
  } else if (raw.dialect === 'mysql') {
    rows = await raw.query(
      'SELECT constraint_name, column_name, referenced_table_name, referenced_column_name FROM information_schema.key_column_usage WHERE table_schema = ? AND table_name = ? AND referenced_table_name IS NOT NULL ORDER BY constraint_name, ordinal_position',
      [schema, table],
    );
  } else {
    rows = await raw.query(
      `SELECT c.conname, a.attname, r.relname, ra.attname
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_class r ON r.oid = c.confrelid
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, rcol, n)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.rcol
        WHERE c.contype = 'f' AND n.nspname = ? AND t.relname = ? ORDER BY c.conname, k.n`,
      [schema, table],
    );
  }
  const byConstraint = new Map<string, CatalogueForeignKey>();
  for (const [id, column, references, referenced] of rows) {
    const key = text(id);
    const fk = byConstraint.get(key) ?? { columns: [], references: text(references), referencedColumns: [] };
    fk.columns.push(text(column));
    fk.referencedColumns.push(text(referenced));
    byConstraint.set(key, fk);
  }
  return [...byConstraint.values()].sort((a, b) => a.columns.join().localeCompare(b.columns.join()));
}

/** Whether a catalogue type holds text, numbers or bytes (for picking columns to filter and aggregate). */
export function typeClass(type: string): 'text' | 'number' | 'bytes' | 'other' {
  if (/bytea|blob|binary/.test(type)) return 'bytes';
  if (/char|text|clob/.test(type)) return 'text';
  if (/int|numeric|decimal|real|double|float/.test(type)) return 'number';
  return 'other';
}
