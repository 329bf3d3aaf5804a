import type { CellValue, RowValues, TableSchema } from '../../api';
import { sqliteDialect } from '../kit/sql/dialect';
import { bindable, type Engine } from './engine';

// SQLite reports every broken reference as a bare "FOREIGN KEY constraint failed", naming neither the table nor the
// row. A user who tried to delete a customer needs to read "12 rows of orders (customer_id) still refer to it".
// These run after the failed statement, inside the same transaction, so they see what the statement saw.

const q = (name: string) => sqliteDialect.quoteIdentifier(name);

/** Actions after which a parent row can go although children refer to it (the children follow it). */
const FOLLOWING_ACTIONS = new Set(['CASCADE', 'SET NULL', 'SET DEFAULT']);

interface Reference {
  child: string;
  from: string[];
  to: string[];
}

/** The foreign keys of other tables (and this one) that point at `parent` and keep a parent row from going. */
function referencesTo(engine: Engine, parent: string): Reference[] {
  const tables = engine.all("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").rows.map((r) => String(r[0]));
  const found: Reference[] = [];
  for (const child of tables) {
    const byId = new Map<number, Reference & { blocks: boolean }>();
    const rows = engine.all('SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [child]).rows;
    for (const [id, table, from, to, onDelete] of rows) {
      if (String(table).toLowerCase() !== parent.toLowerCase()) continue;
      const ref = byId.get(Number(id)) ?? { child, from: [], to: [], blocks: !FOLLOWING_ACTIONS.has(String(onDelete).toUpperCase()) };
      ref.from.push(String(from));
      ref.to.push(to === null ? '' : String(to));
      byId.set(Number(id), ref);
    }
    for (const ref of byId.values()) if (ref.blocks) found.push(ref);
  }
  return found;
}

function primaryKeyOf(engine: Engine, table: string): string[] {
  return engine.all('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', [table]).rows.map((r) => String(r[0]));
}

function rows(count: number): string {
  return count === 1 ? '1 row' : `${count.toLocaleString('en-US')} rows`;
}

/**
 * Why deleting the row with these values (or changing its `changed` columns) broke a foreign key: which tables
 * still refer to it and how many of their rows. Undefined when nothing is found (a deferred key, or a reference
 * through a cascade further down).
 */
export function deleteBlockedBy(engine: Engine, schema: TableSchema, row: RowValues, changed?: readonly string[]): string | undefined {
  const parts: string[] = [];
  const parentKey = primaryKeyOf(engine, schema.table.name);
  for (const ref of referencesTo(engine, schema.table.name)) {
    const to = ref.to.map((c, i) => c || parentKey[i] || '');
    if (changed && !to.some((c) => changed.includes(c))) continue;
    const values = to.map((c) => row[c]);
    if (values.some((v) => v === undefined || v === null)) continue;
    const where = ref.from.map((c) => `${q(c)} = ?`).join(' AND ');
    const count = Number(engine.all(`SELECT count(*) FROM ${q(ref.child)} WHERE ${where}`, values.map((v) => bindable(v as CellValue))).rows[0]?.[0] ?? 0);
    if (count > 0) parts.push(`${rows(count)} of "${ref.child}" (${ref.from.join(', ')})`);
  }
  return parts.length > 0 ? `${parts.join(' and ')} still refer to this row.` : undefined;
}

/**
 * Why writing these values broke a foreign key of the row's own table: which referenced rows do not exist.
 * `values` is the row as it would be after the write; `changed`, the columns the write sets.
 */
export function missingParents(engine: Engine, schema: TableSchema, values: RowValues, changed: readonly string[] = Object.keys(values)): string | undefined {
  const parts: string[] = [];
  for (const fk of schema.foreignKeys) {
    // SQLite checks a child's key only when the write sets it: an old dangling reference is not this write's fault.
    if (!fk.columns.some((c) => changed.includes(c))) continue;
    const own = fk.columns.map((c) => values[c]);
    if (own.some((v) => v === undefined || v === null)) continue;
    const where = fk.referencedColumns.map((c) => `${q(c)} = ?`).join(' AND ');
    const found = engine.all(`SELECT 1 FROM ${q(fk.references.name)} WHERE ${where} LIMIT 1`, own.map((v) => bindable(v as CellValue))).rows.length > 0;
    if (!found) parts.push(`"${fk.references.name}" has no row with ${fk.referencedColumns.map((c, i) => `${c} = ${shown(own[i] as CellValue)}`).join(', ')} (${fk.columns.join(', ')})`);
  }
  return parts.length > 0 ? `${parts.join('; ')}.` : undefined;
}

function shown(value: CellValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** SQLite's bare message with the detail appended when one was found. */
export function withDetail(message: string, detail: string | undefined): string {
  return detail ? `${message}: ${detail}` : message;
}
