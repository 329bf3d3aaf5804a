#!/usr/bin/env node
// Paging benchmark of the REST datasource against the test API (test/support/servers/restServer.ts) on 127.0.0.1,
// loaded with N items (default 10,000) and an API page size of 100:
//
//   1. connect → first page of 100 rows (schema sample + page), per pagination style;
//   2. reading all N rows by view pages of 200 through `next` cursors, per style, vs plain fetch + JSON.parse of
//      the same API pages (the datasource's overhead), with the number of HTTP requests;
//   3. a jump to row 0.9·N: direct for page/offset, walked for cursor/link (cold, then warm from checkpoints);
//   4. a sort the API cannot do: first page (fetch + sort of all records, capped at 10,000), then the next page;
//   5. counts: from the total header (page) vs walking pages (offset).
//
//   node bench/rest-paging.mjs [--items 10000] [--repeat 5]
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const option = (name, fallback) => {
  const args = process.argv.slice(2);
  return args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
};
const count = (n) => n.toLocaleString('en-US');
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** One warm-up, then `repeat` timed runs; the samples in ms. */
async function samples(fn, times) {
  await fn();
  const result = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    result.push(performance.now() - t);
  }
  return result;
}
function report(label, ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} median ${median(ms).toFixed(1).padStart(8)} ms   min ${sorted[0].toFixed(1).padStart(8)} ms   max ${sorted[sorted.length - 1].toFixed(1).padStart(8)} ms`);
  return median(ms);
}

const items = option('--items', 10_000);
const repeat = option('--repeat', 5);
const outdir = join(root, '.tmp/bench');
mkdirSync(outdir, { recursive: true });
const lib = join(outdir, `bench-rest-${process.pid}.cjs`);
await esbuild.build({
  stdin: { contents: "export { createRestDatasource } from './plugins/rest';\nexport { startRestServer } from './test/support/servers/restServer';\n", resolveDir: root, loader: 'ts', sourcefile: 'bench-rest.ts' },
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root, outfile: lib, packages: 'external',
});
const { createRestDatasource, startRestServer } = createRequire(import.meta.url)(lib);
rmSync(lib, { force: true });

const server = await startRestServer({ count: items });
const plugin = createRestDatasource();
const context = { workspaceFolders: [], log: () => undefined };
const PAGE = 100;
const endpoints = [
  { name: 'page', path: '/page/items', recordsPath: 'data', idField: 'id', pagination: { style: 'page', pageSize: PAGE } },
  { name: 'offset', path: '/offset/items', idField: 'id', pagination: { style: 'offset', pageSize: PAGE } },
  { name: 'cursor', path: '/cursor/items', recordsPath: 'items', idField: 'id', pagination: { style: 'cursor', pageSize: PAGE, cursorPath: 'paging.next_cursor' } },
  { name: 'link', path: '/link/items', idField: 'id', pagination: { style: 'link', pageSize: PAGE } },
];
const config = { baseUrl: server.baseUrl, endpoints: JSON.stringify(endpoints) };
const connect = () => plugin.connect(config, {}, context);

async function readAll(session, table, limit = 200) {
  let after;
  let rows = 0;
  do {
    const page = await session.readRows({ name: table }, { limit, ...(after ? { after } : {}) });
    rows += page.rows.length;
    after = page.next;
  } while (after);
  if (rows !== items) throw new Error(`${table}: read ${rows} rows, expected ${items}`);
}

/** The same API pages with plain fetch and JSON.parse: what any client must pay. */
async function rawAll(style) {
  if (style === 'page') for (let p = 1; p <= Math.ceil(items / PAGE); p++) await (await fetch(`${server.baseUrl}/page/items?page=${p}&per_page=${PAGE}`)).json();
  if (style === 'offset') for (let o = 0; o < items; o += PAGE) await (await fetch(`${server.baseUrl}/offset/items?offset=${o}&limit=${PAGE}`)).json();
  if (style === 'cursor') {
    let cursor = null;
    do {
      const body = await (await fetch(`${server.baseUrl}/cursor/items?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`)).json();
      cursor = body.paging.next_cursor;
    } while (cursor);
  }
  if (style === 'link') {
    let url = `${server.baseUrl}/link/items?per_page=${PAGE}`;
    while (url) {
      const response = await fetch(url);
      await response.json();
      url = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
  }
}

console.log(`REST datasource, ${count(items)} items, API pages of ${PAGE}, view pages of 200, Node ${process.version}, ${repeat} runs after a warm-up\n`);
process.once('SIGINT', () => process.exit(130));
try {
  for (const { name } of endpoints) {
    report(`${name}: connect + first page of 100`, await samples(async () => {
      const s = await connect();
      await s.readRows({ name }, { limit: 100 });
      await s.close();
    }, repeat));
  }
  console.log('');
  for (const { name } of endpoints) {
    server.resetStats();
    const s0 = await connect();
    await readAll(s0, name);
    const requests = server.requests.length;
    await s0.close();
    const ds = await samples(async () => {
      const s = await connect();
      await readAll(s, name);
      await s.close();
    }, repeat);
    const raw = await samples(() => rawAll(name), repeat);
    report(`${name}: all rows through the datasource (${requests} requests)`, ds);
    report(`${name}: same API pages, plain fetch + JSON.parse`, raw);
    console.log(`${''.padEnd(58)} overhead ${(median(ds) / median(raw)).toFixed(2)}×`);
  }
  console.log('');
  const target = Math.floor(items * 0.9);
  for (const { name } of endpoints) {
    report(`${name}: jump to row ${count(target)}, new session (cold)`, await samples(async () => {
      const s = await connect();
      await s.readRows({ name }, { limit: 200, offset: target });
      await s.close();
    }, repeat));
  }
  const warm = await connect();
  await warm.readRows({ name: 'cursor' }, { limit: 200, offset: target });
  report(`cursor: jump to row ${count(target + 50)} after one to ${count(target)} (warm)`, await samples(() => warm.readRows({ name: 'cursor' }, { limit: 200, offset: target + 50 }), repeat));
  await warm.close();
  console.log('');
  const sort = [{ column: 'price', direction: 'desc' }];
  report('client-side sort by price: first page (fetch all + sort)', await samples(async () => {
    const s = await connect();
    await s.readRows({ name: 'page' }, { limit: 200, sort });
    await s.close();
  }, repeat));
  const sorted = await connect();
  const first = await sorted.readRows({ name: 'page' }, { limit: 200, sort });
  report('client-side sort by price: next page', await samples(() => sorted.readRows({ name: 'page' }, { limit: 200, sort, after: first.next }), repeat));
  await sorted.close();
  console.log('');
  report('count: page style, from X-Total-Count', await samples(async () => {
    const s = await connect();
    await s.countRows({ name: 'page' });
    await s.close();
  }, repeat));
  report(`count: offset style, walking pages (cap ${count(10_000)})`, await samples(async () => {
    const s = await connect();
    await s.countRows({ name: 'offset' });
    await s.close();
  }, repeat));
} finally {
  await server.stop();
}
