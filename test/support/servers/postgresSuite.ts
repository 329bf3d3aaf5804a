import pg from 'pg';
import { startPostgres, type PostgresServer } from './postgresServer';

export interface PostgresSuite {
  readonly server: PostgresServer;
  /** A client of the test database with the test user's rights, for setting up tables and reading them back. */
  readonly admin: pg.Client;
}

/**
 * A throwaway PostgreSQL server and a client on its test database for the enclosing mocha describe block: started
 * in `before`, stopped in `after`. Read the members inside hooks and tests (they are set once `before` has run).
 */
export function postgresSuite(): PostgresSuite {
  let server: PostgresServer | undefined;
  let admin: pg.Client | undefined;
  before(async () => {
    server = await startPostgres();
    admin = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('postgresSuite: the server is started in before()');
      return server;
    },
    get admin() {
      if (!admin) throw new Error('postgresSuite: the client is connected in before()');
      return admin;
    },
  };
}
