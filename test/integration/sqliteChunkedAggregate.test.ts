// Exact aggregates of big SQLite tables run as key-range chunks merged in the worker, and cancelling one really
// stops the worker. The merge is checked against the single statement SQLite runs itself: the same rows in a table
// whose ids are dense (a span too small to chunk), for groups, bins, months, every measure, filters, group limits,
// NULL groups, text ordered by UTF-8 bytes (U+FF26 before an emoji), integer and real 1 as one group, sums beyond
// 2^53 and mixed types. Rowid tables and WITHOUT ROWID tables with an integer key are both chunked.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AggregateRequest, DatasourceSession } from '../../api';
import type { WorkerOptions, WorkerRequest, WorkerResponse } from '../../plugins/sqlite/workerProtocol';
import { repoRoot } from '../support/codeServer';
import { engine, makeDatabase, openSqlite, tempDir } from '../support/sqliteFixtures';

const ROWS = 30_000;
/** Ids i * 500: a key span of 15 million (at least five chunks) in a file of a few MB. */
const STEP = 500;
const KINDS = ['apple', 'pear', 'plum', 'Ｆig', '😀 cherry', 'zebra', 'Apple', 'é'];

interface Row {
  i: number;
  kind: string | null;
  qty: number | null;
  price: number | null;
  big: number;
  at: string | null;
}

const rows: Row[] = Array.from({ length: ROWS }, (_, n) => {
  const i = n + 1;
  return {
    i,
    kind: i % 11 === 0 ? null : KINDS[(i * 7) % KINDS.length]!,
    qty: i % 7 === 0 ? null : ((i * 37) % 501) - 250,
    // Quarters: sums of these are exact in doubles, so any summation order gives the same bits.
    price: i % 13 === 0 ? null : (((i * 53) % 1000) - 500) * 0.25,
    big: 2 ** 45 + i,
    at: i % 17 === 0 ? null : new Date(Date.UTC(2020 + (i % 5), i % 12, 1 + (i % 28), i % 24)).toISOString().replace('T', ' ').slice(0, 19),
  };
});

const COLUMNS = 'kind TEXT, qty INTEGER, price REAL, big INTEGER, mixed, at TEXT';
// No declared type for `mixed`: it keeps integers, reals (1.0 is the group of 1), text, blobs and big integers as given.
const MIXED = `CASE id % 9 WHEN 0 THEN NULL WHEN 1 THEN 1 WHEN 2 THEN 1.0 WHEN 3 THEN 2.5 WHEN 4 THEN 'x' WHEN 5 THEN x'00ff' WHEN 6 THEN x'00' WHEN 7 THEN -3 ELSE 1152921504606846977 END`;

const every = (column: string): AggregateRequest['measures'] => [
  { op: 'count', column, as: `${column}_n` },
  { op: 'sum', column, as: `${column}_sum` },
  { op: 'mean', column, as: `${column}_mean` },
  { op: 'min', column, as: `${column}_min` },
  { op: 'max', column, as: `${column}_max` },
];

