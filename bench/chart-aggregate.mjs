#!/usr/bin/env node
// The aggregate requests a chart view sends (AggregateRequest, api/index.d.ts), over a generated table (default
// 10,000,000 rows), through the datasources' own aggregate(): SQLite on the sql.js engine (this Node), SQLite on
// node:sqlite (the same script again under Node 22 from scripts/ensure-node22.sh, when it can be had) and PostgreSQL
// (a throwaway server on 127.0.0.1, table built by generate_series) and MariaDB (the same, by its SEQUENCE engine). Target of issue 6: a 10M-row table charts in ≤1 s.
//
//   node bench/chart-aggregate.mjs [--rows 10000000] [--repeat 3] [--exact-repeat 1] [--only sqljs|node|postgres|mariadb]
//
// The SQLite file is generated once with Python's sqlite3 into bench/results/ (git-ignored) and reused.
import { cpus, loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { context, count, loadBenchLib, loadPostgresEvents, option, postgresBenchSettings, report, root, samples } from './support/benchLib.mjs';

const rows = option('--rows', 10_000_000);
const repeat = option('--repeat', 3);
const exactRepeat = option('--exact-repeat', 1);
const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const hasNodeSqlite = (() => {
  try {
    return process.getBuiltinModule?.('node:sqlite') !== undefined;
  } catch {
    return false;
  }
})();

// What a chart view asks for: a bar chart of a low-cardinality text column (count and mean), a histogram of a
// numeric column (bins of 100), and a line chart by month of a date/time column. Each is measured as the chart view
// runs it (webview/chart/app.ts): first the estimate from a sample of ESTIMATE_ROWS rows (what the user sees
// first: the ≤1 s target), then the exact answer that replaces it.
const ESTIMATE_ROWS = 100_000;
const requests = [
  // Not a chart: the cost of reading every row once, the floor under every unfiltered exact aggregate below.
  ['no groups: count + mean(price) (one full scan)', { groupBy: [], measures: [{ op: 'count', as: 'n' }, { op: 'mean', column: 'price', as: 'avg' }] }],
  ['kind: count + mean(price) (GROUP BY text)', { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }, { op: 'mean', column: 'price', as: 'avg' }] }],
  ['price binned by 100: count (histogram)', { groupBy: [{ column: 'price', bin: { step: 100 } }], measures: [{ op: 'count', as: 'n' }] }],
  ['created by month: count + mean(price)', { groupBy: [{ column: 'created', timeUnit: 'month' }], measures: [{ op: 'count', as: 'n' }, { op: 'mean', column: 'price', as: 'avg' }] }],
  ['kind, filtered qty < 100: count', { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }], filters: [{ column: 'qty', op: 'lt', value: 100 }] }],
];

/** The largest relative error of the estimated counts against the exact ones, over the groups of the exact answer. */
function countError(estimate, exact) {
  const n = exact.columns.indexOf('n');
  const key = (row) => JSON.stringify(row.slice(0, n));
  const estimated = new Map(estimate.rows.map((row) => [key(row), Number(row[n])]));
  let worst = 0;
  let missing = 0;
  for (const row of exact.rows) {
    const e = estimated.get(key(row));
    if (e === undefined) missing++;
    else worst = Math.max(worst, Math.abs(e - Number(row[n])) / Number(row[n]));
  }
  return `${(worst * 100).toFixed(1)} %${missing ? `, ${missing} small groups missed` : ''}`;
}

async function run(session, table) {
  for (const [label, request] of requests) {
    let estimate;
    let exact;
    // The binned chart asks for the column's extent first (sampled too), to choose its step.
    const extent = request.groupBy[0]?.bin ? { groupBy: [], measures: [{ op: 'min', column: request.groupBy[0].column, as: 'min' }, { op: 'max', column: request.groupBy[0].column, as: 'max' }] } : undefined;
    const first = await samples(async () => {
      if (extent) await session.aggregate(table, { ...extent, sample: { rows: ESTIMATE_ROWS } });
      estimate = await session.aggregate(table, { ...request, sample: { rows: ESTIMATE_ROWS } });
    }, repeat);
    // The exact answers take seconds at 10M rows: timed `--exact-repeat` times (default once), no warm-up.
    const full = [];
    for (let i = 0; i < exactRepeat; i++) {
      const t = performance.now();
      exact = await session.aggregate(table, request);
      full.push(performance.now() - t);
    }
    const how = estimate.sample ? `${count(estimate.sample.rows)} sampled rows, ${estimate.sample.method}, count error ${countError(estimate, exact)}` : 'not sampled';
    report(`${label} → ${exact.rows.length} groups: estimate (${how})`, first);
    report(`${label}: exact`, full);
    // Every row is in exactly one group: the counts of an unfiltered request add up to the table.
    const n = exact.columns.indexOf('n');
    const total = exact.rows.reduce((sum, row) => sum + Number(row[n]), 0);
    if (!request.filters && total !== rows) throw new Error(`${label}: the groups hold ${total} rows, not ${rows}`);
  }
}

const lib = await loadBenchLib();

