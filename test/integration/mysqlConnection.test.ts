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
  /** Until the server runs a statement like `pattern` (asked every 50 ms; the test's timeout bounds the wait). */
  const untilRunning = async (pattern: string) => {
    while ((await running(pattern)).length === 0) await sleep(50);
  };

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
    // URL parsing, the form and the error maps without a server: test/unit/serverConnectionLogic.test.ts.
    it("splits the test server's own URL into config and its password", () => {
      assert.deepEqual(plugin.parseUrl!(server.url).secrets, { password: server.password });
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
        await assert.rejects(plugin.testConnection(config({ port, connectTimeoutSeconds: 1 }), secrets(), context), failsWith('timeout', /did not answer in time/));
        // The client gave up by itself: it connected, and it hung up every connection it opened (the server side
        // never closes them).
        assert.ok(sockets.length > 0, 'the client connected');
        await Promise.all(hungUp);
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
      const read = session.readRows(slow(), { limit: 10, signal: controller.signal });
      const outcome = read.then(
        () => 'resolved',
        (error: DatasourceError) => error,
      );
      // Wait until the server really runs it, so the cancel is not just a client giving up.
      await untilRunning('%slow_view%');
      controller.abort();
      // Not SLEEP(30)'s answer: a cancelled error, and the server no longer runs the statement.
      const error = await outcome;
      assert.notEqual(error, 'resolved');
      assert.equal((error as DatasourceError).code, 'cancelled');
      assert.deepEqual(await running('%slow_view%'), [], 'the server still runs the cancelled read');
      // The session goes on working.
      assert.equal((await session.readRows({ schema: server.database, name: 'items' }, { limit: 10 })).rows.length, 3);
    });

    it('stops a read that outlives queryTimeoutSeconds, as timeout', async () => {
      const timed = await plugin.connect(config({ queryTimeoutSeconds: 1 }), secrets(), context);
      try {
        // Stopped by the 1 s budget (the client's KILL QUERY or the server's max_statement_time, whichever came
        // first), not by anything else; and the server no longer runs it.
        await assert.rejects(timed.readRows(slow(), { limit: 10 }), failsWith('timeout', /query timeout \(1 s\)|max_statement_time/));
        assert.deepEqual(await running('%slow_view%'), []);
        assert.equal((await timed.countRows({ schema: server.database, name: 'items' })).count, 3);
      } finally {
        await timed.close();
      }
    });

    it('stops what still runs on the server when the session closes', async () => {
      const closing = await plugin.connect(config(), secrets(), context);
      const outcome = closing.readRows(slow(), { limit: 10 }).then(
        (page) => ({ page }),
        (error: DatasourceError) => ({ error }),
      );
      await untilRunning('%slow_view%');
      await closing.close();
      assert.deepEqual(await running('%slow_view%'), []);
      // Whether the read then fails or gets SLEEP's early answer depends on which the client sees first; either way
      // it ended because the statement was killed: SLEEP answers 1 when interrupted (0 after sleeping it out).
      const ended = await outcome;
      if ('error' in ended) assert.ok(['cancelled', 'connection'].includes(ended.error.code), `ended as ${ended.error.code}: ${ended.error.message}`);
      else assert.deepEqual(ended.page.rows.map((r) => Number(r[0])), [1], 'SLEEP was interrupted');
      await assert.rejects(closing.readRows(slow(), { limit: 1 }), failsWith('connection', /closed/));
    });

    it('refuses a read whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(session.readRows(slow(), { limit: 10, signal: controller.signal }), failsWith('cancelled'));
    });
  });

  it('leaves causal reads off on a server that is not a Galera node (wsrep_on is OFF)', async () => {
    const settings = await session.readRows({ schema: 'information_schema', name: 'SESSION_VARIABLES' }, { limit: 1, filters: [{ column: 'VARIABLE_NAME', op: 'eq', value: 'WSREP_SYNC_WAIT' }] });
    assert.deepEqual(settings.rows.map((r) => r[settings.columns.indexOf('VARIABLE_VALUE')]), ['0']);
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
