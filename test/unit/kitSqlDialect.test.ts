import * as assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import type { AggregateRequest, CellValue, DatasourceError, Filter, TableSchema } from '../../api';
import { escapeLike, mysqlDialect, postgresDialect, sqliteDialect, type Dialect } from '../../plugins/kit/sql/dialect';
import { Params, SqlBuilder } from '../../plugins/kit/sql/queryBuilder';
import { column, tableSchema } from '../support/fakePlugins';

// What differs between the SQL engines (plugins/kit/sql/dialect.ts). SQLite's parts run on sql.js; PostgreSQL's and
// MySQL's are checked as the exact statement text and bound values the builder produces (they run against real
// servers in the conformance suite): values always bound, identifiers always quoted by the dialect.
describe('SQL kit: dialects (plugins/kit/sql/dialect)', () => {
  const schema: TableSchema = tableSchema({
    table: { schema: 'app', name: 'we"ird`t' },
    columns: [
      column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }),
      column('na"me`'),
      column('at', { kind: 'datetime' }),
      column('n', { kind: 'float' }),
    ],
  });
  const where = (dialect: Dialect, filters: Filter[]) => {
    const params = new Params(dialect);
    return { sql: new SqlBuilder(dialect).where(schema, params, filters), params: params.values };
  };
  const aggregate = (dialect: Dialect, request: AggregateRequest) => {
    const { sql, params } = new SqlBuilder(dialect).aggregate(schema, request);
    return { sql, params };
  };
  const filters: Filter[] = [
    { column: 'na"me`', op: 'ne', value: 'x' },
    { column: 'na"me`', op: 'contains', value: '5%_\\' },
  ];

  it('PostgreSQL: "-quoted names, $n placeholders, IS NOT DISTINCT FROM, ILIKE on text', () => {
    assert.deepEqual(where(postgresDialect, filters), {
      sql: `NOT ("na""me\`" IS NOT DISTINCT FROM $1) AND ("na""me\`")::text ILIKE $2 ESCAPE '\\'`,
      params: ['x', '%5\\%\\_\\\\%'],
    });
    assert.equal(new SqlBuilder(postgresDialect).table(schema.table), '"app"."we""ird`t"');
  });

  it('MySQL: `-quoted names, ? placeholders, <=>, LOWER … COLLATE utf8mb4_bin LIKE', () => {
    assert.deepEqual(where(mysqlDialect, filters), {
      sql: "NOT (`na\"me``` <=> ?) AND LOWER(CONVERT(`na\"me``` USING utf8mb4)) COLLATE utf8mb4_bin LIKE LOWER(CONVERT(? USING utf8mb4)) ESCAPE '\\\\'",
      params: ['x', '%5\\%\\_\\\\%'],
    });
    assert.equal(new SqlBuilder(mysqlDialect).table(schema.table), '`app`.`we"ird``t`');
  });

  it('PostgreSQL: bins by floor with a numeric step, truncates time with date_trunc', () => {
    assert.deepEqual(aggregate(postgresDialect, { groupBy: [{ column: 'n', bin: { step: 0.5 } }, { column: 'at', timeUnit: 'month' }], measures: [] }), {
      sql: 'SELECT (floor("n" / $1::numeric) * $2::numeric) AS "g0", date_trunc(\'month\', "at") AS "g1" FROM "app"."we""ird`t" WHERE 1=1 GROUP BY (floor("n" / $1::numeric) * $2::numeric), date_trunc(\'month\', "at") ORDER BY (floor("n" / $1::numeric) * $2::numeric), date_trunc(\'month\', "at") LIMIT $3',
      params: [0.5, 0.5, 10_001],
    });
  });

  it('MySQL: bins by FLOOR, formats time with DATE_FORMAT per unit', () => {
    const units = { year: '%Y', month: '%Y-%m', day: '%Y-%m-%d', hour: '%Y-%m-%d %H:00' } as const;
    for (const [unit, format] of Object.entries(units)) {
      assert.deepEqual(aggregate(mysqlDialect, { groupBy: [{ column: 'n', bin: { step: 2 } }, { column: 'at', timeUnit: unit as keyof typeof units }], measures: [] }), {
        sql: `SELECT (FLOOR(\`n\` / ?) * ?) AS \`g0\`, DATE_FORMAT(\`at\`, '${format}') AS \`g1\` FROM \`app\`.\`we"ird\`\`t\` WHERE 1=1 GROUP BY 1, DATE_FORMAT(\`at\`, '${format}') ORDER BY 1, DATE_FORMAT(\`at\`, '${format}') LIMIT ?`,
        params: [2, 2, 10_001],
      });
    }
  });

  it('names the engine and its limit when a statement would bind too many values', () => {
    for (const [dialect, message] of [
      [sqliteDialect, 'This request needs more than 32,766 values in one statement, SQLite\'s limit; use fewer or shorter "in" lists.'],
      [postgresDialect, 'This request needs more than 65,535 values in one statement, PostgreSQL\'s limit; use fewer or shorter "in" lists.'],
      [mysqlDialect, 'This request needs more than 65,535 values in one statement, MySQL/MariaDB\'s limit; use fewer or shorter "in" lists.'],
    ] as const) {
      const params = new Params(dialect);
      for (let i = 0; i < dialect.maxParameters; i++) params.add(i);
      assert.throws(() => params.add(0), (e: DatasourceError) => e.code === 'invalid_value' && e.message === message);
    }
  });

  it('escapes LIKE wildcards and the escape character, nothing else', () => {
    assert.equal(escapeLike('a%b_c\\d"e'), 'a\\%b\\_c\\\\d"e');
  });

  describe('SQLite, on sql.js', () => {
    let db: Database;
    before(async () => {
      const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
      db = new SQL.Database();
      db.run('CREATE TABLE "we""ird`t" (id INTEGER PRIMARY KEY, "na""me`" TEXT, at TEXT, n REAL)');
      for (const row of [
        [1, 'Élan', '2024-03-15 10:42:07', -150],
        [2, 'élan', '2024-03-16 11:00:00', -100],
        [3, 'x"y', '2023-12-31 23:59:59', 149.5],
        [4, null, '2024-03-15 10:05:00', 0],
        [5, 'ÉLAN', null, -0.5],
      ]) db.run('INSERT INTO "we""ird`t" VALUES (?, ?, ?, ?)', row);
    });
    after(() => db.close());
    const local = tableSchema({ table: { name: 'we"ird`t' }, columns: schema.columns });
    const sql = new SqlBuilder(sqliteDialect);
    const run = (statement: { sql: string; params: CellValue[] }) => db.exec(statement.sql, statement.params as never)[0]?.values ?? [];

    it('quotes names holding quotes and compares NULLs with IS', () => {
      const ids = (f: Filter[]) => run(sql.selectPage(local, { limit: 10, filters: f })).map((r) => r[0]);
      assert.deepEqual(ids([{ column: 'na"me`', op: 'eq', value: 'x"y' }]), [3]);
      assert.deepEqual(ids([{ column: 'na"me`', op: 'ne', value: 'élan' }]), [1, 3, 4, 5], 'NULL is "not élan"');
      // SQLite folds A–Z only: É and é stay apart.
      assert.deepEqual(ids([{ column: 'na"me`', op: 'contains', value: 'LAN' }]), [1, 2, 5]);
      assert.deepEqual(ids([{ column: 'na"me`', op: 'startswith', value: 'é' }]), [2]);
    });

    it('truncates times to each unit as sortable text', () => {
      const groups = (unit: 'year' | 'month' | 'day' | 'hour') =>
        run(sql.aggregate(local, { groupBy: [{ column: 'at', timeUnit: unit }], measures: [{ op: 'count', as: 'n' }] }));
      assert.deepEqual(groups('year'), [[null, 1], ['2023', 1], ['2024', 3]]);
      assert.deepEqual(groups('month'), [[null, 1], ['2023-12', 1], ['2024-03', 3]]);
      assert.deepEqual(groups('day'), [[null, 1], ['2023-12-31', 1], ['2024-03-15', 2], ['2024-03-16', 1]]);
      assert.deepEqual(groups('hour'), [[null, 1], ['2023-12-31 23:00', 1], ['2024-03-15 10:00', 2], ['2024-03-16 11:00', 1]]);
    });

    it('bins negative values down, not toward zero, with every step bound', () => {
      const statement = sql.aggregate(local, { groupBy: [{ column: 'n', bin: { step: 100 } }], measures: [{ op: 'count', as: 'c' }] });
      assert.deepEqual(statement.params, [100, 100, 100, 100, 10_001]);
      assert.deepEqual(run(statement), [[-200, 1], [-100, 2], [0, 1], [100, 1]]);
    });
  });
});
