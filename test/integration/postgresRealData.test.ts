// The real-data suite (test/realdata) on PostgreSQL 15: Chinook and Northwind, each in its own database of one
// throwaway server, loaded from the public scripts as the test login (which so owns every table). The oracle is a
// second `pg` client that returns every value as PostgreSQL's own text.
import type { DatasourceSession } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { loadChinookPostgres, loadNorthwindPostgres, postgresRawClient, type RawClient } from '../support/datasets';
import { startPostgres, type PostgresServer } from '../support/servers/postgresServer';
import { context } from '../support/sqliteFixtures';
import { chinook, type DatasetPart, northwind } from '../realdata/datasetTargets';
import { describeRealDatabaseSuite } from '../realdata/realDatabaseSuite';

const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function postgresTarget(name: string, dataset: DatasetPart, database: string, load: (server: PostgresServer, database: string) => Promise<void>) {
  let server: PostgresServer | undefined;
  const open: { session: DatasourceSession; raw: RawClient }[] = [];
  const connect = async (db: string) => {
    if (!server) throw new Error('the server is started by open()');
    const session = await createPostgresDatasource().connect({ host: server.host, port: server.port, database: db, user: server.user }, { password: server.password }, context);
    const opened = { session, raw: await postgresRawClient(server, db) };
    open.push(opened);
    return opened;
  };
  describeRealDatabaseSuite({
    ...dataset,
    name,
    schema: 'public',
    async open() {
      server = await startPostgres();
      await load(server, database);
      const setup = await postgresRawClient(server, database);
      await setup.run(dataset.createView);
      await setup.close();
      // The write checks get their own copy, made before anyone connects (a template must have no sessions).
      await server.admin(`CREATE DATABASE ${pgIdent(`${database}_scratch`)} TEMPLATE ${pgIdent(database)} OWNER ${pgIdent(server.user)}`);
      return connect(database);
    },
    openScratch: () => connect(`${database}_scratch`),
    async dispose() {
      for (const { session, raw } of open.splice(0)) {
        await session.close();
        await raw.close();
      }
      await server?.stop();
    },
  });
}

postgresTarget('Chinook on PostgreSQL', chinook('postgres'), 'chinook', loadChinookPostgres);
postgresTarget('Northwind on PostgreSQL', northwind(), 'northwind', loadNorthwindPostgres);
