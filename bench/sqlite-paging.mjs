#!/usr/bin/env node
// Paging benchmark of the SQLite datasource on a generated table (default 1,000,000 rows): open, first page,
// a page deep in the table by keyset cursor vs by OFFSET, counts, a filtered and a sorted first page, and a
// GROUP BY aggregate. Uses the real plugin (worker + engine) from the test build: run `node esbuild.mjs --tests`
// first. Engine: NOCOFLO_SQLITE_ENGINE=sqljs (default) or node (run with Node 22: `$(bash scripts/ensure-node22.sh)`).
//
//   node bench/sqlite-paging.mjs [--rows 1000000] [--page 200]
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rows = option('--rows', 1_000_000);
const limit = option('--page', 200);
const fixtures = require(join(root, 'out/test/support/sqliteFixtures.js'));
const table = { name: 'events' };

const dir = join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `sqlite-paging-${rows}.sqlite`);
if (!existsSync(file)) {
  const t = performance.now();
  await fixtures.makeDatabase(file, 'CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, score INTEGER, note TEXT)', (run) => {
    const kinds = ['click', 'view', 'buy', 'scroll', 'share'];
    for (let i = 1; i <= rows; i++) run('INSERT INTO events VALUES (?, ?, ?, ?)', [i, kinds[i % 5], i % 17 === 0 ? null : (i * 7919) % 1000, `event number ${i}`]);
  });
  console.log(`generated ${rows.toLocaleString('en-US')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function time(label, fn, repeat = 5) {
  await fn(); // warm-up (statement cache, page cache)
  const samples = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} median ${samples[Math.floor(repeat / 2)].toFixed(1).padStart(8)} ms   min ${samples[0].toFixed(1).padStart(8)} ms`);
}

const t0 = performance.now();
const session = await fixtures.openSqlite(file);
const { statSync } = await import('node:fs');
console.log(`engine ${fixtures.engine}, Node ${process.versions.node}, ${rows.toLocaleString('en-US')} rows (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB), pages of ${limit}`);
console.log(`${'open (worker start + load)'.padEnd(44)} ${(performance.now() - t0).toFixed(1).padStart(15)} ms`);
try {
  const deep = Math.floor(rows * 0.9);
  const sort = [{ column: 'score', direction: 'asc' }];
  await time('first page', () => session.readRows(table, { limit }));
  const jump = await session.readRows(table, { limit, offset: deep - limit });
  await time(`page at row ${deep.toLocaleString('en-US')} by keyset cursor`, () => session.readRows(table, { limit, after: jump.next }));
  await time(`page at row ${deep.toLocaleString('en-US')} by OFFSET`, () => session.readRows(table, { limit, offset: deep }));
  const sortedJump = await session.readRows(table, { limit, sort, offset: deep - limit });
  await time('sorted by unindexed score: first page', () => session.readRows(table, { limit, sort }));
  await time(`sorted: page at row ${deep.toLocaleString('en-US')} by cursor`, () => session.readRows(table, { limit, sort, after: sortedJump.next }));
  await time('filter note contains "99" (first page)', () => session.readRows(table, { limit, filters: [{ column: 'note', op: 'contains', value: '99' }] }));
  await time('count, capped at 10,000', () => session.countRows(table, { cap: 10_000 }));
  await time('count, exact', () => session.countRows(table));
  await time('aggregate: count + mean(score) by kind', () =>
    session.aggregate(table, { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }, { op: 'mean', column: 'score', as: 'avg' }] }),
  );
  // Edit-commit latency: one changed cell saved in a transaction (sql.js writes the whole file; node:sqlite pages).
  let note = (await session.readRows(table, { limit: 1 })).rows[0][3];
  let generation = 0;
  await time('save one edited cell (transaction)', async () => {
    const next = `event number 1 v${++generation}`;
    await session.transaction((tx) => tx.updateRow(table, { id: 1 }, { note: next }, { note }));
    note = next;
  });
} finally {
  await session.close();
}
