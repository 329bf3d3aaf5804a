import type {
  AggregateRequest,
  AggregateResult,
  CellValue,
  CountRequest,
  ExecuteOptions,
  ExecuteResult,
  QueryText,
  ReadRowsRequest,
  RowCount,
  RowKey,
  RowPage,
  RowChange,
  RowValues,
  StatementPreview,
  TableInfo,
  TableRef,
  TableSchema,
} from '../../api';
import { datasourceError } from '../kit/errors';
import { sqliteDialect } from '../kit/sql/dialect';
import { SqlBuilder } from '../kit/sql/queryBuilder';
import { keyWindowSample, runStatements, sampleTarget, ProbeCache } from '../kit/sql/sampling';
import { aggregateInChunks, type ChunkSource } from './chunkedAggregate';
import { normalize, type Engine } from './engine';
import { foreignKeyNotices } from './foreignKeyCheck';
import { deleteBlockedBy, missingParents, withDetail } from './foreignKeyDetail';
import { listTables, readSchema } from './introspection';
import { executeStatement } from './queryExecute';
import { SqliteQueries } from './queryReads';
import { fromSqliteError } from './sqliteErrors';

/** Key spans above this are aggregated exactly in chunks: one statement over them could hold the worker for seconds. */
const CHUNK_ABOVE_SPAN = 1_000_000;

/** Everything a SQLite session does, run inside the worker next to the engine (one message per operation). */
export class SqliteTables {
  // Without a row key (views) every column breaks ties; under BINARY two values tie only when they are the same
  // (a column declared COLLATE NOCASE or RTRIM would call 'a', 'A' and 'a ' equal).
  private readonly sql = new SqlBuilder(sqliteDialect, { tieBreaker: (_column, quoted) => `${quoted} COLLATE BINARY` });
  private readonly schemas = new Map<string, TableSchema>();
  /** Rows found in sample windows, so a chart's extent and groups probe a table once (sampling.ts). */
  private readonly probes = new ProbeCache();
  private schemaVersion: unknown;
  private transactionOpen = false;
  private readonly queries: SqliteQueries;

  constructor(private readonly engine: Engine) {
    this.queries = new SqliteQueries(engine, this.sql);
  }

  listTables(): TableInfo[] {
    return this.guard(() => {
      this.refresh();
      return listTables(this.engine);
    });
  }

  getSchema(table: TableRef): TableSchema {
    return this.guard(() => {
      this.refresh();
      if (table.query) return this.queries.getSchema(table);
      const schema = this.schema(table);
      // Checked on each getSchema (a tab opening or refreshing), not kept with the cached schema: the rows change.
      const notices = foreignKeyNotices(this.engine, schema);
      return notices.length > 0 ? { ...schema, notices: [...(schema.notices ?? []), ...notices] } : schema;
    });
  }

  readRows(table: TableRef, request: ReadRowsRequest): RowPage {
    return this.guard(() => {
      this.refresh();
      if (table.query) return this.queries.readRows(table, request);
      const schema = this.schema(table);
      const page = this.sql.selectPage(schema, request);
      const { rows } = this.engine.all(page.sql, page.params);
      return this.sql.shapePage(schema, page, rows, request.limit);
    });
  }

  countRows(table: TableRef, request: CountRequest = {}): RowCount {
    return this.guard(() => {
      this.refresh();
      if (table.query) return this.queries.countRows(table, request);
      const schema = this.schema(table);
      const statement = this.sql.count(schema, request);
      const count = Number(this.engine.all(statement.sql, statement.params).rows[0]?.[0] ?? 0);
      if (request.cap !== undefined && count > request.cap) return { count: request.cap, exact: false, capped: true };
      return { count, exact: true };
    });
  }

