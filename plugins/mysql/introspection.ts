import type { CellValue, ColumnSchema, ForeignKey, TableInfo, TableKind, TableRef, TableSchema } from '../../api';
import { EngineFallbacks, withFallback } from '../kit/engineFallback';
import { datasourceError } from '../kit/errors';
import { mysqlDialect } from '../kit/sql/dialect';
import { mysqlMissingFeature } from './missingFeature';
import type { Runner, ServerInfo } from './runner';
import { columnKind, enumValues, isSpatial } from './typeKinds';

// Reads the catalog from information_schema with the database and table names as bound values, so even a table
// called `x`; drop table y; --` is only ever a value here.

export const SYSTEM_DATABASES = ['information_schema', 'mysql', 'performance_schema', 'sys'];

/** A table's schema plus what the session needs and views do not see. */
export interface TableDetails {
  schema: TableSchema;
  database: string;
  /** Storage engine, e.g. InnoDB or MyISAM; absent for views. */
  engine?: string;
  /** Whether the engine can roll back (information_schema.ENGINES.TRANSACTIONS). */
  transactional: boolean;
  /** Whether an exact count is cheap (MyISAM/Aria keep it) and TABLE_ROWS exact. */
  exactRowCount: boolean;
  /** Unique and primary index names and their columns, for duplicate-key messages. */
  indexes: Map<string, string[]>;
}

const str = (v: CellValue): string => (v === null ? '' : typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v));
const num = (v: CellValue): number | undefined => (v === null ? undefined : Number(v));

/** Engines whose TABLE_ROWS is the exact row count and whose COUNT(*) is free. */
const EXACT_COUNT_ENGINES = new Set(['MYISAM', 'ARIA', 'MEMORY', 'MRG_MYISAM', 'HEAP']);
/** Engines that cannot roll back, for servers whose information_schema.ENGINES cannot be joined (Vitess). */
const NON_TRANSACTIONAL_ENGINES = new Set([...EXACT_COUNT_ENGINES, 'CSV', 'ARCHIVE', 'BLACKHOLE', 'FEDERATED']);

function tableKind(type: string): TableKind {
  return type === 'VIEW' || type === 'SYSTEM VIEW' ? 'view' : 'table';
}

