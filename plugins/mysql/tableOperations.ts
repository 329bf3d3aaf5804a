import type {
  AggregateRequest,
  AggregateResult,
  CellValue,
  ColumnSchema,
  CountRequest,
  ReadRowsRequest,
  RowChange,
  RowCount,
  RowKey,
  RowPage,
  RowValues,
  StatementPreview,
  TableInfo,
  TableRef,
  TableSchema,
} from '../../api';
import { EngineFallbacks, withFallback } from '../kit/engineFallback';
import { datasourceError } from '../kit/errors';
import { narrowBigint } from '../kit/numbers';
import { mysqlDialect } from '../kit/sql/dialect';
import { SqlBuilder, type Statement } from '../kit/sql/queryBuilder';
import { keyWindowSample, ProbeCache, runStatementsAsync, sampleTarget } from '../kit/sql/sampling';
import { listTables, readSchema, type TableDetails } from './introspection';
import { mysqlMissingFeature, mysqlUnsupported } from './missingFeature';
import { withColumn } from './mysqlErrors';
import type { Runner, ServerInfo } from './runner';
import { convertsValues, fromColumn, isSpatial } from './typeKinds';

/**
 * How a column is compared, so that the comparisons of filters and conflict checks agree with its values. ENUM and
 * SET compare with text as text (never by their internal numbers), so they are compared as text. MySQL's JSON type
 * compares with a text value as a JSON string, never equal to the document, so it is compared as its text
 * (MariaDB's JSON is text already).
 */
function comparable(server: ServerInfo, column: ColumnSchema, quoted: string): string {
  if (column.kind === 'enum' || column.kind === 'set') return `CAST(${quoted} AS CHAR)`;
  if (column.kind === 'json' && !server.mariadb && /^json$/i.test(column.declaredType)) return `CAST(${quoted} AS CHAR)`;
  return quoted;
}

/**
 * An ENUM sorts by its labels' declared positions (ORDER BY rating puts NC-17 after R), but `rating > 'PG'`
 * compares text. Sorts, keyset seeks and range filters therefore use the position in numeric context (`+0`), and a
 * label given to a range filter becomes its position.
 */
function position(column: ColumnSchema, quoted: string): { expr: string; of(value: CellValue): CellValue } | undefined {
  if (column.kind !== 'enum') return undefined;
  const labels = column.enumValues ?? [];
  return {
    expr: `(${quoted}+0)`,
    of(value) {
      const at = labels.indexOf(String(value));
      if (typeof value !== 'string' || at < 0) throw datasourceError('invalid_value', `"${String(value)}" is not one of the values of ${column.name} (${labels.join(', ')}).`);
      return at + 1;
    },
  };
}

/** The server's default max_sort_length: string sort keys beyond it are cut off. */
const SORTED_BYTES = 1024;

/**
 * Breaks ties of relations without a row key. Text sorts under its collation (which may call 'a', 'A', 'é' and 'a '
 * equal) and only by its first max_sort_length bytes, as do BLOBs, so two different values could tie. Short
 * CHAR/VARCHAR values are compared as their bytes; longer text, JSON and BLOBs by their MD5, which no two different
 * values share (arbitrary but fixed, all a tiebreaker needs; hashing every value made a page of a 100k-row table
 * five times slower than comparing bytes). Numbers, dates, times, ENUM and SET compare exactly as they are.
 */
function tieBreaker(column: ColumnSchema, quoted: string): string {
  if (['integer', 'decimal', 'float', 'boolean', 'date', 'datetime', 'time', 'enum', 'set'].includes(column.kind)) return quoted;
  const fits = column.maxLength !== undefined && column.maxLength * 4 <= SORTED_BYTES;
  if (fits && column.kind === 'text' && /^(var)?char\b/i.test(column.declaredType)) return `CAST(${quoted} AS BINARY)`;
  if (fits && column.kind === 'blob' && /^(var)?binary\b/i.test(column.declaredType)) return quoted;
  return `MD5(${quoted})`;
}

