// Keyset paging, filters, search, counts and aggregates of the PostgreSQL datasource over 20,000 rows on a real
// server: every row exactly once in the promised order (NULLs first ascending, last descending; the key breaks
// ties), whatever the sort, with bigint, text, numeric and timestamptz values in the cursors.
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceContext, DatasourceSession, Filter, ReadRowsRequest, SortKey, TableRef } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { startPostgres, type PostgresServer } from '../support/servers/postgresServer';
import { expectedOrder, readAllPages } from '../support/pagingOracle';

const ROWS = 20_000;
const KINDS = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta'];
// Row i (the same formulas as the SQL below): ties everywhere, NULLs in every nullable column.
const kindOf = (i: number) => KINDS[i % 7];
const scoreOf = (i: number) => (i % 11 === 0 ? null : (i * 7919) % 97);
const nameOf = (i: number) => (i % 13 === 0 ? null : i % 2 ? `Name_${i % 50}%` : `name_${i % 50}`);
const hourOf = (i: number) => (i % 17 === 0 ? null : (i * 37) % 1000);
const amountOf = (i: number) => ((i * 31) % 1000) / 4;

const FILL = `
  CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, score int, name text, at timestamptz, amount numeric(12,2));
  INSERT INTO events
  SELECT i, (ARRAY['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta'])[i % 7 + 1],
         CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919) % 97 END,
         CASE WHEN i % 13 = 0 THEN NULL WHEN i % 2 = 1 THEN 'Name_' || (i % 50) || '%' ELSE 'name_' || (i % 50) END,
         CASE WHEN i % 17 = 0 THEN NULL ELSE timestamptz '2024-01-01 00:00:00+00' + ((i * 37) % 1000) * interval '1 hour' END,
         ((i * 31) % 1000) / 4.0
    FROM generate_series(1, ${ROWS}) i;
  ANALYZE events;
  CREATE TABLE floats (id int PRIMARY KEY, x float8);
  INSERT INTO floats VALUES (1, 'NaN'), (2, 'Infinity'), (3, '-Infinity'), (4, NULL), (5, 0.5), (6, 'NaN'), (7, 'Infinity'), (8, -0.25), (9, NULL), (10, '-Infinity');
`;

