import * as assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import type { CellValue, DatasourceError, RowChange, TableSchema } from '../../api';
import { postgresDialect, sqliteDialect } from '../../plugins/kit/sql/dialect';
import { SqlBuilder, type Statement } from '../../plugins/kit/sql/queryBuilder';
import { column, tableSchema } from '../support/fakePlugins';

// The SQL kit's write statements, row lookups and counts (plugins/kit/sql/queryBuilder.ts) run on real SQLite
// (sql.js): a write touches exactly the row its key names and only while that row still holds the values the user
// saw (the conflict check), and every refusal says what is wrong before anything runs.
describe('SQL kit on sql.js: writes, row lookups and counts (plugins/kit/sql/queryBuilder)', () => {
  let db: Database;
  const people: TableSchema = tableSchema({
    table: { name: 'people' },
    columns: [
      column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }),
      column('name'),
      column('score', { kind: 'integer' }),
      column('double', { kind: 'integer', generated: true }),
      column('stamp', { readOnly: true }),
    ],
  });
  // A key over a text column that compares case-insensitively (like a PostgreSQL citext key), and a nullable part.
  const codes: TableSchema = tableSchema({
    table: { name: 'codes' },
    columns: [column('n', { kind: 'integer' }), column('code', { nullable: false }), column('region'), column('label')],
    primaryKey: [],
    rowKey: { columns: ['code', 'region'] },
  });
  const sql = new SqlBuilder(sqliteDialect);
  const nocase = new SqlBuilder(sqliteDialect, { comparable: (c, q) => (c.kind === 'text' ? `${q} COLLATE NOCASE` : q) });

  let SQL: Awaited<ReturnType<typeof initSqlJs>>;
  before(async () => {
    SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  });
  // A fresh database per test: each one writes.
  beforeEach(() => {
    db = new SQL.Database();
    db.run(`CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'nobody', score INTEGER, double INTEGER GENERATED ALWAYS AS (score * 2), stamp TEXT DEFAULT 'now')`);
    db.run(`INSERT INTO people (id, name, score) VALUES (1, 'Ada', 3), (2, 'Bob', NULL), (3, NULL, 5)`);
    db.run('CREATE TABLE codes (n INTEGER, code TEXT NOT NULL, region TEXT, label TEXT)');
    db.run(`INSERT INTO codes VALUES (1, 'abc', 'eu', 'one'), (2, 'abc', NULL, 'two'), (3, 'xyz', 'us', NULL)`);
  });
  afterEach(() => db.close());

  const run = (statement: Statement): CellValue[][] => db.exec(statement.sql, statement.params as never)[0]?.values ?? [];
  /** Runs a write and answers how many rows it changed. */
  const write = (statement: Statement): number => {
    db.run(statement.sql, statement.params as never);
    return db.getRowsModified();
  };
  const all = (table = 'people'): CellValue[][] => db.exec(`SELECT * FROM ${table} ORDER BY rowid`)[0]?.values ?? [];
  const refused = (f: () => unknown, code: string, message: string) =>
    assert.throws(f, (e: DatasourceError) => e.code === code && e.message === message);

  describe('insert', () => {
    it('inserts the given columns, all values bound', () => {
      const statement = sql.insert(people, { id: 4, name: "O'Neil", score: null });
      assert.deepEqual(statement, { sql: 'INSERT INTO "people" ("id", "name", "score") VALUES (?, ?, ?)', params: [4, "O'Neil", null] });
      assert.equal(write(statement), 1);
      assert.deepEqual(all().at(-1), [4, "O'Neil", null, null, 'now']);
    });

    it('inserts a row of defaults when no column is given', () => {
      assert.deepEqual(sql.insert(people, {}), { sql: 'INSERT INTO "people" DEFAULT VALUES', params: [] });
      assert.equal(write(sql.insert(people, {})), 1);
      assert.deepEqual(all().at(-1), [4, 'nobody', null, null, 'now']);
    });

    it('refuses generated, read-only and unknown columns, and read-only tables, naming why', () => {
      refused(() => sql.insert(people, { id: 5, double: 1 }), 'read_only', 'Column "double" cannot be written (generated).');
      refused(() => sql.insert(people, { stamp: 'x' }), 'read_only', 'Column "stamp" cannot be written (read-only).');
      refused(() => sql.insert(people, { nope: 1 }), 'invalid_value', 'Column "nope" does not exist in people.');
      refused(() => sql.insert({ ...people, readOnlyReason: 'It is a view.' }, {}), 'read_only', 'It is a view.');
    });
  });

  describe('update and delete', () => {
    it('updates exactly the keyed row while it holds the expected values, NULLs included', () => {
      const statement = sql.update(people, { id: 2 }, { name: 'Bo', score: 7 }, { name: 'Bob', score: null });
      assert.deepEqual(statement, { sql: 'UPDATE "people" SET "name" = ?, "score" = ? WHERE "id" = ? AND "name" IS ? AND "score" IS ?', params: ['Bo', 7, 2, 'Bob', null] });
      assert.equal(write(statement), 1);
      assert.deepEqual(all(), [[1, 'Ada', 3, 6, 'now'], [2, 'Bo', 7, 14, 'now'], [3, null, 5, 10, 'now']]);
    });

    it('changes nothing when the row no longer holds what the user saw', () => {
      assert.equal(write(sql.update(people, { id: 2 }, { name: 'Bo' }, { name: 'Robert' })), 0);
      assert.equal(write(sql.update(people, { id: 3 }, { name: 'Cy' }, { name: 'Cy' })), 0, 'NULL is not "Cy"');
      assert.equal(write(sql.delete(people, { id: 1 }, { score: 4 })), 0);
      assert.equal(write(sql.delete(people, { id: 1 }, { score: null })), 0);
      assert.equal(all().length, 3);
      assert.equal(write(sql.delete(people, { id: 9 }, {})), 0, 'a key no row has');
    });

    it('deletes exactly the keyed row while it holds the expected values', () => {
      const statement = sql.delete(people, { id: 3 }, { name: null, score: 5 });
      assert.deepEqual(statement, { sql: 'DELETE FROM "people" WHERE "id" = ? AND "name" IS ? AND "score" IS ?', params: [3, null, 5] });
      assert.equal(write(statement), 1);
      assert.deepEqual(all().map((r) => r[0]), [1, 2]);
    });

    it('addresses a row by a composite key with a NULL part, and compares through `comparable`', () => {
      assert.equal(write(nocase.update(codes, { code: 'ABC', region: null }, { label: 'TWO' }, { label: 'two', n: 2 })), 1);
      assert.deepEqual(all('codes'), [[1, 'abc', 'eu', 'one'], [2, 'abc', null, 'TWO'], [3, 'xyz', 'us', null]]);
      assert.equal(write(sql.update(codes, { code: 'ABC', region: 'eu' }, { label: 'x' }, {})), 0, 'without it the key is case-sensitive');
      assert.equal(write(nocase.delete(codes, { code: 'ABC', region: 'EU' }, { label: 'ONE' })), 1);
      assert.deepEqual(all('codes').map((r) => r[0]), [2, 3]);
    });

    it('refuses what cannot be written, before anything runs', () => {
      refused(() => sql.update(people, { id: 1 }, {}, {}), 'invalid_value', 'An update needs at least one changed column.');
      refused(() => sql.update(people, { id: 1 }, { double: 2 }, {}), 'read_only', 'Column "double" cannot be written (generated).');
      refused(() => sql.update(people, { id: 1 }, { nope: 2 }, {}), 'invalid_value', 'Column "nope" does not exist in people.');
      refused(() => sql.update(people, {}, { name: 'x' }, {}), 'invalid_value', 'The row key lacks "id".');
      refused(() => sql.delete(codes, { code: 'abc' }, {}), 'invalid_value', 'The row key lacks "region".');
      refused(() => sql.update(people, { id: 1 }, { name: 'x' }, { nope: 1 }), 'invalid_value', 'Column "nope" does not exist in people.');
      const locked = { ...people, readOnlyReason: 'Opened read-only.' };
      refused(() => sql.update(locked, { id: 1 }, { name: 'x' }, {}), 'read_only', 'Opened read-only.');
      refused(() => sql.delete(locked, { id: 1 }, {}), 'read_only', 'Opened read-only.');
      const keyless = { ...people, rowKey: undefined };
      refused(() => sql.update(keyless, { id: 1 }, { name: 'x' }, {}), 'read_only', 'Rows of this table cannot be addressed.');
      refused(() => sql.delete(keyless, { id: 1 }, {}), 'read_only', 'Rows of this table cannot be addressed.');
      assert.deepEqual(all().map((r) => r[1]), ['Ada', 'Bob', null]);
    });
  });

  describe('statementFor (what "Preview SQL" shows and a save runs)', () => {
    it('builds the statement of each kind of change', () => {
      const changes: RowChange[] = [
        { kind: 'insert', values: { id: 7, name: 'Eve' } },
        { kind: 'update', key: { id: 7 }, changes: { score: 1 }, expected: { score: null } },
        { kind: 'delete', key: { id: 1 }, expected: { name: 'Ada' } },
      ];
      assert.deepEqual(changes.map((c) => write(sql.statementFor(people, c))), [1, 1, 1]);
      assert.deepEqual(all(), [[2, 'Bob', null, null, 'now'], [3, null, 5, 10, 'now'], [7, 'Eve', 1, 2, 'now']]);
      refused(() => sql.statementFor(people, { kind: 'upsert' } as never), 'invalid_value', 'A change is an insert, an update or a delete.');
    });
  });

  describe('selectByKey', () => {
    it('reads the one row with the key, its key columns after the values as __k<i>', () => {
      const statement = sql.selectByKey(people, { id: 2 });
      assert.deepEqual(statement, { sql: 'SELECT "id", "name", "score", "double", "stamp", "id" AS "__k0" FROM "people" WHERE "id" = ?', params: [2] });
      assert.deepEqual(db.exec(statement.sql, statement.params as never)[0]?.columns, ['id', 'name', 'score', 'double', 'stamp', '__k0']);
      assert.deepEqual(run(statement), [[2, 'Bob', null, null, 'now', 2]]);
      assert.deepEqual(run(sql.selectByKey(people, { id: 9 })), []);
    });

    it('matches a NULL key part with IS NULL, and the key through `comparable`', () => {
      const statement = nocase.selectByKey(codes, { code: 'ABC', region: null });
      assert.deepEqual(statement, {
        sql: 'SELECT "n", "code", "region", "label", "code" COLLATE NOCASE AS "__k0", "region" COLLATE NOCASE AS "__k1" FROM "codes" WHERE "code" COLLATE NOCASE = ? AND "region" COLLATE NOCASE IS NULL',
        params: ['ABC'],
      });
      assert.deepEqual(run(statement), [[2, 'abc', null, 'two', 'abc', null]]);
    });

    it('refuses a relation without a row key, with its own reason when it has one', () => {
      refused(() => sql.selectByKey({ ...people, rowKey: undefined }, { id: 1 }), 'read_only', 'Rows of this table cannot be addressed.');
      refused(() => sql.selectByKey({ ...people, rowKey: { columns: [] }, readOnlyReason: 'A view without a key.' }, { id: 1 }), 'read_only', 'A view without a key.');
    });
  });

  describe('count', () => {
    const n = (statement: Statement) => run(statement)[0]![0];

    it('counts the rows the filters and the quick search select', () => {
      assert.deepEqual(sql.count(people), { sql: 'SELECT count(*) AS n FROM "people" WHERE 1=1', params: [] });
      assert.equal(n(sql.count(people)), 3);
      assert.equal(n(sql.count(people, { filters: [{ column: 'score', op: 'notnull' }] })), 2);
      assert.equal(n(sql.count(people, { search: { text: 'B' } })), 1);
    });

    it('stops counting one row past the cap', () => {
      const statement = sql.count(people, { cap: 1, filters: [{ column: 'id', op: 'gt', value: 0 }] });
      assert.deepEqual(statement, { sql: 'SELECT count(*) AS n FROM (SELECT 1 AS one FROM "people" WHERE "id" > ? LIMIT ?) capped', params: [0, 2] });
      assert.equal(n(statement), 2, 'more than 1');
      assert.equal(n(sql.count(people, { cap: 3 })), 3, 'exactly 3, not more');
      assert.equal(sql.count(people, { cap: Number.MAX_SAFE_INTEGER - 1 }).params[0], Number.MAX_SAFE_INTEGER);
      refused(() => sql.count(people, { cap: Number.MAX_SAFE_INTEGER }), 'invalid_value', `Limit must be an integer from 1 to ${Number.MAX_SAFE_INTEGER - 1}.`);
      refused(() => sql.count(people, { cap: 0 }), 'invalid_value', `Limit must be an integer from 1 to ${Number.MAX_SAFE_INTEGER - 1}.`);
    });

    it('names a schema-qualified table with each part quoted', () => {
      const statement = new SqlBuilder(postgresDialect).count({ ...people, table: { schema: 'hr', name: 'people' } }, { cap: 5 });
      assert.deepEqual(statement, { sql: 'SELECT count(*) AS n FROM (SELECT 1 AS one FROM "hr"."people" WHERE 1=1 LIMIT $1) capped', params: [6] });
      // SQLite's "main" schema is a schema too.
      assert.equal(n(sql.count({ ...people, table: { schema: 'main', name: 'people' } })), 3);
    });
  });
});