  /** Exact aggregates of big tables run in chunks and answer asynchronously (see chunkedAggregate.ts). */
  aggregate(table: TableRef, request: AggregateRequest): AggregateResult | Promise<AggregateResult> {
    return this.guard((): AggregateResult | Promise<AggregateResult> => {
      this.refresh();
      if (table.query) return this.queries.aggregate(table, request);
      const schema = this.schema(table);
      const target = sampleTarget(request);
      const key = target === undefined ? undefined : this.sampleKey(schema);
      if (target !== undefined && key) {
        // CROSS JOIN: SQLite keeps the window numbers as the outer loop and seeks each window by rowid.
        const steps = keyWindowSample(this.sql, schema, request, { keyExpr: key.expr, keyName: key.name, join: 'CROSS JOIN', target, probes: this.probes });
        const sampled = runStatements(steps, (st) => this.engine.all(st.sql, st.params).rows);
        if (sampled) return sampled;
      }
      const statement = this.sql.aggregate(schema, request);
      const chunks = this.chunkKey(schema);
      if (chunks) return this.aggregateInChunks(schema, request, statement, chunks);
      return this.aggregateAtOnce(statement);
    });
  }

  private aggregateAtOnce(statement: ReturnType<SqlBuilder['aggregate']>): AggregateResult {
    const { rows } = this.engine.all(statement.sql, statement.params);
    return { columns: statement.columns, rows: rows.slice(0, statement.limit), ...(rows.length > statement.limit ? { truncated: true } : {}) };
  }

  /**
   * The key an exact aggregate is chunked by, with its extent; undefined to run one statement (views, no integer
   * key, a span small enough to be quick, keys beyond 2^53).
   */
  private chunkKey(schema: TableSchema): { expr: string; min: number; max: number } | undefined {
    const key = this.sampleKey(schema);
    if (!key) return undefined;
    const table = this.sql.table(schema.table);
    const [extent] = this.engine.all(`SELECT (SELECT MIN(${key.expr}) FROM ${table}), (SELECT MAX(${key.expr}) FROM ${table})`).rows;
    const [min, max] = extent ?? [];
    if (typeof min !== 'number' || typeof max !== 'number' || !Number.isSafeInteger(min) || !Number.isSafeInteger(max)) return undefined;
    if (max - min + 1 <= CHUNK_ABOVE_SPAN) return undefined;
    // A declared collation (NOCASE, say) changes which texts SQLite groups together and how it orders them; the
    // merge knows only BINARY.
    const ddl = this.engine.all("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", [schema.table.name]).rows[0]?.[0];
    if (typeof ddl !== 'string' || /\bCOLLATE\b/i.test(ddl)) return undefined;
    return { expr: key.expr, min, max };
  }

  private async aggregateInChunks(
    schema: TableSchema,
    request: AggregateRequest,
    statement: ReturnType<SqlBuilder['aggregate']>,
    key: { expr: string; min: number; max: number },
  ): Promise<AggregateResult> {
    const table = this.sql.table(schema.table);
    const source: ChunkSource = {
      aggregate: (chunk, low, high) => {
        const st = this.sql.aggregate(schema, chunk, { where: (params) => `${key.expr} BETWEEN ${params.add(low)} AND ${params.add(high)}` });
        return this.engine.all(st.sql, st.params).rows;
      },
      keyAfter: (after) => {
        const next = this.engine.all(`SELECT ${key.expr} FROM ${table} WHERE ${key.expr} > ? ORDER BY ${key.expr} LIMIT 1`, [after]).rows[0]?.[0];
        return next === undefined || next === null ? undefined : Number(next);
      },
    };
    // One read transaction, so that every chunk sees the same data: node:sqlite reads the live file, which another
    // program may write to between two chunks.
    const own = !this.transactionOpen;
    if (own) this.engine.run('BEGIN');
    try {
      return await aggregateInChunks(request, statement, key, source, request.signal);
    } catch (error) {
      // A chunk's SUM for a mean can overflow 64 bits where AVG over all rows does not; the single statement is
      // the reference either way.
      if (error instanceof Error && /integer overflow/i.test(error.message)) return this.guard(() => this.aggregateAtOnce(statement));
      throw fromSqliteError(error);
    } finally {
      if (own) this.endRead();
    }
  }

