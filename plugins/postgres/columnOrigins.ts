import type { CellValue, TableRef } from '../../api';
import type { ResultField, Runner } from './tableOperations';

type Origin = { table: TableRef; column: string };

/**
 * The stored column each result column is a plain copy of, from the RowDescription's table OID and attribute
 * number (PostgreSQL follows views, subqueries and CTEs back to the relation named in FROM: a view's column names
 * the view). Names are looked up once per session: OIDs are stable while a table lives; a renamed column keeps its
 * old name here until the datasource is reconnected.
 */
export class ColumnOrigins {
  private readonly known = new Map<string, Origin | null>();

  async of(runner: Runner, fields: readonly ResultField[]): Promise<(Origin | undefined)[]> {
    const key = (f: ResultField) => `${f.tableID}.${f.columnID}`;
    const missing = fields.filter((f) => f.tableID > 0 && f.columnID > 0 && !this.known.has(key(f)));
    if (missing.length > 0) {
      const { rows } = await runner.query(
        `SELECT a.attrelid::int8, a.attnum::int4, n.nspname, c.relname, a.attname
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped`,
        [[...new Set(missing.map((f) => f.tableID))] as unknown as CellValue],
      );
      for (const [table, column, schema, name, attname] of rows) {
        this.known.set(`${Number(table)}.${Number(column)}`, { table: { schema: String(schema), name: String(name) }, column: String(attname) });
      }
      for (const f of missing) if (!this.known.has(key(f))) this.known.set(key(f), null);
    }
    return fields.map((f) => this.known.get(key(f)) ?? undefined);
  }
}
