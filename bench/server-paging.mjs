#!/usr/bin/env node
// Paging benchmark of the PostgreSQL and MySQL/MariaDB datasources against throwaway servers on 127.0.0.1
// (test/support/servers), each loaded with a generated table (default 10,000,000 rows, built server-side):
//
//   1. a 10,000-row page through the datasource (connect → readRows) vs the raw pg / mysql2 client running the
//      equivalent query with the same exact value handling (bigint as BigInt, numeric as text, timestamps as the
//      server's text, booleans), interleaved in the same run, as a ratio; plus the raw client running the
//      datasource's own SQL, to split the cost into "SQL the datasource sends" and "JavaScript around it";
//   2. connect and the first page (100 and 500 rows), cold (schema not read yet) and warm;
//   3. a page near row 9,000,000 by keyset cursor (the cursor comes from an OFFSET jump, as the grid does it:
//      one OFFSET read, then `next`) vs the same page by OFFSET.
//
//   node bench/server-paging.mjs [--rows 10000000] [--repeat 31] [--server postgres|mariadb]
//
// Servers are stopped (and their directories deleted) at the end, also on errors and Ctrl+C.
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { context, count, loadBenchLib, loadPostgresEvents, median, option, postgresBenchSettings, report, samples } from './support/benchLib.mjs';

const rows = option('--rows', 10_000_000);
const repeat = option('--repeat', 31);
const argv = process.argv.slice(2);
const onlyServer = argv.includes('--server') ? argv[argv.indexOf('--server') + 1] : undefined;
const PAGE = 10_000;
const CHUNK = 1_000_000; // rows per INSERT … SELECT on MariaDB

const lib = await loadBenchLib();
const pg = (await import('pg')).default;
const mysql = (await import('mysql2/promise')).default;
const seconds = (t) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

// A full GC before each timed run, so no run pays for the garbage of the one before (its own allocations still count).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

/**
 * Times the functions in turn (one warm-up each), rotating which goes first, so all of them see the same machine
 * load; returns one list of samples per function, aligned by round.
 */
async function interleaved(fns, times = repeat) {
  for (const fn of fns) await fn();
  const result = fns.map(() => []);
  for (let round = 0; round < times; round++) {
    for (let k = 0; k < fns.length; k++) {
      const which = (round + k) % fns.length;
      gc();
      const t = performance.now();
      await fns[which]();
      result[which].push(performance.now() - t);
    }
  }
  return result;
}

/** The ratio of the medians, and the median of the ratios of the runs made back to back (less sensitive to load). */
function ratioLine(label, ds, raw) {
  const pairwise = median(ds.map((d, i) => d / raw[i]));
  console.log(`${label.padEnd(58)} ${(median(ds) / median(raw)).toFixed(2)}×   (run by run: ${pairwise.toFixed(2)}×)`);
}

