// A hostile SQLite file must not hang its worker: a request that overruns its budget fails with code 'timeout', the
// worker is restarted, and the rest of the file still works. Real worker, real engine (sql.js here; node:sqlite
// through scripts/test-sqlite-node22.sh). Budgets are tiny so the tests are fast; nothing asserts on elapsed time.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DatasourceSession } from '../../api';
import type { WorkerBudgetOptions } from '../../plugins/sqlite/supervisedWorker';
import { countWithin } from '../../src/core/treeCounts';
import { engine, makeDatabase, openSqlite, python, tempDir } from '../support/sqliteFixtures';

// A view whose query never ends and never yields a row, so even a capped count (LIMIT) runs forever; and a table
// whose insert trigger runs the same endless query, so a write can hang mid-transaction.
const ENDLESS = 'WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x FROM r WHERE x < 0';
const HOSTILE = `
  CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE VIEW endless AS ${ENDLESS};
  CREATE TABLE slow (id INTEGER PRIMARY KEY, note TEXT);
  CREATE TRIGGER slow_insert AFTER INSERT ON slow BEGIN SELECT count(*) FROM (${ENDLESS}); END;
`;

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.equal((error as { code?: string }).code, code, `expected code ${code}, got: ${(error as Error).message}`);
    return error as Error;
  }
  assert.fail(`expected a '${code}' rejection`);
}

const names = async (session: DatasourceSession) => (await session.readRows({ name: 't' }, { limit: 10, sort: [{ column: 'id', direction: 'asc' }] })).rows.map((r) => r[1]);

describe(`SQLite worker watchdog (${engine} engine)`, function () {
  let file: string;
  const sessions: DatasourceSession[] = [];
  const open = async (budgets: WorkerBudgetOptions) => {
    const session = await openSqlite(file, { budgets });
    sessions.push(session);
    return session;
  };

  beforeEach(async () => {
    file = await makeDatabase(path.join(tempDir('nocoflo-timeouts-'), 'hostile.sqlite'), HOSTILE, (run) => {
      for (const [id, name] of [[1, 'ada'], [2, 'bob'], [3, 'cy']]) run('INSERT INTO t VALUES (?, ?)', [id, name]);
    });
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
  });

  it('fails an endless count with code timeout, then reads and counts another table of the same file', async () => {
    const session = await open({ methods: { countRows: 300 } });
    const error = await rejectsWith(session.countRows({ name: 'endless' }, { cap: 10_000 }), 'timeout');
    assert.match(error.message, /Counting the rows of "endless" took longer than 0\.3 seconds/);
    assert.match(error.message, /restarted/);
    assert.deepEqual(await names(session), ['ada', 'bob', 'cy']);
    assert.deepEqual(await session.countRows({ name: 't' }), { count: 3, exact: true });
  });

  it('fails an endless read with code timeout; the same session reads another table afterwards', async () => {
    const session = await open({ methods: { readRows: 300 } });
    await rejectsWith(session.readRows({ name: 'endless' }, { limit: 100 }), 'timeout');
    assert.deepEqual(await session.countRows({ name: 't' }), { count: 3, exact: true });
    assert.deepEqual(await names(session), ['ada', 'bob', 'cy']);
  });

  it('sends the reads queued behind the hung request to the fresh worker, and fails the queued writes', async () => {
    const session = await open({ methods: { countRows: 300 } });
    const hung = rejectsWith(session.countRows({ name: 'endless' }), 'timeout');
    const queuedRead = session.readRows({ name: 't' }, { limit: 10 });
    const queuedWrite = rejectsWith(session.insertRow({ name: 't' }, { id: 4, name: 'dee' }), 'connection');
    await hung;
    assert.equal((await queuedRead).rows.length, 3);
    await queuedWrite;
    assert.deepEqual(await names(session), ['ada', 'bob', 'cy'], 'the failed write was never applied');
  });

  it('leaves nothing of a transaction whose statement hung, in memory or on disk', async () => {
    const session = await open({ methods: { insertRow: 500 } });
    await rejectsWith(
      session.transaction!(async (tx) => {
        await tx.insertRow({ name: 't' }, { id: 10, name: 'half' });
        await tx.insertRow({ name: 'slow' }, { id: 1, note: 'never finishes' });
      }),
      'timeout',
    );
    assert.deepEqual(await names(session), ['ada', 'bob', 'cy']);
    assert.equal(python("import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute('select group_concat(name) from t').fetchone()[0])", file), 'ada,bob,cy');
    // The fresh worker writes normally.
    await session.transaction!(async (tx) => tx.insertRow({ name: 't' }, { id: 4, name: 'dee' }));
    assert.equal(python("import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute('select group_concat(name) from t').fetchone()[0])", file), 'ada,bob,cy,dee');
  });

  it('refuses to go on with a transaction after its worker was restarted, even if the caller ignores the timeout', async () => {
    const session = await open({ methods: { insertRow: 500 } });
    await rejectsWith(
      session.transaction!(async (tx) => {
        await tx.insertRow({ name: 't' }, { id: 10, name: 'before' });
        // The caller sees the timeout, and goes on as if nothing happened.
        await rejectsWith(tx.insertRow({ name: 'slow' }, { id: 1, note: 'never finishes' }), 'timeout');
        // Sent to the fresh worker this would run on its own, outside any transaction, and be saved.
        await tx.insertRow({ name: 't' }, { id: 11, name: 'after' });
      }),
      'connection',
    );
    assert.deepEqual(await names(session), ['ada', 'bob', 'cy']);
  });

  it('closes during a hung statement: close resolves and the hung request fails cleanly', async () => {
    // The count's own budget (ten minutes) is far beyond the test's timeout: only close's grace period can end it.
    const session = await open({ methods: { countRows: 600_000 }, closeGraceMs: 200 });
    const hung = session.countRows({ name: 'endless' });
    const outcome = hung.then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    sessions.splice(sessions.indexOf(session), 1);
    await session.close();
    assert.equal(await outcome, 'connection');
    await rejectsWith(session.listTables(), 'connection');
  });

  it('restarts a worker whose running request was cancelled and does not stop, so the next request runs', async () => {
    const session = await open({ methods: { countRows: 600_000 }, cancelGraceMs: 200 });
    const controller = new AbortController();
    const hung = session.countRows({ name: 'endless' }, { signal: controller.signal });
    const queued = session.readRows({ name: 't' }, { limit: 10 });
    setImmediate(() => controller.abort());
    await rejectsWith(hung, 'cancelled');
    assert.equal((await queued).rows.length, 3);
  });

  it("gives the tree's count a budget: an endless count comes back as timed out, a quick one as counted", async () => {
    const session = await open({ cancelGraceMs: 200 });
    const slow = await countWithin((signal) => session.countRows({ name: 'endless' }, { cap: 10_000, estimate: true, signal }), 200);
    assert.deepEqual(slow, { kind: 'timed out' });
    const quick = await countWithin((signal) => session.countRows({ name: 't' }, { cap: 10_000, estimate: true, signal }), 30_000);
    assert.deepEqual(quick, { kind: 'counted', count: { count: 3, exact: true } });
  });
});
