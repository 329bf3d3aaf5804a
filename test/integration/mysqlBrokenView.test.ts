// A MariaDB view whose table was dropped stays in the catalogue, and every read of it fails with server error 1356.
// That is one relation's error, with the server's words and a contract code; the other tables of the same
// connection keep working (before, the unclassified error reached the registry as a plugin bug).
import * as assert from 'node:assert/strict';
import type { DatasourceError, DatasourceSession, TableRef } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';
import { context } from '../support/sqliteFixtures';

describe('MySQL datasource: a view whose table was dropped (MariaDB)', function () {
  this.timeout(120_000);
  let server: MariadbServer;
  let session: DatasourceSession;
  let view: TableRef;
  let kept: TableRef;

  before(async () => {
    server = await startMariadb();
    await server.admin('CREATE TABLE gone (id INT PRIMARY KEY, name VARCHAR(20))');
    await server.admin('CREATE TABLE kept (id INT PRIMARY KEY, name VARCHAR(20))');
    await server.admin("INSERT INTO kept VALUES (1, 'still here')");
    await server.admin('CREATE VIEW orphan AS SELECT id, name FROM gone');
    await server.admin('DROP TABLE gone');
    session = await createMysqlDatasource().connect({ host: server.host, port: server.port, database: server.database, user: server.user }, { password: server.password }, context);
    view = { schema: server.database, name: 'orphan' };
    kept = { schema: server.database, name: 'kept' };
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  const isBrokenView = (error: DatasourceError) => {
    assert.equal(error.code, 'not_found');
    assert.match(error.message, /orphan/);
    assert.match(error.message, /references invalid table/);
    return true;
  };

  it('still lists the tables, and the broken view among them', async () => {
    const names = (await session.listTables()).map((t) => t.ref.name);
    assert.ok(names.includes('kept') && names.includes('orphan'), names.join(', '));
  });

  it('fails a count and a read of the view with the server\'s message and code not_found', async () => {
    await assert.rejects(session.countRows(view, {}), isBrokenView);
    await assert.rejects(session.readRows(view, { limit: 10 }), isBrokenView);
  });

  it('keeps reading the other tables of the same connection', async () => {
    const page = await session.readRows(kept, { limit: 10 });
    assert.deepEqual(page.rows, [[1, 'still here']]);
    assert.equal((await session.countRows(kept, {})).count, 1);
  });
});
