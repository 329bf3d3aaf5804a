import * as assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import type { CellValue, DatasourceError, Filter, SortKey, TableSchema } from '../../api';
import { sqliteDialect } from '../../plugins/kit/sql/dialect';
import { SqlBuilder } from '../../plugins/kit/sql/queryBuilder';
import { column, tableSchema } from '../support/fakePlugins';

// The SQL kit's WHERE clauses and keyset pages run on real SQLite (sql.js): each filter must select exactly the rows
// its meaning says, and paging by cursor through any sort must give every row once, in the order ORDER BY gives.
describe('SQL kit on sql.js: filters and keyset pages (plugins/kit/sql/queryBuilder)', () => {
  let db: Database;
  const schema: TableSchema = tableSchema({
    columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('name'), column('score', { kind: 'integer' })],
  });
  const data: [number, string | null, number | null][] = [
    [1, 'Alpha', 3],
    [2, 'beta', null],
    [3, null, 1],
    [4, 'al_pha', 3],
    [5, 'Gamma', 2],
    [6, 'delta%', null],
    [7, 'BETA', 1],
  ];
  const sql = new SqlBuilder(sqliteDialect);

  before(async () => {
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    db = new SQL.Database();
    db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score INTEGER)');
    for (const row of data) db.run('INSERT INTO t VALUES (?, ?, ?)', row);
  });
  after(() => db.close());

  const run = (statement: { sql: string; params: CellValue[] }): CellValue[][] => db.exec(statement.sql, statement.params as never)[0]?.values ?? [];
  const ids = (filters: Filter[], search?: { text: string; columns?: string[] }) =>
    run(sql.selectPage(schema, { limit: 100, filters, search })).map((r) => r[0]);

  it('comparison, equality and null filters select the rows they name', () => {
    assert.deepEqual(ids([{ column: 'score', op: 'eq', value: 3 }]), [1, 4]);
    assert.deepEqual(ids([{ column: 'score', op: 'eq', value: null }]), [2, 6]);
    assert.deepEqual(ids([{ column: 'score', op: 'ne', value: 3 }]), [2, 3, 5, 6, 7], 'not equal keeps NULLs');
    assert.deepEqual(ids([{ column: 'score', op: 'ne', value: null }]), [1, 3, 4, 5, 7]);
    assert.deepEqual(ids([{ column: 'score', op: 'lt', value: 2 }]), [3, 7]);
    assert.deepEqual(ids([{ column: 'score', op: 'lte', value: 2 }]), [3, 5, 7]);
    assert.deepEqual(ids([{ column: 'score', op: 'gt', value: 2 }]), [1, 4]);
    assert.deepEqual(ids([{ column: 'score', op: 'gte', value: 2 }]), [1, 4, 5]);
    assert.deepEqual(ids([{ column: 'name', op: 'isnull' }]), [3]);
    assert.deepEqual(ids([{ column: 'name', op: 'notnull' }]), [1, 2, 4, 5, 6, 7]);
    assert.deepEqual(ids([{ column: 'score', op: 'gte', value: 2 }, { column: 'name', op: 'startswith', value: 'a' }]), [1, 4], 'filters are ANDed');
  });

  it('text filters are case-insensitive and take % and _ literally', () => {
    assert.deepEqual(ids([{ column: 'name', op: 'contains', value: 'ET' }]), [2, 7]);
    assert.deepEqual(ids([{ column: 'name', op: 'startswith', value: 'al' }]), [1, 4]);
    assert.deepEqual(ids([{ column: 'name', op: 'startswith', value: 'al_' }]), [4]);
    assert.deepEqual(ids([{ column: 'name', op: 'endswith', value: 'TA' }]), [2, 7]);
    assert.deepEqual(ids([{ column: 'name', op: 'endswith', value: '%' }]), [6]);
    assert.deepEqual(ids([], { text: 'PHA' }), [1, 4]);
    assert.deepEqual(ids([], { text: 'a', columns: ['name'] }), [1, 2, 4, 5, 6, 7]);
    assert.deepEqual(ids([], { text: '' }), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(ids([], { text: 'x', columns: [] }), []);
  });

  it('"in" matches the listed values, NULL among them matching NULLs', () => {
    assert.deepEqual(ids([{ column: 'score', op: 'in', value: [1, 2] }]), [3, 5, 7]);
    assert.deepEqual(ids([{ column: 'score', op: 'in', value: [1, null] }]), [2, 3, 6, 7]);
    assert.deepEqual(ids([{ column: 'score', op: 'in', value: [null] }]), [2, 6]);
    assert.deepEqual(ids([{ column: 'score', op: 'in', value: [] }]), []);
    const statement = sql.selectPage(schema, { limit: 5, filters: [{ column: 'score', op: 'in', value: [1, null] }] });
    assert.match(statement.sql, /WHERE \("score" IN \(\?\) OR "score" IS NULL\)/);
    assert.deepEqual(statement.params, [1, 6]);
  });

  it('refuses malformed filters with invalid_value and a message naming the problem', () => {
    const refused = (f: Filter, message: string) =>
      assert.throws(() => sql.selectPage(schema, { limit: 5, filters: [f] }), (e: DatasourceError) => e.code === 'invalid_value' && e.message === message);
    refused({ column: 'nope', op: 'eq', value: 1 }, 'Column "nope" does not exist in t.');
    refused({ column: 'score', op: 'in', value: 1 }, 'Filter "in" on "score" needs a list of values.');
    refused({ column: 'score', op: 'eq', value: [1] }, 'Filter "eq" on "score" takes one value, not a list.');
    refused({ column: 'score', op: 'eq' }, 'Filter "eq" on "score" needs a value.');
    refused({ column: 'score', op: 'lt', value: null }, 'Filter "lt" on "score" cannot compare with NULL; use "is null".');
    refused({ column: 'name', op: 'contains', value: null }, 'Filter "contains" on "name" needs text.');
    refused({ column: 'name', op: 'like' as never, value: 'x' }, 'Unknown filter operator "like".');
  });

  // Every row once, in ORDER BY's order (NULLs first ascending, last descending), for page sizes 1 to 3.
  const expected = (sort: SortKey[]) => {
    const cmp = (a: CellValue, b: CellValue, dir: 'asc' | 'desc') => {
      if (a === b) return 0;
      if (a === null) return dir === 'asc' ? -1 : 1;
      if (b === null) return dir === 'asc' ? 1 : -1;
      const c = (a as number | string) < (b as number | string) ? -1 : 1;
      return dir === 'asc' ? c : -c;
    };
    const index = { id: 0, name: 1, score: 2 } as const;
    return [...data]
      .sort((x, y) => {
        for (const s of [...sort, { column: 'id', direction: 'asc' as const }]) {
          const i = index[s.column as keyof typeof index];
          const c = cmp(x[i], y[i], s.direction);
          if (c !== 0) return c;
        }
        return 0;
      })
      .map((r) => r[0]);
  };
  const sorts: SortKey[][] = [
    [],
    [{ column: 'score', direction: 'asc' }],
    [{ column: 'score', direction: 'desc' }],
    [{ column: 'name', direction: 'desc' }],
    [{ column: 'score', direction: 'desc' }, { column: 'name', direction: 'asc' }],
    [{ column: 'score', direction: 'asc' }, { column: 'name', direction: 'desc' }],
    [{ column: 'id', direction: 'desc' }],
  ];
  for (const sort of sorts) {
    it(`pages by cursor through ${JSON.stringify(sort)}: every row once, in order`, () => {
      for (const limit of [1, 2, 3]) {
        const seen: CellValue[] = [];
        const offsets: (number | undefined)[] = [];
        let after: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const statement = sql.selectPage(schema, { limit, sort, after });
          const page = sql.shapePage(schema, statement, run(statement), limit);
          assert.deepEqual(page.columns, ['id', 'name', 'score']);
          assert.ok(page.rows.every((r) => r.length === 3), 'the cursor columns are cut off the rows');
          assert.deepEqual(page.keys, page.rows.map((r) => ({ id: r[0] })));
          seen.push(...page.rows.map((r) => r[0]));
          offsets.push(page.offset);
          after = page.next;
          if (!after) break;
        }
        assert.deepEqual(seen, expected(sort), `limit ${limit}`);
        const c = seen.length;
        assert.equal(Math.ceil(c / limit), offsets.length, `limit ${limit}: one page per ${limit} rows`);
      }
    });
  }

  it('seeks with one row-value comparison only when every ordering column is non-null and sorted the same way', () => {
    const strict = tableSchema({ columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('name', { nullable: false }), column('score', { kind: 'integer' })] });
    const cursorAfter = (sort: SortKey[], row: CellValue[]) => {
      const first = sql.selectPage(strict, { limit: 1, sort });
      return sql.selectPage(strict, { limit: 1, sort, after: sql.shapePage(strict, first, [row, row], 1).next! });
    };
    const same = cursorAfter([{ column: 'name', direction: 'asc' }], [1, 'Alpha', 3, 'Alpha', 1]);
    assert.match(same.sql, /WHERE 1=1 AND \("name", "id"\) > \(\?, \?\) ORDER BY/);
    assert.deepEqual(same.params, ['Alpha', 1, 2]);
    const mixed = cursorAfter([{ column: 'name', direction: 'desc' }], [1, 'Alpha', 3, 'Alpha', 1]);
    assert.match(mixed.sql, /WHERE 1=1 AND \(\("name" < \? OR "name" IS NULL\) OR \("name" = \? AND "id" > \?\)\) ORDER BY/);
    assert.deepEqual(mixed.params, ['Alpha', 'Alpha', 1, 2]);
    const nullable = cursorAfter([{ column: 'score', direction: 'asc' }], [1, 'Alpha', 3, 3, 1]);
    assert.match(nullable.sql, /WHERE 1=1 AND \("score" > \? OR \("score" = \? AND "id" > \?\)\) ORDER BY/);
  });

  it('pages by offset when asked, and refuses a bad offset', () => {
    const statement = sql.selectPage(schema, { limit: 2, offset: 3, sort: [{ column: 'id', direction: 'asc' }] });
    assert.deepEqual(run(statement).map((r) => r[0]), [4, 5, 6]);
    assert.throws(() => sql.selectPage(schema, { limit: 2, offset: -1 }), (e: DatasourceError) => e.code === 'invalid_value');
    assert.throws(() => sql.selectPage(schema, { limit: 2, offset: 1.5 }), (e: DatasourceError) => e.code === 'invalid_value');
    assert.throws(() => sql.selectPage(schema, { limit: 0 }), (e: DatasourceError) => e.code === 'invalid_value');
  });
});
