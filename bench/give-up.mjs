#!/usr/bin/env node
// How quickly the server datasources give up: the time from the trigger (an AbortSignal, closing the session, a
// timeout running out) to the rejection the caller sees. The tests check that each of these happens (the request is
// aborted on the wire, the server no longer runs the statement, the error code); this prints how long it takes, as a
// ratio against a baseline measured in the same run on the same machine:
//
//   - cancelling and closing against one ordinary small read on the same session (1.0× would mean a cancel costs a
//     round trip; a cancel that waited for the slow query would be thousands of times that);
//   - timeouts against the budget they were given (1.00× is on time; the slack is the ratio minus one);
//   - REST's 429 handling: giving up on "Retry-After: 3600" against one ordinary request, and waiting out two
//     "Retry-After: 1" against the 2 s asked for.
//
//   node bench/give-up.mjs [--repeat 5] [--server rest|postgres|mariadb]
//
// Servers are throwaway (test/support/servers), stopped and deleted at the end, also on errors and Ctrl+C.
import { createServer } from 'node:net';
import { context, loadBenchLib, median, option } from './support/benchLib.mjs';

const repeat = option('--repeat', 5);
const argv = process.argv.slice(2);
const only = argv.includes('--server') ? argv[argv.indexOf('--server') + 1] : undefined;
const lib = await loadBenchLib();

/** Runs `fn` once to warm up, then `repeat` times; `fn` returns the milliseconds it measured itself. */
async function measured(fn) {
  await fn();
  const ms = [];
  for (let i = 0; i < repeat; i++) ms.push(await fn());
  return median(ms);
}

/** Milliseconds `fn` takes. */
async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Milliseconds from calling `trigger` to `pending` settling as a rejection (a resolution is a failure of the bench). */
async function untilRejected(pending, trigger) {
  const outcome = pending.then(
    () => {
      throw new Error('expected a rejection, got an answer');
    },
    (error) => error,
  );
  const t = performance.now();
  trigger();
  const error = await outcome;
  return { ms: performance.now() - t, error };
}

function line(label, ms, base, baseLabel) {
  console.log(`${label.padEnd(64)} ${ms.toFixed(1).padStart(9)} ms   ${(ms / base).toFixed(2).padStart(8)}× ${baseLabel}`);
}

/** A TCP server that accepts connections and never answers. */
async function silentServer() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Waits until `check()` is true, asking every 10 ms. */
async function until(check) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 10));
}

async function rest() {
  console.log('\n== REST (node:http on 127.0.0.1) ==');
  const server = await lib.startRestServer();
  const plugin = lib.createRestDatasource();
  const open = (path, extra = {}, endpoint = {}) => plugin.connect({ baseUrl: server.baseUrl, endpoints: JSON.stringify([{ name: 't', path, ...endpoint }]), ...extra }, {}, context);
  const sessions = [];
  try {
    const plain = await open('/page/items', {}, { idField: 'id', recordsPath: 'data', pagination: { style: 'page', pageSize: 10 } });
    sessions.push(plain);
    await plain.getSchema({ name: 't' });
    // A different page each time: one request each, never a cache hit.
    let page = 0;
    const base = await measured(() => timed(() => plain.readRows({ name: 't' }, { limit: 10, offset: 10 * (++page % 40) })));
    line('baseline: one small read (one request)', base, base, 'baseline');
    const slow = await open('/slow/items');
    sessions.push(slow);
    line(
      'abort a request in flight → rejected',
      await measured(async () => {
        const controller = new AbortController();
        const reading = slow.readRows({ name: 't' }, { limit: 10, signal: controller.signal });
        await until(() => server.requests.some((r) => r.path === '/v1/slow/items'));
        server.resetStats();
        return (await untilRejected(reading, () => controller.abort())).ms;
      }),
      base,
      'baseline',
    );
    line(
      'close the session with a request in flight → rejected',
      await measured(async () => {
        const session = await open('/slow/items');
        const reading = session.readRows({ name: 't' }, { limit: 10 });
        await until(() => server.requests.some((r) => r.path === '/v1/slow/items'));
        server.resetStats();
        return (await untilRejected(reading, () => void session.close())).ms;
      }),
      base,
      'baseline',
    );
    const throttled = await open('/throttled/items');
    sessions.push(throttled);
    line('give up on "429, Retry-After: 3600"', await measured(() => timed(() => throttled.readRows({ name: 't' }, { limit: 10 }).catch((e) => e))), base, 'baseline');
    const impatient = await open('/slow/items', { timeoutMs: 300 });
    sessions.push(impatient);
    line('timeoutMs 300 on a 2 s answer → rejected', await measured(() => timed(() => impatient.readRows({ name: 't' }, { limit: 10 }).catch((e) => e))), 300, 'the budget');
    line(
      'two "429, Retry-After: 1" waited out, then answered',
      await measured(async () => {
        // A new session each time, so no page comes from a cache.
        const limited = await open('/limited/items');
        sessions.push(limited);
        server.rateLimited = 2;
        return timed(() => limited.readRows({ name: 't' }, { limit: 10 }));
      }),
      2_000,
      'the 2 s asked for',
    );
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    await server.stop();
  }
}

