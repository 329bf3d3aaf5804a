#!/usr/bin/env node
// Generates the sample SQLite database used by `npm start` and by the UI tests: a small shop with foreign keys,
// a view, a table without a primary key, awkward identifiers, NULLs vs empty strings, BLOBs, and one larger table
// for scrolling. Deterministic (seeded), so screenshots and tests see the same data every time.
//
//   node scripts/make-sample-db.mjs [out.sqlite] [--events N]
import initSqlJs from 'sql.js';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

const args = process.argv.slice(2);
const out = resolve(args.find((a) => !a.startsWith('--')) ?? '.tmp/sample/shop.sqlite');
const eventsIndex = args.indexOf('--events');
const eventCount = eventsIndex >= 0 ? Number(args[eventsIndex + 1]) : 100_000;

// Small deterministic PRNG (mulberry32) so every run produces the same file.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const require = createRequire(import.meta.url);
const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
const db = new SQL.Database();

db.run(`
  PRAGMA foreign_keys = ON;
  CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT UNIQUE,
    country TEXT,
    vip BOOLEAN NOT NULL DEFAULT 0,
    signed_up DATE,
    notes TEXT
  );
  CREATE TABLE products (
    sku TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    price NUMERIC NOT NULL CHECK (price >= 0),
    stock INTEGER NOT NULL DEFAULT 0,
    attributes JSON,
    thumbnail BLOB
  );
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    ordered_at DATETIME NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','paid','shipped','cancelled'))
  );
  CREATE TABLE order_items (
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    sku TEXT NOT NULL REFERENCES products(sku),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC NOT NULL,
    PRIMARY KEY (order_id, sku)
  ) WITHOUT ROWID;
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at DATETIME NOT NULL,
    kind TEXT NOT NULL,
    value REAL,
    customer_id INTEGER REFERENCES customers(id)
  );
  CREATE TABLE "weird ""name"" table" ("select" TEXT PRIMARY KEY, "tëst ✓" TEXT, "with space" INTEGER);
  CREATE VIEW customer_totals AS
    SELECT c.id, c.name, count(o.id) AS orders
    FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
`);
// No declared primary key: its rows are still addressable (and editable) through SQLite's rowid.
db.run(`CREATE TABLE audit_log_import (happened_at TEXT, message TEXT)`);

const first = ['Ada', 'Linus', 'Grace', 'Ken', 'Barbara', 'Edsger', 'Margaret', 'Dennis', 'Frances', 'Niklaus', 'Radia', 'Tim'];
const last = ['Lovelace', 'Torvalds', 'Hopper', 'Thompson', 'Liskov', 'Dijkstra', 'Hamilton', 'Ritchie', 'Allen', 'Wirth', 'Perlman', 'Berners-Lee'];
const countries = ['DE', 'FR', 'US', 'JP', 'BR', 'IN', 'NG', null];

db.run('BEGIN');
const customer = db.prepare('INSERT INTO customers (id, name, email, country, vip, signed_up, notes) VALUES (?, ?, ?, ?, ?, ?, ?)');
for (let id = 1; id <= 500; id++) {
  const name = `${pick(first)} ${pick(last)}`;
  const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 1800) * 86_400_000).toISOString().slice(0, 10);
  // Deliberately both NULL and '' notes, so users can see they render differently.
  const notes = id % 7 === 0 ? null : id % 11 === 0 ? '' : id % 13 === 0 ? 'Prefers "quoted" deliveries;\nsecond line' : null;
  customer.run([id, name, `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${id}@example.com`, pick(countries), random() < 0.1 ? 1 : 0, day, notes]);
}
customer.free();

const product = db.prepare('INSERT INTO products (sku, title, price, stock, attributes, thumbnail) VALUES (?, ?, ?, ?, ?, ?)');
const things = ['Keyboard', 'Mouse', 'Monitor', 'Cable', 'Dock', 'Headset', 'Webcam', 'Chair', 'Desk', 'Lamp'];
for (let i = 1; i <= 60; i++) {
  const title = `${pick(['Ergo', 'Pro', 'Mini', 'Ultra', 'Basic'])} ${pick(things)} ${i}`;
  const attributes = JSON.stringify({ color: pick(['black', 'white', 'silver']), weight_g: Math.round(random() * 2000) });
  const thumbnail = i % 3 === 0 ? null : Uint8Array.from({ length: 16 + i }, (_, k) => (k * 37 + i) % 256);
  product.run([`SKU-${String(i).padStart(4, '0')}`, title, Math.round(random() * 50_000) / 100, Math.floor(random() * 300), attributes, thumbnail]);
}
product.free();

const order = db.prepare('INSERT INTO orders (customer_id, ordered_at, status) VALUES (?, ?, ?)');
const item = db.prepare('INSERT INTO order_items (order_id, sku, quantity, unit_price) VALUES (?, ?, ?, ?)');
for (let id = 1; id <= 2000; id++) {
  const at = new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 700 * 86_400_000)).toISOString().replace('T', ' ').slice(0, 19);
  order.run([1 + Math.floor(random() * 500), at, pick(['new', 'paid', 'paid', 'shipped', 'shipped', 'cancelled'])]);
  const skus = new Set(Array.from({ length: 1 + Math.floor(random() * 4) }, () => `SKU-${String(1 + Math.floor(random() * 60)).padStart(4, '0')}`));
  for (const sku of skus) item.run([id, sku, 1 + Math.floor(random() * 5), Math.round(random() * 50_000) / 100]);
}
order.free();
item.free();

const event = db.prepare('INSERT INTO events (id, at, kind, value, customer_id) VALUES (?, ?, ?, ?, ?)');
const start = Date.UTC(2024, 0, 1);
for (let id = 1; id <= eventCount; id++) {
  const at = new Date(start + id * 60_000).toISOString().replace('T', ' ').slice(0, 19);
  event.run([id, at, pick(['view', 'click', 'purchase', 'refund']), random() < 0.05 ? null : Math.round(random() * 10_000) / 100, random() < 0.2 ? null : 1 + Math.floor(random() * 500)]);
}
event.free();

db.run(`INSERT INTO "weird ""name"" table" VALUES ('drop table customers; --', 'ünïcødé ✓', 1), ('', NULL, NULL), ('NULL', '', 0)`);
db.run(`INSERT INTO audit_log_import VALUES ('2024-01-01 10:00:00', 'imported 3 rows'), ('2024-01-02 11:30:00', 'imported 1 row'), ('2024-01-02 11:30:00', 'imported 1 row')`);
db.run('COMMIT');

// Atomic like everything else Nocoflo writes: a half-written sample would confuse whoever opens it.
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, db.export());
renameSync(`${out}.tmp`, out);
db.close();
console.log(`sample database: ${out} (${eventCount.toLocaleString('en-US')} events)`);