const requests: [string, AggregateRequest][] = [
  ['group by text, every measure', { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }, ...every('qty'), ...every('price'), ...every('big'), ...every('kind'), ...every('mixed')] }],
  ['bin integers by 100', { groupBy: [{ column: 'qty', bin: { step: 100 } }], measures: [{ op: 'count', as: 'n' }, ...every('price')] }],
  ['bin reals by 0.5', { groupBy: [{ column: 'price', bin: { step: 0.5 } }], measures: [{ op: 'count', as: 'n' }, { op: 'sum', column: 'qty', as: 's' }] }],
  ['month of a text date', { groupBy: [{ column: 'at', timeUnit: 'month' }], measures: [{ op: 'count', as: 'n' }, ...every('qty')] }],
  ['two groups', { groupBy: [{ column: 'kind' }, { column: 'at', timeUnit: 'year' }], measures: [{ op: 'count', as: 'n' }, { op: 'mean', column: 'price', as: 'm' }] }],
  ['a filter', { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }, ...every('qty')], filters: [{ column: 'qty', op: 'gt', value: 0 }, { column: 'kind', op: 'contains', value: 'p' }] }],
  ['mixed types as groups', { groupBy: [{ column: 'mixed' }], measures: [{ op: 'count', as: 'n' }, ...every('big')] }],
  ['a small limit', { groupBy: [{ column: 'qty' }], measures: [{ op: 'count', as: 'n' }, { op: 'max', column: 'kind', as: 'k' }], limit: 7 }],
  ['a limit over unique values', { groupBy: [{ column: 'big' }], measures: [{ op: 'count', as: 'n' }], limit: 25 }],
  ['more unique groups than the default limit', { groupBy: [{ column: 'big' }], measures: [{ op: 'sum', column: 'qty', as: 's' }] }],
  ['no groups', { groupBy: [], measures: [{ op: 'count', as: 'n' }, ...every('qty'), ...every('price'), ...every('big'), ...every('mixed')] }],
  ['no groups, nothing matches', { groupBy: [], measures: [{ op: 'count', as: 'n' }, ...every('qty')], filters: [{ column: 'qty', op: 'gt', value: 10_000 }] }],
];

describe(`SQLite exact aggregates in chunks (${engine} engine)`, function () {
  let session: DatasourceSession;

  before(async function () {
    this.timeout(120_000);
    const file = path.join(tempDir('nocoflo-chunked-'), 'spread.sqlite');
    await makeDatabase(
      file,
      `CREATE TABLE spread (id INTEGER PRIMARY KEY, ${COLUMNS});
       CREATE TABLE dense (id INTEGER PRIMARY KEY, ${COLUMNS});
       CREATE TABLE spread_wr (id INTEGER PRIMARY KEY, ${COLUMNS}) WITHOUT ROWID;
       CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE);
       CREATE TABLE huge_dense (id INTEGER PRIMARY KEY, v INTEGER);
       CREATE TABLE huge_spread (id INTEGER PRIMARY KEY, v INTEGER);
       INSERT INTO huge_dense VALUES (1, 4611686018427387904), (2, 4611686018427387904), (3, 4611686018427387904), (4, 4611686018427387904);
       -- Two rows in the first chunk: its SUM overflows 64 bits; each of the others holds one.
       INSERT INTO huge_spread VALUES (500, 4611686018427387904), (1000, 4611686018427387904), (7500000, 4611686018427387904), (15000000, 4611686018427387904);`,
      (run) => {
        for (const r of rows) run('INSERT INTO dense (id, kind, qty, price, big, at) VALUES (?, ?, ?, ?, ?, ?)', [r.i, r.kind, r.qty, r.price, r.big, r.at]);
        run(`UPDATE dense SET mixed = ${MIXED}`, []);
        run(`INSERT INTO spread SELECT id * ${STEP}, kind, qty, price, big, mixed, at FROM dense`, []);
        run(`INSERT INTO spread_wr SELECT id * ${STEP}, kind, qty, price, big, mixed, at FROM dense`, []);
        run(`INSERT INTO names SELECT id * ${STEP}, CASE id % 4 WHEN 0 THEN 'Apple' WHEN 1 THEN 'apple' WHEN 2 THEN 'APPLE' ELSE 'pear' END FROM dense`, []);
      },
    );
    session = await openSqlite(file);
  });

  after(() => session?.close());

  for (const [name, request] of requests) {
    it(`gives the single statement's answer: ${name}`, async () => {
      const expected = await session.aggregate!({ name: 'dense' }, request);
      assert.ok(expected.rows.length > 0);
      assert.deepEqual(await session.aggregate!({ name: 'spread' }, request), expected, 'rowid table');
      assert.deepEqual(await session.aggregate!({ name: 'spread_wr' }, request), expected, 'WITHOUT ROWID table');
    });
  }

  it('matches counts and sums computed from the rows themselves', async () => {
    const result = await session.aggregate!({ name: 'spread' }, { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }, { op: 'sum', column: 'big', as: 'big' }, { op: 'sum', column: 'price', as: 'price' }] });
    // NULL first, then text by UTF-8 bytes: U+FF26 (EF BC A6) sorts before U+1F600 (F0 9F 98 80), unlike UTF-16.
    const order = [null, ...[...new Set(KINDS)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))];
    assert.deepEqual(
      result.rows.map((r) => r[0]),
      order,
    );
    for (const row of result.rows) {
      const group = rows.filter((r) => r.kind === row[0]);
      assert.equal(row[1], group.length);
      assert.equal(row[2], group.reduce((s, r) => s + BigInt(r.big), 0n));
      assert.equal(row[3], group.reduce((s, r) => s + (r.price ?? 0), 0));
    }
    const limited = await session.aggregate!({ name: 'spread' }, { groupBy: [{ column: 'big' }], measures: [{ op: 'count', as: 'n' }], limit: 3 });
    assert.deepEqual(limited, { columns: ['big', 'n'], rows: rows.slice(0, 3).map((r) => [r.big, 1]), truncated: true });
  });

  it('answers as the single statement where 64-bit sums overflow: AVG does not, SUM fails', async () => {
    const mean: AggregateRequest = { groupBy: [], measures: [{ op: 'mean', column: 'v', as: 'm' }, { op: 'count', as: 'n' }] };
    assert.deepEqual(await session.aggregate!({ name: 'huge_spread' }, mean), await session.aggregate!({ name: 'huge_dense' }, mean));
    assert.deepEqual((await session.aggregate!({ name: 'huge_spread' }, mean)).rows, [[2 ** 62, 4]]);
    const sum: AggregateRequest = { groupBy: [], measures: [{ op: 'sum', column: 'v', as: 's' }] };
    await assert.rejects(session.aggregate!({ name: 'huge_dense' }, sum), /integer overflow/);
    await assert.rejects(session.aggregate!({ name: 'huge_spread' }, sum), /integer overflow/);
  });

  it('runs one statement over a table with a declared collation, grouping as it says', async () => {
    const result = await session.aggregate!({ name: 'names' }, { groupBy: [{ column: 'name' }], measures: [{ op: 'count', as: 'n' }] });
    assert.deepEqual(
      result.rows.map((r) => [String(r[0]).toLowerCase(), r[1]]),
      [
        ['apple', ROWS - ROWS / 4],
        ['pear', ROWS / 4],
      ],
    );
  });
});

