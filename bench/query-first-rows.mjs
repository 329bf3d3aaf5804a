#!/usr/bin/env node
// First rows of a query's result against first rows of the table it reads, and memory while scrolling the result,
// in one run (issue 15 §6). For each engine, on a generated `events` table (default 10,000,000 rows):
//
//   1. open the table: getSchema + readRows (first 100 rows) vs run `SELECT * FROM events` as a query reference:
//      getSchema (describe) + readRows (first 100 rows), interleaved, with the ratio query ÷ table;
//   2. the same for a join-free filter query (`… WHERE kind = 'buy'`) and for a page deep in the result (offset
//      5,000,000, as a scrollbar jump);
//   3. memory while scrolling: process RSS (the SQLite worker is a thread of this process) after opening, then along
//      1,000 pages of 500 rows read in turn, as a ratio of the first reading, for the result and then for the table
//      as the baseline: a result that were materialized would grow with every page.
//
//   node --expose-gc bench/query-first-rows.mjs [--rows 10000000] [--repeat 15] [--scroll-pages 1000] [--engine sqljs|node|postgres]
//
// SQLite files are made once into bench/results/ by Python's sqlite3; PostgreSQL is a throwaway server on 127.0.0.1.
import { cpus, loadavg } from 'node:os';
import { context, count, eventsFile, loadBenchLib, loadPostgresEvents, median, option, postgresBenchSettings } from './support/benchLib.mjs';

const rows = option('--rows', 10_000_000);
const repeat = option('--repeat', 15);
/** Pages read while measuring memory (5 readings along the way). */
const SCROLL_PAGES = option('--scroll-pages', 1000);
const argv = process.argv.slice(2);
const only = argv.includes('--engine') ? argv[argv.indexOf('--engine') + 1] : undefined;
const lib = await loadBenchLib();
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

let table = { name: 'events' };
const query = (text) => ({ name: 'query', query: { text } });

/** Runs each function in turn, rotating which goes first, so both see the same load; samples in ms per function. */
async function interleaved(fns) {
  for (const fn of fns) await fn();
  const result = fns.map(() => []);
  for (let round = 0; round < repeat; round++) {
    for (let k = 0; k < fns.length; k++) {
      const which = (round + k) % fns.length;
      const t = performance.now();
      await fns[which]();
      result[which].push(performance.now() - t);
    }
  }
  return result;
}

function line(label, [base, other]) {
  const ratio = median(other.map((o, i) => o / base[i]));
  console.log(`  ${label.padEnd(52)} table ${median(base).toFixed(1).padStart(7)} ms   query ${median(other).toFixed(1).padStart(7)} ms   query ÷ table ${ratio.toFixed(2)}×`);
}

async function measure(name, session, dialectText) {
  console.log(`\n${name}`);
  // A fresh schema read each time: a tab opening a table or a result asks for it first.
  const open = (ref, extra = {}) => async () => {
    await session.getSchema(ref);
    const page = await session.readRows(ref, { limit: 100, ...extra });
    if (page.rows.length !== 100) throw new Error(`expected 100 rows, got ${page.rows.length}`);
  };
  line('first 100 rows: events vs SELECT * FROM events', await interleaved([open(table), open(query('SELECT * FROM events'))]));
  const buy = { filters: [{ column: 'kind', op: 'eq', value: 'buy' }] };
  line("first 100 rows where kind = 'buy' (view filter vs WHERE)", await interleaved([open(table, buy), open(query(dialectText.buy))]));
  line('100 rows at offset 5,000,000', await interleaved([open(table, { offset: Math.min(5_000_000, rows - 200) }), open(query('SELECT * FROM events'), { offset: Math.min(5_000_000, rows - 200) })]));

  // Memory while scrolling page by page: the result first, then the table as the baseline (the table goes second, so
  // any warm-up of the process counts against the result, not for it).
  const scroll = async (ref) => {
    await session.getSchema(ref);
    global.gc?.();
    const first = process.memoryUsage().rss;
    const readings = [];
    let after;
    for (let i = 0; i < SCROLL_PAGES; i++) {
      const page = await session.readRows(ref, { limit: 500, ...(after ? { after } : { offset: 0 }) });
      after = page.next;
      if (i % (SCROLL_PAGES / 5) === SCROLL_PAGES / 5 - 1) {
        global.gc?.();
        readings.push(process.memoryUsage().rss);
      }
    }
    return `start ${mb(first)}, then ${readings.map((r) => `${mb(r)} (×${(r / first).toFixed(3)})`).join(', ')}`;
  };
  console.log(`  RSS while scrolling ${SCROLL_PAGES} pages of 500 rows of SELECT * FROM events: ${await scroll(query('SELECT * FROM events'))}`);
  console.log(`  RSS while scrolling ${SCROLL_PAGES} pages of 500 rows of the table events:    ${await scroll(table)}`);
}

console.log(`query-first-rows: ${count(rows)} rows, ${repeat} interleaved rounds; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const buyText = "SELECT * FROM events WHERE kind = 'buy'";

for (const engine of ['sqljs', 'node']) {
  if (only && only !== engine) continue;
  if (engine === 'node' && !process.versions.node.startsWith('22') && !process.versions.node.startsWith('23') && !process.versions.node.startsWith('24')) {
    console.log('\nSQLite (node:sqlite): skipped, run with Node 22 (bash scripts/ensure-node22.sh prints one)');
    continue;
  }
  const file = eventsFile('query', rows);
  const plugin = lib.createSqliteDatasource({ workerPath: lib.workerPath, wasmPath: lib.wasmPath, engine: engine === 'node' ? 'node' : 'sqljs', sqljsMaxBytes: 4 * 1024 ** 3 });
  const session = await plugin.connect({ path: file }, {}, context);
  try {
    await measure(`SQLite (${engine === 'node' ? 'node:sqlite' : 'sql.js'}), ${file}`, session, { buy: buyText });
  } finally {
    await session.close();
  }
}

if (!only || only === 'postgres') {
  const server = await lib.startPostgres({ settings: postgresBenchSettings });
  try {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const size = await loadPostgresEvents(client, rows);
    await client.end();
    const plugin = lib.createPostgresDatasource();
    const { config, secrets } = plugin.parseUrl(server.url);
    const session = await plugin.connect(config, secrets, context);
    try {
      table = { schema: 'public', name: 'events' };
    await measure(`PostgreSQL ${server.version}, events ${size}`, session, { buy: buyText });
    } finally {
      await session.close();
    }
  } finally {
    await server.stop();
  }
}
