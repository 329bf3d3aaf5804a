import * as assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import type { CellValue, ColumnKind, DatasourceError, Filter, ReadRowsRequest, SortKey, TableSchema } from '../../api';
import { encodeCursor } from '../../plugins/kit/sql/cursor';
import { postgresDialect, sqliteDialect } from '../../plugins/kit/sql/dialect';
import { Params, SqlBuilder } from '../../plugins/kit/sql/queryBuilder';
import { column, tableSchema } from '../support/fakePlugins';

// Pages, orderings and quick search of the SQL kit (plugins/kit/sql/queryBuilder.ts) beyond queryBuilderSql.test.ts:
// hidden keys, keyless relations, offsets and cursors together, the seek's shape, and which columns quick search
// reads. Run on sql.js where SQLite can tell; PostgreSQL's text is checked exactly where it differs.
describe('SQL kit on sql.js: pages, orderings and quick search (plugins/kit/sql/queryBuilder)', () => {
  let SQL: Awaited<ReturnType<typeof initSqlJs>>;
  let db: Database;
  before(async () => {
    SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  });
  afterEach(() => db?.close());
  const open = (...statements: string[]) => {
    db = new SQL.Database();
    for (const s of statements) db.run(s);
  };
  const run = (statement: { sql: string; params: CellValue[] }): CellValue[][] => db.exec(statement.sql, statement.params as never)[0]?.values ?? [];
  const refused = (f: () => unknown, message: string) => assert.throws(f, (e: DatasourceError) => e.code === 'invalid_value' && e.message === message);
  const sql = new SqlBuilder(sqliteDialect);

  /** Every page of a request, by cursor: the rows, keys and offsets seen. */
  const pageAll = (builder: SqlBuilder, schema: TableSchema, request: ReadRowsRequest) => {
    const rows: CellValue[][] = [];
    const keys: unknown[] = [];
    const offsets: (number | undefined)[] = [];
    let after = request.after;
    for (let n = 0; n < 30; n++) {
      const statement = builder.selectPage(schema, { ...request, after });
      const page = builder.shapePage(schema, statement, run(statement), request.limit);
      rows.push(...page.rows);
      keys.push(...page.keys);
      offsets.push(page.offset);
      after = page.next;
      if (!after) break;
    }
    return { rows, keys, offsets };
  };

  describe('quick search', () => {
    const text: ColumnKind[] = ['text', 'json', 'uuid', 'enum', 'set', 'date', 'time', 'datetime', 'datetimetz', 'other'];
    const notText: ColumnKind[] = ['integer', 'float', 'decimal', 'boolean', 'interval', 'array', 'blob'];
    const kinds = [...text, ...notText];
    const schema = tableSchema({
      columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), ...kinds.map((kind) => column(`c_${kind}`, { kind }))],
    });

    it('searches every column of a textual kind by default, and no other', () => {
      // Row i holds "zz" in the column of kind i only (SQLite keeps any value in any column).
      open(`CREATE TABLE t (id INTEGER PRIMARY KEY, ${kinds.map((k) => `c_${k}`).join(', ')})`);
      kinds.forEach((kind, i) => db.run(`INSERT INTO t (id, c_${kind}) VALUES (?, 'a zz b')`, [i + 1]));
      const found = run(sql.selectPage(schema, { limit: 100, search: { text: 'ZZ' } })).map((r) => kinds[(r[0] as number) - 1]);
      assert.deepEqual(found, text);
    });

    it('ORs the columns it searches, each with its own bound pattern, and checks they exist', () => {
      const params = new Params(sqliteDialect);
      assert.equal(
        sql.where(schema, params, [], { text: 'a_', columns: ['c_text', 'c_json'] }),
        `(CAST("c_text" AS TEXT) LIKE ? ESCAPE '\\' OR CAST("c_json" AS TEXT) LIKE ? ESCAPE '\\')`,
      );
      assert.deepEqual(params.values, ['%a\\_%', '%a\\_%']);
      refused(() => sql.where(schema, new Params(sqliteDialect), [], { text: 'a', columns: ['nope'] }), 'Column "nope" does not exist in t.');
      refused(() => sql.where(schema, new Params(sqliteDialect), [{ column: 'nope', op: 'contains', value: 'a' }]), 'Column "nope" does not exist in t.');
      assert.equal(sql.where(tableSchema({ columns: [column('id', { kind: 'integer' })] }), new Params(sqliteDialect), [], { text: 'a' }), '1=0', 'nothing to search: no row');
    });
  });

  describe('filter statements', () => {
    const where = (filters: Filter[], builder = sql, schema = tableSchema({ columns: [column('id', { kind: 'integer', primaryKeyPosition: 1, nullable: false }), column('score', { kind: 'integer' }), column('doc', { kind: 'json' })] })) => {
      const params = new Params(builder.dialect);
      return { sql: builder.where(schema, params, filters), params: params.values };
    };

    it('says IS NULL / IS NOT NULL for NULL, binding nothing', () => {
      assert.deepEqual(where([{ column: 'score', op: 'ne', value: null }]), { sql: '"score" IS NOT NULL', params: [] });
      assert.deepEqual(where([{ column: 'score', op: 'in', value: [null] }]), { sql: '("score" IS NULL)', params: [] });
      assert.deepEqual(where([{ column: 'score', op: 'in', value: [2, null] }]), { sql: '("score" IN (?) OR "score" IS NULL)', params: [2] });
    });

    it('takes at most 1,000 values in one "in" list', () => {
      const list = (n: number) => [{ column: 'score', op: 'in', value: Array.from({ length: n }, (_, i) => i) }] as Filter[];
      assert.equal(where(list(1_000)).params.length, 1_000);
      refused(() => where(list(1_001)), 'Filter "in" takes at most 1000 values.');
    });

    it('matches text against the column as stored, comparing through `comparable` otherwise (PostgreSQL json)', () => {
      const pg = new SqlBuilder(postgresDialect, { comparable: (c, q) => (c.kind === 'json' ? `(${q})::text` : q) });
      assert.deepEqual(
        where(
          [
            { column: 'doc', op: 'contains', value: 'a' },
            { column: 'doc', op: 'startswith', value: 'b' },
            { column: 'doc', op: 'endswith', value: 'c' },
            { column: 'doc', op: 'eq', value: '{}' },
          ],
          pg,
        ),
        {
          sql: `("doc")::text ILIKE $1 ESCAPE '\\' AND ("doc")::text ILIKE $2 ESCAPE '\\' AND ("doc")::text ILIKE $3 ESCAPE '\\' AND ("doc")::text = $4`,
          params: ['%a%', 'b%', '%c', '{}'],
        },
      );
    });
  });

  describe('orderings', () => {
    const people = tableSchema({
      columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('name', { nullable: false }), column('score', { kind: 'integer' })],
    });

    it('refuses a sort direction other than asc or desc', () => {
      refused(() => sql.selectPage(people, { limit: 5, sort: [{ column: 'name', direction: 'up' as 'asc' }] }), 'Sort direction must be "asc" or "desc".');
    });

    it('does not sort by the key twice when the sort names it', () => {
      assert.match(sql.selectPage(people, { limit: 5, sort: [{ column: 'id', direction: 'desc' }] }).sql, / ORDER BY "id" DESC LIMIT \?$/);
    });

    it('seeks with a plain comparison on one column, and a row value in the shared direction on several', () => {
      const after = (sort: SortKey[], row: CellValue[]) => {
        const first = sql.selectPage(people, { limit: 1, sort });
        return sql.selectPage(people, { limit: 1, sort, after: sql.shapePage(people, first, [row, row], 1).next! });
      };
      assert.match(after([], [4, 'x', 1]).sql, /WHERE 1=1 AND \("id" > \?\) ORDER BY "id" ASC LIMIT \?$/);
      assert.match(after([{ column: 'id', direction: 'desc' }], [4, 'x', 1]).sql, /WHERE 1=1 AND \(\("id" < \? OR "id" IS NULL\)\) ORDER BY/);
      const both = after([{ column: 'name', direction: 'desc' }, { column: 'id', direction: 'desc' }], [4, 'x', 1]);
      assert.match(both.sql, /WHERE 1=1 AND \("name", "id"\) < \(\?, \?\) ORDER BY "name" DESC, "id" DESC LIMIT \?$/);
      assert.deepEqual(both.params, ['x', 4, 2]);
    });

    it('pages every row once through a sort all descending', () => {
      open('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER)', "INSERT INTO t VALUES (1, 'b', 1), (2, 'a', 2), (3, 'b', 3), (4, 'c', 4), (5, 'a', 5)");
      const { rows } = pageAll(sql, people, { limit: 2, sort: [{ column: 'name', direction: 'desc' }, { column: 'id', direction: 'desc' }] });
      assert.deepEqual(rows.map((r) => r[0]), [4, 3, 1, 5, 2]);
    });

    it('pages past a NULL in a column the schema calls NOT NULL (an outer join in a view can hold one)', () => {
      open('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score INTEGER)', "INSERT INTO t VALUES (1, 'b', 1), (2, NULL, 2), (3, 'a', 3), (4, NULL, 4)");
      const { rows } = pageAll(sql, people, { limit: 1, sort: [{ column: 'name', direction: 'asc' }] });
      assert.deepEqual(rows.map((r) => r[0]), [2, 4, 3, 1]);
    });

    it('finds nothing after a NULL sorted descending (NULLs come last)', () => {
      const nullableKey = tableSchema({ columns: [column('code'), column('name')], primaryKey: [], rowKey: { columns: ['code'] } });
      const sort: SortKey[] = [{ column: 'code', direction: 'desc' }];
      const after = encodeCursor(JSON.stringify([['code', 'desc']]), [null]);
      const statement = sql.selectPage(nullableKey, { limit: 5, sort, after });
      assert.deepEqual(statement.sql, 'SELECT "code", "name" FROM "t" WHERE 1=1 AND 1=0 ORDER BY "code" DESC LIMIT ?');
      open('CREATE TABLE t (code TEXT, name TEXT)', "INSERT INTO t VALUES ('a', 'x'), (NULL, 'y')");
      assert.deepEqual(run(statement), []);
    });

    it('refuses a cursor made for another sort of the same length', () => {
      const first = sql.selectPage(people, { limit: 1, sort: [{ column: 'name', direction: 'asc' }] });
      const next = sql.shapePage(people, first, [[1, 'a', 1], [2, 'b', 2]], 1).next!;
      for (const sort of [[{ column: 'name', direction: 'desc' }], [{ column: 'score', direction: 'asc' }]] as SortKey[][]) {
        assert.throws(() => sql.selectPage(people, { limit: 1, sort, after: next }), (e: DatasourceError) => e.message.includes('it was made for a different sort order'));
      }
    });
  });

  describe('a hidden row key (SQLite rowid)', () => {
    const hidden = tableSchema({ columns: [column('name'), column('score', { kind: 'integer' })], primaryKey: [], rowKey: { columns: ['rowid'], synthetic: true } });
    const pg = new SqlBuilder(postgresDialect);

    it('selects the key after the values, cuts it off the rows and returns it as the key', () => {
      open('CREATE TABLE t (name TEXT, score INTEGER)', "INSERT INTO t VALUES ('a', 2), ('b', 1), ('c', 2), ('a', NULL)");
      const statement = sql.selectPage(hidden, { limit: 3, sort: [{ column: 'score', direction: 'asc' }] });
      assert.equal(statement.sql, 'SELECT "name", "score", "rowid" AS "__k0", "rowid" AS "__o1" FROM "t" WHERE 1=1 ORDER BY "score" ASC, "rowid" ASC LIMIT ?');
      assert.deepEqual([statement.keyIndexes, statement.orderingIndexes], [[2], [1, 3]]);
      const { rows, keys } = pageAll(sql, hidden, { limit: 3, sort: [{ column: 'score', direction: 'asc' }] });
      assert.deepEqual(rows, [['a', null], ['b', 1], ['a', 2], ['c', 2]]);
      assert.deepEqual(keys, [{ rowid: 4 }, { rowid: 2 }, { rowid: 1 }, { rowid: 3 }]);
    });

    it('sorts by the hidden key when asked, as a column that holds no NULL', () => {
      open('CREATE TABLE t (name TEXT, score INTEGER)', "INSERT INTO t VALUES ('a', 2), ('b', 1), ('c', 2)");
      const { rows } = pageAll(sql, hidden, { limit: 2, sort: [{ column: 'rowid', direction: 'desc' }] });
      assert.deepEqual(rows.map((r) => r[0]), ['c', 'b', 'a']);
      assert.match(pg.selectPage(hidden, { limit: 2, sort: [{ column: 'rowid', direction: 'desc' }] }).sql, / ORDER BY "rowid" DESC LIMIT \$1$/);
    });
  });

  describe('a key compared through `comparable`', () => {
    it('seeks and returns the key by that expression', () => {
      const codes = tableSchema({ columns: [column('n', { kind: 'integer' }), column('code', { nullable: false })], primaryKey: [], rowKey: { columns: ['code'] } });
      const nocase = new SqlBuilder(sqliteDialect, { comparable: (c, q) => (c.kind === 'text' ? `${q} COLLATE NOCASE` : q) });
      open('CREATE TABLE t (n INTEGER, code TEXT)', "INSERT INTO t VALUES (1, 'b'), (2, 'A'), (3, 'c'), (4, 'B2')");
      assert.match(nocase.selectPage(codes, { limit: 2 }).sql, /^SELECT "n", "code", "code" COLLATE NOCASE AS "__k0", "code" COLLATE NOCASE AS "__o0" FROM "t" WHERE 1=1 ORDER BY "code" COLLATE NOCASE ASC/);
      const { rows } = pageAll(nocase, codes, { limit: 1 });
      assert.deepEqual(rows, [[2, 'A'], [1, 'b'], [4, 'B2'], [3, 'c']]);
    });
  });

  describe('keyless relations and offsets', () => {
    const view = tableSchema({ kind: 'view', columns: [column('name'), column('score', { kind: 'integer' })], primaryKey: [], rowKey: undefined });
    const keyed = tableSchema({ columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('name')] });
    const rows = "INSERT INTO t VALUES ('e', 5), ('a', 1), ('d', 4), ('b', 2), ('c', 3)";

    it('pages a relation without a key by offset: no keys, the offset on each page, every row once', () => {
      open('CREATE TABLE t (name TEXT, score INTEGER)', rows);
      const first = sql.selectPage(view, { limit: 2 });
      assert.deepEqual(first.orderingIndexes, []);
      const result = pageAll(sql, view, { limit: 2 });
      assert.deepEqual(result.rows.map((r) => r[0]), ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(result.keys, [null, null, null, null, null]);
      assert.deepEqual(result.offsets, [undefined, 2, 4]);
      assert.deepEqual(pageAll(sql, view, { limit: 2, offset: 0 }).offsets, [0, 2, 4]);
      assert.deepEqual(pageAll(sql, view, { limit: 2, offset: 3 }).rows.map((r) => r[0]), ['d', 'e']);
    });

    it('reports the offset a keyed page was read at, and no offset when none was given', () => {
      open('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)', "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      const at = sql.selectPage(keyed, { limit: 1, offset: 1 });
      assert.equal(at.offset, 1);
      assert.equal(sql.shapePage(keyed, at, run(at), 1).offset, 1);
      const plain = sql.selectPage(keyed, { limit: 1 });
      assert.ok(!('offset' in plain) && !('offset' in sql.shapePage(keyed, plain, run(plain), 1)));
    });

    it('continues a keyed page from its cursor, not from an offset given with it', () => {
      open('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)', "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
      const first = sql.selectPage(keyed, { limit: 1 });
      const after = sql.shapePage(keyed, first, run(first), 1).next!;
      const next = sql.selectPage(keyed, { limit: 1, after, offset: 2 });
      assert.ok(!next.sql.includes('OFFSET') && !('offset' in next));
      assert.deepEqual(sql.shapePage(keyed, next, run(next), 1).rows, [[2, 'b']]);
    });

    it('reads a PostgreSQL table without columns (CREATE TABLE t ()) with no ORDER BY at all', () => {
      // Nothing to order by: `ORDER BY` with an empty list would be a syntax error; `SELECT FROM` is valid there.
      const empty = tableSchema({ columns: [], primaryKey: [], rowKey: undefined });
      assert.equal(new SqlBuilder(postgresDialect).selectPage(empty, { limit: 3 }).sql, 'SELECT  FROM "t" WHERE 1=1 LIMIT $1');
    });

    it('refuses offsets and offset cursors that are not non-negative integers', () => {
      refused(() => sql.selectPage(view, { limit: 1, offset: -1 }), 'Offset must be a non-negative integer.');
      for (const offset of [-1, 1.5, '3', 2n, null]) {
        refused(() => sql.selectPage(view, { limit: 1, after: encodeCursor('offset', [offset]) }), 'This page cursor cannot be used; reload the table.');
      }
      assert.match(sql.selectPage(view, { limit: 1, after: encodeCursor('offset', [0]) }).sql, /OFFSET \?$/);
    });
  });
});
