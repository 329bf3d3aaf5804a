import * as assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import type { AggregateRequest, DatasourceError, TableSchema } from '../../api';
import { sqliteDialect } from '../../plugins/kit/sql/dialect';
import { SAMPLED_ROWS_ALIAS, SqlBuilder, type AggregateSampling } from '../../plugins/kit/sql/queryBuilder';
import { column, tableSchema } from '../support/fakePlugins';

// The GROUP BY statements behind charts (SqlBuilder.aggregate) run on real SQLite (sql.js): groups, bins, measures,
// the row limit and a sampling hook give the rows they mean, under the column names the chart reads, and a request
// that cannot be answered is refused with a message saying why.
describe('SQL kit on sql.js: aggregates (plugins/kit/sql/queryBuilder)', () => {
  let db: Database;
  const schema: TableSchema = tableSchema({
    table: { name: 'sales' },
    columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('kind'), column('price', { kind: 'float' })],
  });
  const sql = new SqlBuilder(sqliteDialect);

  before(async () => {
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    db = new SQL.Database();
    db.run('CREATE TABLE sales (id INTEGER PRIMARY KEY, kind TEXT, price REAL)');
    for (const row of [
      [1, 'a', 10],
      [2, 'b', 5],
      [3, 'a', null],
      [4, 'c', 1.5],
      [5, 'a', 2],
      [6, null, 7],
    ]) db.run('INSERT INTO sales VALUES (?, ?, ?)', row);
  });
  after(() => db.close());

  const exec = (request: AggregateRequest, sampling?: AggregateSampling) => {
    const statement = sql.aggregate(schema, request, sampling);
    const [result] = db.exec(statement.sql, statement.params as never);
    return { columns: result?.columns ?? [], rows: result?.values ?? [], statement };
  };
  const refused = (request: AggregateRequest, message: string) =>
    assert.throws(() => sql.aggregate(schema, request), (e: DatasourceError) => e.code === 'invalid_value' && e.message === message);

  it('groups and measures under g<i> and m_<as>, ordered by the groups; COUNT(*) counts NULLs, COUNT(column) does not', () => {
    const { columns, rows, statement } = exec({
      groupBy: [{ column: 'kind' }],
      measures: [
        { op: 'count', as: 'n' },
        { op: 'count', column: 'price', as: 'priced' },
        { op: 'sum', column: 'price', as: 's' },
        { op: 'mean', column: 'price', as: 'avg' },
        { op: 'min', column: 'price', as: 'lo' },
        { op: 'max', column: 'price', as: 'hi' },
      ],
    });
    assert.deepEqual(columns, ['g0', 'm_n', 'm_priced', 'm_s', 'm_avg', 'm_lo', 'm_hi']);
    assert.deepEqual(statement.columns, ['kind', 'n', 'priced', 's', 'avg', 'lo', 'hi']);
    assert.deepEqual(rows, [
      [null, 1, 1, 7, 7, 7, 7],
      ['a', 3, 2, 12, 6, 2, 10],
      ['b', 1, 1, 5, 5, 5, 5],
      ['c', 1, 1, 1.5, 1.5, 1.5, 1.5],
    ]);
  });

  it('measures the whole table without groups, and lists groups without measures', () => {
    const whole = exec({ groupBy: [], measures: [{ op: 'sum', column: 'price', as: 's' }] });
    assert.equal(whole.statement.sql, 'SELECT SUM("price") AS "m_s" FROM "sales" WHERE 1=1 LIMIT ?');
    assert.deepEqual(whole.rows, [[25.5]]);
    assert.deepEqual(exec({ groupBy: [{ column: 'kind' }], measures: [] }).rows, [[null], ['a'], ['b'], ['c']]);
  });

  it('filters before grouping, and returns one row past the limit to show there are more', () => {
    const filtered = exec({ groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }], filters: [{ column: 'price', op: 'gt', value: 1.5 }], limit: 2 });
    assert.equal(filtered.statement.limit, 2);
    assert.deepEqual(filtered.statement.params, [1.5, 3]);
    assert.deepEqual(filtered.rows, [[null, 1], ['a', 2], ['b', 1]]);
    assert.equal(exec({ groupBy: [{ column: 'kind' }], measures: [], limit: 100_000 }).statement.limit, 100_000);
  });

  it('bins by a positive step, naming bound groups by position in GROUP BY and ORDER BY (? is positional)', () => {
    const { rows, statement } = exec({ groupBy: [{ column: 'price', bin: { step: 5 } }, { column: 'kind' }], measures: [{ op: 'count', as: 'n' }] });
    assert.match(statement.sql, / GROUP BY 1, "kind" ORDER BY 1, "kind" LIMIT \?$/);
    assert.deepEqual(rows, [[null, 'a', 1], [0, 'a', 1], [0, 'c', 1], [5, null, 1], [5, 'b', 1], [10, 'a', 1]]);
    assert.deepEqual(exec({ groupBy: [{ column: 'price', bin: { step: 0.5 } }], measures: [], filters: [{ column: 'kind', op: 'eq', value: 'c' }] }).rows, [[1.5]]);
  });

  it('narrows the rows through a sampling hook and counts them in a hidden last column', () => {
    const seen: string[] = [];
    const sampling: AggregateSampling = {
      from: (table, params) => {
        seen.push(table);
        return `(SELECT * FROM ${table} WHERE id <> ${params.add(99)}) AS ${table}`;
      },
      where: (params) => `id <= ${params.add(4)}`,
    };
    const { columns, rows, statement } = exec({ groupBy: [{ column: 'kind' }], measures: [{ op: 'sum', column: 'price', as: 's' }], filters: [{ column: 'price', op: 'notnull' }] }, sampling);
    assert.deepEqual(seen, ['"sales"']);
    assert.deepEqual(columns, ['g0', 'm_s', SAMPLED_ROWS_ALIAS]);
    assert.equal(SAMPLED_ROWS_ALIAS, 's_rows');
    assert.deepEqual(statement.columns, ['kind', 's'], 'the hidden column is not one of the answer');
    assert.match(statement.sql, / WHERE id <= \? AND "price" IS NOT NULL GROUP BY/);
    assert.deepEqual(statement.params, [99, 4, 10_001]);
    assert.deepEqual(rows, [['a', 10, 1], ['b', 5, 1], ['c', 1.5, 1]]);
    assert.deepEqual(exec({ groupBy: [], measures: [{ op: 'count', as: 'n' }] }, { where: () => 'id > 4' }).rows, [[2, 2]]);
  });

  it('refuses requests it cannot answer, naming the problem', () => {
    refused({ groupBy: [], measures: [] }, 'An aggregate needs a group or a measure.');
    for (const step of [0, -1, Number.NaN, Infinity, '5' as unknown as number]) {
      refused({ groupBy: [{ column: 'price', bin: { step } }], measures: [] }, 'A bin step must be a positive number.');
    }
    refused({ groupBy: [{ column: 'kind', timeUnit: 'week' as 'day' }], measures: [] }, 'Unknown time unit "week".');
    refused({ groupBy: [], measures: [{ op: 'median' as 'sum', column: 'price', as: 'x' }] }, 'Unknown aggregate "median".');
    refused({ groupBy: [], measures: [{ op: 'sum', as: 'x' }] }, 'Aggregate "sum" needs a column.');
    refused({ groupBy: [{ column: 'nope' }], measures: [] }, 'Column "nope" does not exist in sales.');
    refused({ groupBy: [], measures: [{ op: 'max', column: 'nope', as: 'x' }] }, 'Column "nope" does not exist in sales.');
    for (const limit of [0, 100_001, 2.5]) refused({ groupBy: [{ column: 'kind' }], measures: [], limit }, 'Limit must be an integer from 1 to 100000.');
  });
});