/** Called around each write of a transaction, so the session can tell which engines were written. */
export interface WriteHooks {
  beforeWrite?(details: TableDetails): void;
  afterWrite?(details: TableDetails): void;
}

/**
 * Everything a MySQL session does to tables, on whatever connection it is given. Statements come from the SQL kit
 * (bound values, backtick-quoted identifiers, keyset paging); this class adds the catalog, value conversion and the
 * conflict checks of the write contract.
 */
export class MysqlTables {
  /** Rows found in sample windows, so a chart's extent and groups probe a table once (sampling.ts). */
  private readonly probes = new ProbeCache();
  readonly sql: SqlBuilder;
  private readonly cache = new Map<string, TableDetails>();
  /** Catalogue tables and statement forms this server lacks (TiDB, Vitess…): their fallbacks. */
  readonly fallbacks = new EngineFallbacks();

  constructor(
    private readonly server: ServerInfo,
    private readonly defaultDatabase: string | undefined,
  ) {
    this.sql = new SqlBuilder(mysqlDialect, { comparable: (column, quoted) => comparable(server, column, quoted), position, tieBreaker });
  }

  database(table: TableRef): string {
    const database = table.schema ?? this.defaultDatabase;
    if (!database) throw datasourceError('invalid_value', `Table "${table.name}" names no database, and this connection has no default database.`);
    return database;
  }

  /** The table's catalog entry, read once and kept until getSchema reads it again or a statement finds it stale. */
  async details(runner: Runner, table: TableRef, options: { refresh?: boolean } = {}): Promise<TableDetails> {
    const database = this.database(table);
    const id = JSON.stringify([database, table.name]);
    let details = options.refresh ? undefined : this.cache.get(id);
    if (!details) {
      details = await readSchema(runner, this.server, table, database, this.fallbacks);
      this.cache.set(id, details);
    }
    return details;
  }

  forget(table?: TableRef): void {
    if (!table) this.cache.clear();
    else this.cache.delete(JSON.stringify([table.schema ?? this.defaultDatabase ?? '', table.name]));
  }

  listTables(runner: Runner): Promise<TableInfo[]> {
    return listTables(runner);
  }

  async getSchema(runner: Runner, table: TableRef): Promise<TableSchema> {
    return (await this.details(runner, table, { refresh: true })).schema;
  }

