// Query references (TableRef.query) on PostgreSQL: a user's statement described and read like a table, wrapped by
// the kit (`WITH "nocoflo_query" AS (…) SELECT … FROM "nocoflo_query" …`) and always run in a READ ONLY transaction
// (postgresSession.ts), so the server refuses a statement that would write.
import { uniqueColumnNames } from '../kit/sql/queryColumns';
import type { AggregateRequest, AggregateResult, CellValue, ColumnSchema, CountRequest, ReadRowsRequest, RowCount, RowPage, TableRef, TableSchema } from '../../api';
import type { EngineFallbacks } from '../kit/engineFallback';
import { datasourceError } from '../kit/errors';
import { narrowBigint } from '../kit/numbers';
import { postgresDialect } from '../kit/sql/dialect';
import { QUERY_ALIAS, SqlBuilder, type Statement } from '../kit/sql/queryBuilder';
import { splitStatements } from '../kit/sql/sqlText';
import { ColumnOrigins } from './columnOrigins';
import { isComparable, resolveTypes } from './introspection';
import { ONE_STATEMENT, type UserText } from './statementErrors';
import type { ResultField, Runner } from './tableOperations';
import { classify, typmodDetails } from './typeKinds';

interface QueryContext {
  schema: TableSchema;
  sql: SqlBuilder;
  /** The CTE's column list when the statement's own names repeat (then the view's names are made unique). */
  columnList?: string;
}

const q = postgresDialect.quoteIdentifier;
const OPENING = `WITH ${q(QUERY_ALIAS)} AS (\n`;

/**
 * Pages in the engine's order (no ORDER BY of the statement's, no sort of the view's) must meet the same order on
 * every page, since each page runs the statement again with another OFFSET: parallel workers deliver rows in the
 * order they finish, a synchronized sequential scan starts wherever another scan of the table is, and a custom plan
 * made for one page's LIMIT/OFFSET values may join in another order than the next page's. For those reads only,
 * SET LOCAL (bound, through set_config) takes all three away.
 */
const STABLE_ORDER_SQL = "SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('synchronize_seqscans', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)";

export function oneStatement(text: string): void {
  if (splitStatements(text, 'postgres').length > 1) throw datasourceError('invalid_value', `${ONE_STATEMENT}: this text holds ${splitStatements(text, 'postgres').length} statements.`);
}

export class PostgresQueries {
  private readonly described = new Map<string, QueryContext>();
  private readonly origins = new ColumnOrigins();

  constructor(private readonly fallbacks: EngineFallbacks) {}

  /** Describes the statement afresh (LIMIT 0: nothing is produced) and keeps what reads of it need. */
  async describe(runner: Runner, given: TableRef): Promise<TableSchema> {
    const ref = statementOnly(given);
    const query = ref.query;
    if (!query) throw datasourceError('invalid_value', 'Only a query reference can be described.');
    oneStatement(query.text);
    const plain = new SqlBuilder(postgresDialect);
    const statement = plain.describeQuery(ref);
    const { fields = [] } = await runner.query(statement.sql, statement.params, { userText: userText(query.text, statement.sql) });
    const types = await resolveTypes((sql, params) => runner.query(sql, params).then((r) => r.rows), fields.map((f) => f.dataTypeID), this.fallbacks);
    const declared = await this.declaredTypes(runner, fields);
    const origins = await this.origins.of(runner, fields);
    const names = uniqueColumnNames(fields.map((f) => f.name));
    const compareAs = new Set<string>();
    const columns = fields.map((field, i): ColumnSchema => {
      const type = types.get(field.dataTypeID)?.resolved;
      const { kind } = type ? classify(type) : { kind: 'other' as const };
      if (type && !isComparable(type)) compareAs.add(names[i]);
      const origin = origins[i];
      return {
        name: names[i],
        declaredType: declared[i] ?? 'unknown',
        kind,
        // Outer joins and expressions can give NULL whatever the base column says.
        nullable: true,
        ...(type?.enumValues ? { enumValues: type.enumValues } : {}),
        ...(type ? typmodDetails(type.name, field.dataTypeModifier) : {}),
        ...(origin ? { origin } : {}),
      };
    });
    const comparable = (column: ColumnSchema, quoted: string) => (compareAs.has(column.name) ? `(${quoted})::text` : quoted);
    const sql = new SqlBuilder(postgresDialect, { comparable, tieBreaker: comparable });
    const schema: TableSchema = { table: ref, kind: 'query', columns, primaryKey: [], foreignKeys: [] };
    const renamed = names.some((name, i) => name !== fields[i].name);
    this.described.set(query.text, { schema, sql, ...(renamed ? { columnList: `(${names.map(q).join(', ')})` } : {}) });
    return { ...schema, table: given };
  }

