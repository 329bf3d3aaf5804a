// A writer handed to `transaction(work)` is only good while that transaction is open. Once it committed or rolled
// back, its connection is back in the pool: a kept writer must refuse, never write outside the transaction on a
// connection someone else may hold. Checked against real MariaDB and PostgreSQL servers.
import * as assert from 'node:assert/strict';
import type { DatasourceContext, DatasourceError, DatasourceSession, DatasourceWriter, TableRef } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { createPostgresDatasource } from '../../plugins/postgres';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';
import { postgresSuite } from '../support/servers/postgresSuite';

const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };

const ended = (e: DatasourceError) => {
  assert.equal(e.code, 'unsupported', `expected unsupported, got ${e.code}: ${e.message}`);
  assert.match(e.message, /transaction has already ended/);
  return true;
};

/** The checks both datasources share; `ids()` reads the table's ids back with the server's admin rights. */
function keptWriterChecks(get: () => { session: DatasourceSession; table: TableRef; ids: () => Promise<number[]> }) {
  it('a writer kept past COMMIT refuses every kind of write, and writes nothing', async () => {
    const { session, table, ids } = get();
    let kept: DatasourceWriter | undefined;
    await session.transaction!(async (tx) => {
      kept = tx;
      await tx.insertRow(table, { id: 1, note: 'in the transaction' });
    });
    await assert.rejects(kept!.insertRow(table, { id: 2, note: 'after commit' }), ended);
    await assert.rejects(kept!.updateRow(table, { id: 1 }, { note: 'after commit' }, { note: 'in the transaction' }), ended);
    await assert.rejects(kept!.deleteRow(table, { id: 1 }, { note: 'in the transaction' }), ended);
    assert.deepEqual(await ids(), [1]);
  });

  it('a writer kept past ROLLBACK refuses too', async () => {
    const { session, table, ids } = get();
    let kept: DatasourceWriter | undefined;
    await assert.rejects(
      session.transaction!(async (tx) => {
        kept = tx;
        await tx.insertRow(table, { id: 3, note: 'rolled back' });
        throw new Error('the work gives up');
      }),
      /the work gives up/,
    );
    await assert.rejects(kept!.insertRow(table, { id: 4, note: 'after rollback' }), ended);
    assert.deepEqual(await ids(), [1]);
    // The session itself still writes.
    await session.insertRow(table, { id: 5, note: 'plain write' });
    assert.deepEqual(await ids(), [1, 5]);
  });
}

describe('A writer after its transaction ended (real MariaDB server)', function () {
  this.timeout(60_000);
  let server: MariadbServer;
  let session: DatasourceSession;

  before(async () => {
    server = await startMariadb();
    await server.admin('CREATE TABLE kept (id INT PRIMARY KEY, note VARCHAR(40) NULL) ENGINE=InnoDB');
    session = await createMysqlDatasource().connect({ host: server.host, port: server.port, user: server.user, database: server.database }, { password: server.password }, context);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  keptWriterChecks(() => ({
    session,
    table: { schema: server.database, name: 'kept' },
    ids: async () => (await server.admin<{ id: number }[]>('SELECT id FROM kept ORDER BY id')).map((r) => r.id),
  }));
});

describe('A writer after its transaction ended (real PostgreSQL server)', function () {
  this.timeout(60_000);
  const suite = postgresSuite();
  let session: DatasourceSession;

  before(async () => {
    await suite.admin.query('CREATE TABLE public.kept (id int PRIMARY KEY, note text)');
    const { server } = suite;
    session = await createPostgresDatasource().connect({ host: server.host, port: server.port, user: server.user, database: server.database }, { password: server.password }, context);
  });

  after(async () => {
    await session?.close();
  });

  keptWriterChecks(() => ({
    session,
    table: { schema: 'public', name: 'kept' },
    ids: async () => (await suite.admin.query<{ id: number }>('SELECT id FROM public.kept ORDER BY id')).rows.map((r) => r.id),
  }));
});
