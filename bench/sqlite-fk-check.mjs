#!/usr/bin/env node
// Cost of checking a SQLite table for foreign-key violations the file already holds (plugins/sqlite/foreignKeyCheck.ts):
// pragma_foreign_key_check(table) with the count capped at 1,000, on Chinook's biggest tables and on a generated
// child table (default 1,000,000 rows, one foreign key to a 1,000-row parent), clean (a full scan) and with
// orphans (stops at the cap). Engine: sql.js under any Node; also node:sqlite when run with Node >= 22.13.
//
//   node bench/sqlite-fk-check.mjs [--rows 1000000]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const rows = args.includes('--rows') ? Number(args[args.indexOf('--rows') + 1]) : 1_000_000;
const CHECK = 'SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check(?) LIMIT 1000)';
const COUNT_TO = 'SELECT count(*) FROM (SELECT 1 FROM "child" LIMIT 1000001)';

function time(label, run, repeat = 3) {
  const ms = [];
  let result;
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    result = run();
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`${label.padEnd(52)} median ${ms.sort((a, b) => a - b)[Math.floor(repeat / 2)].toFixed(1).padStart(8)} ms  (result ${result})`);
}

function generate(exec, run) {
  exec('CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id), v TEXT);');
  exec('BEGIN');
  exec('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO parent SELECT i, \'p\' || i FROM n');
  run(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO child SELECT i, 1 + i % 1000, 'v' || i FROM n`);
  exec('COMMIT');
}

const chinook = join(root, 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite');

const initSqlJs = require('sql.js');
const SQL = await initSqlJs({ locateFile: () => join(root, 'node_modules/sql.js/dist/sql-wasm.wasm') });
{
  console.log(`sql.js (SQLite ${new SQL.Database().exec('select sqlite_version()')[0].values[0][0]}), Node ${process.versions.node}`);
  const one = (db, sql, params) => db.exec(sql, params)[0].values[0][0];
  const db = new SQL.Database(readFileSync(chinook));
  for (const t of ['PlaylistTrack', 'InvoiceLine', 'Track']) time(`Chinook ${t} (${one(db, `select count(*) from "${t}"`)} rows), clean`, () => one(db, CHECK, [t]));
  db.close();
  const big = new SQL.Database();
  generate((s) => big.exec(s), (s) => big.run(s));
  time(`child ${rows.toLocaleString('en-US')} rows, clean (full scan)`, () => one(big, CHECK, ['child']));
  time('child: count up to 1,000,001 rows (the size gate)', () => one(big, COUNT_TO));
  big.exec('PRAGMA foreign_keys = OFF; UPDATE child SET parent_id = 5000 WHERE id % 100 = 0');
  time(`child ${rows.toLocaleString('en-US')} rows, 1% orphans (stops at 1,000)`, () => one(big, CHECK, ['child']));
  big.close();
}

let nodeSqlite;
try {
  nodeSqlite = require('node:sqlite');
} catch {
  console.log('node:sqlite: not in this runtime (run with Node >= 22.13 for its numbers)');
}
if (nodeSqlite) {
  const { DatabaseSync } = nodeSqlite;
  const one = (db, sql, params = []) => Object.values(db.prepare(sql).get(...params))[0];
  console.log(`node:sqlite (SQLite ${one(new DatabaseSync(':memory:'), 'select sqlite_version()')})`);
  const db = new DatabaseSync(chinook, { readOnly: true });
  for (const t of ['PlaylistTrack', 'InvoiceLine', 'Track']) time(`Chinook ${t}, clean`, () => one(db, CHECK, [t]));
  db.close();
  const big = new DatabaseSync(':memory:');
  generate((s) => big.exec(s), (s) => big.exec(s));
  time(`child ${rows.toLocaleString('en-US')} rows, clean (full scan)`, () => one(big, CHECK, ['child']));
  time('child: count up to 1,000,001 rows (the size gate)', () => one(big, COUNT_TO));
  big.exec('PRAGMA foreign_keys = OFF; UPDATE child SET parent_id = 5000 WHERE id % 100 = 0');
  time(`child ${rows.toLocaleString('en-US')} rows, 1% orphans (stops at 1,000)`, () => one(big, CHECK, ['child']));
}