  async readRows(runner: Runner, given: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    const ref = statementOnly(given);
    const context = await this.context(runner, ref);
    const page = context.sql.selectPage(context.schema, request);
    if (page.orderingSize === 0) await runner.query(STABLE_ORDER_SQL);
    const { rows } = await this.run(runner, context, ref, page);
    return context.sql.shapePage(context.schema, page, rows, request.limit);
  }

  async countRows(runner: Runner, given: TableRef, request: CountRequest): Promise<RowCount> {
    const ref = statementOnly(given);
    const context = await this.context(runner, ref);
    // No planner estimate: a statement's result size is what the statement makes of its tables, which the planner
    // guesses worst for the joins and groups queries are written for. The cap bounds the work instead.
    const { rows } = await this.run(runner, context, ref, context.sql.count(context.schema, { ...request, estimate: false }));
    const count = Number(rows[0]?.[0] ?? 0);
    if (request.cap !== undefined && count > request.cap) return { count: request.cap, exact: false, capped: true };
    return { count, exact: true };
  }

  /** Exact, never sampled: a query's rows have no key ranges or pages to sample. */
  async aggregate(runner: Runner, given: TableRef, request: AggregateRequest): Promise<AggregateResult> {
    const ref = statementOnly(given);
    const context = await this.context(runner, ref);
    const statement = context.sql.aggregate(context.schema, request);
    const { rows } = await this.run(runner, context, ref, statement);
    const shaped = rows.map((row) => row.map(narrowBigint));
    return { columns: statement.columns, rows: shaped.slice(0, statement.limit), ...(rows.length > statement.limit ? { truncated: true } : {}) };
  }

  private async context(runner: Runner, ref: TableRef): Promise<QueryContext> {
    const cached = ref.query && this.described.get(ref.query.text);
    if (cached) return { ...cached, schema: { ...cached.schema, table: ref } };
    await this.describe(runner, ref);
    return this.described.get(ref.query!.text)!;
  }

  /** Runs a kit statement over the query, with the CTE's column list when names were made unique. */
  private run(runner: Runner, context: QueryContext, ref: TableRef, statement: Statement) {
    let sql = statement.sql;
    // A kit that names the columns itself (WITH "nocoflo_query"("id", "id (2)") …) is left to do so.
    if (context.columnList && sql.startsWith(OPENING)) sql = `WITH ${q(QUERY_ALIAS)}${context.columnList} AS (\n${sql.slice(OPENING.length)}`;
    return runner.query(sql, statement.params, { userText: userText(ref.query!.text, sql) });
  }

  /** Each column's type as SQL, with its modifier (numeric(10,2), varchar(40)). */
  private async declaredTypes(runner: Runner, fields: readonly ResultField[]): Promise<string[]> {
    if (fields.length === 0) return [];
    const { rows } = await runner.query('SELECT format_type(t.oid, t.mod) FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS t(oid, mod, i) ORDER BY t.i', [
      fields.map((f) => f.dataTypeID) as unknown as CellValue,
      fields.map((f) => f.dataTypeModifier) as unknown as CellValue,
    ]);
    return rows.map((r) => String(r[0]));
  }
}

/**
 * The reference with its text cut after the statement: a `;` and a comment after it (`SELECT 1; -- done`) would
 * end up inside the kit's WITH clause, which only drops trailing semicolons and whitespace (plugins/kit/sql/sqlText.ts
 * trimStatement; worked around here). Positions are unaffected: the text keeps its start.
 */
function statementOnly(ref: TableRef): TableRef {
  if (!ref.query) return ref;
  const spans = splitStatements(ref.query.text, 'postgres');
  if (spans.length !== 1) return ref;
  const text = ref.query.text.slice(0, spans[0].end);
  return text === ref.query.text ? ref : { ...ref, query: { ...ref.query, text } };
}

/**
 * Where the user's text starts in the wrapped SQL: right after the WITH clause's `AS (` line, with or without its
 * leading whitespace (found rather than computed, so it holds whichever way the kit renders the opening).
 */
function userText(text: string, sql: string): UserText {
  const trimmed = text.trimStart();
  const opening = sql.indexOf(' AS (\n') + ' AS (\n'.length;
  const at = sql.indexOf(trimmed.slice(0, 64), opening);
  return { text, offset: at >= 0 ? at : opening };
}