describe('PostgreSQL keyset paging, filters, counts and aggregates', function () {
  this.timeout(60_000);
  const table: TableRef = { schema: 'public', name: 'events' };
  const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };
  let server: PostgresServer;
  let session: DatasourceSession;

  before(async () => {
    server = await startPostgres();
    await server.admin(`SET ROLE ${server.user}; ${FILL}`);
    session = await createPostgresDatasource().connect({ host: server.host, port: server.port, database: server.database, user: server.user }, { password: server.password }, context);
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  const readAll = (request: Omit<ReadRowsRequest, 'limit' | 'after'>, limit = 997) => readAllPages(session, table, request, limit);


  const all = Array.from({ length: ROWS }, (_, i) => i + 1);
  const value = (i: number, column: string): string | number | null =>
    ({ id: i, kind: kindOf(i), score: scoreOf(i), name: nameOf(i), at: hourOf(i), amount: amountOf(i) })[column] ?? null;



  for (const sort of [
    [{ column: 'score', direction: 'asc' }],
    [{ column: 'score', direction: 'desc' }],
    [{ column: 'kind', direction: 'asc' }, { column: 'score', direction: 'desc' }],
    [{ column: 'name', direction: 'desc' }, { column: 'id', direction: 'desc' }],
    [{ column: 'at', direction: 'asc' }],
    [{ column: 'amount', direction: 'desc' }, { column: 'kind', direction: 'asc' }],
    [],
  ] as SortKey[][]) {
    it(`returns every row exactly once, in order, sorted by ${sort.map((s) => `${s.column} ${s.direction}`).join(', ') || 'the key'}`, async () => {
      const rows = await readAll({ sort });
      const ids = rows.map((r) => Number(r[0]));
      assert.equal(new Set(ids).size, ROWS);
      assert.deepEqual(ids, expectedOrder(all, value, sort));
      assert.equal(typeof rows[0][0], 'bigint');
    });
  }

  it('pages through NaN, Infinity and -Infinity in the cursor without losing or repeating rows', async () => {
    const floats: TableRef = { name: 'floats' };
    for (const [direction, expected] of [
      ['asc', [4, 9, 3, 10, 8, 5, 2, 7, 1, 6]],
      ['desc', [1, 6, 2, 7, 5, 8, 3, 10, 4, 9]],
    ] as const) {
      const ids: CellValue[] = [];
      let after: string | undefined;
      do {
        const page = await session.readRows(floats, { limit: 2, sort: [{ column: 'x', direction }], ...(after ? { after } : {}) });
        ids.push(...page.rows.map((r) => r[0]));
        after = page.next;
      } while (after && ids.length < 100);
      assert.deepEqual(ids, expected, direction);
    }
  });

  it('jumps by offset for scrollbar drags and continues by cursor from there', async () => {
    const sort: SortKey[] = [{ column: 'score', direction: 'asc' }];
    const jump = await session.readRows(table, { limit: 100, sort, offset: 12_345 });
    assert.equal(jump.offset, 12_345);
    const next = await session.readRows(table, { limit: 100, sort, after: jump.next! });
    assert.deepEqual([...jump.rows, ...next.rows].map((r) => Number(r[0])), expectedOrder(all, value, sort).slice(12_345, 12_545));
    assert.deepEqual(jump.keys[0], { id: jump.rows[0][0] });
  });

  it('refuses a cursor from another ordering instead of returning wrong rows', async () => {
    const page = await session.readRows(table, { limit: 10, sort: [{ column: 'score', direction: 'asc' }] });
    await assert.rejects(session.readRows(table, { limit: 10, sort: [{ column: 'kind', direction: 'asc' }], after: page.next! }), (e: Error & { code?: string }) => e.code === 'invalid_value');
  });

  const expectations: [Filter, (i: number) => boolean][] = [
    [{ column: 'kind', op: 'eq', value: 'beta' }, (i) => kindOf(i) === 'beta'],
    [{ column: 'score', op: 'ne', value: 5 }, (i) => scoreOf(i) !== 5],
    [{ column: 'score', op: 'lt', value: 10 }, (i) => scoreOf(i) !== null && scoreOf(i)! < 10],
    [{ column: 'score', op: 'lte', value: 10 }, (i) => scoreOf(i) !== null && scoreOf(i)! <= 10],
    [{ column: 'amount', op: 'gt', value: '200.5' }, (i) => amountOf(i) > 200.5],
    [{ column: 'at', op: 'gte', value: '2024-02-01 00:00:00+00' }, (i) => hourOf(i) !== null && hourOf(i)! >= 31 * 24],
    [{ column: 'name', op: 'contains', value: 'E_1%' }, (i) => nameOf(i)?.toLowerCase().includes('e_1%') ?? false],
    [{ column: 'name', op: 'startswith', value: 'NAME_4' }, (i) => nameOf(i)?.toLowerCase().startsWith('name_4') ?? false],
    [{ column: 'name', op: 'endswith', value: '_7' }, (i) => nameOf(i)?.toLowerCase().endsWith('_7') ?? false],
    [{ column: 'score', op: 'isnull' }, (i) => scoreOf(i) === null],
    [{ column: 'at', op: 'notnull' }, (i) => hourOf(i) !== null],
    [{ column: 'score', op: 'in', value: [3, 4, null] }, (i) => [3, 4, null].includes(scoreOf(i))],
    [{ column: 'id', op: 'in', value: [5n, 7, 19_999n] }, (i) => [5, 7, 19_999].includes(i)],
  ];
  for (const [filter, matches] of expectations) {
    it(`filters with ${filter.op} on ${filter.column} (wildcards match literally) and counts the same rows`, async () => {
      const expected = all.filter(matches);
      const ids = (await readAll({ filters: [filter] }, 5_000)).map((r) => Number(r[0]));
      assert.deepEqual(ids, expected);
      assert.deepEqual(await session.countRows(table, { filters: [filter] }), { count: expected.length, exact: true });
    });
  }

  it('searches text-like columns case-insensitively, combined with filters', async () => {
    const expected = all.filter((i) => (nameOf(i) ?? '').toLowerCase().includes('me_49') && scoreOf(i) !== null);
    const ids = (await readAll({ search: { text: 'ME_49' }, filters: [{ column: 'score', op: 'notnull' }] }, 5_000)).map((r) => Number(r[0]));
    assert.deepEqual(ids, expected);
    const inKind = (await readAll({ search: { text: 'ETA', columns: ['kind'] } }, 5_000)).map((r) => Number(r[0]));
    assert.deepEqual(inKind, all.filter((i) => kindOf(i).includes('eta')));
  });

  it('counts exactly, capped, or from the planner estimate when asked to', async () => {
    assert.deepEqual(await session.countRows(table), { count: ROWS, exact: true });
    assert.deepEqual(await session.countRows(table, { cap: 1_000 }), { count: 1_000, exact: false, capped: true });
    const estimate = await session.countRows(table, { estimate: true });
    assert.equal(estimate.exact, false);
    assert.ok(Math.abs(estimate.count - ROWS) < ROWS * 0.05, `estimate ${estimate.count}`);
    const filtered = await session.countRows(table, { estimate: true, filters: [{ column: 'kind', op: 'eq', value: 'beta' }] });
    assert.ok(Math.abs(filtered.count - ROWS / 7) < ROWS * 0.02, `filtered estimate ${filtered.count}`);
    // Under the cap a small table is counted exactly; above it the estimate stands.
    assert.deepEqual(await session.countRows(table, { estimate: true, cap: 50_000 }), { count: ROWS, exact: true });
    assert.equal((await session.countRows(table, { estimate: true, cap: 10_000 })).exact, false);
  });

  it('aggregates in the database: groups, months with date_trunc, bins, and exact means', async () => {
    const byKind = await session.aggregate!(table, { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }, { op: 'max', column: 'score', as: 'top' }] });
    assert.deepEqual(byKind.columns, ['kind', 'n', 'top']);
    assert.deepEqual(
      byKind.rows.map((r) => r[0]),
      [...KINDS].sort(),
    );
    const beta = byKind.rows.find((r) => r[0] === 'beta')!;
    assert.equal(beta[1], all.filter((i) => kindOf(i) === 'beta').length);
    assert.equal(beta[2], Math.max(...all.filter((i) => kindOf(i) === 'beta' && scoreOf(i) !== null).map((i) => scoreOf(i)!)));

    const byMonth = await session.aggregate!(table, { groupBy: [{ column: 'at', timeUnit: 'month' }], measures: [{ op: 'count', as: 'n' }] });
    const months = byMonth.rows.map((r) => [String(r[0]).slice(0, 7), r[1]]);
    const expectedMonths = new Map<string, number>();
    for (const i of all) {
      const h = hourOf(i);
      const month = h === null ? null : new Date(Date.UTC(2024, 0, 1) + h * 3_600_000).toISOString().slice(0, 7);
      expectedMonths.set(String(month), (expectedMonths.get(String(month)) ?? 0) + 1);
    }
    assert.deepEqual(months, [...expectedMonths.entries()].sort(([a], [b]) => (a === 'null' ? 1 : b === 'null' ? -1 : a < b ? -1 : 1)).map(([m, n]) => [m === 'null' ? 'null' : m, n]));

    const bins = await session.aggregate!(table, { groupBy: [{ column: 'score', bin: { step: 25 } }], measures: [{ op: 'count', as: 'n' }], filters: [{ column: 'score', op: 'notnull' }] });
    assert.deepEqual(bins.rows.map((r) => [Number(r[0]), r[1]]), [0, 25, 50, 75].map((b) => [b, all.filter((i) => scoreOf(i) !== null && scoreOf(i)! >= b && scoreOf(i)! < b + 25).length]));

    const mean = await session.aggregate!(table, { groupBy: [], measures: [{ op: 'mean', column: 'amount', as: 'avg' }, { op: 'sum', column: 'amount', as: 'total' }] });
    const total = all.reduce((s, i) => s + amountOf(i), 0);
    assert.equal(mean.rows[0][1], total.toFixed(2), 'sum of numeric stays an exact decimal string');
    assert.equal(Number(mean.rows[0][0]).toFixed(6), (total / ROWS).toFixed(6));

    const limited = await session.aggregate!(table, { groupBy: [{ column: 'name' }], measures: [{ op: 'count', as: 'n' }], limit: 5 });
    assert.equal(limited.rows.length, 5);
    assert.equal(limited.truncated, true);
  });

  it('samples by its integer key where it has one, by TABLESAMPLE where not, and never a view', async () => {
    await server.admin(`SET ROLE ${server.user}; CREATE TABLE events_nokey AS SELECT * FROM events; ANALYZE events_nokey; CREATE VIEW events_view AS SELECT * FROM events;`);
    const request = { groupBy: [{ column: 'kind' }], measures: [{ op: 'count' as const, as: 'n' }] };
    const exact = new Map(KINDS.map((k) => [k, all.filter((i) => kindOf(i) === k).length]));
    for (const [name, method] of [
      ['events', /^\d[\d,]* windows of \d+ keys$/],
      ['events_nokey', /^TABLESAMPLE (SYSTEM|BERNOULLI)$/],
    ] as const) {
      const answer = await session.aggregate!({ schema: 'public', name }, { ...request, sample: { rows: 2_000 } });
      assert.match(answer.sample?.method ?? 'not sampled', method, name);
      assert.ok(answer.sample!.rows > 1_000 && answer.sample!.rows < 4_000, `${name}: about 2,000 rows aggregated (${answer.sample!.rows})`);
      for (const [kind, n] of exact) {
        const estimate = Number(answer.rows.find((r) => r[0] === kind)?.[1]);
        assert.ok(Math.abs(estimate - n) <= 0.3 * n, `${name}: ${kind} estimated ${estimate}, is ${n}`);
      }
    }
    const view = await session.aggregate!({ schema: 'public', name: 'events_view' }, { ...request, sample: { rows: 2_000 } });
    assert.equal(view.sample, undefined, 'a view is aggregated exactly');
    assert.deepEqual(new Map(view.rows.map((r) => [r[0], r[1]])), exact);
  });
});