/**
 * The same give-ups on a real database server: cancel a running query, close a session under it, the statement
 * budget, and the connect budget against a port that never answers. `spec` says how this engine is started, set up
 * and watched (is the slow query still running on the server?).
 */
async function serverGiveUps(spec) {
  console.log(`\n== ${spec.title} (throwaway server on 127.0.0.1) ==`);
  const server = await spec.start();
  const plugin = spec.plugin();
  const silent = await silentServer();
  try {
    await spec.setup(server);
    const { config, secrets } = plugin.parseUrl(server.url);
    const running = () => spec.running(server, config);
    const table = (name) => spec.table(config, name);
    const session = await plugin.connect(config, secrets, context);
    try {
      const base = await measured(() => timed(() => session.countRows(table('items'))));
      line('baseline: count a small table', base, base, 'baseline');
      line(
        `abort a running query (${spec.cancel}) → rejected`,
        await measured(async () => {
          const controller = new AbortController();
          const reading = session.readRows(table('slow'), { limit: 1, signal: controller.signal });
          await until(running);
          return (await untilRejected(reading, () => controller.abort())).ms;
        }),
        base,
        'baseline',
      );
      line(
        'close a session with a running query → settled',
        await measured(async () => {
          const other = await plugin.connect(config, secrets, context);
          // Killed, the read either fails or gets the sleep's early answer: time until it settles either way.
          const reading = other.readRows(table('slow'), { limit: 1 }).catch((e) => e);
          await until(running);
          const t = performance.now();
          await other.close();
          await reading;
          return performance.now() - t;
        }),
        base,
        'baseline',
      );
      const impatient = await plugin.connect({ ...config, [spec.timeoutSetting]: 1 }, secrets, context);
      try {
        line(`${spec.timeoutSetting} 1 on a 30 s sleep → rejected`, await measured(() => timed(() => impatient.readRows(table('slow'), { limit: 1 }).catch((e) => e))), 1_000, 'the budget');
      } finally {
        await impatient.close();
      }
      line(
        'connectTimeoutSeconds 1 on a server that never answers',
        await measured(() => timed(() => plugin.testConnection({ ...config, port: silent.port, sslMode: 'disable', connectTimeoutSeconds: 1 }, secrets, context).catch((e) => e))),
        1_000,
        'the budget',
      );
    } finally {
      await session.close();
    }
  } finally {
    await silent.stop();
    await server.stop();
  }
}

const postgres = () =>
  serverGiveUps({
    title: 'PostgreSQL',
    start: () => lib.startPostgres(),
    plugin: () => lib.createPostgresDatasource(),
    setup: (server) =>
      server.admin(`SET ROLE ${server.user}; CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items VALUES (1), (2), (3);
        CREATE VIEW slow AS SELECT pg_sleep(30)::text AS slept;`),
    running: async (server) => Number((await server.admin("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%slow%' AND pid <> pg_backend_pid()")).rows[0].n) > 0,
    table: (_config, name) => ({ name }),
    cancel: 'CancelRequest',
    timeoutSetting: 'statementTimeoutSeconds',
  });

const mariadb = () =>
  serverGiveUps({
    title: 'MariaDB',
    start: () => lib.startMariadb(),
    plugin: () => lib.createMysqlDatasource(),
    setup: async (server) => {
      await server.admin('CREATE TABLE items (id INT PRIMARY KEY)');
      await server.admin('INSERT INTO items VALUES (1), (2), (3)');
      await server.admin('CREATE VIEW slow AS SELECT SLEEP(30) AS slept');
    },
    running: async (server, config) =>
      (await server.admin("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND COMMAND <> 'Sleep' AND INFO LIKE '%slow%'", [config.user], null)).length > 0,
    table: (config, name) => ({ schema: config.database, name }),
    cancel: 'KILL QUERY',
    timeoutSetting: 'queryTimeoutSeconds',
  });

console.log(`give-up latencies, median of ${repeat} runs after one warm-up`);
if (!only || only === 'rest') await rest();
if (!only || only === 'postgres') await postgres();
if (!only || only === 'mariadb') await mariadb();
