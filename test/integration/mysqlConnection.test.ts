// The MySQL/MariaDB datasource's connection life against a real MariaDB server: URLs, the errors a connection form
// shows (wrong password, nothing listening, unknown database, no answer), secrets kept out of messages and logs,
// cancelling and timing out slow reads on the server, and reconnecting after the server restarts mid-session.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { DatasourceConfig, DatasourceContext, DatasourceError, DatasourceSession } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

const plugin = createMysqlDatasource();
const logs: string[] = [];
const context: DatasourceContext = { workspaceFolders: [], log: (level, message) => logs.push(`${level}: ${message}`) };

/** An assert.rejects predicate: the contract error code, and optionally its message. */
function failsWith(code: string, message?: RegExp) {
  return (error: unknown) => {
    const e = error as DatasourceError;
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MySQL/MariaDB datasource: connections (real MariaDB server)', function () {
  this.timeout(60_000);
  let server: MariadbServer;
  let session: DatasourceSession;
  const config = (extra: DatasourceConfig = {}): DatasourceConfig => ({ host: server.host, port: server.port, user: server.user, database: server.database, ...extra });
  const secrets = () => ({ password: server.password });
  /** The statements the test user runs right now, as the server sees them. */
  const running = (pattern: string) =>
    server.admin<{ ID: number; INFO: string }[]>("SELECT ID, INFO FROM information_schema.PROCESSLIST WHERE USER = ? AND COMMAND <> 'Sleep' AND INFO LIKE ?", [server.user, pattern], null);

  before(async () => {
    server = await startMariadb();
    await server.admin('CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))');
    await server.admin("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    // Reading this view takes 30 seconds on the server.
    await server.admin('CREATE VIEW slow_view AS SELECT SLEEP(30) AS slept');
    session = await plugin.connect(config(), secrets(), context);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
    // Whatever happened, the password never reached the log.
    assert.ok(server.password.length > 10);
    for (const line of logs) assert.ok(!line.includes(server.password), `a log line holds the password: ${line}`);
  });

  describe('URLs and the connection form', () => {
    it('splits a URL into config and secrets, decoding the password', () => {
      const password = `p@ss:w/rd%${randomBytes(4).toString('hex')}`;
      const parsed = plugin.parseUrl!(`mysql://app%20user:${encodeURIComponent(password)}@db.example.com:3307/shop%20db?ssl-mode=VERIFY_IDENTITY&ssl-ca=certs/ca.pem&connect_timeout=5`);
      assert.deepEqual(parsed.config, { host: 'db.example.com', port: 3307, user: 'app user', database: 'shop db', sslMode: 'verify-full', sslCaFile: 'certs/ca.pem', connectTimeoutSeconds: 5 });
      assert.deepEqual(parsed.secrets, { password });
      assert.deepEqual(plugin.parseUrl!('mariadb://root@[::1]/').config, { host: '::1', user: 'root' });
      assert.deepEqual(plugin.parseUrl!('mysql://u@localhost?socket=/run/mysqld/mysqld.sock&sslmode=require').config, { host: '/run/mysqld/mysqld.sock', user: 'u', sslMode: 'require' });
      assert.deepEqual(plugin.parseUrl!(server.url).secrets, { password: server.password });
    });

    it('refuses what is not a MySQL URL without echoing it', () => {
      const secret = randomBytes(6).toString('hex');
      assert.throws(() => plugin.parseUrl!(`postgres://u:${secret}@h/db`), (e: Error) => failsWith('invalid_value', /mysql:\/\//)(e) && !e.message.includes(secret));
      assert.throws(() => plugin.parseUrl!(`mysql://u:${secret}@h:99999/db`), (e: Error) => failsWith('invalid_value', /port|cannot be parsed/)(e) && !e.message.includes(secret));
    });

    it('declares its form: the password is a secret field, SSL modes an enum', () => {
      assert.equal(plugin.id, 'nocoflo.mysql');
      assert.deepEqual(plugin.schemes, ['mysql', 'mariadb']);
      const password = plugin.configFields.find((f) => f.key === 'password')!;
      assert.equal(password.secret, true);
      assert.equal(password.type, 'password');
      assert.deepEqual(plugin.configFields.find((f) => f.key === 'sslMode')!.enum, ['disable', 'require', 'verify-ca', 'verify-full']);
      assert.deepEqual(
        plugin.configFields.map((f) => f.key),
        ['host', 'port', 'database', 'user', 'password', 'sslMode', 'sslCaFile', 'allowCleartextPassword', 'connectTimeoutSeconds', 'queryTimeoutSeconds'],
      );
    });
  });

  describe('testConnection', () => {
    it('says which server answered', async () => {
      const result = await plugin.testConnection(config(), secrets(), context);
      assert.equal(result.ok, true);
      assert.match(result.message ?? '', /^MariaDB 10\.\d+.*: \d+ tables and views in \d+ databases\.$/);
      assert.equal(session.description, `${server.user}@127.0.0.1:${server.port}/${server.database}`);
    });

    it('reports a wrong password as auth, without the password', async () => {
      const wrong = `wrong-${randomBytes(8).toString('hex')}`;
      await assert.rejects(plugin.testConnection(config(), { password: wrong }, context), (e: Error) => failsWith('auth', /Access denied for user 'nocoflo_test'/)(e) && !e.message.includes(wrong) && !e.message.includes(server.password));
    });

    it('says how to relax SSL when the server has none', async () => {
      await assert.rejects(plugin.testConnection(config({ sslMode: 'require' }), secrets(), context), failsWith('connection', /does not support SSL\. Set SSL to "disable" for this connection/));
    });

    it('reports a port nobody listens on as connection', async () => {
      const port = await freePort();
      await assert.rejects(plugin.testConnection(config({ port }), secrets(), context), failsWith('connection', new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`)));
    });

    it('reports an unknown database as not_found', async () => {
      await assert.rejects(plugin.testConnection(config({ database: 'nocoflo_missing' }), secrets(), context), failsWith('not_found', /Unknown database 'nocoflo_missing'/));
    });

    it('reports a server that never answers as timeout', async () => {
      // Accepts TCP connections and never sends MySQL's greeting.
      const sockets: Socket[] = [];
      const silent: Server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as { port: number }).port;
      try {
        const started = Date.now();
        await assert.rejects(plugin.testConnection(config({ port, connectTimeoutSeconds: 1 }), secrets(), context), failsWith('timeout', /did not answer in time/));
        assert.ok(Date.now() - started < 5_000);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });

  describe('stopping slow reads on the server', () => {
    const slow = () => ({ schema: server.database, name: 'slow_view' });

    it('cancels a read through its AbortSignal with KILL QUERY, and the server stops running it', async () => {
      const controller = new AbortController();
      const started = Date.now();
      const read = session.readRows(slow(), { limit: 10, signal: controller.signal });
      const outcome = read.then(
        () => 'resolved',
        (error: DatasourceError) => error,
      );
      // Wait until the server really runs it, so the cancel is not just a client giving up.
      while ((await running('%slow_view%')).length === 0) {
        assert.ok(Date.now() - started < 10_000, 'the slow read never showed up in the process list');
        await sleep(50);
      }
      controller.abort();
      const error = await outcome;
      assert.notEqual(error, 'resolved');
      assert.equal((error as DatasourceError).code, 'cancelled');
      assert.ok(Date.now() - started < 10_000, `cancelling took ${Date.now() - started} ms`);
      assert.deepEqual(await running('%slow_view%'), [], 'the server still runs the cancelled read');
      // The session goes on working.
      assert.equal((await session.readRows({ schema: server.database, name: 'items' }, { limit: 10 })).rows.length, 3);
    });

    it('stops a read that outlives queryTimeoutSeconds, as timeout', async () => {
      const timed = await plugin.connect(config({ queryTimeoutSeconds: 1 }), secrets(), context);
      try {
        const started = Date.now();
        await assert.rejects(timed.readRows(slow(), { limit: 10 }), failsWith('timeout'));
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 900 && elapsed < 8_000, `timed out after ${elapsed} ms`);
        assert.deepEqual(await running('%slow_view%'), []);
        assert.equal((await timed.countRows({ schema: server.database, name: 'items' })).count, 3);
      } finally {
        await timed.close();
      }
    });

    it('stops what still runs on the server when the session closes', async () => {
      const closing = await plugin.connect(config(), secrets(), context);
      // Whether the read then fails or gets SLEEP's early answer depends on which the client sees first.
      const outcome = closing.readRows(slow(), { limit: 10 }).catch(() => undefined);
      const started = Date.now();
      while ((await running('%slow_view%')).length === 0) {
        assert.ok(Date.now() - started < 10_000, 'the slow read never showed up in the process list');
        await sleep(50);
      }
      await closing.close();
      assert.deepEqual(await running('%slow_view%'), []);
      await outcome;
      await assert.rejects(closing.readRows(slow(), { limit: 1 }), failsWith('connection', /closed/));
    });

    it('refuses a read whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(session.readRows(slow(), { limit: 10, signal: controller.signal }), failsWith('cancelled'));
    });
  });

  describe('server restarts', () => {
    it('reconnects on the next action after the server restarted mid-session', async () => {
      const items = { schema: server.database, name: 'items' };
      assert.equal((await session.readRows(items, { limit: 10 })).rows.length, 3);
      await server.restart();
      const page = await session.readRows(items, { limit: 10, sort: [{ column: 'id', direction: 'desc' }] });
      assert.deepEqual(page.rows[0], [3, 'three']);
      await server.restart();
      // Writes reconnect too (nothing had run on the dead connection, so nothing runs twice).
      await session.updateRow(items, { id: 1 }, { name: 'uno' }, { name: 'one' });
      assert.deepEqual(await server.admin('SELECT name FROM items WHERE id = 1'), [{ name: 'uno' }]);
      assert.ok((await session.listTables()).some((t) => t.ref.name === 'items'));
    });
  });
});