/** The three measurements, the same for both servers. `raw` runs SQL with the raw client and converts values. */
async function measure(name, plugin, url, table, raw) {
  const { config, secrets } = plugin.parseUrl(url);
  let t = performance.now();
  const session = await plugin.connect(config, secrets, context);
  const connectMs = performance.now() - t;
  try {
    t = performance.now();
    const cold = await session.readRows(table, { limit: 100 });
    const coldMs = performance.now() - t;
    console.log(`${'connect (pool, session settings, version)'.padEnd(58)} ${connectMs.toFixed(1).padStart(15)} ms`);
    console.log(`${'first page of 100, cold (reads the schema first)'.padEnd(58)} ${coldMs.toFixed(1).padStart(15)} ms`);
    if (cold.rows.length !== 100 || String(cold.rows[0][0]) !== '1') throw new Error(`unexpected first page: ${cold.rows.length} rows from ${cold.rows[0]?.[0]}`);

    console.log(`-- 1. page of ${count(PAGE)} rows, datasource vs raw client (interleaved, ${repeat} runs each)`);
    // The statement the datasource sends, built by the same SQL kit from the schema it reports.
    const own = new lib.SqlBuilder(raw.dialect).selectPage(await session.getSchema(table), { limit: PAGE });
    console.log(`raw natural query: ${raw.naturalSql}`);
    console.log(`datasource's SQL:  ${own.sql}`);
    let dsRows = 0;
    const [ds, plain, same] = await interleaved([
      async () => (dsRows = (await session.readRows(table, { limit: PAGE })).rows.length),
      () => raw.natural(PAGE),
      () => raw.run(own.sql, own.params),
    ]);
    if (dsRows !== PAGE) throw new Error(`datasource returned ${dsRows} rows`);
    report(`datasource readRows(limit ${count(PAGE)})`, ds);
    report(`raw ${raw.name}, natural query`, plain);
    report(`raw ${raw.name}, the datasource's SQL`, same);
    ratioLine('overhead: datasource / raw natural query', ds, plain);
    ratioLine('  SQL: raw datasource SQL / raw natural query', same, plain);
    ratioLine('  JS: datasource / raw running its SQL', ds, same);

    console.log('-- 2. first page, warm');
    for (const limit of [100, 500]) report(`first page of ${limit}`, await samples(() => session.readRows(table, { limit }), repeat));
    report('row count, estimate (what the tree shows)', await samples(() => session.countRows(table, { estimate: true, cap: 10_000 }), 5));

    const deep = Math.floor(rows * 0.9);
    console.log(`-- 3. page of 500 at row ${count(deep)}`);
    t = performance.now();
    const jump = await session.readRows(table, { limit: 500, offset: deep - 500 });
    console.log(`${`jump by OFFSET ${count(deep - 500)} (gives the cursor)`.padEnd(58)} ${(performance.now() - t).toFixed(1).padStart(15)} ms`);
    let first;
    report('next page by keyset cursor', await samples(async () => (first = (await session.readRows(table, { limit: 500, after: jump.next })).rows[0][0]), repeat));
    if (String(first) !== String(deep + 1)) throw new Error(`the cursor page starts at ${first}, not ${deep + 1}`);
    report('same page by OFFSET', await samples(() => session.readRows(table, { limit: 500, offset: deep }), 3));
    report('first page of 500 again (for comparison)', await samples(() => session.readRows(table, { limit: 500 }), repeat));
  } finally {
    await session.close();
  }
}

async function postgres() {
  let t = performance.now();
  const server = await lib.startPostgres({ settings: postgresBenchSettings });
  try {
    console.log(`PostgreSQL ${server.version} on 127.0.0.1:${server.port}, started in ${seconds(t)}`);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      t = performance.now();
      const size = await loadPostgresEvents(client, rows);
      console.log(`loaded ${count(rows)} rows (${size}) in ${seconds(t)}`);
    } finally {
      await client.end();
    }

    // The raw client: the same session settings and the same value handling as the plugin (int8 → BigInt,
    // bool → boolean, int2/int4 and floats → number, everything else the server's text), arrays of values.
    const parsers = { 16: (v) => v === 't', 20: BigInt, 21: Number, 23: Number, 700: Number, 701: Number };
    const rawClient = new pg.Client({
      connectionString: server.url,
      options: '-c DateStyle=ISO -c bytea_output=hex -c extra_float_digits=3 -c IntervalStyle=postgres',
      types: { getTypeParser: (oid) => parsers[oid] ?? ((v) => v) },
    });
    await rawClient.connect();
    const naturalSql = 'SELECT id, kind, note, qty, price, created, active FROM events ORDER BY id LIMIT $1';
    try {
      const run = async (sql, values) => {
        const result = await rawClient.query({ text: sql, values, rowMode: 'array' });
        if (result.rows.length < PAGE) throw new Error(`raw query returned ${result.rows.length} rows`);
        return result.rows;
      };
      await measure('postgres', lib.createPostgresDatasource(), server.url, { schema: 'public', name: 'events' }, {
        name: 'pg',
        naturalSql,
        dialect: lib.postgresDialect,
        natural: (limit) => run(naturalSql, [limit]),
        run,
      });
      // For the record: the first page as the datasource asked for it before 60e31bc (NULLS FIRST on the NOT NULL
      // key, which the primary-key index cannot deliver in order, so the server sorts the whole table).
      const before = 'SELECT id, kind, note, qty, price, created, active FROM events WHERE 1=1 ORDER BY id ASC NULLS FIRST LIMIT 101';
      report('for the record: first page of 100 with the SQL before 60e31bc', await samples(() => rawClient.query({ text: before, rowMode: 'array' }), 3));
    } finally {
      await rawClient.end();
    }
  } finally {
    await server.stop();
  }
}

