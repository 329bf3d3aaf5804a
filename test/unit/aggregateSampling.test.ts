import * as assert from 'node:assert/strict';
import type { TableSchema } from '../../api';
import { postgresDialect, sqliteDialect } from '../../plugins/kit/sql/dialect';
import { Params, SqlBuilder } from '../../plugins/kit/sql/queryBuilder';
import { decodeAggregateRequest, decodeAggregateResult, encodeAggregateRequest, encodeAggregateResult } from '../../shared/protocolCodec';
import { adjustKeyWindows, keyWindows, keyWindowsFrom, keyWindowSample, MAX_WINDOWS, ProbeCache, runStatements, sampledResult, sampleTarget, windowStarts } from '../../plugins/kit/sql/sampling';

// The pure parts of sampled aggregates (plugins/kit/sql/sampling.ts). The SQL they produce runs against real
// SQLite, PostgreSQL and MariaDB in the datasource conformance suite.

const schema: TableSchema = {
  table: { name: 'events' },
  kind: 'table',
  columns: [
    { name: 'id', declaredType: 'INTEGER', kind: 'integer', nullable: false, primaryKeyPosition: 1 },
    { name: 'kind', declaredType: 'TEXT', kind: 'text', nullable: false },
    { name: 'price', declaredType: 'REAL', kind: 'float', nullable: true },
  ],
  primaryKey: ['id'],
  foreignKeys: [],
  uniqueKeys: [],
  rowKey: { columns: ['id'] },
};

