// Builds what the server and chart benchmarks need (datasource plugins, the throwaway test servers, the SQLite
// worker and its wasm) into .tmp/bench/ with esbuild, so a bench never depends on out/, which other work may be
// rebuilding at the same moment. Returns the loaded bundle plus shared timing helpers. BENCH_KEEP_LIB=1 keeps the
// bundle (.tmp/bench/bench-lib-<pid>.cjs) for reading a --cpu-prof profile against it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
const outdir = join(root, '.tmp/bench');

const entry = `
export { createPostgresDatasource } from './plugins/postgres';
export { createMysqlDatasource } from './plugins/mysql';
export { createSqliteDatasource } from './plugins/sqlite';
export { startPostgres } from './test/support/servers/postgresServer';
export { startMariadb } from './test/support/servers/mariadbServer';
export { createRestDatasource } from './plugins/rest';
export { startRestServer } from './test/support/servers/restServer';
export { SqlBuilder } from './plugins/kit/sql/queryBuilder';
export { postgresDialect, mysqlDialect, sqliteDialect } from './plugins/kit/sql/dialect';
`;

export async function loadBenchLib() {
  mkdirSync(outdir, { recursive: true });
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root, external: ['vscode', 'pg-native'] };
  const lib = join(outdir, `bench-lib-${process.pid}.cjs`);
  await Promise.all([
    esbuild.build({ ...common, stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'bench-lib.ts' }, outfile: lib, packages: 'external' }),
    esbuild.build({ ...common, entryPoints: { 'sqlite-worker': join(root, 'plugins/sqlite/worker.ts') }, outdir }),
  ]);
  cpSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(outdir, 'sql-wasm.wasm'));
  const loaded = createRequire(import.meta.url)(lib);
  if (!process.env.BENCH_KEEP_LIB) rmSync(lib, { force: true });
  return { ...loaded, workerPath: join(outdir, 'sqlite-worker.js'), wasmPath: join(outdir, 'sql-wasm.wasm') };
}

// Ctrl+C: exit normally, so the servers' exit hooks stop them and delete their directories.
process.once('SIGINT', () => process.exit(130));

export const context = { workspaceFolders: [], log: () => undefined };

/** `--name value` from the command line as a number, or `fallback`. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  return args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
}

export const median = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One warm-up, then `repeat` timed runs; returns the samples in ms. */
export async function samples(fn, repeat = 5) {
  await fn();
  const result = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await fn();
    result.push(performance.now() - t);
  }
  return result;
}

export function report(label, ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} median ${median(ms).toFixed(1).padStart(8)} ms   min ${sorted[0].toFixed(1).padStart(8)} ms   max ${sorted[sorted.length - 1].toFixed(1).padStart(8)} ms`);
  return median(ms);
}

export const count = (n) => n.toLocaleString('en-US');

/**
 * Creates and fills `events` (id bigint primary key, kind text with 5 values, note text, qty integer with NULLs,
 * price numeric(12,2), created timestamptz over ~2.9 years, active boolean) with `rows` rows generated on the
 * server by generate_series, in chunks of a million, then VACUUM ANALYZE. Returns the table size as text.
 */
export async function loadPostgresEvents(client, rows) {
  await client.query(`CREATE TABLE events (id bigint NOT NULL, kind text NOT NULL, note text NOT NULL, qty integer, price numeric(12,2),
    created timestamptz NOT NULL, active boolean NOT NULL)`);
  for (let from = 1; from <= rows; from += 1_000_000) {
    await client.query(
      `INSERT INTO events SELECT i, (ARRAY['click','view','buy','scroll','share'])[1 + i % 5], 'event number ' || i,
         CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919) % 1000 END, ((i * 31) % 100000) / 100.0,
         timestamptz '2020-01-01 00:00:00+00' + i * interval '9 seconds', i % 3 = 0
       FROM generate_series($1::bigint, $2::bigint) i`,
      [from, Math.min(rows, from + 1_000_000 - 1)],
    );
  }
  await client.query('ALTER TABLE events ADD PRIMARY KEY (id)');
  await client.query('VACUUM ANALYZE events');
  return (await client.query("SELECT pg_size_pretty(pg_total_relation_size('events')) AS s")).rows[0].s;
}

/** Server settings for a bench cluster that loads millions of rows (bigger buffers, no checkpoint mid-load). */
export const postgresBenchSettings = { shared_buffers: '256MB', maintenance_work_mem: '512MB', max_wal_size: '8GB', checkpoint_timeout: '1h' };

/**
 * bench/results/<name>-<rows>.sqlite with one `events` table of `rows` rows (id, kind, score with NULLs, note),
 * made once by Python's sqlite3 with a recursive CTE: seconds for 10M rows, where inserting row by row takes many
 * minutes. Returns its path.
 */
export function eventsFile(name, rows) {
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, `bench/results/${name}-${rows}.sqlite`);
  if (existsSync(file)) return file;
  const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1] + '.part')
db.executescript('''
CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, score INTEGER, note TEXT);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows})
INSERT INTO events SELECT i, CASE i % 5 WHEN 0 THEN 'click' WHEN 1 THEN 'view' WHEN 2 THEN 'buy' WHEN 3 THEN 'scroll' ELSE 'share' END,
  CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919) % 1000 END, 'event number ' || i FROM s;
''')
db.commit()
db.close()
`;
  const made = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`python3 could not generate the SQLite file: ${made.stderr || made.error}`);
  renameSync(`${file}.part`, file);
  return file;
}
