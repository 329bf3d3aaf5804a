import type {
  AggregateRequest,
  AggregateResult,
  CellValue,
  CountRequest,
  ReadRowsRequest,
  RowChange,
  RowCount,
  RowKey,
  RowPage,
  RowValues,
  StatementPreview,
  TableRef,
  TableSchema,
} from '../../api';
import { EngineFallbacks, withFallback } from '../kit/engineFallback';
import { datasourceError } from '../kit/errors';
import { narrowBigint } from '../kit/numbers';
import { postgresDialect } from '../kit/sql/dialect';
import { Params, SqlBuilder, type Statement } from '../kit/sql/queryBuilder';
import { keyWindowSample, runStatementsAsync, sampledResult, sampleTarget, WORTH_SAMPLING, ProbeCache } from '../kit/sql/sampling';
import { readSchema, type SchemaDetails } from './introspection';
import { pgMissingFeature, pgMissingSyntax, pgUnsupported } from './missingFeature';
import type { MapOptions } from './pgErrors';

/** What the server said about one column of a result (its RowDescription). */
export interface ResultField {
  name: string;
  /** The table and column (pg_attribute.attnum) the column is a plain copy of; 0 when it is not. */
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeModifier: number;
}

export interface QueryResult {
  rows: CellValue[][];
  rowCount: number;
  fields?: ResultField[];
  /** The command tag's verb (SELECT, DELETE, …). */
  command?: string;
  /** More rows than `maxRows` were there; they were not fetched. */
  truncated?: boolean;
}

export interface RunOptions extends MapOptions {
  /** Fetch at most this many rows (Execute's row limit, so the server does not produce the rest). */
  maxRows?: number;
  /** With maxRows: read past the rows beyond it, unkept, to learn the statement's row count. */
  drain?: boolean;
}

/** Runs statements on one connection (of the pool, or of a transaction). Values are always bound. */
export interface Runner {
  query(sql: string, params?: CellValue[], options?: RunOptions): Promise<QueryResult>;
}

interface TableContext {
  details: SchemaDetails;
  sql: SqlBuilder;
}

const PLANNER_SETTINGS_OFF = "SELECT current_setting('jit', true), current_setting('enable_seqscan'), set_config('jit', 'off', false), set_config('enable_seqscan', 'off', false)";
const PLANNER_SETTINGS_BACK = "SELECT set_config('jit', $1, false), set_config('enable_seqscan', $2, false)";

/** Fewer sampled pages than this and block sampling is too coarse (rows of a page are alike: inserted together). */
const MIN_SAMPLED_PAGES = 100;

const refKey = (table: TableRef) => JSON.stringify([table.schema ?? null, table.name]);

/**
 * Everything a PostgreSQL session does to tables, on whichever connection it is given. Statements come from the SQL
 * kit (the same paging, filters and conflict checks as SQLite); writes add RETURNING so a save gets back the row as
 * stored, defaults and generated values included.
 */
export class PostgresTables {
  /** Table schemas by the ref they were asked for; getSchema always reads afresh and replaces the entry. */
  private readonly schemas = new Map<string, TableContext>();
  /** Rows found in sample windows, so a chart's extent and groups probe a table once (sampling.ts). */
  private readonly probes = new ProbeCache();
  /** Catalogue functions and statement forms this server lacks (CockroachDB, YugabyteDB, Citus…): their fallbacks. */
  readonly fallbacks = new EngineFallbacks();

  forget(table: TableRef): void {
    this.schemas.delete(refKey(table));
  }

  async refreshSchema(runner: Runner, table: TableRef): Promise<SchemaDetails> {
    const details = await readSchema((sql, params) => runner.query(sql, params).then((r) => r.rows), table, this.fallbacks);
    const { compareAs, looseText } = details;
    // json, xml, point… are compared and sorted by their text; domains over enums as the enum.
    const sql = new SqlBuilder(postgresDialect, {
      comparable: (column, quoted) => {
        const cast = compareAs.get(column.name);
        return cast ? `(${quoted})::${cast}` : quoted;
      },
      // Without a row key every column breaks ties (see SqlBuilder.ordering), so two different values must not
      // compare equal: citext and nondeterministic collations call 'a' and 'A' equal, their bytes in the "C"
      // collation do not. Only those columns: the cast made a page of a 100k-row table three times slower.
      tieBreaker: (column, quoted) => {
        if (looseText.has(column.name)) return `(${quoted})::text COLLATE "C"`;
        const cast = compareAs.get(column.name);
        return cast ? `(${quoted})::${cast}` : quoted;
      },
    });
    this.schemas.set(refKey(table), { details, sql });
    return details;
  }