  private endRead(): void {
    try {
      this.engine.run('COMMIT');
    } catch {
      // SQLite already ended the transaction (it rolls back by itself after some errors); nothing was written.
    }
  }

  /**
   * The integer key a sample reads ranges of: the rowid (the table's own b-tree) of ordinary tables, the primary
   * key of a WITHOUT ROWID table when it is a single integer. Views have none and are aggregated exactly.
   */
  private sampleKey(schema: TableSchema): { expr: string; name: string } | undefined {
    if (schema.kind !== 'table') return undefined;
    const withoutRowid = this.engine.all("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?", [schema.table.name]).rows[0]?.[0] === 1;
    if (!withoutRowid) {
      const alias = ['rowid', '_rowid_', 'oid'].find((n) => !schema.columns.some((c) => c.name.toLowerCase() === n));
      return alias ? { expr: alias, name: 'rowid' } : undefined;
    }
    const [only, ...more] = schema.primaryKey;
    const column = schema.columns.find((c) => c.name === only);
    return column && more.length === 0 && column.kind === 'integer' ? { expr: sqliteDialect.quoteIdentifier(column.name), name: 'key' } : undefined;
  }

  insertRow(table: TableRef, values: RowValues): { key: RowKey | null; row?: RowValues } {
    return this.write(() => {
      const schema = this.schema(table);
      const statement = this.sql.insert(schema, values);
      const { lastInsertRowid } = this.runExplained(statement, () => missingParents(this.engine, schema, values));
      const key = this.insertedKey(schema, values, lastInsertRowid);
      const row = key ? this.rowByKey(schema, key) : undefined;
      return { key, ...(row ? { row } : {}) };
    });
  }

  updateRow(table: TableRef, key: RowKey, changes: RowValues, expected: RowValues): { row?: RowValues } {
    return this.write(() => {
      const schema = this.schema(table);
      const statement = this.sql.update(schema, key, changes, expected);
      const { changes: count } = this.runExplained(statement, () => missingParents(this.engine, schema, { ...expected, ...changes }, Object.keys(changes)) ?? deleteBlockedBy(this.engine, schema, { ...expected, ...key }, Object.keys(changes)));
      if (count !== 1) this.conflict(schema, key, count);
      const row = this.rowByKey(schema, this.keyAfterUpdate(schema, key, changes));
      return row ? { row } : {};
    });
  }

  deleteRow(table: TableRef, key: RowKey, expected: RowValues): void {
    this.write(() => {
      const schema = this.schema(table);
      const statement = this.sql.delete(schema, key, expected);
      const { changes } = this.runExplained(statement, () => deleteBlockedBy(this.engine, schema, { ...expected, ...key }));
      if (changes !== 1) this.conflict(schema, key, changes);
    });
  }

  previewChanges(table: TableRef, changes: RowChange[]): StatementPreview[] {
    return this.guard(() => {
      this.refresh();
      const schema = this.schema(table);
      return changes.map((change) => {
        const statement = this.sql.statementFor(schema, change);
        return { text: statement.sql, params: statement.params };
      });
    });
  }

  /** Runs one statement the user wrote (see queryExecute.ts); inside an open transaction it joins it. */
  execute(statement: QueryText, options: Omit<ExecuteOptions, 'signal'> = {}): ExecuteResult {
    return this.guard(() => {
      this.refresh();
      const result = executeStatement(this.engine, statement, options, this.transactionOpen);
      // It may have changed the schema: the next read looks again.
      this.schemaVersion = undefined;
      return result;
    });
  }

  begin(): void {
    this.guard(() => {
      if (this.transactionOpen) throw datasourceError('unsupported', 'A transaction is already open on this database.');
      this.engine.refresh();
      this.engine.checkWritable();
      this.engine.begin();
      this.transactionOpen = true;
    });
  }