describe('Sampled aggregates (plugins/kit/sql/sampling)', () => {
  it('spreads many short, disjoint windows over the whole key span, covering about the keys asked for', () => {
    for (const [min, max, keys] of [
      [1, 10_000_000, 100_000],
      [-5_000, 4_000_000, 100_000],
      [1, 1_000, 400],
      [7, 3_000_003, 12_345],
    ] as const) {
      const plan = keyWindows(min, max, keys)!;
      assert.ok(plan, `${min}..${max} is sampled`);
      assert.ok(plan.windows <= MAX_WINDOWS);
      assert.equal(plan.span, max - min + 1);
      assert.ok(plan.covered >= keys * 0.9 && plan.covered <= keys * 1.2, `covers ${plan.covered} for ${keys}`);
      // The starts as the SQL computes them: min + w * stride + ((w * 2654435761 mod 1000003) * w mod 1000003) mod room.
      const room = BigInt(plan.stride - plan.window + 1);
      const starts = windowStarts(plan);
      const hash = (w: bigint) => (((w * 2654435761n) % 1000003n) * w) % 1000003n;
      assert.deepEqual(starts.slice(0, 4), [0n, 1n, 2n, 3n].map((w) => Number(BigInt(min) + w * BigInt(plan.stride) + (hash(w) % room))));
      let previousEnd = min - 1;
      let covered = 0;
      starts.forEach((start, w) => {
        const end = start + plan.window - 1;
        assert.ok(start > previousEnd, `window ${w} starts after the previous one ends`);
        assert.ok(start >= min + w * plan.stride && end < min + (w + 1) * plan.stride, `window ${w} stays inside its stride`);
        covered += Math.max(0, Math.min(end, max) - start + 1);
        previousEnd = end;
      });
      assert.equal(plan.covered, covered, 'covered counts the keys inside [min, max] only');
      // The strides reach the end of the span: the newest rows are represented too.
      assert.ok(min + plan.windows * plan.stride - 1 >= max && min + (plan.windows - 1) * plan.stride <= max);
    }
  });

  it('starts windows at every phase of periodic data, whatever the stride', () => {
    // Ids cycling through 7 kinds: a linear hash made every window of some strides start at the same kind.
    for (const keys of [2_000, 4_000, 100_000]) {
      const plan = keyWindows(1, 20_000_000, keys)!;
      const phases = new Map<number, number>();
      for (const start of windowStarts(plan)) phases.set(start % 7, (phases.get(start % 7) ?? 0) + 1);
      assert.equal(phases.size, 7, `${keys}: every phase`);
      for (const n of phases.values()) assert.ok(Math.abs(n - plan.windows / 7) < 0.35 * (plan.windows / 7) + 3, `${keys}: phases even (${[...phases.values()]})`);
    }
  });

  it('declines spans too small to be worth it, and keys it cannot represent exactly', () => {
    assert.equal(keyWindows(1, 150, 100), undefined);
    assert.equal(keyWindows(1, 199, 100), undefined);
    assert.ok(keyWindows(1, 200, 100));
    assert.equal(keyWindows(0, 2 ** 60, 100), undefined);
    assert.equal(keyWindows(10, 1, 100), undefined);
  });

  it('widens the windows where keys are sparse, and answers exactly when the table is small after all', () => {
    const plan = keyWindows(1, 10_000_000, 100_000)!;
    assert.equal(adjustKeyWindows(plan, 100_000, 100_000), plan, 'dense keys: as planned');
    assert.equal(adjustKeyWindows(plan, 60_000, 100_000), plan, 'over half the target: good enough');
    const wider = adjustKeyWindows(plan, 10_000, 100_000)!;
    assert.ok(wider.covered >= plan.covered * 9, `one key in ten used: ten times the keys (${wider.covered})`);
    assert.equal(adjustKeyWindows(plan, 1_000, 100_000), undefined, 'about 100,000 rows in all: exact is cheap');
    assert.equal(adjustKeyWindows(plan, 0, 100_000), undefined, 'nothing found: no estimate from nothing');
  });

  it('scales counts and sums to the table, keeps means, drops the hidden row count and cuts at the limit', () => {
    const request = { measures: [{ op: 'count' as const, as: 'n' }, { op: 'sum' as const, column: 'price', as: 's' }, { op: 'mean' as const, column: 'price', as: 'm' }] };
    const result = sampledResult(request, ['kind', 'n', 's', 'm'], [['a', 10, 5.5, 0.55, 10], ['b', 3n, '4.50', 1.5, 3], ['c', 1, null, null, 1]], 2, 0.1, 'test');
    assert.deepEqual(result.columns, ['kind', 'n', 's', 'm']);
    assert.deepEqual(result.rows, [['a', 100, 55, 0.55], ['b', 30, 45, 1.5]]);
    assert.equal(result.truncated, true);
    assert.deepEqual(result.sample, { fraction: 0.1, rows: 14, method: 'test' });
  });

  it('carries the sample request and the sample description between webview and host', () => {
    const request = { groupBy: [{ column: 'kind' }], measures: [{ op: 'count' as const, as: 'n' }], sample: { rows: 100_000 } };
    assert.deepEqual(decodeAggregateRequest(JSON.parse(JSON.stringify(encodeAggregateRequest(request)))), request);
    const result = { columns: ['kind', 'n'], rows: [['a', 123]], sample: { fraction: 0.01, rows: 100_000, method: '10,000 windows of 10 rowids' } };
    assert.deepEqual(decodeAggregateResult(JSON.parse(JSON.stringify(encodeAggregateResult(result)))), result);
    assert.equal(decodeAggregateResult(encodeAggregateResult({ columns: [], rows: [] })).sample, undefined);
  });

  it('reads `sample` only when it is a positive number', () => {
    assert.equal(sampleTarget({}), undefined);
    assert.equal(sampleTarget({ sample: { rows: 0 } }), undefined);
    assert.equal(sampleTarget({ sample: { rows: Number.NaN } }), undefined);
    assert.equal(sampleTarget({ sample: { rows: 100.7 } }), 100);
  });

  it('binds every number of a window plan and quotes the table: no value is pasted into the SQL', () => {
    const plan = keyWindows(123_457, 9_876_543, 54_321)!;
    const params = new Params(postgresDialect);
    const from = keyWindowsFrom('"public"."events"', '"id"', plan, params, 'CROSS JOIN');
    for (const value of [123_457, plan.stride, plan.windows, plan.window - 1]) assert.ok(params.values.includes(value), `${value} is bound`);
    for (const value of [String(123_457), String(plan.stride)]) assert.ok(!from.includes(value), `${value} is not in the text`);
    // Placeholders appear in the text in the order of their values.
    const numbers = [...from.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(numbers, params.values.map((_, i) => i + 1));
    assert.ok(from.includes('"public"."events"."id" BETWEEN'));
  });

  it('runs extent, probe and aggregate in order, and falls back to exact when the table is small', () => {
    const sql = new SqlBuilder(sqliteDialect);
    const request = { groupBy: [{ column: 'kind' }], measures: [{ op: 'count' as const, as: 'n' }] };
    const seen: string[] = [];
    const answers = [[[1, 10_000_000]], [[100_000]], [['a', 60_000, 60_000], ['b', 40_000, 40_000]]];
    const result = runStatements(keyWindowSample(sql, schema, request, { keyExpr: 'rowid', keyName: 'rowid', join: 'CROSS JOIN', target: 100_000 }), (statement) => {
      seen.push(statement.sql);
      // Positional placeholders: exactly as many values as `?`.
      assert.equal(statement.params.length, (statement.sql.match(/\?/g) ?? []).length);
      return answers[seen.length - 1]!;
    });
    assert.equal(seen.length, 3);
    assert.match(seen[0]!, /SELECT \(SELECT MIN\(rowid\) FROM "events"\), \(SELECT MAX\(rowid\) FROM "events"\)/);
    assert.match(seen[1]!, /^SELECT COUNT\(\*\) FROM .* CROSS JOIN "events" ON/);
    assert.match(seen[2]!, /GROUP BY "kind"/);
    assert.deepEqual(result?.rows, [['a', 6_000_000], ['b', 4_000_000]], 'scaled by 10,000,000 / 100,000');
    assert.equal(result?.sample?.method, '10,000 windows of 10 rowids');

    // With a probe cache, the next request over the same windows (a chart's groups after its extent) skips the count.
    let clock = 0;
    const probes = new ProbeCache(60_000, () => clock);
    const statements = () => {
      let n = 0;
      runStatements(keyWindowSample(sql, schema, request, { keyExpr: 'rowid', keyName: 'rowid', join: 'CROSS JOIN', target: 100_000, probes }), (statement) => {
        n++;
        return statement.sql.startsWith('SELECT (SELECT MIN') ? [[1, 10_000_000]] : statement.sql.startsWith('SELECT COUNT(*)') ? [[100_000]] : [['a', 1, 1]];
      });
      return n;
    };
    assert.equal(statements(), 3, 'extent, probe, aggregate');
    assert.equal(statements(), 2, 'extent, aggregate: the probe is remembered');
    clock += 60_001;
    assert.equal(statements(), 3, 'a minute later the table is counted again');

    const small = runStatements(keyWindowSample(sql, schema, request, { keyExpr: 'rowid', keyName: 'rowid', join: 'CROSS JOIN', target: 100_000 }), () => [[1, 150_000]]);
    assert.equal(small, undefined, 'a 150,000-key span is aggregated exactly');
  });
});
