// What the convention servers (jsonServerStyle.ts, postgrestServer.ts, odataServer.ts) share: one in-memory table
// loaded from the Chinook fixture (the Track table by default), value comparison, and the node:http plumbing on
// 127.0.0.1 (free port) that records every request with its raw body. Each server parses its own convention and
// applies that API's own semantics; this file knows none of them.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { repoRoot } from '../codeServer';
import { datasetsDir } from '../datasets';
import { cleanUpOnExit, freePort } from './lifecycle';

export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

export interface Table {
  name: string;
  idField: string;
  rows: Row[];
}

/** A Chinook table as JSON records, from the fixture's SQLite file (read-only: a fresh copy of rows per call). */
export async function loadChinook(name = 'Track', idField = `${name}Id`): Promise<Table> {
  const SQL = await initSqlJs({ locateFile: () => path.join(repoRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database(readFileSync(path.join(datasetsDir(), 'chinook/Chinook_Sqlite.sqlite')));
  try {
    const [result] = db.exec(`SELECT * FROM "${name}" ORDER BY "${idField}"`);
    if (!result) throw new Error(`Chinook has no rows in ${name}`);
    const rows = result.values.map((values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i] as Value])));
    return { name, idField, rows };
  } finally {
    db.close();
  }
}

/** SQL-like comparison: numbers by value, texts by code unit; callers decide what NULL means. */
export function compare(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** A query-string value as the column's type (a number for numeric columns), the way a typed server casts it. */
export function typed(table: Table, column: string, text: string): Value {
  const sample = table.rows.find((r) => r[column] !== null && r[column] !== undefined)?.[column];
  if (typeof sample === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (typeof sample === 'boolean') return text === 'true';
  return text;
}

export interface Seen {
  method: string;
  path: string;
  /** Query parameters in order, repeated ones repeated. */
  params: [string, string][];
  headers: IncomingHttpHeaders;
  text: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiServer {
  baseUrl: string;
  table: Table;
  requests: Seen[];
  stop(): Promise<void>;
}

/** Serves `handle` on 127.0.0.1; a handler that throws answers 500 with the message, as a crashing API would. */
export async function serveTable(table: Table, handle: (seen: Seen, url: URL, origin: string) => Reply): Promise<ApiServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const requests: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const seen: Seen = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), params: [...url.searchParams], headers: req.headers, text: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      let reply: Reply;
      try {
        reply = handle(seen, url, origin);
      } catch (error) {
        reply = { status: 500, body: { error: (error as Error).message } };
      }
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...(text ? { 'Content-Type': 'application/json' } : {}), ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const removeHooks = cleanUpOnExit(() => server.close());
  return {
    baseUrl: origin,
    table,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        removeHooks();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON request body as an object; the raw text keeps digits JSON.parse would round (tests read `text`). */
export function bodyObject(seen: Seen): Row {
  const parsed: unknown = JSON.parse(seen.text || 'null');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the body must be a JSON object');
  return parsed as Row;
}

/** Inserts a record with the next id (or the one given). */
export function insert(table: Table, values: Row): Row {
  const id = values[table.idField] ?? Math.max(0, ...table.rows.map((r) => Number(r[table.idField]))) + 1;
  const columns = Object.keys(table.rows[0] ?? {});
  const row: Row = Object.fromEntries(columns.map((c) => [c, null]));
  Object.assign(row, values, { [table.idField]: id });
  table.rows.push(row);
  return row;
}

export const findRow = (table: Table, id: Value) => table.rows.find((r) => compare(r[table.idField]!, id) === 0 && typeof r[table.idField] === typeof id);
