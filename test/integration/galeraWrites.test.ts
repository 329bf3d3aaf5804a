// Saves on a 3-node MariaDB Galera cluster (galeraCluster.ts), each node a session of its own as users in different
// places would have: a save through one node is read through another at once (causal reads); two saves of the same
// row through different nodes give one success and one conflict with the current row, also when the loser only
// learns it at COMMIT (a certification failure, error 1213); a multi-row save is all or nothing; and a node that
// leaves the cluster says so and works again, in the same session, once it is back.
import * as assert from 'node:assert/strict';
import type { DatasourceContext, DatasourceError, DatasourceSession, DatasourceWriter, RowValues, TableLocator } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import type { DatasourceManager } from '../../src/core/datasourceManager';
import { TableService } from '../../src/core/tableService';
import { startGaleraCluster, type GaleraCluster } from '../support/servers/galeraCluster';

describe('MariaDB Galera: saves through different nodes', function () {
  this.timeout(300_000);
  let cluster: GaleraCluster;
  const sessions: DatasourceSession[] = [];
  const logged: string[] = [];
  const context: DatasourceContext = { workspaceFolders: [], log: (_level, message) => logged.push(message) };
  const table = () => ({ schema: cluster.database, name: 'items' });
  const on = (node: number) => sessions[node - 1];

  before(async () => {
    cluster = await startGaleraCluster();
    const first = cluster.nodes[0];
    await first.admin('CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, score INT NULL) ENGINE=InnoDB');
    await first.admin("INSERT INTO items VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3), (4, 'four', 4), (5, 'five', 5)");
    for (const node of cluster.nodes) {
      sessions.push(await createMysqlDatasource().connect({ host: node.host, port: node.port, database: cluster.database, user: cluster.user }, { password: cluster.password }, context));
    }
  });
  after(async () => {
    for (const session of sessions) await session.close();
    await cluster?.stop();
  });

  /** Row `id` as Nocoflo reads it through `node`. */
  const rowOn = async (node: number, id: number): Promise<RowValues> => {
    const page = await on(node).readRows(table(), { limit: 2, filters: [{ column: 'id', op: 'eq', value: id }] });
    assert.equal(page.rows.length, 1, `row ${id} through node ${node}`);
    return Object.fromEntries(page.columns.map((c, i) => [c, page.rows[0][i]]));
  };
  /** Row `id` as every node stores it (read as root, after a causal wait on that node). */
  const storedEverywhere = async (id: number) => {
    const rows = [];
    for (const node of cluster.nodes) {
      const [row] = await node.admin<RowValues[]>('SET STATEMENT wsrep_sync_wait = 1 FOR SELECT name, score FROM items WHERE id = ?', [id]);
      rows.push(row);
    }
    assert.deepEqual(rows[1], rows[0], 'node 2 stores what node 1 does');
    assert.deepEqual(rows[2], rows[0], 'node 3 stores what node 1 does');
    return rows[0];
  };
  /** A table service (the host's save path) whose datasource is the session on `node`. */
  const serviceOn = (session: DatasourceSession) => new TableService({ session: async () => session } as unknown as DatasourceManager);
  const locator = (): TableLocator => ({ datasourceId: 'galera', ...table() });

  it('reads through node 3 what was saved through node 1 just before (causal reads, wsrep_sync_wait = 1)', async () => {
    for (let score = 100; score < 120; score++) {
      await on(1).updateRow(table(), { id: 1 }, { score }, { score: score === 100 ? 1 : score - 1 });
      assert.equal((await rowOn(3, 1)).score, score);
    }
    const settings = await on(3).readRows({ schema: 'information_schema', name: 'SESSION_VARIABLES' }, { limit: 1, filters: [{ column: 'VARIABLE_NAME', op: 'eq', value: 'WSREP_SYNC_WAIT' }] });
    assert.deepEqual(settings.rows.map((r) => r[settings.columns.indexOf('VARIABLE_VALUE')]), ['1'], 'the session reads causally');
  });

  it('two users save the same row through nodes 2 and 3: the first save wins, the second gets the conflict with the current row', async () => {
    const readByA = await rowOn(2, 2);
    const readByB = await rowOn(3, 2);
    const b = await serviceOn(on(3)).apply(locator(), [{ kind: 'update', key: { id: 2 }, changes: { name: 'two by B' }, expected: readByB }]);
    assert.equal(b.ok, true, JSON.stringify(b));
    const a = await serviceOn(on(2)).apply(locator(), [{ kind: 'update', key: { id: 2 }, changes: { name: 'two by A' }, expected: readByA }]);
    assert.equal(a.ok, false);
    assert.deepEqual(!a.ok && { index: a.failure.index, code: a.failure.code, current: a.failure.current, rolledBack: a.rolledBack }, {
      index: 0,
      code: 'conflict',
      current: { id: 2, name: 'two by B', score: 2 },
      rolledBack: true,
    });
    assert.deepEqual(await storedEverywhere(2), { name: 'two by B', score: 2 });
  });

  /**
   * The session on node 2 as the host sees it, except that while its save is still open (after the change of row
   * `id`), a save of that row commits through node 3: node 2's transaction then fails certification at COMMIT.
   */
  const racingNode3 = (id: number, theirs: RowValues, theirExpected: RowValues): DatasourceSession => {
    let raced = false;
    const session = on(2);
    return {
      capabilities: session.capabilities,
      description: session.description,
      getSchema: (t) => session.getSchema(t),
      listTables: (o) => session.listTables(o),
      readRows: (t, r) => session.readRows(t, r),
      countRows: (t, r) => session.countRows(t, r),
      insertRow: (t, v) => session.insertRow(t, v),
      updateRow: (t, k, c, e) => session.updateRow(t, k, c, e),
      deleteRow: (t, k, e) => session.deleteRow(t, k, e),
      close: () => Promise.resolve(),
      transaction: <T>(work: (tx: DatasourceWriter) => Promise<T>) =>
        session.transaction!((tx) =>
          work({
            insertRow: (t, v) => tx.insertRow(t, v),
            deleteRow: (t, k, e) => tx.deleteRow(t, k, e),
            async updateRow(t, k, c, e) {
              const result = await tx.updateRow(t, k, c, e);
              if (!raced && k.id === id) {
                raced = true;
                await on(3).updateRow(table(), { id }, theirs, theirExpected);
              }
              return result;
            },
          }),
        ),
    };
  };

  it('a save that fails certification at COMMIT (1213) reports the conflict with the current row, and nothing of it is applied', async () => {
    logged.length = 0;
    const service = serviceOn(racingNode3(3, { name: 'three by B' }, { name: 'three' }));
    const result = await service.apply(locator(), [
      { kind: 'update', key: { id: 4 }, changes: { name: 'four by A' }, expected: { name: 'four', score: 4 } },
      { kind: 'update', key: { id: 3 }, changes: { name: 'three by A' }, expected: { name: 'three', score: 3 } },
    ]);
    assert.deepEqual(!result.ok && { index: result.failure.index, code: result.failure.code, current: result.failure.current, rolledBack: result.rolledBack }, {
      index: 1,
      code: 'conflict',
      current: { id: 3, name: 'three by B', score: 3 },
      rolledBack: true,
    });
    assert.ok(
      logged.some((m) => /rolled back by a concurrent change \(Deadlock found when trying to get lock; try restarting transaction\)/.test(m)),
      `node 2's first COMMIT failed certification: ${logged.join(' | ')}`,
    );
    assert.deepEqual(await storedEverywhere(4), { name: 'four', score: 4 }, 'the other change of the save was not applied');
    assert.deepEqual(await storedEverywhere(3), { name: 'three by B', score: 3 });
  });

  it('a save that fails certification but whose checked values did not change is applied once, with the concurrent change kept', async () => {
    logged.length = 0;
    const service = serviceOn(racingNode3(5, { score: 55 }, { score: 5 }));
    const result = await service.apply(locator(), [{ kind: 'update', key: { id: 5 }, changes: { name: 'five by A' }, expected: { name: 'five' } }]);
    assert.deepEqual(result, { ok: true, results: [{ key: { id: 5 }, row: { id: 5, name: 'five by A', score: 55 } }] });
    assert.ok(logged.some((m) => /rolled back by a concurrent change/.test(m)), `node 2's first COMMIT failed certification: ${logged.join(' | ')}`);
    assert.deepEqual(await storedEverywhere(5), { name: 'five by A', score: 55 });
  });

  it('a node cut off from the cluster says so, changes nothing, and the same session works again once it has rejoined', async () => {
    await cluster.isolateNode(3);
    const notInCluster = (e: DatasourceError) => e.code === 'connection' && /Galera node at 127\.0\.0\.1:\d+ is not part of the cluster right now/.test(e.message);
    await assert.rejects(on(3).readRows(table(), { limit: 5 }), notInCluster);
    await assert.rejects(on(3).updateRow(table(), { id: 1 }, { name: 'lost' }, { name: 'one' }), notInCluster);
    await on(1).updateRow(table(), { id: 1 }, { name: 'one while 3 was away' }, { name: 'one' });
    await cluster.rejoinNode(3);
    assert.equal((await rowOn(3, 1)).name, 'one while 3 was away');
    assert.deepEqual(await storedEverywhere(1), { name: 'one while 3 was away', score: 119 });
  });

  it('a node that stops mid-session gives a clear message, and the next action after it is back reconnects to it', async () => {
    await cluster.stopNode(3);
    await assert.rejects(on(3).readRows(table(), { limit: 5 }), (e: DatasourceError) => e.code === 'connection' && /MySQL server at 127\.0\.0\.1:\d+/.test(e.message));
    await on(1).updateRow(table(), { id: 1 }, { name: 'one while 3 was down' }, { name: 'one while 3 was away' });
    await cluster.startNode(3);
    assert.equal((await rowOn(3, 1)).name, 'one while 3 was down');
    await on(3).updateRow(table(), { id: 1 }, { name: 'one through 3 again' }, { name: 'one while 3 was down' });
    assert.deepEqual(await storedEverywhere(1), { name: 'one through 3 again', score: 119 });
  });
});
