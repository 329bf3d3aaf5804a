// Aggregates of the SQLite datasource on a real file, as the chart view sends them: groups, numeric bins over
// negative, INTEGER and REAL values (bin -150 by 100 lands in -200), months and days of text dates, every measure,
// NULL groups, filters, and the group limit. Expected values are computed here from the rows themselves.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DatasourceSession } from '../../api';
import { makeDatabase, openSqlite, tempDir } from '../support/sqliteFixtures';

interface Row {
  id: number;
  kind: string | null;
  qty: number | null;
  price: number;
  at: string | null;
}

const rows: Row[] = Array.from({ length: 300 }, (_, i) => ({
  id: i + 1,
  kind: i % 13 === 0 ? null : ['apple', 'pear', 'plum'][i % 3]!,
  qty: i % 7 === 0 ? null : ((i * 37) % 500) - 250,
  price: Math.round((((i * 53) % 1000) - 500) * 1.25 * 100) / 100,
  at: i % 17 === 0 ? null : new Date(Date.UTC(2024, i % 12, 1 + (i % 28), i % 24)).toISOString().replace('T', ' ').slice(0, 19),
}));

const floorBin = (v: number, step: number) => Math.floor(v / step) * step;
function countBy<T>(values: T[]): Map<T, number> {
  const out = new Map<T, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

describe('SQLite aggregates for charts', function () {
  let session: DatasourceSession;
  const table = { name: 'sales' };

  before(async () => {
    const file = path.join(tempDir('nocoflo-aggregate-'), 'sales.sqlite');
    await makeDatabase(file, 'CREATE TABLE sales (id INTEGER PRIMARY KEY, kind TEXT, qty INTEGER, price REAL NOT NULL, at TEXT);', (run) => {
      for (const r of rows) run('INSERT INTO sales VALUES (?, ?, ?, ?, ?)', [r.id, r.kind, r.qty, r.price, r.at]);
    });
    session = await openSqlite(file);
  });

  after(() => session?.close());

  it('groups by a text column with every measure, NULL as its own group', async () => {
    const result = await session.aggregate!(table, {
      groupBy: [{ column: 'kind' }],
      measures: [
        { op: 'count', as: 'n' },
        { op: 'sum', column: 'qty', as: 'sum' },
        { op: 'min', column: 'price', as: 'min' },
        { op: 'max', column: 'price', as: 'max' },
        { op: 'mean', column: 'price', as: 'mean' },
      ],
    });
    assert.deepEqual(result.columns, ['kind', 'n', 'sum', 'min', 'max', 'mean']);
    for (const kind of [null, 'apple', 'pear', 'plum']) {
      const group = rows.filter((r) => r.kind === kind);
      const got = result.rows.find((r) => r[0] === kind);
      assert.ok(got, `a group for ${kind}`);
      assert.equal(Number(got[1]), group.length);
      assert.equal(Number(got[2]), group.reduce((s, r) => s + (r.qty ?? 0), 0));
      assert.equal(Number(got[3]), Math.min(...group.map((r) => r.price)));
      assert.equal(Number(got[4]), Math.max(...group.map((r) => r.price)));
      assert.ok(Math.abs(Number(got[5]) - group.reduce((s, r) => s + r.price, 0) / group.length) < 1e-9);
    }
  });

  for (const [column, step] of [
    ['qty', 100],
    ['price', 100],
    ['price', 0.5],
  ] as const) {
    it(`bins ${column} by ${step}, negative values included, into floor(v / step) * step`, async () => {
      const result = await session.aggregate!(table, { groupBy: [{ column, bin: { step } }], measures: [{ op: 'count', as: 'n' }], filters: [{ column, op: 'notnull' }] });
      const expected = countBy(rows.map((r) => r[column]).filter((v): v is number => v !== null).map((v) => floorBin(v, step)));
      const got = new Map(result.rows.map((r) => [Number(r[0]), Number(r[1])]));
      assert.deepEqual(got, expected);
      if (column === 'qty') assert.ok([...got.keys()].some((b) => b < 0), 'some bins are negative');
    });
  }

  it('groups text datetimes by month and by day', async () => {
    for (const [unit, length] of [
      ['month', 7],
      ['day', 10],
    ] as const) {
      const result = await session.aggregate!(table, { groupBy: [{ column: 'at', timeUnit: unit }], measures: [{ op: 'count', as: 'n' }], filters: [{ column: 'at', op: 'notnull' }] });
      const expected = countBy(rows.map((r) => r.at).filter((v): v is string => v !== null).map((v) => v.slice(0, length)));
      const got = new Map(result.rows.map((r) => [String(r[0]).slice(0, length), Number(r[1])]));
      assert.deepEqual(got, expected, unit);
    }
  });

  it('applies filters and says when the group limit cut the result', async () => {
    const filtered = await session.aggregate!(table, { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }], filters: [{ column: 'qty', op: 'gt', value: 0 }] });
    const expected = countBy(rows.filter((r) => r.qty !== null && r.qty > 0).map((r) => r.kind));
    assert.deepEqual(new Map(filtered.rows.map((r) => [r[0], Number(r[1])])), expected);
    const limited = await session.aggregate!(table, { groupBy: [{ column: 'id' }], measures: [{ op: 'count', as: 'n' }], limit: 10 });
    assert.equal(limited.rows.length, 10);
    assert.equal(limited.truncated, true);
  });
});
