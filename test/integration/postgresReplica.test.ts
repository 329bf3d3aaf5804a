// The PostgreSQL datasource on a hot standby (test/support/servers/postgresReplica.ts: a primary and a
// pg_basebackup standby streaming from it): everything that reads works and answers what the primary answers, the
// tables open read-only with the replica's reason, a save is refused by the host before it reaches the server (and
// a write forced past that is a clear read_only error), and the replication lag is reported.
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceError, DatasourceSession, TableRef } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { TableService } from '../../src/core/tableService';
import { handleRequest, type RequestContext } from '../../src/host/panels/requestHandler';
import { parseFromWebview } from '../../shared/protocol';
import { loadChinookPostgres } from '../support/datasets';
import { openHostCore, rigPerTest } from '../support/hostRig';
import { startPostgresReplica, type PostgresReplica } from '../support/servers/postgresReplica';
import type { PostgresServer } from '../support/servers/postgresServer';
import { context } from '../support/sqliteFixtures';

const REPLICA = /read replica: the server is in recovery/i;
const TRACK: TableRef = { schema: 'public', name: 'track' };
const INVOICE: TableRef = { schema: 'public', name: 'invoice' };

const connect = (server: PostgresServer) =>
  createPostgresDatasource().connect({ host: server.host, port: server.port, database: 'chinook', user: server.user }, { password: server.password }, context);

/** Every row of `table`, `pageSize` at a time, following the pages' continuations. */
async function allRows(session: DatasourceSession, table: TableRef, pageSize: number, request: { sort?: { column: string; direction: 'asc' | 'desc' }[] } = {}): Promise<CellValue[][]> {
  const rows: CellValue[][] = [];
  let after: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result = await session.readRows(table, { limit: pageSize, ...request, ...(after ? { after } : {}) });
    rows.push(...result.rows);
    if (!result.next) return rows;
    after = result.next;
  }
  throw new Error('paging did not end');
}