  private async context(runner: Runner, table: TableRef): Promise<TableContext> {
    const cached = this.schemas.get(refKey(table));
    if (cached) return cached;
    await this.refreshSchema(runner, table);
    return this.schemas.get(refKey(table))!;
  }

  async readRows(runner: Runner, table: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    const { details, sql } = await this.context(runner, table);
    const page = sql.selectPage(details.schema, request);
    const { rows } = await runner.query(page.sql, page.params);
    return sql.shapePage(details.schema, page, rows, request.limit);
  }

  async countRows(runner: Runner, table: TableRef, request: CountRequest): Promise<RowCount> {
    const { details, sql } = await this.context(runner, table);
    const schema = details.schema;
    // The planner's estimate for exactly these filters (statistics scaled to the table's current size). An engine
    // without EXPLAIN (FORMAT JSON) (CockroachDB) gets the capped count below instead.
    const estimate = request.estimate
      ? await withFallback('planner estimate', () => this.plannerEstimate(runner, schema, sql, request), () => undefined, { isMissing: pgMissingSyntax, fallbacks: this.fallbacks })
      : undefined;
    // A small table is cheap to count exactly (up to the cap): better than a guess.
    if (estimate !== undefined && (request.cap === undefined || estimate > request.cap)) return { count: estimate, exact: false };
    const statement = sql.count(schema, request);
    const { rows } = await runner.query(statement.sql, statement.params);
    const count = Number(rows[0]?.[0] ?? 0);
    if (request.cap !== undefined && count > request.cap) return { count: request.cap, exact: false, capped: true };
    return { count, exact: true };
  }