  async readRows(runner: Runner, table: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    const { schema } = await this.details(runner, table);
    const { signal: _signal, ...rest } = request;
    const page = this.sql.selectPage(schema, rest);
    const raw = await runner.query(page.sql, page.params, { spatial: schema.columns.some((c) => isSpatial(c.declaredType.split(/[\s(]/)[0])) });
    // Row values and keys get their column's conversion; extra ordering columns stay as bound, for the cursor (an
    // ordering value read from the row's own column is that converted value, which binds the same way).
    const keyColumns = (schema.rowKey?.columns ?? []).map((name) => schema.columns.find((c) => c.name === name));
    const width = schema.columns.length;
    const converting: [number, ColumnSchema][] = schema.columns.map((column, i) => [i, column]);
    page.keyIndexes.forEach((at, k) => {
      const column = keyColumns[k];
      if (at >= width && column) converting.push([at, column]);
    });
    const active = converting.filter(([, column]) => convertsValues(column));
    // In place and only where a value can change: a copy of every row was a measurable part of a 10,000-row page.
    for (const row of raw) for (const [at, column] of active) row[at] = fromColumn(column, row[at]);
    return this.sql.shapePage(schema, page, raw, request.limit);
  }

  async countRows(runner: Runner, table: TableRef, request: CountRequest = {}): Promise<RowCount> {
    const details = await this.details(runner, table);
    const { signal: _signal, ...rest } = request;
    const unfiltered = (rest.filters ?? []).length === 0 && !(rest.search && rest.search.text !== '');
    // InnoDB keeps no row count: statistics give an estimate for free. MyISAM and Aria know the exact count.
    if (rest.estimate && unfiltered && details.schema.kind === 'table' && !details.exactRowCount) {
      // No statistics: the capped count below.
      const [row] = await withFallback(
        'table statistics',
        () => runner.query('SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [details.database, details.schema.table.name]),
        () => [],
        { isMissing: mysqlMissingFeature, fallbacks: this.fallbacks },
      );
      if (row && row[0] !== null) return { count: Number(row[0]), exact: false };
    }
    // A cap only saves work where counting is work.
    const cap = details.exactRowCount && unfiltered ? undefined : rest.cap;
    const statement = this.sql.count(details.schema, { ...rest, ...(cap === undefined ? { cap: undefined } : {}) });
    const [row] = await runner.query(statement.sql, statement.params);
    const count = Number(row?.[0] ?? 0);
    if (cap !== undefined && count > cap) return { count: cap, exact: false, capped: true };
    return { count, exact: true };
  }

  async aggregate(runner: Runner, table: TableRef, request: AggregateRequest): Promise<AggregateResult> {
    const { schema } = await this.details(runner, table);
    const { signal: _signal, ...rest } = request;
    const groups = rest.groupBy.map((g) => (g.bin || g.timeUnit ? undefined : schema.columns.find((c) => c.name === g.column)));
    // COUNT() is BIGINT: counts become numbers, like every aggregate that fits a double exactly. SUM and AVG of
    // exact columns stay decimal strings.
    const shape = (rows: CellValue[][]) =>
      rows.map((row) =>
        row.map((value, i) => {
          const group = groups[i];
          if (group) return fromColumn(group, value);
          return narrowBigint(value);
        }),
      );
    const target = sampleTarget(rest);
    const key = target === undefined ? undefined : this.sampleKey(schema);
    if (target !== undefined && key) {
      // STRAIGHT_JOIN: the window numbers are the outer loop, each window a range read of the clustered index.
      const steps = keyWindowSample(this.sql, schema, rest, { keyExpr: key, keyName: 'key', join: 'STRAIGHT_JOIN', target, maxWindows: 1_000, probes: this.probes }, shape);
      // An engine that cannot run the window join (Vitess on a sharded keyspace: "VT12001: unsupported") answers exactly.
      const sampled = await withFallback('key-window sample', () => runStatementsAsync(steps, (st) => runner.query(st.sql, st.params)), () => undefined, {
        isMissing: mysqlUnsupported,
        fallbacks: this.fallbacks,
      });
      if (sampled) return sampled;
    }
    const statement = this.sql.aggregate(schema, rest);
    const rows = await runner.query(statement.sql, statement.params);
    return { columns: statement.columns, rows: shape(rows.slice(0, statement.limit)), ...(rows.length > statement.limit ? { truncated: true } : {}) };
  }

  /** A single integer primary key, whose ranges InnoDB reads from the clustered index; other tables answer exactly. */
  private sampleKey(schema: TableSchema): string | undefined {
    if (schema.kind !== 'table' || schema.primaryKey.length !== 1) return undefined;
    const column = schema.columns.find((c) => c.name === schema.primaryKey[0]);
    return column?.kind === 'integer' ? mysqlDialect.quoteIdentifier(column.name) : undefined;
  }

  async previewChanges(runner: Runner, table: TableRef, changes: RowChange[]): Promise<StatementPreview[]> {
    const { schema } = await this.details(runner, table);
    return changes.map((change) => {
      const statement = this.statementFor(schema, change);
      return { text: statement.sql, params: statement.params };
    });
  }

  async insertRow(runner: Runner, table: TableRef, values: RowValues, hooks: WriteHooks = {}): Promise<{ key: RowKey | null; row?: RowValues }> {
    const details = await this.details(runner, table);
    const schema = details.schema;
    const statement = this.statementFor(schema, { kind: 'insert', values });
    hooks.beforeWrite?.(details);
    const { insertId } = await this.write(runner, details, statement);
    hooks.afterWrite?.(details);
    const keys = schema.rowKey?.columns ?? [];
    if (keys.length === 0) return { key: null };
    const key: RowKey = {};
    for (const name of keys) {
      const column = schema.columns.find((c) => c.name === name);
      if (name in values) key[name] = values[name];
      else if (column?.autoIncrement && insertId > 0n) key[name] = /^bigint/i.test(column.declaredType) ? insertId : Number(insertId);
      else return { key: null };
    }
    const row = await this.rowByKey(runner, schema, key);
    if (!row) return { key };
    // The stored key, as the server normalised it (e.g. '7' into an INT column).
    return { key: Object.fromEntries(keys.map((k) => [k, row[k]])), row };
  }

  async updateRow(runner: Runner, table: TableRef, key: RowKey, changes: RowValues, expected: RowValues, hooks: WriteHooks = {}): Promise<{ row?: RowValues }> {
    const details = await this.details(runner, table);
    const schema = details.schema;
    const statement = this.sql.update(schema, key, changes, expected);
    hooks.beforeWrite?.(details);
    const { affectedRows } = await this.write(runner, details, statement);
    if (affectedRows !== 1) await this.conflict(runner, schema, key, affectedRows);
    hooks.afterWrite?.(details);
    const after = Object.fromEntries((schema.rowKey?.columns ?? []).map((k) => [k, k in changes ? changes[k] : key[k]]));
    const row = await this.rowByKey(runner, schema, after);
    return row ? { row } : {};
  }

  async deleteRow(runner: Runner, table: TableRef, key: RowKey, expected: RowValues, hooks: WriteHooks = {}): Promise<void> {
    const details = await this.details(runner, table);
    const schema = details.schema;
    const statement = this.sql.delete(schema, key, expected);
    hooks.beforeWrite?.(details);
    const { affectedRows } = await this.write(runner, details, statement);
    if (affectedRows !== 1) await this.conflict(runner, schema, key, affectedRows);
    hooks.afterWrite?.(details);
  }

  /** Runs a write; a constraint or value error names its column once the table is known. */
  private async write(runner: Runner, details: TableDetails, statement: Statement): Promise<{ affectedRows: number; insertId: bigint }> {
    try {
      return await runner.write(statement.sql, statement.params);
    } catch (error) {
      throw withColumn(error, { columns: details.schema.columns.map((c) => c.name), keyColumns: (name) => details.indexes.get(name) });
    }
  }

  /** The kit's statement, except that MySQL spells an insert of nothing but defaults `() VALUES ()`. */
  statementFor(schema: TableSchema, change: RowChange): Statement {
    const statement = this.sql.statementFor(schema, change);
    if (change.kind === 'insert' && statement.params.length === 0 && statement.sql.endsWith(' DEFAULT VALUES')) {
      return { sql: `${statement.sql.slice(0, -' DEFAULT VALUES'.length)} () VALUES ()`, params: [] };
    }
    return statement;
  }

  /**
   * The row as stored now. Writes run in a transaction, so this is a locking read: it sees the latest committed
   * version, not the transaction's snapshot, and keeps the row from changing until the save ends.
   */
  private async rowByKey(runner: Runner, schema: TableSchema, key: RowKey): Promise<RowValues | undefined> {
    const statement = this.sql.selectByKey(schema, key);
    const [row] = await runner.query(`${statement.sql} FOR UPDATE`, statement.params);
    return row ? Object.fromEntries(schema.columns.map((c, i) => [c.name, fromColumn(c, row[i])])) : undefined;
  }

  private async conflict(runner: Runner, schema: TableSchema, key: RowKey, matched: number): Promise<never> {
    if (matched > 1) throw datasourceError('conflict', `The row key matched ${matched} rows; nothing was changed.`);
    const current = (await this.rowByKey(runner, schema, key)) ?? null;
    throw datasourceError(
      'conflict',
      current
        ? 'This row was changed by someone else since it was read; nothing was written. Review the current values and reapply your edit.'
        : 'This row was deleted by someone else since it was read; nothing was written.',
      { current },
    );
  }
}