describe(`SQLite worker cancellation (${engine} engine)`, function () {
  this.timeout(180_000);
  let file: string;
  let session: DatasourceSession;
  const table = { name: 'big' };
  // Sorting 3 million rows by a text and an integer: seconds on sql.js.
  const slow: AggregateRequest = { groupBy: [{ column: 's' }, { column: 'g' }], measures: [{ op: 'count', as: 'n' }, { op: 'sum', column: 'v', as: 's' }, { op: 'mean', column: 'v', as: 'm' }, { op: 'max', column: 'g', as: 'x' }] };

  before(async () => {
    file = path.join(tempDir('nocoflo-cancel-'), 'big.sqlite');
    await makeDatabase(
      file,
      `CREATE TABLE big (id INTEGER PRIMARY KEY, g INTEGER, v INTEGER, s TEXT);
       WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000)
       INSERT INTO big SELECT x, x % 7, (x * 7919) % 1000, 'k' || ((x * 31) % 5000) FROM c;
       CREATE VIEW big_view AS SELECT * FROM big;`,
    );
    session = await openSqlite(file);
  });

  after(() => session?.close());

  // How soon the next request runs after a cancel is a speed, measured in bench/, never asserted here; this checks
  // what a cancel must do: the aggregate rejects as cancelled and the session goes on serving requests.
  it('stops a running exact aggregate: it rejects as cancelled and the session keeps serving', async () => {
    const full = await session.aggregate!(table, slow);
    assert.equal(full.rows.length, 10_000);

    const controller = new AbortController();
    const cancelled = session.aggregate!(table, { ...slow, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    await assert.rejects(cancelled, { code: 'cancelled' });
    const page = await session.readRows(table, { limit: 10 });
    assert.equal(page.rows.length, 10);
    // The cancelled aggregate ended its read transaction: the next one (chunked too, cheap with the filter) begins anew.
    const again = await session.aggregate!(table, { groupBy: [{ column: 'g' }], measures: [{ op: 'count', as: 'n' }], filters: [{ column: 'id', op: 'lte', value: 70_000 }] });
    assert.deepEqual(again.rows, [0, 1, 2, 3, 4, 5, 6].map((g) => [g, 10_000]));
  });

  /** Talks to a worker of its own on the same file, message by message, as the session does. */
  async function withWorker(work: (send: (request: WorkerRequest) => void, answer: (id: number) => Promise<WorkerResponse>, answers: WorkerResponse[]) => Promise<void>): Promise<void> {
    const worker = new Worker(path.join(repoRoot(), 'out/sqlite-worker.js'), {
      workerData: { file, engine, wasmPath: path.join(repoRoot(), 'out/sql-wasm.wasm'), readOnly: false } satisfies WorkerOptions,
    });
    const answers: WorkerResponse[] = [];
    const waiting = new Map<number, (message: WorkerResponse) => void>();
    worker.on('message', (message: WorkerResponse) => {
      answers.push(message);
      waiting.get(message.id)?.(message);
    });
    const answer = (id: number) => new Promise<WorkerResponse>((resolve) => waiting.set(id, resolve));
    const ready = answer(0);
    try {
      assert.ok('ready' in (await ready) && answers[0] && 'ready' in answers[0] && answers[0].ready);
      answers.length = 0;
      await work((request) => worker.postMessage(request), answer, answers);
    } finally {
      await worker.terminate();
    }
  }

  for (const [first, aggregated, order] of [
    ['an exact aggregate in chunks', table, [2, 1, 3, 4]],
    ['one long statement (a view)', { name: 'big_view' }, [1, 2, 3, 4]],
  ] as const) {
    it(`answers a queued request cancelled while ${first} runs with "cancelled", and never runs it`, async () => {
      await withWorker(async (send, answer, answers) => {
        const done = answer(4);
        send({ id: 1, method: 'aggregate', args: [aggregated, slow] });
        send({ id: 2, method: 'insertRow', args: [table, { id: 0, g: 0, v: 0, s: 'queued' }] });
        send({ id: 3, method: 'readRows', args: [table, { limit: 1 }] });
        send({ id: 4, method: 'countRows', args: [table, { filters: [{ column: 's', op: 'eq', value: 'queued' }] }] });
        // Cancelled while the first request runs: a chunked aggregate hears it at its next chunk, one long statement
        // when it ends, before the next request starts.
        await new Promise((r) => setTimeout(r, 300));
        send({ id: 5, method: 'cancel', args: [2] });
        await done;
        assert.deepEqual(
          answers.map((a) => a.id),
          order,
        );
        assert.deepEqual(
          answers.find((a) => a.id === 2),
          { id: 2, ok: false, error: { code: 'cancelled', message: 'Cancelled.' } },
        );
        const aggregate = answers.find((a) => a.id === 1);
        assert.ok(aggregate && 'ok' in aggregate && aggregate.ok, 'the aggregate answered');
        assert.deepEqual(answers.find((a) => a.id === 4), { id: 4, ok: true, value: { count: 0, exact: true } });
      });
      // The session still reads the file as it was.
      assert.deepEqual(await session.countRows(table, { filters: [{ column: 's', op: 'eq', value: 'queued' }] }), { count: 0, exact: true });
    });
  }

  it('drops a queued read whose caller gave up, and still runs the requests around it', async () => {
    const first = session.aggregate!(table, { groupBy: [{ column: 'g' }], measures: [{ op: 'count', as: 'n' }] });
    const controller = new AbortController();
    const dropped = session.readRows(table, { limit: 5, signal: controller.signal });
    const after = session.countRows(table);
    controller.abort();
    await assert.rejects(dropped, { code: 'cancelled' });
    assert.equal((await first).rows.length, 7);
    assert.deepEqual(await after, { count: 3_000_000, exact: true });
  });
});
