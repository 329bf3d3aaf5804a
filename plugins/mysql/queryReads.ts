// Reads of a query reference (TableRef.query): the statement described by preparing it (columnOrigins.ts), then
// re-run per page, count or aggregate inside the kit's `WITH nocoflo_query AS (…)` wrapper. The session runs all of
// it in a read-only transaction, so the server refuses any write the statement would make.
import type { AggregateRequest, AggregateResult, CellValue, CountRequest, QueryText, ReadRowsRequest, RowCount, RowPage, TableRef, TableSchema } from '../../api';
import { datasourceError } from '../kit/errors';
import { narrowBigint } from '../kit/numbers';
import { QUERY_ALIAS } from '../kit/sql/queryBuilder';
import { limitsItself, ordersItself, splitStatements, trimStatement } from '../kit/sql/sqlText';
import { describeColumns } from './columnOrigins';
import { withPosition } from './queryPositions';
import type { Runner } from './runner';
import type { MysqlTables } from './tableOperations';
import { convertsValues, fromColumn } from './typeKinds';

/**
 * MariaDB's optimizer drops an ORDER BY without LIMIT inside a derived table or CTE (the SQL standard leaves a
 * subquery's order undefined), so a statement's own order was lost once wrapped. A LIMIT as large as the server
 * allows makes it keep the order and never cuts a row.
 */
const UNLIMITED = '18446744073709551615';

export const ONE_STATEMENT = 'Run one statement at a time: this text holds more than one statement.';

/** Refuses text that holds more than one statement (the server would too: statements are prepared one at a time). */
export function oneStatement(query: QueryText): string {
  const statements = splitStatements(query.text, 'mysql');
  if (statements.length > 1) throw datasourceError('invalid_value', ONE_STATEMENT);
  const text = trimStatement(query.text);
  if (text === '') throw datasourceError('invalid_value', 'The statement is empty.');
  return text;
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

export class MysqlQueries {
  /** Schemas of the statements read lately, by text: getSchema refreshes, pages reuse. */
  private readonly schemas = new Map<string, TableSchema>();

  constructor(private readonly tables: MysqlTables) {}

  async getSchema(runner: Runner, ref: TableRef): Promise<TableSchema> {
    const query = ref.query!;
    const text = oneStatement(query);
    const fields = await this.located(query, 1, () => runner.describe!(text));
    const columns = await describeColumns(runner, this.tables, fields, text);
    const schema: TableSchema = { table: ref, kind: 'query', columns, primaryKey: [], foreignKeys: [] };
    this.schemas.delete(query.text);
    this.schemas.set(query.text, schema);
    // A small bound: each entry is only a column list.
    if (this.schemas.size > 100) this.schemas.delete(this.schemas.keys().next().value!);
    return schema;
  }

  async readRows(runner: Runner, ref: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    const { schema, inner } = await this.prepared(runner, ref);
    const { signal: _signal, ...rest } = request;
    const page = this.tables.sql.selectPage(inner, rest);
    const spatial = schema.columns.some((c) => /^geometry|point|polygon|linestring/i.test(c.declaredType));
    const raw = await this.located(ref.query!, 2, () => runner.query(this.wrap(page.sql, schema), page.params, { spatial }));
    const active = schema.columns.flatMap((column, i) => (convertsValues(column) ? [[i, column] as const] : []));
    for (const row of raw) for (const [at, column] of active) row[at] = fromColumn(column, row[at]);
    const shaped = this.tables.sql.shapePage(inner, page, raw, request.limit);
    return shaped;
  }

  async countRows(runner: Runner, ref: TableRef, request: CountRequest = {}): Promise<RowCount> {
    const { schema, inner } = await this.prepared(runner, ref);
    const { signal: _signal, estimate: _estimate, ...rest } = request;
    const statement = this.tables.sql.count(inner, rest);
    const [row] = await this.located(ref.query!, 2, () => runner.query(this.wrap(statement.sql, schema), statement.params));
    const count = Number(row?.[0] ?? 0);
    if (rest.cap !== undefined && count > rest.cap) return { count: rest.cap, exact: false, capped: true };
    return { count, exact: true };
  }

  /** Always exact: a query result has no key ranges to sample. */
  async aggregate(runner: Runner, ref: TableRef, request: AggregateRequest): Promise<AggregateResult> {
    const { schema, inner } = await this.prepared(runner, ref);
    const { signal: _signal, ...rest } = request;
    const statement = this.tables.sql.aggregate(inner, rest);
    const groups = rest.groupBy.map((g) => (g.bin || g.timeUnit ? undefined : schema.columns.find((c) => c.name === g.column)));
    const rows = await this.located(ref.query!, 2, () => runner.query(this.wrap(statement.sql, schema), statement.params));
    const shaped = rows.slice(0, statement.limit).map((row) => row.map((value: CellValue, i) => (groups[i] ? fromColumn(groups[i]!, value) : narrowBigint(value))));
    return { columns: statement.columns, rows: shaped, ...(rows.length > statement.limit ? { truncated: true } : {}) };
  }

  /** The schema, and the same with the reference the kit wraps: the statement with its order kept (UNLIMITED). */
  private async prepared(runner: Runner, ref: TableRef): Promise<{ schema: TableSchema; inner: TableSchema }> {
    const query = ref.query!;
    const schema = this.schemas.get(query.text) ?? (await this.getSchema(runner, ref));
    let text = oneStatement(query);
    // On a line of its own, after any trailing line comment.
    if (ordersItself(text, 'mysql') && !limitsItself(text, 'mysql')) text += `\nLIMIT ${UNLIMITED}`;
    return { schema, inner: { ...schema, table: { ...ref, query: { ...query, text } } } };
  }

  /**
   * Names the wrapper's columns: a statement may repeat a name (a join's two `id`s), which a CTE refuses (error
   * 1060) unless its column list names them apart, as the schema does ("id", "id (2)"). MariaDB 10.2+ and MySQL 8.
   */
  private wrap(sql: string, schema: TableSchema): string {
    const opening = `WITH ${quote(QUERY_ALIAS)} AS (\n`;
    // The kit writes the column list itself once names were renamed apart; then there is nothing to add.
    if (sql.startsWith(`WITH ${quote(QUERY_ALIAS)}(`)) return sql;
    if (!sql.startsWith(opening)) throw new Error('The SQL kit no longer wraps a query reference as WITH … AS (: update queryReads.ts.');
    return `WITH ${quote(QUERY_ALIAS)}(${schema.columns.map((c) => quote(c.name)).join(', ')}) AS (\n${sql.slice(opening.length)}`;
  }

  /** Runs `work`, giving a server error about the statement its position in the text as given. */
  private async located<T>(query: QueryText, firstLine: number, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw withPosition(error, query.text, firstLine);
    }
  }
}
