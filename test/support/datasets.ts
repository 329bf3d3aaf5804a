// Loads the public sample databases in test/fixtures/datasets (Chinook, Northwind; see SOURCES.md there) into the
// throwaway servers and SQLite files, and opens a raw client on each: the engine's own answers, which the real-data
// suite (test/realdata) compares with what the datasource plugins return. The fixture files are never edited; what
// a script needs to run here (no `\c`, the database name, the owner) is adapted at load time.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import initSqlJs from 'sql.js';
import { repoRoot } from './codeServer';
import type { MariadbServer } from './servers/mariadbServer';
import type { PostgresServer } from './servers/postgresServer';
import { python, tempDir } from './sqliteFixtures';

export const datasetsDir = () => path.join(repoRoot(), 'test/fixtures/datasets');
const fixture = (name: string) => path.join(datasetsDir(), name);

/**
 * A cell as text, so values from different clients compare exactly: numbers and decimals by their digits, bytes as
 * hex, NULL as null. Each raw client returns the database's own text for every type.
 */
export type Cell = string | null;

export function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString('hex')}'`;
  return String(value);
}

export type Dialect = 'postgres' | 'mysql' | 'sqlite';

/** A second client on the same database, apart from the datasource: the oracle, and "another user" for conflicts. */
export interface RawClient {
  dialect: Dialect;
  /** Runs a query with `?` placeholders (values bound) and returns every row as cells, in the columns' order. */
  query(sql: string, params?: unknown[]): Promise<Cell[][]>;
  /** Runs a write as a different connection (or program) than the datasource's. */
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

const pgPlaceholders = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** A pg client as the test login over TCP that returns every value as PostgreSQL's own text. */
export async function postgresRawClient(server: PostgresServer, database: string): Promise<RawClient> {
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database, types: { getTypeParser: () => (text: string) => text } });
  await client.connect();
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      const result = await client.query({ text: pgPlaceholders(sql), values: params, rowMode: 'array' });
      return (result.rows as unknown[][]).map((row) => row.map(cell));
    },
    async run(sql, params = []) {
      await client.query(pgPlaceholders(sql), params);
    },
    close: () => client.end(),
  };
}

/** A mysql2 connection as the test login over TCP that returns every value as the server's text. */
export async function mysqlRawClient(server: MariadbServer, database: string): Promise<RawClient> {
  const connection = await mysql.createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database,
    charset: 'UTF8MB4_UNICODE_CI',
    // TEXT and BLOB columns both arrive as BLOB fields: mysql2's own decoding keeps bytes for binary ones and text for
    // the others; every other value is the server's text.
    typeCast: (field, next) => (field.type.endsWith('BLOB') ? next() : field.string()),
  });
  return {
    dialect: 'mysql',
    async query(sql, params = []) {
      const [rows] = await connection.query({ sql, values: params, rowsAsArray: true });
      return (rows as unknown[][]).map((row) => row.map(cell));
    },
    async run(sql, params = []) {
      await connection.query(sql, params);
    },
    close: () => connection.end(),
  };
}

/**
 * SQLite: reads with sql.js on the file as it is on disk now (a fresh copy per query, so it sees every save), and
 * writes with Python's sqlite3 — the C library, in another process, taking SQLite's own locks.
 */
export async function sqliteRawClient(file: string): Promise<RawClient> {
  const SQL = await initSqlJs({ locateFile: () => path.join(repoRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm') });
  return {
    dialect: 'sqlite',
    async query(sql, params = []) {
      const db = new SQL.Database(readFileSync(file));
      try {
        const [result] = db.exec(sql, params as never);
        return (result?.values ?? []).map((row) => row.map(cell));
      } finally {
        db.close();
      }
    },
    async run(sql, params = []) {
      python('import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1])\nc.execute(sys.argv[2], json.loads(sys.argv[3]))\nc.commit()', file, sql, JSON.stringify(params));
    },
    async close() {
      // Nothing stays open: every query opens its own copy.
    },
  };
}

/** A fresh copy of Chinook_Sqlite.sqlite in a temporary directory (the fixture itself stays untouched). */
export function copyChinookSqlite(): string {
  const file = path.join(tempDir('nocoflo-chinook-'), 'Chinook_Sqlite.sqlite');
  copyFileSync(fixture('chinook/Chinook_Sqlite.sqlite'), file);
  return file;
}

const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Runs a plain SQL script in a new database owned by the test login, as that login (so it owns every table), in one
 * transaction: pg sends a query without parameters as one simple-protocol message, which PostgreSQL runs whole.
 */
async function loadPostgresScript(server: PostgresServer, database: string, script: string): Promise<void> {
  await server.admin(`CREATE DATABASE ${pgIdent(database)} OWNER ${pgIdent(server.user)}`);
  await server.admin(`SET ROLE ${pgIdent(server.user)};\n${script}`, [], database);
  await server.admin('ANALYZE', [], database);
}

/**
 * Chinook_PostgreSql.sql drops and creates database `chinook`, then switches to it with psql's `\c`; here the
 * database is created first and the script's part after `\c chinook;` runs in it.
 */
export async function loadChinookPostgres(server: PostgresServer, database = 'chinook'): Promise<void> {
  const script = readFileSync(fixture('chinook/Chinook_PostgreSql.sql'), 'utf8');
  const marker = '\\c chinook;';
  const at = script.indexOf(marker);
  if (at < 0) throw new Error(`Chinook_PostgreSql.sql no longer holds "${marker}"; the loader needs updating.`);
  await loadPostgresScript(server, database, script.slice(at + marker.length));
}

/** northwind.sql is a plain script for an existing database. */
export async function loadNorthwindPostgres(server: PostgresServer, database = 'northwind'): Promise<void> {
  await loadPostgresScript(server, database, readFileSync(fixture('northwind/northwind.sql'), 'utf8'));
}

/**
 * Chinook_MySql.sql creates and uses database `Chinook`; it runs through the real `mariadb` client (the way its
 * author meant it to be loaded) as root over the server's socket, then the test login gets the database. Another
 * `database` name (a second copy, for writes) replaces the script's three mentions of `Chinook`.
 */
export async function loadChinookMariadb(server: MariadbServer, database = 'Chinook'): Promise<string> {
  const script = readFileSync(fixture('chinook/Chinook_MySql.sql'), 'utf8');
  const mentions = script.split('`Chinook`').length - 1;
  if (mentions !== 3) throw new Error(`Chinook_MySql.sql names \`Chinook\` ${mentions} times, not 3 (DROP, CREATE, USE); the loader needs updating.`);
  const ident = `\`${database.replace(/`/g, '``')}\``;
  const client = ['/usr/bin/mariadb', '/usr/bin/mysql'].find((candidate) => spawnSync(candidate, ['--version']).status === 0);
  if (!client) throw new Error('Loading Chinook into MariaDB needs the `mariadb` client: install the Debian package "mariadb-client" (mariadb-server brings it).');
  const result = spawnSync(client, ['--no-defaults', `--socket=${server.socket}`, '--user=root', '--default-character-set=utf8mb4'], {
    input: script.split('`Chinook`').join(ident),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`Loading Chinook_MySql.sql failed (exit ${result.status}): ${result.stderr}`);
  await server.admin(`GRANT ALL PRIVILEGES ON ${ident}.* TO ?@?`, [server.user, '%'], null);
  return database;
}