export async function listTables(runner: Runner): Promise<TableInfo[]> {
  const rows = await runner.query(
    `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN (${SYSTEM_DATABASES.map(() => '?').join(', ')}) ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    SYSTEM_DATABASES,
  );
  return rows.map(([database, name, type, engine, tableRows, comment]) => {
    const kind = tableKind(str(type));
    const info: TableInfo = { ref: { schema: str(database), name: str(name) }, kind };
    const count = num(tableRows);
    if (kind === 'table' && count !== undefined && Number.isFinite(count)) info.rowCount = { count, exact: EXACT_COUNT_ENGINES.has(str(engine).toUpperCase()) };
    const text = str(comment);
    if (text && kind !== 'view') info.comment = text;
    return info;
  });
}

export async function readSchema(runner: Runner, server: ServerInfo, table: TableRef, database: string, fallbacks = new EngineFallbacks()): Promise<TableDetails> {
  const options = { isMissing: mysqlMissingFeature, fallbacks };
  // Vitess has refused joins of information_schema tables ("unsupported: cross-shard left join"): then whether the
  // engine rolls back is known from its name.
  const [entry] = await withFallback(
    'engine catalogue',
    () =>
      runner.query(
        'SELECT t.TABLE_TYPE, t.ENGINE, t.TABLE_COMMENT, e.TRANSACTIONS FROM information_schema.TABLES t LEFT JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?',
        [database, table.name],
      ),
    async () =>
      (await runner.query('SELECT TABLE_TYPE, ENGINE, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [database, table.name])).map((row) => [
        ...row,
        row[1] === null || NON_TRANSACTIONAL_ENGINES.has(str(row[1]).toUpperCase()) ? 'NO' : 'YES',
      ]),
    options,
  );
  if (!entry) throw datasourceError('not_found', `Table ${database}.${table.name} does not exist (it may have been dropped, or this user cannot see it).`);
  const [tableType, engineValue, tableComment, transactions] = entry;
  const kind = tableKind(str(tableType));
  const engine = engineValue === null ? undefined : str(engineValue);

  const columnRows = await runner.query(
    `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, ${server.mariadb ? 'IS_GENERATED' : "''"} FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [database, table.name],
  );
  if (columnRows.length === 0) {
    // The catalogue lists no columns for a view whose table or column was dropped: asking the view itself gets the
    // server's own explanation (error 1356), rather than a statement with an empty column list failing to parse.
    const q = mysqlDialect.quoteIdentifier;
    await runner.query(`SELECT * FROM ${q(database)}.${q(table.name)} LIMIT 0`, []);
    throw datasourceError('not_found', `${database}.${table.name} has no columns this user can see.`);
  }
  // MariaDB's JSON is LONGTEXT with a CHECK (json_valid(`column`)) named after the column.
  const jsonColumns = new Set<string>();
  if (server.mariadb && columnRows.some((r) => str(r[1]).toLowerCase() === 'longtext')) {
    // Without CHECK_CONSTRAINTS (MariaDB before 10.3.10) such a column is shown as the text it is stored as.
    const checks = await withFallback(
      'check constraints',
      () => runner.query('SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?', [database, table.name]),
      () => [],
      options,
    );
    for (const [name, clause] of checks) {
      const match = /^\s*json_valid\s*\(\s*`((?:[^`]|``)+)`\s*\)\s*$/i.exec(str(clause));
      if (match && match[1].replace(/``/g, '`') === str(name)) jsonColumns.add(str(name));
    }
  }

  const columns: ColumnSchema[] = columnRows.map(([name, dataType, columnType, nullable, defaultValue, extra, comment, maxLength, precision, scale, isGenerated]) => {
    const info = { dataType: str(dataType), columnType: str(columnType), isJson: jsonColumns.has(str(name)) };
    const column: ColumnSchema = { name: str(name), declaredType: info.columnType, kind: columnKind(info), nullable: str(nullable) === 'YES' };
    const extras = str(extra);
    if (defaultValue !== null) column.defaultValue = defaultText(server, column, str(defaultValue), extras);
    if (/auto_increment/i.test(extras)) column.autoIncrement = true;
    if (/\bGENERATED\b|ROW START|ROW END/i.test(extras) || str(isGenerated) === 'ALWAYS') {
      column.generated = true;
      column.readOnly = true;
    }
    if (isSpatial(info.dataType)) column.readOnly = true;
    if (column.kind === 'enum' || column.kind === 'set') {
      const values = enumValues(info.columnType);
      if (values) column.enumValues = values;
    }
    if (column.kind === 'decimal') {
      const p = num(precision);
      const s = num(scale);
      if (p !== undefined) column.precision = p;
      if (s !== undefined) column.scale = s;
    }
    const length = num(maxLength);
    if (length !== undefined && (column.kind === 'text' || column.kind === 'blob') && Number.isSafeInteger(length)) column.maxLength = length;
    const note = str(comment);
    if (note) column.comment = note;
    return column;
  });

  // Primary and unique indexes, in key order. A functional index part has no column name and cannot address rows.
  const indexes = new Map<string, string[]>();
  const broken = new Set<string>();
  for (const [indexName, , columnName] of await runner.query(
    'SELECT INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX',
    [database, table.name],
  )) {
    const key = str(indexName);
    if (columnName === null) broken.add(key);
    indexes.set(key, [...(indexes.get(key) ?? []), str(columnName)]);
  }
  for (const key of broken) indexes.delete(key);
  const primaryKey = indexes.get('PRIMARY') ?? [];
  primaryKey.forEach((name, i) => {
    const column = columns.find((c) => c.name === name);
    if (column) column.primaryKeyPosition = i + 1;
  });
  const uniqueKeys = [...indexes.entries()].filter(([name]) => name !== 'PRIMARY').map(([, cols]) => cols);

  const byConstraint = new Map<string, ForeignKey>();
  // Without the catalogue's foreign keys the form only lacks its links.
  const references = await withFallback(
    'foreign keys',
    () =>
      runner.query(
        'SELECT CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION',
        [database, table.name],
      ),
    () => [],
    options,
  );
  for (const [constraint, columnName, refSchema, refTable, refColumn] of references) {
    const fk = byConstraint.get(str(constraint)) ?? { columns: [], references: { schema: str(refSchema), name: str(refTable) }, referencedColumns: [] };
    fk.columns.push(str(columnName));
    fk.referencedColumns.push(str(refColumn));
    byConstraint.set(str(constraint), fk);
  }

  const schema: TableSchema = {
    table: { schema: database, name: table.name },
    kind,
    columns,
    primaryKey,
    uniqueKeys,
    foreignKeys: [...byConstraint.values()],
  };
  const note = str(tableComment);
  if (note && kind !== 'view') schema.comment = note;

  if (kind === 'view') {
    schema.readOnlyReason = 'This is a view: Nocoflo cannot tell which table row a view row comes from, so it opens read-only.';
  } else if (str(tableType) === 'SEQUENCE') {
    schema.readOnlyReason = 'This is a sequence: change it with SETVAL or ALTER SEQUENCE, not by editing its row.';
  } else if (primaryKey.length > 0) {
    schema.rowKey = { columns: primaryKey };
  } else {
    // A unique key over NOT NULL columns identifies rows as well as a primary key does (InnoDB even uses it as one).
    const notNull = (name: string) => columns.find((c) => c.name === name)?.nullable === false;
    const candidate = uniqueKeys.filter((cols) => cols.every(notNull)).sort((a, b) => a.length - b.length)[0];
    if (candidate) schema.rowKey = { columns: candidate };
    else schema.readOnlyReason = 'This table has no primary key and no unique key over NOT NULL columns, so Nocoflo cannot be sure an edit reaches only the row you see. It opens read-only; add a PRIMARY KEY to edit it.';
  }

  return {
    schema,
    database,
    ...(engine !== undefined ? { engine } : {}),
    transactional: kind === 'view' || str(transactions) === 'YES',
    exactRowCount: engine !== undefined && EXACT_COUNT_ENGINES.has(engine.toUpperCase()),
    indexes,
  };
}

/**
 * The default as an SQL expression. MariaDB (10.2.7+) reports expressions already ('text' quoted, NULL as NULL);
 * MySQL reports a literal's bare value and marks expressions DEFAULT_GENERATED.
 */
function defaultText(server: ServerInfo, column: ColumnSchema, value: string, extra: string): string {
  if (server.mariadb) return value;
  if (/DEFAULT_GENERATED/i.test(extra) || /^CURRENT_TIMESTAMP/i.test(value)) return value;
  if (['integer', 'float', 'decimal', 'boolean'].includes(column.kind) && /^-?[\d.e+-]+$/i.test(value)) return value;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