async function sqlite(engine) {
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `chart-aggregate-${rows}.sqlite`);
  if (!existsSync(file)) {
    // Same columns as the PostgreSQL table where SQLite has them: created as ISO text (what strftime reads).
    const t = performance.now();
    const partial = `${file}.part`;
    rmSync(partial, { force: true });
    const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript('''
CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, qty INTEGER, price REAL, created TEXT NOT NULL);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows})
INSERT INTO events SELECT i, CASE i % 5 WHEN 0 THEN 'click' WHEN 1 THEN 'view' WHEN 2 THEN 'buy' WHEN 3 THEN 'scroll' ELSE 'share' END,
  CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919) % 1000 END, ((i * 31) % 100000) / 100.0,
  datetime('2020-01-01', '+' || (i * 9) || ' seconds') FROM s;
''')
db.commit()
db.close()
`;
    const made = spawnSync('python3', ['-c', script, partial], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`python3 could not generate the SQLite file: ${made.stderr || made.error}`);
    renameSync(partial, file);
    console.log(`generated ${count(rows)} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const plugin = lib.createSqliteDatasource({ workerPath: lib.workerPath, wasmPath: lib.wasmPath, engine });
  const t = performance.now();
  const session = await plugin.connect({ path: file, readOnly: true }, {}, context);
  console.log(`SQLite ${engine === 'node' ? 'node:sqlite' : 'sql.js'}, Node ${process.versions.node}: ${count(rows)} rows, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, opened in ${(performance.now() - t).toFixed(0)} ms`);
  try {
    await run(session, { name: 'events' });
  } finally {
    await session.close();
  }
}

async function postgres() {
  let t = performance.now();
  const server = await lib.startPostgres({ settings: postgresBenchSettings });
  try {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    let size;
    try {
      size = await loadPostgresEvents(client, rows);
    } finally {
      await client.end();
    }
    console.log(`PostgreSQL ${server.version}: ${count(rows)} rows (${size}), started and loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const plugin = lib.createPostgresDatasource();
    const { config, secrets } = plugin.parseUrl(server.url);
    const session = await plugin.connect(config, secrets, context);
    try {
      await run(session, { schema: 'public', name: 'events' });
    } finally {
      await session.close();
    }
  } finally {
    await server.stop();
  }
}

async function mariadb() {
  const t = performance.now();
  const server = await lib.startMariadb({ args: ['--innodb-buffer-pool-size=1G', '--innodb-log-file-size=512M'] });
  try {
    await server.admin(`CREATE TABLE events (id BIGINT NOT NULL PRIMARY KEY, kind VARCHAR(16) NOT NULL, qty INT NULL, price DECIMAL(12,2) NULL, created DATETIME NOT NULL) ENGINE=InnoDB`);
    for (let from = 1; from <= rows; from += 1_000_000) {
      // The SEQUENCE engine's seq_<from>_to_<to> table; the numbers are ours, not user input.
      await server.admin(`INSERT INTO events SELECT seq, ELT(1 + seq % 5, 'click','view','buy','scroll','share'), IF(seq % 17 = 0, NULL, (seq * 7919) % 1000),
          ((seq * 31) % 100000) / 100, TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq * 9 SECOND FROM seq_${from}_to_${Math.min(rows, from + 999_999)}`);
    }
    await server.admin('ANALYZE TABLE events');
    console.log(`MariaDB ${server.version}: ${count(rows)} rows, started and loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const plugin = lib.createMysqlDatasource();
    const session = await plugin.connect({ host: server.host, port: server.port, database: server.database, user: server.user }, { password: server.password }, context);
    try {
      await run(session, { schema: server.database, name: 'events' });
    } finally {
      await session.close();
    }
  } finally {
    await server.stop();
  }
}

console.log(`${count(rows)} rows, medians of ${repeat} runs after a warm-up (2 shared cores: expect noise)`);
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} cores`);
if (!only || only === 'sqljs') {
  console.log('\n== SQLite, sql.js engine');
  await sqlite('sqljs');
}
if (!only || only === 'node') {
  console.log('\n== SQLite, node:sqlite engine');
  if (hasNodeSqlite) await sqlite('node');
  else {
    // node:sqlite needs Node ≥ 22.13: run this script again under the project's Node 22, if it can be had.
    const node22 = spawnSync('bash', [join(root, 'scripts/ensure-node22.sh')], { encoding: 'utf8' });
    if (node22.status !== 0) console.log(`skipped: no Node 22 (${node22.stderr.trim()})`);
    else {
      const script = new URL(import.meta.url).pathname;
      const child = spawnSync(node22.stdout.trim(), ['--no-warnings', script, '--rows', String(rows), '--repeat', String(repeat), '--exact-repeat', String(exactRepeat), '--only', 'node'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
      // Its own measurements only (not its header and load lines).
      process.stdout.write(`${child.stdout.split('\n').slice(4).filter((line) => line !== '' && !line.startsWith('load average')).join('\n')}\n`);
      if (child.status !== 0) throw new Error(`the node:sqlite run failed (exit ${child.status})`);
    }
  }
}
if (!only || only === 'postgres') {
  console.log('\n== PostgreSQL');
  await postgres();
}
if (!only || only === 'mariadb') {
  console.log('\n== MariaDB');
  await mariadb();
}
console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(', ')}`);
process.exit(0);