async function mariadb() {
  let t = performance.now();
  const server = await lib.startMariadb({ args: ['--innodb-buffer-pool-size=1G', '--innodb-log-file-size=512M'] });
  try {
    console.log(`MariaDB ${server.version} on 127.0.0.1:${server.port}, started in ${seconds(t)}`);
    t = performance.now();
    await server.admin(`CREATE TABLE events (id BIGINT NOT NULL PRIMARY KEY, kind VARCHAR(16) NOT NULL, note VARCHAR(64) NOT NULL, qty INT NULL,
      price DECIMAL(12,2) NULL, created DATETIME NOT NULL, active TINYINT(1) NOT NULL) ENGINE=InnoDB`);
    for (let from = 1; from <= rows; from += CHUNK) {
      const to = Math.min(rows, from + CHUNK - 1);
      // The SEQUENCE engine's seq_<from>_to_<to> table; the numbers are ours, not user input.
      await server.admin(`INSERT INTO events SELECT seq, ELT(1 + seq % 5, 'click','view','buy','scroll','share'), CONCAT('event number ', seq),
          IF(seq % 17 = 0, NULL, (seq * 7919) % 1000), ((seq * 31) % 100000) / 100, TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq * 9 SECOND, seq % 3 = 0
        FROM seq_${from}_to_${to}`);
    }
    await server.admin('ANALYZE TABLE events');
    const [{ mb }] = await server.admin("SELECT ROUND((DATA_LENGTH + INDEX_LENGTH) / 1048576) AS mb FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'");
    console.log(`loaded ${count(rows)} rows (${mb} MiB) in ${seconds(t)}`);

    // The raw client: the same exact-value options as the plugin (BIGINT as text → BigInt, DECIMAL as text,
    // DATETIME as the server's text, TINYINT(1) → boolean), prepared statements, arrays of values.
    const rawConnection = await mysql.createConnection({
      host: server.host, port: server.port, user: server.user, password: server.password, database: server.database,
      charset: 'UTF8MB4_UNICODE_CI', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, jsonStrings: true, decimalNumbers: false,
    });
    await rawConnection.query("SET time_zone = '+00:00'");
    const naturalSql = 'SELECT id, kind, note, qty, price, created, active FROM events ORDER BY id LIMIT ?';
    try {
      const run = async (sql, values) => {
        const [result] = await rawConnection.execute({ sql, rowsAsArray: true }, values.map(String));
        if (result.length < PAGE) throw new Error(`raw query returned ${result.length} rows`);
        for (const row of result) {
          row[0] = BigInt(row[0]);
          row[6] = row[6] === 1;
        }
        return result;
      };
      await measure('mariadb', lib.createMysqlDatasource(), server.url, { schema: server.database, name: 'events' }, {
        name: 'mysql2',
        naturalSql,
        dialect: lib.mysqlDialect,
        natural: (limit) => run(naturalSql, [limit]),
        run,
      });
    } finally {
      await rawConnection.end();
    }
  } finally {
    await server.stop();
  }
}

console.log(`Node ${process.versions.node}, ${count(rows)} rows per server, medians of ${repeat} runs (2 shared cores: expect noise)`);
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} cores`);
for (const [name, run] of [['postgres', postgres], ['mariadb', mariadb]]) {
  if (onlyServer && onlyServer !== name) continue;
  console.log(`\n== ${name}`);
  await run();
}
console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(', ')}`);
process.exit(0);
