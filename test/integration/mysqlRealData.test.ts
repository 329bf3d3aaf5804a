// The real-data suite (test/realdata) on MariaDB 10.11: Chinook loaded by the real `mariadb` client from the public
// script, twice (the second database is the scratch copy for writes). The oracle is a second mysql2 connection that
// returns every value as the server's text.
import type { DatasourceSession } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { loadChinookMariadb, mysqlRawClient, type RawClient } from '../support/datasets';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';
import { context } from '../support/sqliteFixtures';
import { chinook } from '../realdata/datasetTargets';
import { describeRealDatabaseSuite } from '../realdata/realDatabaseSuite';

const dataset = chinook('mysql');
let server: MariadbServer | undefined;
const open: { session: DatasourceSession; raw: RawClient }[] = [];

async function load(database: string) {
  if (!server) throw new Error('the server is started by open()');
  await loadChinookMariadb(server, database);
  const session = await createMysqlDatasource().connect({ host: server.host, port: server.port, database, user: server.user }, { password: server.password }, context);
  const opened = { session, raw: await mysqlRawClient(server, database), schema: database };
  open.push(opened);
  // As the test login, like every other change the suite makes.
  await opened.raw.run(dataset.createView);
  return opened;
}

describeRealDatabaseSuite({
  ...dataset,
  name: 'Chinook on MariaDB',
  schema: 'Chinook',
  async open() {
    server = await startMariadb();
    return load('Chinook');
  },
  openScratch: () => load('Chinook_scratch'),
  async dispose() {
    for (const { session, raw } of open.splice(0)) {
      await session.close();
      await raw.close();
    }
    await server?.stop();
  },
});