  private async plannerEstimate(runner: Runner, schema: TableSchema, sql: SqlBuilder, request: CountRequest): Promise<number> {
    const params = new Params(postgresDialect);
    const where = sql.where(schema, params, request.filters, request.search);
    const { rows } = await runner.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${sql.table(schema.table)} WHERE ${where}`, params.values);
    const plan = JSON.parse(String(rows[0]?.[0] ?? '[]')) as { Plan?: { 'Plan Rows'?: number } }[];
    return Math.max(0, Math.round(Number(plan[0]?.Plan?.['Plan Rows'] ?? 0)));
  }

  async aggregate(runner: Runner, table: TableRef, request: AggregateRequest): Promise<AggregateResult> {
    const { details, sql } = await this.context(runner, table);
    const target = sampleTarget(request);
    // count() is int8: small counts become numbers, like every other aggregate that fits a double exactly.
    const shape = (rows: CellValue[][]) => rows.map((row) => row.map(narrowBigint));
    // An integer primary key: short runs of it at 10,000 places (each an index range scan). Whole pages
    // (TABLESAMPLE SYSTEM) are fewer, larger clusters of neighbouring rows, which misjudged a month chart by 39 %.
    const key = target === undefined ? undefined : this.sampleKey(details.schema);
    if (target !== undefined && key) {
      const steps = keyWindowSample(sql, details.schema, request, { keyExpr: key, keyName: 'key', join: 'JOIN', target, bind: (p) => `${p}::int8`, probes: this.probes }, shape);
      // The planner cannot know each window holds ~10 rows (it guesses a share of the table per window, 2 billion
      // rows in all at 10M), so it thinks the query costly: it JIT-compiled it (2.2 s of compiling for 40 ms of
      // work) and, for a month chart, scanned the whole table against the windows instead of seeking each window.
      // For these statements only (the runner is one connection for the whole operation) JIT and sequential scans
      // are off, which leaves the index-driven nested loop; then both are as they were.
      // An engine without these settings (CockroachDB: "unrecognized configuration parameter") samples as it plans.
      const options = { isMissing: pgUnsupported, fallbacks: this.fallbacks };
      const settings = await withFallback('planner settings', async () => (await runner.query(PLANNER_SETTINGS_OFF)).rows[0], () => undefined, options);
      try {
        // A join the engine cannot run (Citus: the windows with a distributed table) answers exactly instead.
        const run = async (st: Statement) => (await runner.query(st.sql, st.params)).rows;
        const sampled = await withFallback('key-window sample', () => runStatementsAsync(steps, run), () => undefined, options);
        if (sampled) return sampled;
      } finally {
        if (settings) await runner.query(PLANNER_SETTINGS_BACK, [String(settings[0] ?? 'on'), String(settings[1] ?? 'on')]);
      }
    }
    const plan = target === undefined ? undefined : await this.samplePlan(runner, details.schema, sql, target);
    if (plan !== undefined) {
      // REPEATABLE: the same chart gives the same estimate until the data changes.
      const statement = sql.aggregate(details.schema, request, { from: (quoted, params) => `${quoted} TABLESAMPLE ${plan.method} (${params.add(plan.percent)}) REPEATABLE (${params.add(0)})` });
      // No TABLESAMPLE (CockroachDB does not parse it; Citus before 11 refuses it on distributed tables): exact.
      const sampled = async () => (await runner.query(statement.sql, statement.params)).rows;
      const rows = await withFallback('TABLESAMPLE', sampled, () => undefined, { isMissing: pgMissingSyntax, fallbacks: this.fallbacks });
      if (rows) return sampledResult(request, statement.columns, shape(rows), statement.limit, plan.percent / 100, `TABLESAMPLE ${plan.method}`);
    }
    const statement = sql.aggregate(details.schema, request);
    const { rows } = await runner.query(statement.sql, statement.params);
    const shaped = shape(rows);
    return { columns: statement.columns, rows: shaped.slice(0, statement.limit), ...(rows.length > statement.limit ? { truncated: true } : {}) };
  }

  /** A single integer primary key of a table (not a view: its "key" is not indexed). */
  private sampleKey(schema: TableSchema): string | undefined {
    if ((schema.kind !== 'table' && schema.kind !== 'partitioned-table') || schema.primaryKey.length !== 1) return undefined;
    const column = schema.columns.find((c) => c.name === schema.primaryKey[0]);
    return column?.kind === 'integer' ? postgresDialect.quoteIdentifier(column.name) : undefined;
  }

  /**
   * How to sample about `target` rows, from the planner's estimates (reltuples and relpages, summed over the leaf
   * partitions of a partitioned table). SYSTEM picks whole pages, so it reads only the sampled share of the table;
   * on a table of few pages that would be a handful of pages, so BERNOULLI (every page read, each row picked by
   * chance) samples it instead. Undefined when the table is small, never analyzed, or cannot be sampled (views,
   * foreign tables): then the answer is exact.
   */
  private async samplePlan(runner: Runner, schema: TableSchema, sql: SqlBuilder, target: number): Promise<{ method: 'SYSTEM' | 'BERNOULLI'; percent: number } | undefined> {
    if (schema.kind !== 'table' && schema.kind !== 'materialized-view' && schema.kind !== 'partitioned-table') return undefined;
    // Without pg_partition_tree or to_regclass (CockroachDB, PostgreSQL 11-based YugabyteDB) there is no plan: exact.
    const statistics = async () =>
      (
        await runner.query(
          `SELECT s.tuples::float8, s.pages::float8
         FROM pg_class c,
              LATERAL (SELECT CASE WHEN c.relkind = 'p' THEN (SELECT sum(l.reltuples) FROM pg_partition_tree(c.oid) t JOIN pg_class l ON l.oid = t.relid WHERE t.isleaf AND l.reltuples >= 0) ELSE c.reltuples END AS tuples,
                              CASE WHEN c.relkind = 'p' THEN (SELECT sum(l.relpages) FROM pg_partition_tree(c.oid) t JOIN pg_class l ON l.oid = t.relid WHERE t.isleaf) ELSE c.relpages END AS pages) s
        WHERE c.oid = to_regclass($1)`,
          [sql.table(schema.table)],
        )
      ).rows;
    const rows = await withFallback('sample statistics', statistics, () => [], { isMissing: pgMissingFeature, fallbacks: this.fallbacks });
    const tuples = Number(rows[0]?.[0] ?? NaN);
    const pages = Number(rows[0]?.[1] ?? NaN);
    if (!(tuples >= WORTH_SAMPLING * target)) return undefined;
    const percent = Math.min(100, (100 * target) / tuples);
    return { method: pages * (percent / 100) >= MIN_SAMPLED_PAGES ? 'SYSTEM' : 'BERNOULLI', percent };
  }

  async previewChanges(runner: Runner, table: TableRef, changes: RowChange[]): Promise<StatementPreview[]> {
    const { details, sql } = await this.context(runner, table);
    return changes.map((change) => {
      const statement = this.writeStatement(details.schema, sql, change);
      return { text: statement.sql, params: statement.params };
    });
  }

  async insertRow(runner: Runner, table: TableRef, values: RowValues): Promise<{ key: RowKey | null; row?: RowValues }> {
    const { details, sql } = await this.context(runner, table);
    const schema = details.schema;
    const statement = this.writeStatement(schema, sql, { kind: 'insert', values });
    const { rows } = await runner.query(statement.sql, statement.params, { written: written(schema, values) });
    const stored = rows[0];
    if (!stored) return { key: null };
    return { key: this.keyOf(schema, stored), row: this.rowOf(schema, stored) };
  }

  async updateRow(runner: Runner, table: TableRef, key: RowKey, changes: RowValues, expected: RowValues): Promise<{ row?: RowValues }> {
    const { details, sql } = await this.context(runner, table);
    const schema = details.schema;
    const statement = this.writeStatement(schema, sql, { kind: 'update', key, changes, expected });
    const { rows, rowCount } = await runner.query(statement.sql, statement.params, { written: written(schema, changes) });
    if (rowCount !== 1) await this.conflict(runner, schema, sql, key, rowCount);
    return rows[0] ? { row: this.rowOf(schema, rows[0]) } : {};
  }

  async deleteRow(runner: Runner, table: TableRef, key: RowKey, expected: RowValues): Promise<void> {
    const { details, sql } = await this.context(runner, table);
    const schema = details.schema;
    const statement = this.writeStatement(schema, sql, { kind: 'delete', key, expected });
    const { rowCount } = await runner.query(statement.sql, statement.params);
    if (rowCount !== 1) await this.conflict(runner, schema, sql, key, rowCount);
  }

  /** The kit's statement for a change, with RETURNING for inserts and updates: what a save sends, verbatim. */
  private writeStatement(schema: TableSchema, sql: SqlBuilder, change: RowChange): Statement {
    const statement = sql.statementFor(schema, change);
    if (change.kind === 'delete') return statement;
    const q = postgresDialect.quoteIdentifier;
    const returning = [...schema.columns.map((c) => q(c.name)), ...sql.keyColumns(schema).map((k, i) => `${k.expr} AS ${q(`__k${i}`)}`)];
    return { sql: `${statement.sql} RETURNING ${returning.join(', ')}`, params: statement.params };
  }

  private rowOf(schema: TableSchema, raw: CellValue[]): RowValues {
    return Object.fromEntries(schema.columns.map((c, i) => [c.name, raw[i]]));
  }

  private keyOf(schema: TableSchema, raw: CellValue[]): RowKey | null {
    const keys = schema.rowKey?.columns ?? [];
    if (keys.length === 0) return null;
    const width = schema.columns.length;
    return Object.fromEntries(keys.map((k, i) => [k, raw[width + i]]));
  }

  private async conflict(runner: Runner, schema: TableSchema, sql: SqlBuilder, key: RowKey, changed: number): Promise<never> {
    if (changed > 1) throw datasourceError('conflict', `The row key matched ${changed} rows; nothing was changed.`);
    const statement = sql.selectByKey(schema, key);
    const { rows } = await runner.query(statement.sql, statement.params);
    const current = rows[0] ? this.rowOf(schema, rows[0]) : null;
    throw datasourceError(
      'conflict',
      current
        ? 'This row was changed by someone else since it was read; nothing was written. Review the current values and reapply your edit.'
        : 'This row was deleted by someone else since it was read; nothing was written.',
      { current },
    );
  }
}

function written(schema: TableSchema, values: RowValues): MapOptions['written'] {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { declaredType: schema.columns.find((c) => c.name === name)?.declaredType ?? '', value }]));
}