describe('PostgreSQL on a hot standby (read replica)', function () {
  this.timeout(180_000);
  let replica: PostgresReplica;
  let primary: DatasourceSession;
  let standby: DatasourceSession;

  before(async () => {
    replica = await startPostgresReplica();
    await loadChinookPostgres(replica.primary, 'chinook');
    await replica.caughtUp();
    primary = await connect(replica.primary);
    standby = await connect(replica.standby);
  });
  after(async () => {
    await primary?.close();
    await standby?.close();
    await replica?.stop();
  });

  it('the standby is in recovery and lists the tables the primary has', async () => {
    const inRecovery = await replica.standby.admin<{ r: boolean }>('SELECT pg_is_in_recovery() AS r', [], 'chinook');
    assert.equal(inRecovery.rows[0].r, true);
    const names = (tables: { ref: TableRef }[]) => tables.map((t) => `${t.ref.schema}.${t.ref.name}`);
    assert.deepEqual(names(await standby.listTables()), names(await primary.listTables()));
  });

  it('tables and views open read-only with the replica reason there, and editable on the primary', async () => {
    const onStandby = await standby.getSchema(TRACK);
    assert.match(onStandby.readOnlyReason ?? '', REPLICA);
    assert.deepEqual(onStandby.columns, (await primary.getSchema(TRACK)).columns, 'the same columns');
    assert.equal((await primary.getSchema(TRACK)).readOnlyReason, undefined);
  });

  it('pages through every row of a table as the primary does, by key and sorted by a column', async () => {
    const count = Number((await replica.primary.admin<{ n: string }>('SELECT count(*) AS n FROM track', [], 'chinook')).rows[0].n);
    const byKey = await allRows(standby, TRACK, 250);
    assert.equal(byKey.length, count);
    assert.deepEqual(byKey, await allRows(primary, TRACK, 250));
    const sort = [{ column: 'composer', direction: 'desc' as const }];
    assert.deepEqual(await allRows(standby, TRACK, 300, { sort }), await allRows(primary, TRACK, 300, { sort }));
    // An offset jump (the scrollbar) too.
    assert.deepEqual((await standby.readRows(TRACK, { limit: 20, offset: 3000 })).rows, (await primary.readRows(TRACK, { limit: 20, offset: 3000 })).rows);
  });

  it('filters, searches, counts and aggregates (charts) as the primary does', async () => {
    const filters = [
      { column: 'genre_id', op: 'eq' as const, value: 1 },
      { column: 'milliseconds', op: 'gt' as const, value: 300_000 },
    ];
    const both = async <T>(read: (s: DatasourceSession) => Promise<T>) => {
      const [a, b] = [await read(standby), await read(primary)];
      assert.deepEqual(a, b);
      return a;
    };
    const filtered = await both((s) => s.readRows(TRACK, { limit: 1000, filters }).then((p) => p.rows));
    assert.ok(filtered.length > 0);
    await both((s) => s.readRows(TRACK, { limit: 1000, search: { text: 'love' } }).then((p) => p.rows));
    const counted = await both((s) => s.countRows(TRACK, { filters }));
    assert.equal(counted.count, filtered.length);
    await both((s) => s.countRows(TRACK, { cap: 100 }));
    await both((s) => s.countRows(TRACK, { estimate: true }));
    const chart = await both((s) => s.aggregate!(INVOICE, { groupBy: [{ column: 'billing_country' }], measures: [{ op: 'count', as: 'n' }, { op: 'sum', column: 'total', as: 'total' }], limit: 100 }));
    assert.ok(chart.rows.length > 5);
    await both((s) => s.aggregate!(TRACK, { groupBy: [{ column: 'milliseconds', bin: { step: 60_000 } }], measures: [{ op: 'mean', column: 'bytes', as: 'mean' }], limit: 500 }));
    await both((s) => s.aggregate!(INVOICE, { groupBy: [{ column: 'invoice_date', timeUnit: 'month' }], measures: [{ op: 'max', column: 'total', as: 'max' }], limit: 500 }));
  });

  it('reading leaves nothing behind on the standby: no temporary tables, no advisory locks', async () => {
    const temp = await replica.standby.admin<{ n: string }>("SELECT count(*) AS n FROM pg_class WHERE relpersistence = 't'", [], 'chinook');
    assert.equal(temp.rows[0].n, '0');
    const advisory = await replica.standby.admin<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'", [], 'chinook');
    assert.equal(advisory.rows[0].n, '0');
  });

  it('a write forced past the host is the server refusing it, as a read_only error with the replica reason', async () => {
    await assert.rejects(standby.updateRow(TRACK, { track_id: 1 }, { name: 'edited' }, {}), (e: DatasourceError) => {
      assert.equal(e.code, 'read_only', e.message);
      assert.match(e.message, REPLICA);
      assert.match(e.message, /cannot execute UPDATE in a read-only transaction/);
      return true;
    });
    await assert.rejects(standby.insertRow({ schema: 'public', name: 'genre' }, { genre_id: 999, name: 'x' }), (e: DatasourceError) => e.code === 'read_only' && REPLICA.test(e.message));
  });

  it('reports the replication lag, and nothing on the primary', async () => {
    assert.equal(await primary.status!(), undefined);
    // Hold replay back, write on the primary, and wait until the standby has received more than it replayed.
    await replica.standby.admin('SELECT pg_wal_replay_pause()');
    try {
      await replica.primary.admin("UPDATE genre SET name = name || '' WHERE genre_id = 1", [], 'chinook');
      const behind = "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() AS b";
      let received = false;
      for (let i = 0; i < 400 && !received; i++) {
        received = (await replica.standby.admin<{ b: boolean }>(behind)).rows[0].b;
        if (!received) await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(received, 'the standby received the write within 400 checks');
      const status = await standby.status!();
      assert.equal(status?.label, 'read replica');
      assert.match(status?.detail ?? '', /Replication lag: \d/);
    } finally {
      await replica.standby.admin('SELECT pg_wal_replay_resume()');
    }
    // Caught up: the primary may still write a little WAL of its own (running-transaction snapshots), so this is
    // asked until the standby has replayed all it received, a bounded number of times.
    let status = await standby.status!();
    for (let i = 0; i < 200 && !/replayed all it received/.test(status?.detail ?? ''); i++) {
      await replica.caughtUp();
      status = await standby.status!();
    }
    assert.equal(status?.label, 'read replica');
    assert.match(status?.detail ?? '', /replayed all it received/);
  });

  describe('through the host', () => {
    const start = rigPerTest('nocoflo-replica-', async (dir) => {
      const core = await openHostCore(dir, createPostgresDatasource());
      return { ...core, tables: new TableService(core.manager) };
    });

    it('a save is refused before it reaches the server, with the reason the view shows', async () => {
      const { rig } = await start();
      const id = await rig.manager.add({
        type: 'nocoflo.postgres',
        name: 'Replica',
        config: { host: replica.standby.host, port: replica.standby.port, database: 'chinook', user: replica.standby.user },
        secrets: { password: replica.standby.password },
      });
      const requestContext: RequestContext = {
        table: { datasourceId: id, ...TRACK },
        tables: rig.tables,
        capabilities: async () => (await rig.manager.session(id)).capabilities,
        saveFile: async () => false,
        origin: { source: 'nocoflo.table' },
      };
      let nextId = 1;
      const send = async (method: string, params: unknown) => {
        const parsed = parseFromWebview({ type: 'request', id: nextId++, method, params });
        if (!parsed.ok || parsed.message.type !== 'request') throw new Error('the host would reject this message');
        return (await handleRequest(parsed.message, requestContext, new AbortController().signal)) as { ok: boolean; result?: unknown };
      };
      const refreshed = await send('schema/refresh', {});
      const reason = (refreshed.result as { readOnlyReason?: string }).readOnlyReason;
      assert.match(reason ?? '', REPLICA);
      // The host's own refusal: a write that reached the standby would fail with the server's words instead.
      const applied = await send('changes/apply', { changes: [{ kind: 'update', key: { track_id: 1 }, changes: { name: 'edited' }, expected: { name: 'For Those About To Rock (We Salute You)' } }] });
      assert.deepEqual(applied.result, { ok: false, rolledBack: true, failure: { index: 0, code: 'read_only', message: reason } });
    });
  });
});
