import * as assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import type { AggregateRequest, CellValue, TableSchema } from '../../api';
import { sqliteDialect } from '../../plugins/kit/sql/dialect';
import { Params, SqlBuilder, type Statement } from '../../plugins/kit/sql/queryBuilder';
import { adjustKeyWindows, keyWindows, keyWindowsFrom, keyWindowSample, ProbeCache, runStatements, runStatementsAsync, sampledResult, sampleTarget, windowStarts } from '../../plugins/kit/sql/sampling';
import { column, tableSchema } from '../support/fakePlugins';

// Key-window sampling (plugins/kit/sql/sampling.ts) beyond aggregateSampling.test.ts: the window SQL runs on sql.js
// and must read exactly the keys windowStarts says, a whole sampled aggregate runs there end to end, and the plan's
// edges (unsafe extents, sparse keys, limits of the cache) behave as documented.
describe('SQL kit: key-window sampling on sql.js (plugins/kit/sql/sampling)', () => {
  let db: Database;
  const ROWS = 20_000;
  const schema: TableSchema = tableSchema({
    table: { name: 'events' },
    columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('kind'), column('price', { kind: 'float' })],
  });
  const sql = new SqlBuilder(sqliteDialect);
  const kindOf = (id: number) => ['a', 'b', 'c'][id % 3]!;

  before(async () => {
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    db = new SQL.Database();
    db.run('CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, price REAL)');
    db.run(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) INSERT INTO events SELECT i, CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END, 1 FROM n`);
  });
  after(() => db.close());
  const run = (statement: Statement): CellValue[][] => db.exec(statement.sql, statement.params as never)[0]?.values ?? [];
  /** The keys a plan's windows cover inside [min, max], as windowStarts computes them. */
  const keysOf = (plan: NonNullable<ReturnType<typeof keyWindows>>, max: number) =>
    windowStarts(plan).flatMap((start) => Array.from({ length: plan.window }, (_, i) => start + i).filter((k) => k <= max));

  it('reads exactly the keys of the windows windowStarts computes', () => {
    for (const [min, max, keys] of [
      [1, ROWS, 1_000],
      [1, ROWS, 37],
      [5_001, 12_345, 700],
    ] as const) {
      const plan = keyWindows(min, max, keys)!;
      const params = new Params(sqliteDialect);
      const from = keyWindowsFrom('"events"', '"id"', plan, params, 'CROSS JOIN');
      const read = run({ sql: `SELECT "events"."id" FROM ${from} ORDER BY 1`, params: params.values }).map((r) => r[0]);
      const expected = keysOf(plan, max);
      assert.deepEqual(read, expected, `${min}..${max}, ${keys} keys`);
      assert.equal(read.length, plan.covered);
    }
  });

  it('numbers up to 10,000 windows', () => {
    const plan = { min: 1, stride: 2, window: 1, windows: 10_000, span: 20_000, covered: 10_000 };
    const params = new Params(sqliteDialect);
    const read = run({ sql: `SELECT COUNT(*), MAX("events"."id") FROM ${keyWindowsFrom('"events"', '"id"', plan, params, 'CROSS JOIN')}`, params: params.values });
    assert.deepEqual(read, [[10_000, Math.max(...windowStarts(plan))]]);
  });

  it('answers a sampled aggregate end to end from the windows, scaled to the table', async () => {
    const request: AggregateRequest = { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }, { op: 'sum', column: 'price', as: 's' }] };
    const plan = keyWindows(1, ROWS, 2_000)!;
    const seen: string[] = [];
    const result = runStatements(keyWindowSample(sql, schema, request, { keyExpr: '"id"', keyName: 'id', join: 'CROSS JOIN', target: 2_000 }), (statement) => {
      seen.push(statement.sql);
      return run(statement);
    });
    assert.equal(seen.length, 3);
    assert.match(seen[2]!, /^SELECT "kind" AS "g0", COUNT\(\*\) AS "m_n", SUM\("price"\) AS "m_s", COUNT\(\*\) AS "s_rows" FROM \(SELECT a\.d \* 1000/);
    const scale = plan.span / plan.covered;
    const sampled = keysOf(plan, ROWS);
    const expected = ['a', 'b', 'c'].map((kind) => {
      const n = sampled.filter((id) => kindOf(id) === kind).length;
      return [kind, Math.round(n * scale), n * scale];
    });
    assert.deepEqual(result?.rows, expected);
    assert.deepEqual(result?.sample, { fraction: plan.covered / plan.span, rows: plan.covered, method: `${plan.windows} windows of ${plan.window} ids` });
    // The same over a connection.
    const again = await runStatementsAsync(keyWindowSample(sql, schema, request, { keyExpr: '"id"', keyName: 'id', join: 'CROSS JOIN', target: 2_000 }), async (statement) => run(statement));
    assert.deepEqual(again, result);
  });

  it('reads the extent as the drivers return it: numbers, bigints or digit strings, nothing else', () => {
    const request: AggregateRequest = { groupBy: [], measures: [{ op: 'count', as: 'n' }] };
    const sample = (extent: CellValue[] | undefined, probe: CellValue[][] = [[100_000]]) => {
      const statements: string[] = [];
      const result = runStatements(keyWindowSample(sql, schema, request, { keyExpr: 'rowid', keyName: 'rowid', join: 'CROSS JOIN', target: 100_000 }), (statement) => {
        statements.push(statement.sql);
        return statements.length === 1 ? (extent ? [extent] : []) : statements.length === 2 ? probe : [[1, 1]];
      });
      return { sampled: result !== undefined, statements: statements.length };
    };
    assert.deepEqual(sample([1, 10_000_000]), { sampled: true, statements: 3 });
    assert.deepEqual(sample([1n, 10_000_000n]), { sampled: true, statements: 3 });
    assert.deepEqual(sample(['1', '10000000']), { sampled: true, statements: 3 });
    assert.deepEqual(sample(['-5', '10000000']), { sampled: true, statements: 3 });
    for (const extent of [[null, null], [null, 10_000_000], ['1', '1e7'], [' 1', '10000000'], ['0x1', '10000000'], ['1.5', '10000000'], [1, 2 ** 60], [true, 10_000_000], [new Uint8Array([1]), 10_000_000]] as CellValue[][]) {
      assert.deepEqual(sample(extent), { sampled: false, statements: 1 }, `${String(extent)}: aggregated exactly`);
    }
    assert.deepEqual(sample(undefined), { sampled: false, statements: 1 }, 'no row at all');
    assert.deepEqual(sample([1, 10_000_000], []), { sampled: false, statements: 2 }, 'a probe without a row counts nothing');
    assert.deepEqual(sample([1, 10_000_000], [[1_000]]), { sampled: false, statements: 2 }, 'about 100,000 rows in all: exact');
  });

  it('remembers a probe per table and window plan, not one for all', () => {
    const probes = new ProbeCache(60_000, () => 0);
    const request: AggregateRequest = { groupBy: [], measures: [{ op: 'count', as: 'n' }] };
    const statements = (table: string, max: number) => {
      let n = 0;
      runStatements(keyWindowSample(sql, { ...schema, table: { name: table } }, request, { keyExpr: 'rowid', keyName: 'rowid', join: 'CROSS JOIN', target: 100_000, probes }), () => {
        n++;
        return n === 1 ? [[1, max]] : n === 2 ? [[100_000]] : [[1, 1]];
      });
      return n;
    };
    assert.equal(statements('one', 10_000_000), 3);
    assert.equal(statements('two', 10_000_000), 3, 'another table');
    assert.equal(statements('one', 20_000_000), 3, 'another extent');
    assert.equal(statements('one', 10_000_000), 2);
  });

  describe('plans', () => {
    it('declines extents that are not safe integers, and targets below one key', () => {
      assert.equal(keyWindows(2 ** 60, 2 ** 60 + 1_000, 10), undefined);
      assert.equal(keyWindows(2 ** 53 - 10, 2 ** 53 + 10, 10), undefined, 'max beyond 2^53 though the span fits');
      assert.equal(keyWindows(1.5, 1_000, 10), undefined);
      assert.equal(keyWindows(1, 1_000, 0.5), undefined);
      assert.equal(keyWindows(1, 1_000, Number.NaN), undefined);
      const one = keyWindows(1, 1_000, 1)!;
      assert.deepEqual([one.windows, one.window, one.covered], [1, 1, 1]);
    });

    it('widens to the same span, keeps a plan whose windows found half the target, and declines a small table', () => {
      const plan = keyWindows(1, 10_000_000, 100_000)!;
      assert.equal(adjustKeyWindows(plan, 50_000, 100_000), plan, 'exactly half the target: as planned');
      const wider = adjustKeyWindows(plan, 10_000, 100_000)!;
      assert.deepEqual([wider.min, wider.span], [1, 10_000_000]);
      // A plan covering 40 % of its span: 300 rows in windows means about 750 in all, under twice the target of 400.
      const dense = keyWindows(1, 1_000, 400)!;
      assert.equal(dense.covered, 400);
      assert.equal(adjustKeyWindows(dense, 300, 400), undefined);
      // Exactly twice the target is still worth sampling.
      assert.equal(adjustKeyWindows(dense, 400, 500), dense);
    });
  });

  describe('sampledResult', () => {
    const request = { measures: [{ op: 'count' as const, as: 'n' }, { op: 'sum' as const, column: 'p', as: 's' }] };

    it('rounds scaled counts to whole rows but not sums', () => {
      const result = sampledResult(request, ['g', 'n', 's'], [['x', 1, 1, 1]], 5, 0.3, 'm');
      assert.deepEqual(result.rows, [['x', 3, 1 / 0.3]]);
    });

    it('leaves values it cannot read as numbers as they are', () => {
      const bytes = new Uint8Array([5]);
      const result = sampledResult(request, ['g', 'n', 's'], [['x', true, bytes, 1], ['y', 'n/a', Infinity, 1]], 5, 0.5, 'm');
      assert.deepEqual(result.rows, [['x', true, bytes], ['y', 'n/a', Infinity]]);
    });

    it('marks the answer truncated only when there are more groups than the limit', () => {
      assert.equal('truncated' in sampledResult(request, ['g', 'n', 's'], [['x', 1, 1, 1], ['y', 1, 1, 1]], 2, 0.5, 'm'), false);
      assert.equal(sampledResult(request, ['g', 'n', 's'], [['x', 1, 1, 1], ['y', 1, 1, 1]], 1, 0.5, 'm').truncated, true);
    });
  });

  it('takes a sample target of at least one finite row', () => {
    assert.equal(sampleTarget({ sample: { rows: 1 } }), 1);
    assert.equal(sampleTarget({ sample: { rows: Infinity } }), undefined);
    assert.equal(sampleTarget({ sample: { rows: 0.5 } }), undefined);
  });

  describe('ProbeCache', () => {
    it('keeps an entry for exactly its lifetime', () => {
      let clock = 1_000;
      const cache = new ProbeCache(100, () => clock);
      cache.set('k', 7);
      clock = 1_100;
      assert.equal(cache.get('k'), 7);
      clock = 1_101;
      assert.equal(cache.get('k'), undefined);
    });

    it('holds 64 entries, dropping the least recently stored first', () => {
      const cache = new ProbeCache(60_000, () => 0);
      for (let i = 0; i < 64; i++) cache.set(`k${i}`, i);
      assert.equal(cache.get('k0'), 0, '64 fit');
      cache.set('k0', 100); // stored again: now the newest
      cache.set('k64', 64);
      assert.equal(cache.get('k0'), 100);
      assert.equal(cache.get('k1'), undefined, 'the oldest went');
      assert.equal(cache.get('k2'), 2);
      assert.equal(cache.get('k64'), 64);
    });
  });
});
