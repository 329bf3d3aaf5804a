// Connecting to a real PostgreSQL server and staying connected: URLs, the server's own errors mapped to codes,
// cancellation that stops the query on the server, statement timeouts, permissions, and a server restart in the
// middle of a session.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { DatasourceConfig, DatasourceContext, DatasourceError, DatasourceSession } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { startPostgres, type PostgresServer } from '../support/servers/postgresServer';

const SSL_ONLY_USER = 'nocoflo_ssl_only';

const isCode = (code: string, message?: RegExp) => (e: DatasourceError) => {
  assert.equal(e.code, code, `expected a ${code} error, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.message, message);
  return true;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('PostgreSQL connections, cancellation and restarts', function () {
  this.timeout(60_000);
  const plugin = createPostgresDatasource();
  const logs: string[] = [];
  const context: DatasourceContext = { workspaceFolders: [], log: (level, message) => logs.push(`${level}: ${message}`) };
  let server: PostgresServer;
  let config: DatasourceConfig;
  let secrets: Record<string, string>;
  let session: DatasourceSession;

  before(async () => {
    // A user the server only accepts over SSL, as a server with hostssl-only rules would.
    server = await startPostgres({ ssl: true, hba: [`hostssl all ${SSL_ONLY_USER} 127.0.0.1/32 scram-sha-256`, `host all ${SSL_ONLY_USER} 127.0.0.1/32 reject`] });
    await server.admin(`SET ROLE ${server.user};
      CREATE TABLE items (id int PRIMARY KEY, note text);
      INSERT INTO items SELECT i, 'note ' || i FROM generate_series(1, 50) i;
      CREATE VIEW slow AS SELECT pg_sleep(30)::text AS slept, 1 AS n;
      CREATE VIEW slowish AS SELECT pg_sleep(0.5)::text AS slept, 1 AS n;`);
    await server.admin('CREATE TABLE public.locked (id int PRIMARY KEY)');
    config = { host: server.host, port: server.port, database: server.database, user: server.user, applicationName: 'nocoflo-test' };
    secrets = { password: server.password };
    session = await plugin.connect(config, secrets, context);
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  describe('connection settings', () => {
    // URL parsing, the form and the error maps without a server: test/unit/serverConnectionLogic.test.ts.
    it('tests a connection and says what it found', async () => {
      const result = await plugin.testConnection(config, secrets, context);
      assert.match(result.message ?? '', new RegExp(`^PostgreSQL ${server.version}\\.\\d+.*: 4 tables and views in 1 schemas`));
    });

    it('connects through a URL the plugin parsed', async () => {
      const { config: fromUrl, secrets: fromUrlSecrets } = plugin.parseUrl!(server.url);
      const other = await plugin.connect(fromUrl, fromUrlSecrets, context);
      try {
        assert.equal((await other.countRows({ name: 'items' })).count, 50);
      } finally {
        await other.close();
      }
    });
  });

  describe("the server's errors, mapped", () => {
    it('a wrong password is an auth error with the server message, and never shows the password', async () => {
      const wrong = randomBytes(12).toString('hex');
      await assert.rejects(plugin.testConnection(config, { password: wrong }, context), (e: DatasourceError) => {
        isCode('auth', /password authentication failed for user "nocoflo_test"/)(e);
        assert.ok(!e.message.includes(wrong));
        return true;
      });
      await assert.rejects(plugin.testConnection(config, {}, context), isCode('auth', /password/));
      await assert.rejects(plugin.testConnection({ ...config, user: 'nobody_here' }, secrets, context), isCode('auth', /nobody_here/));
    });

    it('a port where nothing listens is a connection error', async () => {
      const port = await freePort();
      await assert.rejects(plugin.testConnection({ ...config, port }, secrets, context), isCode('connection', /nothing is listening/));
    });

    it('a missing database is not_found', async () => {
      await assert.rejects(plugin.testConnection({ ...config, database: 'no_such_db' }, secrets, context), isCode('not_found', /database "no_such_db" does not exist/));
    });

    it('connects with SSL in every mode, and says what is wrong when SSL is refused, missing or unverifiable', async () => {
      const password = randomBytes(12).toString('base64url');
      await server.admin(`CREATE ROLE ${SSL_ONLY_USER} LOGIN PASSWORD '${password}'; GRANT SELECT ON items TO ${SSL_ONLY_USER}`);
      const sslOnly = { ...config, user: SSL_ONLY_USER };
      await assert.rejects(plugin.testConnection(sslOnly, { password }, context), isCode('connection', /no encryption.*Set SSL to "require"/));
      const ssl = async (extra: DatasourceConfig) => {
        const s = await plugin.connect({ ...sslOnly, ...extra }, { password }, context);
        try {
          return (await s.readRows({ name: 'items' }, { limit: 1 })).rows.length;
        } finally {
          await s.close();
        }
      };
      assert.equal(await ssl({ sslMode: 'require' }), 1);
      assert.equal(await ssl({ sslMode: 'verify-ca', sslCaFile: server.caFile! }), 1);
      assert.equal(await ssl({ sslMode: 'verify-full', sslCaFile: server.caFile! }), 1);
      await assert.rejects(plugin.testConnection({ ...sslOnly, sslMode: 'verify-full' }, { password }, context), isCode('connection', /SSL connection failed: .*self[- ]signed/i));
      // verify-ca checks the chain only; verify-full also the host name, and the certificate is for 127.0.0.1, not localhost.
      assert.equal(await ssl({ host: 'localhost', sslMode: 'verify-ca', sslCaFile: server.caFile! }), 1);
      await assert.rejects(plugin.testConnection({ ...sslOnly, host: 'localhost', sslMode: 'verify-full', sslCaFile: server.caFile! }, { password }, context), isCode('connection', /SSL connection failed/));
    });

    it('a server without SSL says so when SSL is asked for', async () => {
      const plain = await startPostgres();
      try {
        await assert.rejects(plugin.testConnection({ ...config, port: plain.port, user: plain.user, database: plain.database, sslMode: 'require' }, { password: plain.password }, context), isCode('connection', /does not support SSL/));
      } finally {
        await plain.stop();
      }
    });

    it('a server that never answers is a timeout after connectTimeoutSeconds', async () => {
      const sockets: Socket[] = [];
      const hungUp: Promise<void>[] = [];
      const silent: Server = createServer((socket) => {
        sockets.push(socket);
        // Read and ignore what the client sends, so that its hang-up is seen ('end' comes after the data is read).
        socket.resume();
        hungUp.push(new Promise((resolve) => socket.once('close', () => resolve())));
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as { port: number }).port;
      try {
        await assert.rejects(plugin.testConnection({ ...config, port, connectTimeoutSeconds: 1 }, secrets, context), isCode('timeout', /timed out/));
        // The client gave up by itself: it connected, and it hung up every connection it opened (the server side
        // never closes them).
        assert.ok(sockets.length > 0, 'the client connected');
        await Promise.all(hungUp);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it('refuses bad settings before connecting', async () => {
      await assert.rejects(plugin.testConnection({ ...config, sslMode: 'sometimes' }, secrets, context), isCode('invalid_value', /sslMode/));
      await assert.rejects(plugin.testConnection({ ...config, database: '' }, secrets, context), isCode('invalid_value', /database/));
      await assert.rejects(plugin.testConnection({ ...config, sslMode: 'verify-full', sslCaFile: '/nonexistent/root.crt' }, secrets, context), isCode('not_found', /\/nonexistent\/root\.crt/));
      await assert.rejects(plugin.testConnection({ ...config, sslMode: 'verify-ca', sslCaFile: 'certs/root.crt' }, secrets, context), isCode('invalid_value', /no workspace folder/));
    });

    it('a table the user may not read is a permission error', async () => {
      await assert.rejects(session.readRows({ schema: 'public', name: 'locked' }, { limit: 10 }), isCode('permission', /permission denied for table locked/));
    });

    it('a write where the server only allows reading is a read_only error', async () => {
      const password = randomBytes(12).toString('base64url');
      await server.admin(`CREATE ROLE nocoflo_reader LOGIN PASSWORD '${password}'; ALTER ROLE nocoflo_reader SET default_transaction_read_only = on; GRANT SELECT, UPDATE ON items TO nocoflo_reader`);
      const reader = await plugin.connect({ ...config, user: 'nocoflo_reader' }, { password }, context);
      try {
        assert.equal((await reader.countRows({ name: 'items' })).count, 50);
        await assert.rejects(reader.updateRow({ name: 'items' }, { id: 2 }, { note: 'x' }, { note: 'note 2' }), isCode('read_only', /read-only transaction/));
      } finally {
        await reader.close();
      }
    });
  });

  describe('cancellation and timeouts', () => {
    const activeSleeps = async () =>
      Number((await server.admin<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%slow%' AND application_name = 'nocoflo-test'")).rows[0].n);
    /** Until the server runs a slow query (asked every 20 ms; the test's timeout bounds the wait). */
    const untilActive = async () => {
      while ((await activeSleeps()) === 0) await new Promise((r) => setTimeout(r, 20));
    };

    it('cancels a slow read on the server when its signal aborts', async () => {
      const controller = new AbortController();
      const reading = session.readRows({ name: 'slow' }, { limit: 10, signal: controller.signal });
      // Wait until the server is running it, then abort.
      await untilActive();
      assert.equal(await activeSleeps(), 1, 'the slow query runs on the server');
      controller.abort();
      // Not pg_sleep(30)'s answer: a cancelled error, and the server no longer runs the query.
      await assert.rejects(reading, isCode('cancelled'));
      assert.equal(await activeSleeps(), 0, 'the query is gone from pg_stat_activity');
      // The session carries on.
      assert.equal((await session.countRows({ name: 'items' })).count, 50);
    });

    it('cancels at once when the signal has already aborted, and when it aborts right after the call', async () => {
      await assert.rejects(session.readRows({ name: 'items' }, { limit: 10, signal: AbortSignal.abort() }), isCode('cancelled'));
      const controller = new AbortController();
      const reading = session.countRows({ name: 'slow' }, { signal: controller.signal });
      controller.abort();
      await assert.rejects(reading, isCode('cancelled'));
      for (let i = 0; i < 50 && (await activeSleeps()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await activeSleeps(), 0);
    });

    it('closing a session cancels its running queries instead of waiting for them', async () => {
      const other = await plugin.connect(config, secrets, context);
      const reading = other.readRows({ name: 'slow' }, { limit: 1 });
      await untilActive();
      assert.equal(await activeSleeps(), 1, 'the slow query runs on the server');
      const outcome = assert.rejects(reading, isCode('cancelled'));
      await other.close();
      // Cancelled, not answered after pg_sleep(30), and gone from the server.
      await outcome;
      assert.equal(await activeSleeps(), 0);
    });

    it('stops a statement at statementTimeoutSeconds with a timeout error', async () => {
      const impatient = await plugin.connect({ ...config, statementTimeoutSeconds: 1 }, secrets, context);
      try {
        // The server's own statement_timeout stopped it (its message), not pg_sleep(30) running out.
        await assert.rejects(impatient.readRows({ name: 'slow' }, { limit: 1 }), isCode('timeout', /statement timeout/));
        assert.equal(await activeSleeps(), 0);
        assert.equal((await impatient.countRows({ name: 'items' })).count, 50, 'the session still works');
      } finally {
        await impatient.close();
      }
    });
  });

  describe('server restarts', () => {
    it('reconnects after the server restarted: the next write and read work', async () => {
      // Several idle connections in the pool, all of which the restart kills.
      const first = await Promise.all([1, 2, 3].map(() => session.readRows({ name: 'items' }, { limit: 5 })));
      await server.restart();
      await session.updateRow({ name: 'items' }, { id: 1 }, { note: 'after restart' }, { note: 'note 1' });
      assert.equal((await server.admin('SELECT note FROM items WHERE id = 1')).rows[0].note, 'after restart');
      const again = await session.readRows({ name: 'items' }, { limit: 5 });
      assert.deepEqual(again.rows.slice(1), first[0].rows.slice(1));
    });

    it('retries a read once on a new connection when the server restarts under it', async () => {
      const reading = session.readRows({ name: 'slowish' }, { limit: 1 });
      const running = async () => Number((await server.admin<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%slowish%'")).rows[0].n);
      for (let i = 0; i < 100 && (await running()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await server.restart();
      assert.deepEqual((await reading).rows, [['', 1]]);
      assert.ok(logs.some((l) => /was lost \(.*\); trying again on a new one/.test(l)), logs.join('\n'));
    });

    it('refuses calls on a closed session with a connection error, and no log line holds the password', async () => {
      const other = await plugin.connect(config, secrets, context);
      await other.close();
      await assert.rejects(other.readRows({ name: 'items' }, { limit: 1 }), isCode('connection', /closed/));
      assert.equal(logs.some((l) => l.includes(server.password)), false);
    });
  });
});
