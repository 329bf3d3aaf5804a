// A throwaway MariaDB server for integration tests: mariadb-install-db into a fresh temporary directory, a mariadbd
// that listens only on 127.0.0.1 (on a free port) with its unix socket inside that directory, one user with a
// generated password and one utf8mb4 database. Nothing is skipped: missing binaries fail loudly with the Debian
// package to install. stop() (and, as a last resort, process exit) stops the server and deletes the directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import mysql from 'mysql2/promise';
import { cleanUpOnExit, freePort } from './lifecycle';

export interface MariadbServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** mysql://user:password@127.0.0.1:port/database */
  url: string;
  /** VERSION(), e.g. "10.11.19-MariaDB-0+deb12u1". */
  version: string;
  /** The server's unix socket, where root logs in without a password (for the `mariadb` client loading scripts). */
  socket: string;
  /** Runs one statement as root (over the unix socket), in `database` unless another one is named. */
  admin<T = Record<string, unknown>[]>(sql: string, params?: unknown[], database?: string | null): Promise<T>;
  /** Stops the server (clients are disconnected) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops the server and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const PACKAGE_HINT = 'Install the Debian package "mariadb-server" (apt-get install mariadb-server), or set NOCOFLO_MARIADB_BIN to the directory holding mariadbd and mariadb-install-db.';

function findBinary(names: string[], dirs: string[]): string | undefined {
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

function findBinaries(): { server: string; installDb: string } {
  const dirs = [...(process.env.NOCOFLO_MARIADB_BIN ? [process.env.NOCOFLO_MARIADB_BIN] : []), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin'];
  const server = findBinary(['mariadbd', 'mysqld'], dirs);
  const installDb = findBinary(['mariadb-install-db', 'mysql_install_db'], dirs);
  if (!server || !installDb) {
    const missing = [!server ? 'mariadbd' : '', !installDb ? 'mariadb-install-db' : ''].filter(Boolean).join(' and ');
    throw new Error(`The MariaDB integration tests need ${missing}, which were not found in ${dirs.join(', ')}. ${PACKAGE_HINT}`);
  }
  return { server, installDb };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface MariadbServerOptions {
  /** Extra mariadbd options, e.g. --ssl-cert=… */
  args?: string[];
}

export async function startMariadb(options: MariadbServerOptions = {}): Promise<MariadbServer> {
  const binaries = findBinaries();
  // mariadbd refuses to run as root unless told to; as root it runs as root inside its own temporary directory.
  const asRoot = process.getuid?.() === 0;
  const userArgs = asRoot ? ['--user=root'] : [];
  // Short path: the unix socket path must fit in 107 bytes.
  const dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-mdb-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const errorLog = path.join(dir, 'error.log');
  const tail = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8').split('\n').slice(-30).join('\n') : '(no error log)');
  // TZ pins the server's SYSTEM time zone, so tests see the same server wherever they run.
  const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };

  let child: ChildProcess | undefined;
  let removed = false;
  const killNow = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const cleanUp = () => {
    killNow();
    if (!removed) {
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // Last resort when a test run dies without calling stop().
  const forget = cleanUpOnExit(cleanUp);

  const rootConnection = (database?: string | null) =>
    mysql.createConnection({ socketPath: socket, user: 'root', ...(database ? { database } : {}), charset: 'UTF8MB4_UNICODE_CI', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });

  const waitReady = async (process_: ChildProcess) => {
    const deadline = Date.now() + 60_000;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (process_.exitCode !== null || process_.signalCode !== null) throw new Error(`mariadbd exited (${process_.exitCode ?? process_.signalCode}) before it was ready:\n${tail()}`);
      try {
        const connection = await rootConnection();
        await connection.end();
        return;
      } catch (error) {
        lastError = error;
        await sleep(100);
      }
    }
    throw new Error(`mariadbd did not accept connections within 60 s (${String(lastError)}):\n${tail()}`);
  };

  let port = 0;
  const start = async () => {
    const log = openSync(path.join(dir, 'stdout.log'), 'a');
    try {
      child = spawn(
        binaries.server,
        [
          '--no-defaults',
          `--datadir=${data}`,
          `--socket=${socket}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          '--skip-networking=0',
          `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
          `--log-error=${errorLog}`,
          '--skip-name-resolve',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_unicode_ci',
          '--innodb-buffer-pool-size=64M',
          '--innodb-flush-log-at-trx-commit=2',
          '--innodb-doublewrite=0',
          '--max-connections=200',
          ...(options.args ?? []),
          ...userArgs,
        ],
        { env, stdio: ['ignore', log, log] },
      );
    } finally {
      closeSync(log);
    }
    const spawned = child;
    await new Promise<void>((resolve, reject) => {
      spawned.once('spawn', () => resolve());
      spawned.once('error', (error) => reject(new Error(`mariadbd could not start: ${error.message}. ${PACKAGE_HINT}`)));
    });
    await waitReady(spawned);
  };
  const shutDown = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 30_000)))]);
    clearTimeout(timer);
    if (timedOut) {
      running.kill('SIGKILL');
      await exited;
    }
  };

  try {
    const install = spawnSync(
      binaries.installDb,
      ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve', ...userArgs],
      { encoding: 'utf8', cwd: dir, env },
    );
    if (install.error) throw new Error(`mariadb-install-db could not run: ${install.error.message}. ${PACKAGE_HINT}`);
    if (install.status !== 0) throw new Error(`mariadb-install-db failed (exit ${install.status}):\n${install.stdout}\n${install.stderr}`);
    port = await freePort();
    await start();

    const admin = async <T>(sql: string, params: unknown[] = [], database: string | null = null): Promise<T> => {
      const connection = await rootConnection(database);
      try {
        const [result] = await connection.query(sql, params);
        return result as T;
      } finally {
        await connection.end();
      }
    };

    const user = 'nocoflo_test';
    const database = 'nocoflo_test';
    const password = randomBytes(18).toString('base64url');
    await admin('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
    await admin('CREATE DATABASE `nocoflo_test` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    // Every database named nocoflo_… belongs to the test user, so tests can add more than one.
    await admin('GRANT ALL PRIVILEGES ON `nocoflo\\_%`.* TO ?@?', [user, '%']);
    const [{ v: version }] = await admin<{ v: string }[]>('SELECT VERSION() AS v');

    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      database,
      url: `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      version,
      socket,
      admin: (sql, params, db) => admin(sql, params, db === undefined ? database : db),
      async restart() {
        await shutDown();
        await start();
      },
      async stop() {
        forget();
        try {
          await shutDown();
        } finally {
          cleanUp();
        }
      },
    };
  } catch (error) {
    forget();
    cleanUp();
    throw error;
  }
}
