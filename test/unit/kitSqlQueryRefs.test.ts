import * as assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import type { CellValue, TableRef, TableSchema } from '../../api';
import { postgresDialect, sqliteDialect } from '../../plugins/kit/sql/dialect';
import { SqlBuilder, uniqueColumnNames } from '../../plugins/kit/sql/queryBuilder';
import { column, tableSchema } from '../support/fakePlugins';

// The statements SqlBuilder wraps around a query reference (`WITH "nocoflo_query" AS (…) SELECT …`): the
// statement's own parameters bound first, the text placed where queryOffset says, its own ORDER BY kept until a
// view sorts, and a key used for keyset paging when the schema has one. Run on real SQLite (sql.js).
describe('SQL kit: query references (plugins/kit/sql/queryBuilder)', () => {
  let db: Database;
  const sql = new SqlBuilder(sqliteDialect);
  const ref = (text: string, params?: CellValue[]): TableRef => ({ name: 'q', query: { text, ...(params ? { params } : {}) } });
  const querySchema = (query: TableRef, names = ['id', 'name'], overrides: Partial<TableSchema> = {}): TableSchema =>
    tableSchema({ table: query, kind: 'query', columns: names.map((n) => column(n, n.startsWith('id') ? { kind: 'integer' } : {})), primaryKey: [], rowKey: undefined, ...overrides });
  const rows = (statement: { sql: string; params: CellValue[] }) => {
    const st = db.prepare(statement.sql);
    st.bind(statement.params as never);
    const out: unknown[][] = [];
    while (st.step()) out.push(st.get());
    st.free();
    return out;
  };

  before(async () => {
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    db = new SQL.Database();
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'c'), (2, 'a'), (3, 'b'), (4, 'a');");
  });
  after(() => db.close());

  it('places the text after the WITH opening, where queryOffset says, keeping its leading whitespace', () => {
    const text = '\n  SELECT id FROM t;  ';
    const prefix = sql.prefix(ref(text));
    assert.equal(prefix, 'WITH "nocoflo_query" AS (\n\n  SELECT id FROM t\n) ');
    assert.equal(prefix.slice(sql.queryOffset(), sql.queryOffset() + 5), '\n  SE');
    assert.equal(sql.prefix({ name: 't' }), '');
    const named = sql.prefix(ref('SELECT 1, 1'), ['a', 'a (2)']);
    assert.equal(named, 'WITH "nocoflo_query"("a", "a (2)") AS (\nSELECT 1, 1\n) ');
    assert.equal(named.indexOf('SELECT 1, 1'), sql.queryOffset(['a', 'a (2)']));
  });

  it('ends the statement before a trailing ; and comment, so the wrapper still closes', () => {
    const query = ref('SELECT id, name FROM t WHERE id = ?; -- one row\n', [3]);
    assert.deepEqual(rows(sql.selectPage(querySchema(query), { limit: 10 })), [[3, 'b']]);
  });

  it('binds the statement’s own parameters first, then the filters’ and the limit', () => {
    const query = ref('SELECT id, name FROM t WHERE id > ?', [1]);
    const page = sql.selectPage(querySchema(query), { limit: 2, filters: [{ column: 'name', op: 'eq', value: 'a' }] });
    assert.deepEqual(page.params, [1, 'a', 3]);
    assert.ok(page.sql.startsWith('WITH "nocoflo_query" AS (\nSELECT id, name FROM t WHERE id > ?\n) SELECT'));
    assert.deepEqual(rows(page), [[2, 'a'], [4, 'a']]);
    const pg = new SqlBuilder(postgresDialect).describeQuery(ref('SELECT * FROM t WHERE id = $1', [7]));
    assert.deepEqual(pg.params, [7]);
    assert.equal(pg.sql, 'WITH "nocoflo_query" AS (\nSELECT * FROM t WHERE id = $1\n) SELECT * FROM "nocoflo_query" LIMIT 0');
  });

  it('keeps the statement’s own ORDER BY without a view sort, paging by offset', () => {
    const query = ref('SELECT id, name FROM t ORDER BY name DESC, id');
    const first = sql.selectPage(querySchema(query), { limit: 2 });
    assert.ok(!/\) SELECT .* ORDER BY/.test(first.sql.slice(first.sql.indexOf(') SELECT'))), first.sql);
    assert.deepEqual(rows(first), [[1, 'c'], [3, 'b'], [2, 'a']]);
    const second = sql.selectPage(querySchema(query), { limit: 2, offset: 2 });
    assert.deepEqual(rows(second), [[2, 'a'], [4, 'a']]);
  });

  it('orders by the view’s sort, then every column, when the result has no key', () => {
    const query = ref('SELECT id, name FROM t ORDER BY id');
    const page = sql.selectPage(querySchema(query), { limit: 10, sort: [{ column: 'name', direction: 'asc' }] });
    assert.match(page.sql, /ORDER BY "name" ASC, "id" ASC/);
    assert.deepEqual(rows(page).map((r) => r[0]), [2, 4, 3, 1]);
  });

  it('pages by its key (keyset) when the schema has one and the statement does not order itself', () => {
    const query = ref('SELECT id, name FROM t');
    const schema = querySchema(query, ['id', 'name'], { rowKey: { columns: ['id'] } });
    const page = sql.selectPage(schema, { limit: 2 });
    assert.match(page.sql, /ORDER BY "id" ASC/);
    const shaped = sql.shapePage(schema, page, rows(page) as CellValue[][], 2);
    assert.deepEqual(shaped.rows, [[1, 'c'], [2, 'a']]);
    const next = sql.selectPage(schema, { limit: 2, after: shaped.next! });
    assert.deepEqual(next.params, [2, 3]);
    assert.deepEqual(rows(next), [[3, 'b'], [4, 'a']]);
  });

  it('names duplicate result columns apart in the WITH column list, so each can be read, sorted and filtered', () => {
    assert.deepEqual(uniqueColumnNames(['id', 'id', 'name', 'id', 'id (2)']), ['id', 'id (3)', 'name', 'id (4)', 'id (2)']);
    const query = ref('SELECT a.id, b.id FROM t a JOIN t b ON b.id = a.id + 1');
    const schema = querySchema(query, ['id', 'id (2)']);
    const page = sql.selectPage(schema, { limit: 10, sort: [{ column: 'id (2)', direction: 'desc' }], filters: [{ column: 'id', op: 'lt', value: 3 }] });
    assert.ok(page.sql.startsWith('WITH "nocoflo_query"("id", "id (2)") AS ('), page.sql);
    assert.deepEqual(rows(page), [[2, 3], [1, 2]]);
    assert.deepEqual(rows(sql.count(schema, {})), [[3]]);
    const agg = sql.aggregate(schema, { groupBy: [], measures: [{ op: 'max', column: 'id (2)', as: 'm' }] });
    assert.deepEqual(rows(agg), [[4]]);
  });
});
