// One mariadbd process in a throwaway directory, shared by the single server (mariadbServer.ts) and each node of
// the Galera cluster (galeraCluster.ts): binary discovery, mariadb-install-db, start/stop with the error log's tail
// in every failure, root over the unix socket, and the test login every helper creates. Missing binaries fail loudly
// with the Debian package to install.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import mysql from 'mysql2/promise';

export const PACKAGE_HINT = 'Install the Debian package "mariadb-server" (apt-get install mariadb-server), or set NOCOFLO_MARIADB_BIN to the directory holding mariadbd and mariadb-install-db.';

export function findBinary(names: string[], dirs: string[]): string | undefined {
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export const BINARY_DIRS = [...(process.env.NOCOFLO_MARIADB_BIN ? [process.env.NOCOFLO_MARIADB_BIN] : []), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin'];

function findBinaries(): { server: string; installDb: string } {
  const server = findBinary(['mariadbd', 'mysqld'], BINARY_DIRS);
  const installDb = findBinary(['mariadb-install-db', 'mysql_install_db'], BINARY_DIRS);
  if (!server || !installDb) {
    const missing = [!server ? 'mariadbd' : '', !installDb ? 'mariadb-install-db' : ''].filter(Boolean).join(' and ');
    throw new Error(`The MariaDB integration tests need ${missing}, which were not found in ${BINARY_DIRS.join(', ')}. ${PACKAGE_HINT}`);
  }
  return { server, installDb };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The login and database every MariaDB test connects with. */
export interface TestLogin {
  user: string;
  password: string;
  database: string;
}

export interface MariadbProcess {
  dir: string;
  socket: string;
  /** The last lines of the error log, for failure messages. */
  tail(): string;
  /** Starts mariadbd (again) with these extra options and waits until root can log in over the socket. */
  start(args: string[], readyWithinMs?: number): Promise<void>;
  /** Stops mariadbd (SIGTERM; SIGKILL after 30 s). Nothing happens when it is not running. */
  shutDown(): Promise<void>;
  running(): boolean;
  /** Runs one statement as root over the unix socket. */
  admin<T>(sql: string, params?: unknown[], database?: string | null): Promise<T>;
  /** Kills mariadbd and deletes the directory (synchronous: also used on process exit). */
  cleanUp(): void;
}

export interface PrepareOptions {
  /**
   * The system user mariadbd runs as when the tests run as root (mariadbd refuses root unless told to). Default
   * root, inside its own temporary directory. Galera nodes run as "mysql": an rsync daemon started by root (the
   * receiving end of a state transfer) drops to "nobody" and could not write the data dir.
   */
  userWhenRoot?: string;
}

/** The uid and gid of a system user, or a loud error naming what is missing. */
function systemUser(name: string): { uid: number; gid: number } {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === name);
  if (!entry) throw new Error(`The system user "${name}" does not exist; the Debian package "mariadb-server" creates it. ${PACKAGE_HINT}`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** A fresh directory with an installed (empty) data dir; `prefix` names it under the system temp dir. */
export function prepareMariadb(prefix: string, options: PrepareOptions = {}): MariadbProcess {
  const binaries = findBinaries();
  const runAs = process.getuid?.() === 0 ? (options.userWhenRoot ?? 'root') : undefined;
  const owner = runAs && runAs !== 'root' ? systemUser(runAs) : undefined;
  const userArgs = runAs ? [`--user=${runAs}`] : [];
  // Short path: the unix socket path must fit in 107 bytes. It is also the server's tmpdir: temporary table files are
  // named after the process id, which may repeat in another PID namespace sharing the system /tmp.
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const errorLog = path.join(dir, 'error.log');
  const tail = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8').split('\n').slice(-30).join('\n') : '(no error log)');
  // TZ pins the server's SYSTEM time zone, so tests see the same server wherever they run.
  const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };

  let child: ChildProcess | undefined;
  let removed = false;
  const running = () => !!child && child.exitCode === null && child.signalCode === null;
  const cleanUp = () => {
    if (running()) child?.kill('SIGKILL');
    // NOCOFLO_KEEP_MARIADB_DIRS=1 keeps the directories (logs, data) for a post-mortem.
    if (!removed && process.env.NOCOFLO_KEEP_MARIADB_DIRS !== '1') {
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const rootConnection = (database?: string | null) =>
    mysql.createConnection({ socketPath: socket, user: 'root', ...(database ? { database } : {}), charset: 'UTF8MB4_UNICODE_CI', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });

  const waitReady = async (process_: ChildProcess, withinMs: number) => {
    const deadline = Date.now() + withinMs;
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
    throw new Error(`mariadbd did not accept connections within ${withinMs / 1000} s (${String(lastError)}):\n${tail()}`);
  };

  const start = async (args: string[], readyWithinMs = 60_000) => {
    const log = openSync(path.join(dir, 'stdout.log'), 'a');
    try {
      child = spawn(
        binaries.server,
        [
          '--no-defaults',
          `--datadir=${data}`,
          `--tmpdir=${dir}`,
          `--socket=${socket}`,
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
          ...args,
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
    await waitReady(spawned, readyWithinMs);
  };

  const shutDown = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 30_000)))]);
    clearTimeout(timer);
    if (timedOut) {
      current.kill('SIGKILL');
      await exited;
    }
  };

  const admin = async <T>(sql: string, params: unknown[] = [], database: string | null = null): Promise<T> => {
    const connection = await rootConnection(database);
    try {
      const [result] = await connection.query(sql, params);
      return result as T;
    } finally {
      await connection.end();
    }
  };

  try {
    const install = spawnSync(
      binaries.installDb,
      ['--no-defaults', `--datadir=${data}`, `--tmpdir=${dir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve', ...userArgs],
      { encoding: 'utf8', cwd: dir, env },
    );
    if (install.error) throw new Error(`mariadb-install-db could not run: ${install.error.message}. ${PACKAGE_HINT}`);
    if (install.status !== 0) throw new Error(`mariadb-install-db failed (exit ${install.status}):\n${install.stdout}\n${install.stderr}`);
  } catch (error) {
    cleanUp();
    throw error;
  }
  return { dir, socket, tail, start, shutDown, running, admin, cleanUp };
}

/** The test login (generated password) and its utf8mb4 database; it owns every database named nocoflo_…. */
export async function createTestLogin(server: Pick<MariadbProcess, 'admin'>): Promise<TestLogin> {
  const user = 'nocoflo_test';
  const database = 'nocoflo_test';
  const password = randomBytes(18).toString('base64url');
  await server.admin('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
  await server.admin('CREATE DATABASE `nocoflo_test` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await server.admin('GRANT ALL PRIVILEGES ON `nocoflo\\_%`.* TO ?@?', [user, '%']);
  return { user, password, database };
}

export function mysqlUrl(login: TestLogin, port: number): string {
  return `mysql://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@127.0.0.1:${port}/${encodeURIComponent(login.database)}`;
}