  commit(): void {
    this.guard(() => {
      this.transactionOpen = false;
      try {
        this.engine.commit();
      } catch (error) {
        // The in-memory state must not keep changes that never reached the file.
        try {
          this.engine.rollback();
        } catch {
          // Already rolled back by COMMIT's failure.
        }
        throw error;
      }
    });
  }

  rollback(): void {
    this.transactionOpen = false;
    this.guard(() => this.engine.rollback());
  }

  close(): void {
    this.engine.close();
  }

  /** Outside a transaction each write is its own transaction: checked, applied, saved. */
  private write<T>(work: () => T): T {
    if (this.transactionOpen) return this.guard(work);
    this.begin();
    try {
      const result = this.guard(work);
      this.commit();
      return result;
    } catch (error) {
      if (this.transactionOpen) this.rollback();
      throw error;
    }
  }

  /** Runs a write; a broken foreign key says which rows it concerns (SQLite's own message names none). */
  private runExplained(statement: { sql: string; params: CellValue[] }, explain: () => string | undefined): ReturnType<Engine['run']> {
    try {
      return this.engine.run(statement.sql, statement.params);
    } catch (error) {
      if (!(error instanceof Error) || !/FOREIGN KEY constraint failed/i.test(error.message)) throw error;
      let detail: string | undefined;
      try {
        detail = explain();
      } catch {
        // The explanation is a courtesy: SQLite's own message still stands.
      }
      throw Object.assign(new Error(withDetail(error.message, detail), { cause: error }), { code: (error as { code?: unknown }).code });
    }
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw fromSqliteError(error);
    }
  }

  private refresh(): void {
    this.engine.refresh();
    const version = this.engine.all('PRAGMA schema_version').rows[0]?.[0];
    if (version !== this.schemaVersion) {
      this.schemas.clear();
      this.queries.clear();
      this.schemaVersion = version;
    }
  }

  private schema(table: TableRef): TableSchema {
    const id = table.name;
    let schema = this.schemas.get(id);
    if (!schema) {
      schema = readSchema(this.engine, table);
      this.schemas.set(id, schema);
    }
    return schema;
  }

  private insertedKey(schema: TableSchema, values: RowValues, rowid: number | bigint): RowKey | null {
    const keys = schema.rowKey?.columns ?? [];
    if (keys.length === 0) return null;
    if (schema.rowKey?.synthetic) return { [keys[0]]: normalize(rowid) };
    // An INTEGER PRIMARY KEY is the rowid: SQLite may have chosen it.
    const pkColumn = schema.columns.find((c) => c.name === keys[0]);
    if (keys.length === 1 && values[keys[0]] === undefined && /^INTEGER$/i.test(pkColumn?.declaredType.trim() ?? '')) return { [keys[0]]: normalize(rowid) };
    if (keys.every((k) => values[k] !== undefined)) return Object.fromEntries(keys.map((k) => [k, values[k]]));
    return null;
  }

  private keyAfterUpdate(schema: TableSchema, key: RowKey, changes: RowValues): RowKey {
    return Object.fromEntries((schema.rowKey?.columns ?? []).map((k) => [k, k in changes ? changes[k] : key[k]]));
  }

  private rowByKey(schema: TableSchema, key: RowKey): RowValues | undefined {
    const statement = this.sql.selectByKey(schema, key);
    const row = this.engine.all(statement.sql, statement.params).rows[0];
    return row ? Object.fromEntries(schema.columns.map((c, i) => [c.name, row[i]])) : undefined;
  }

  private conflict(schema: TableSchema, key: RowKey, changed: number): never {
    if (changed > 1) throw datasourceError('conflict', `The row key matched ${changed} rows; nothing was changed.`);
    const current = this.rowByKey(schema, key) ?? null;
    throw datasourceError(
      'conflict',
      current
        ? `This row was changed by someone else since it was read; nothing was written. Review the current values and reapply your edit.`
        : `This row was deleted by someone else since it was read; nothing was written.`,
      { current },
    );
  }
}
