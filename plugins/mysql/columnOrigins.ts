// The columns of a query reference (queryReads.ts): described from the prepared statement's result metadata, without
// running it. A column that is a plain copy of a stored table's column gets that column's schema and its `origin`.
import { uniqueColumnNames } from '../kit/sql/queryColumns';
import type { ColumnKind, ColumnSchema, TableSchema } from '../../api';
import type { MysqlTables } from './tableOperations';
import type { ResultField, Runner } from './runner';

// Protocol flags (include/mysql_com.h).
const NOT_NULL_FLAG = 1;
const UNSIGNED_FLAG = 32;
const ENUM_FLAG = 256;
const SET_FLAG = 2048;
const BINARY_CHARSET = 63;

/** Protocol type → [kind, declared type] for a column that is not a table column (an expression, a view's column). */
const BY_TYPE: Record<number, [ColumnKind, string]> = {
  0: ['decimal', 'decimal'],
  1: ['integer', 'tinyint'],
  2: ['integer', 'smallint'],
  3: ['integer', 'int'],
  4: ['float', 'float'],
  5: ['float', 'double'],
  7: ['datetime', 'timestamp'],
  8: ['integer', 'bigint'],
  9: ['integer', 'mediumint'],
  10: ['date', 'date'],
  11: ['time', 'time'],
  12: ['datetime', 'datetime'],
  13: ['integer', 'year'],
  16: ['integer', 'bit'],
  245: ['json', 'json'],
  246: ['decimal', 'decimal'],
  247: ['enum', 'enum'],
  248: ['set', 'set'],
  255: ['blob', 'geometry'],
};

const flagsOf = (field: ResultField): number => (typeof field.flags === 'number' ? field.flags : 0);

/** A column described only by its result metadata. */
export function fieldColumn(field: ResultField, name: string): ColumnSchema {
  const flags = flagsOf(field);
  const type = field.columnType ?? -1;
  let [kind, declaredType] = BY_TYPE[type] ?? (field.characterSet === BINARY_CHARSET ? ['blob', 'varbinary'] : ['text', 'varchar']);
  if (flags & ENUM_FLAG) [kind, declaredType] = ['enum', 'enum'];
  else if (flags & SET_FLAG) [kind, declaredType] = ['set', 'set'];
  else if (type === 1 && field.columnLength === 1) [kind, declaredType] = ['boolean', 'tinyint(1)'];
  if (kind === 'integer' && flags & UNSIGNED_FLAG) declaredType += ' unsigned';
  if (kind === 'decimal' && field.columnLength !== undefined) {
    const scale = Number(field.decimals);
    const digits = field.columnLength - (scale > 0 ? 1 : 0) - (flags & UNSIGNED_FLAG ? 0 : 1);
    declaredType = `decimal(${digits},${scale})`;
    return { name, declaredType, kind, nullable: !(flags & NOT_NULL_FLAG), readOnly: true, precision: digits, scale };
  }
  return { name, declaredType, kind, nullable: !(flags & NOT_NULL_FLAG), readOnly: true };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `text` names a derived table (`(…) AS name`) or a common table expression (`WITH name AS (…)`) `name`.
 * MariaDB reports such a name as a column's orgTable exactly as it does a stored table's: a derived table aliased
 * like a stored table would otherwise pass for it. Erring towards yes only costs the result its editability.
 */
export function namesDerivedTable(text: string, name: string): boolean {
  const id = `\`?${escapeRegExp(name)}\`?(?![\\w$])`;
  return new RegExp(`\\)\\s*(?:AS\\s+)?${id}`, 'i').test(text) || new RegExp(`(?:WITH(?:\\s+RECURSIVE)?|,)\\s*${id}\\s*(?:\\([^)]*\\)\\s*)?AS\\s*\\(`, 'i').test(text);
}

/**
 * The result's columns in order. MariaDB reports `orgTable`/`orgName` for a view's columns and a derived table's
 * too (naming the view or the derived table's alias), so an origin is set only when it names a column of a stored
 * base table, as the catalogue says; anything else (an expression, a view, an unreadable table) has none.
 */
export async function describeColumns(runner: Runner, tables: MysqlTables, fields: readonly ResultField[], text: string): Promise<ColumnSchema[]> {
  const names = uniqueColumnNames(fields.map((f) => f.name));
  const bases = new Map<string, TableSchema | undefined>();
  const baseOf = async (database: string, table: string): Promise<TableSchema | undefined> => {
    const id = JSON.stringify([database, table]);
    if (!bases.has(id)) {
      try {
        const { schema } = await tables.details(runner, { schema: database, name: table });
        bases.set(id, schema.kind === 'table' ? schema : undefined);
      } catch {
        bases.set(id, undefined);
      }
    }
    return bases.get(id);
  };
  const columns: ColumnSchema[] = [];
  for (const [i, field] of fields.entries()) {
    const own = fieldColumn(field, names[i]);
    const plain = field.schema && field.orgTable && field.orgName && !namesDerivedTable(text, field.orgTable);
    const base = plain ? await baseOf(field.schema!, field.orgTable!) : undefined;
    const stored = base?.columns.find((c) => c.name.toLowerCase() === field.orgName!.toLowerCase());
    if (!base || !stored) {
      columns.push(own);
      continue;
    }
    // The stored column's type, as a table read gives it; nullable as the result says (an outer join adds NULLs).
    const { primaryKeyPosition: _pk, autoIncrement: _ai, generated: _g, defaultValue: _d, readOnly: _r, comment: _c, ...copy } = stored;
    columns.push({ ...copy, name: names[i], nullable: own.nullable || stored.nullable, origin: { table: base.table, column: stored.name } });
  }
  return columns;
}
