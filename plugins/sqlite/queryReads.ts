import type { AggregateRequest, AggregateResult, CellValue, ColumnKind, ColumnSchema, CountRequest, QueryText, ReadRowsRequest, RowCount, RowPage, TableRef, TableSchema } from '../../api';
import { datasourceError } from '../kit/errors';
import { QUERY_ALIAS, uniqueColumnNames, type SqlBuilder } from '../kit/sql/queryBuilder';
import { classifyStatement, splitStatements } from '../kit/sql/sqlText';
import type { Engine, Prepared } from './engine';
import { statementError } from './queryErrors';
import { columnKind } from './typeKinds';

/** Rows a computed column's kind is judged by. */
const KIND_SAMPLE = 50;
const SQLJS_NO_ORIGINS =
  'The sql.js engine Nocoflo uses in this VS Code cannot tell which table a result column comes from, so query results are read-only here. VS Code builds on Node 22.13 or newer use the node:sqlite engine, which can.';

/**
 * Runs `work` with `PRAGMA query_only` on, so SQLite itself refuses any write, and restores it after (also when the
 * work fails). A worker restarted mid-read opens a fresh connection, where it is off again.
 */
export function queryOnly<T>(engine: Engine, work: () => T): T {
  const was = Number(engine.all('PRAGMA query_only').rows[0]?.[0] ?? 0) !== 0;
  if (!was) engine.all('PRAGMA query_only = 1');
  try {
    return work();
  } finally {
    if (!was) engine.all('PRAGMA query_only = 0');
  }
}

/**
 * Prepares a statement the user wrote, without running it: its columns, or SQLite's error with its position. Text
 * after the first statement is refused by what SQLite left unprepared (the tail), never by running it.
 */
export function prepareOne(engine: Engine, text: string): Prepared {
  let prepared: Prepared;
  try {
    prepared = engine.prepare(text);
  } catch (error) {
    throw statementError(error, text);
  }
  if (splitStatements(prepared.tail, 'sqlite').length > 0) throw datasourceError('invalid_value', 'Run one statement at a time: this text holds more than one statement.');
  return prepared;
}

/** Query references (`TableRef.query`) read like tables: every statement wrapped, every run under query_only. */
export class SqliteQueries {
  private readonly schemas = new Map<string, TableSchema>();

  constructor(
    private readonly engine: Engine,
    private readonly sql: SqlBuilder,
  ) {}

  /** The database's schema changed: a statement's columns may have too. */
  clear(): void {
    this.schemas.clear();
  }

  getSchema(ref: TableRef): TableSchema {
    const query = this.query(ref);
    const key = `${query.text}\u0000${(query.params ?? []).map(paramKey).join('\u0000')}`;
    let schema = this.schemas.get(key);
    if (!schema) {
      schema = this.describe(ref, query);
      if (this.schemas.size > 50) this.schemas.clear();
      this.schemas.set(key, schema);
    }
    return schema;
  }

  readRows(ref: TableRef, request: ReadRowsRequest): RowPage {
    const schema = this.getSchema(ref);
    const page = this.sql.selectPage(schema, request);
    const { rows } = this.run(schema, page.sql, page.params);
    return this.sql.shapePage(schema, page, rows, request.limit);
  }

  countRows(ref: TableRef, request: CountRequest): RowCount {
    const schema = this.getSchema(ref);
    const statement = this.sql.count(schema, request);
    const count = Number(this.run(schema, statement.sql, statement.params).rows[0]?.[0] ?? 0);
    if (request.cap !== undefined && count > request.cap) return { count: request.cap, exact: false, capped: true };
    return { count, exact: true };
  }

  /** Always exact: a statement's result has no key to sample ranges of. */
  aggregate(ref: TableRef, request: AggregateRequest): AggregateResult {
    const schema = this.getSchema(ref);
    const { sample: _sample, signal: _signal, ...exact } = request;
    const statement = this.sql.aggregate(schema, exact);
    const { rows } = this.run(schema, statement.sql, statement.params);
    return { columns: statement.columns, rows: rows.slice(0, statement.limit), ...(rows.length > statement.limit ? { truncated: true } : {}) };
  }

  private query(ref: TableRef): QueryText {
    if (!ref.query || typeof ref.query.text !== 'string') throw datasourceError('invalid_value', 'Not a query reference.');
    return ref.query;
  }

  private run(schema: TableSchema, sql: string, params: CellValue[]): { rows: CellValue[][] } {
    const text = schema.table.query!.text;
    try {
      return queryOnly(this.engine, () => this.engine.all(sql, params));
    } catch (error) {
      throw statementError(error, text);
    }
  }

  private describe(ref: TableRef, query: QueryText): TableSchema {
    const prepared = prepareOne(this.engine, query.text);
    if (classifyStatement(query.text, 'sqlite') !== 'query') this.refuseUnpageable(query);
    const names = uniqueColumnNames(prepared.columns.map((c) => c.name));
    const untyped = prepared.columns.some((c) => !c.declaredType);
    const sampled = untyped ? this.sampleKinds(ref, names) : [];
    const columns = prepared.columns.map((c, i): ColumnSchema => {
      const declaredType = c.declaredType ?? '';
      // An ATTACHed or temp database's table is not one this session can write through.
      const origin = prepared.reportsOrigins && c.table && c.column && c.database === 'main' ? { origin: { table: { name: c.table }, column: c.column } } : {};
      return { name: names[i]!, declaredType, kind: declaredType ? columnKind(declaredType) : sampled[i] ?? 'other', nullable: true, ...origin };
    });
    return {
      table: ref,
      kind: 'query',
      columns,
      primaryKey: [],
      foreignKeys: [],
      ...(prepared.reportsOrigins ? {} : { readOnlyReason: SQLJS_NO_ORIGINS }),
    };
  }

  /**
   * A statement that is not a SELECT (DELETE … RETURNING, PRAGMA, EXPLAIN) cannot be wrapped. It runs once under
   * query_only, so a write is refused by SQLite with its own message; anything else is named as not pageable.
   */
  private refuseUnpageable(query: QueryText): never {
    try {
      queryOnly(this.engine, () => this.engine.step(query.text, query.params ?? [], 0, false));
    } catch (error) {
      throw statementError(error, query.text);
    }
    throw datasourceError('invalid_value', 'This statement returns rows that cannot be paged like a table (it is not a SELECT); run it as a statement instead.');
  }

  /** Kinds of computed columns, by SQLite's storage class of their first values (`typeof`). */
  private sampleKinds(ref: TableRef, names: string[]): ColumnKind[] {
    const q = this.sql.dialect.quoteIdentifier;
    const sql = `${this.sql.prefix(ref, names)}SELECT ${names.map((n) => `typeof(${q(n)})`).join(', ')} FROM ${q(QUERY_ALIAS)} LIMIT ${KIND_SAMPLE}`;
    const { rows } = this.run({ table: ref } as TableSchema, sql, ref.query!.params ?? []);
    return names.map((_, i) => {
      const classes = new Set(rows.map((r) => r[i]).filter((c) => c !== 'null'));
      if (classes.size === 0) return 'other';
      if ([...classes].every((c) => c === 'integer')) return 'integer';
      if ([...classes].every((c) => c === 'integer' || c === 'real')) return 'float';
      if ([...classes].every((c) => c === 'text')) return 'text';
      if ([...classes].every((c) => c === 'blob')) return 'blob';
      return 'other';
    });
  }
}

function paramKey(value: CellValue): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `x${Buffer.from(value).toString('hex')}`;
  return JSON.stringify(value) ?? 'undefined';
}
