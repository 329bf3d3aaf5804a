// A throwaway PostgreSQL cluster for integration tests: initdb into a fresh temporary directory, a server that
// listens only on 127.0.0.1 (on a free port) with its unix socket inside that directory, one login role with a
// generated SCRAM password and one database it owns. Nothing is skipped: missing binaries fail loudly with the
// Debian package to install. stop() (and, as a last resort, process exit) stops the server and deletes the
// directory.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { cleanUpOnExit, freePort } from './lifecycle';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  /** PostgreSQL major version, e.g. 15. */
  version: number;
  /** With `ssl: true`: the self-signed certificate (for 127.0.0.1) the server presents, to use as the CA. */
  caFile?: string;
  /** The server's log (what pg_ctl -l collects), e.g. to see which logins it authorized with log_connections on. */
  logFile: string;
  /** Runs SQL as the superuser (over the unix socket) in `database` or another one. */
  admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<pg.QueryResult<T>>;
  /** Stops the server (fast shutdown: sessions are terminated) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops the server and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /** Extra pg_hba.conf lines, placed before the default ones (first match wins). */
  hba?: string[];
  /** Extra server settings (`-c name=value`). */
  settings?: Record<string, string>;
  /** Serve SSL with a fresh self-signed certificate for 127.0.0.1 (needs the `openssl` command). */
  ssl?: boolean;
  /**
   * Make this server a hot standby of `primary`: its data directory is a pg_basebackup -R of the primary (over the
   * replication connection of `replicationUser`) instead of a fresh initdb, and it serves the primary's test user
   * and database, read-only. See postgresReplica.ts.
   */
  standbyOf?: { primary: PostgresServer; replicationUser: string; replicationPassword: string };
}

const PACKAGE_HINT = 'Install the Debian package "postgresql" (apt-get install postgresql), or set NOCOFLO_PG_BIN to the directory holding initdb, pg_ctl and postgres.';

function findBinDir(): string {
  const fromEnv = process.env.NOCOFLO_PG_BIN;
  const candidates: string[] = [];
  if (fromEnv) candidates.push(fromEnv);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(debian, version, 'bin'));
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  const found = candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(path.join(dir, b))));
  if (!found) throw new Error(`PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found (looked in ${candidates.join(', ') || 'no candidate directory'}). ${PACKAGE_HINT}`);
  return found;
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
const quoteIdent = (text: string) => `"${text.replace(/"/g, '""')}"`;

export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = findBinDir();
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser') && spawnSync('runuser', ['--help']).error) {
      throw new Error('The tests run as root, and PostgreSQL refuses to run as root, but "runuser" (Debian package "util-linux") is missing.');
    }
    const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    const uid = id('-u');
    const gid = id('-g');
    if (uid.status !== 0 || gid.status !== 0) throw new Error(`The tests run as root and need the system user "postgres" to run the server, but it does not exist. ${PACKAGE_HINT}`);
    owner = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  // Short path: the unix socket path (dir + /.s.PGSQL.port) must fit in 107 bytes.
  const dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');

  const run = (binary: string, args: string[], what: string, env: Record<string, string> = {}) => {
    const command = owner ? 'runuser' : path.join(bin, binary);
    const argv = owner ? ['-u', 'postgres', '--', path.join(bin, binary), ...args] : args;
    // TZ pins the cluster's default time zone, so tests see the same server wherever they run.
    const result = spawnSync(command, argv, { encoding: 'utf8', cwd: dir, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', ...env } });
    if (result.error) throw new Error(`${what} could not run ${binary}: ${result.error.message}. ${PACKAGE_HINT}`);
    if (result.status !== 0) {
      const serverLog = existsSync(log) ? spawnSync('tail', ['-n', '30', log], { encoding: 'utf8' }).stdout : '';
      throw new Error(`${what} failed (${binary} exited with ${result.status}):\n${result.stdout}\n${result.stderr}\n${serverLog}`);
    }
    return result.stdout;
  };

  let running = false;
  let removed = false;
  const stopNow = (mode: 'fast' | 'immediate') => {
    if (!running) return;
    running = false;
    run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'], 'Stopping PostgreSQL');
  };
  const cleanUp = () => {
    try {
      stopNow('immediate');
    } catch {
      // The directory goes anyway.
    }
    if (!removed) {
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // Last resort when a test run dies without calling stop().
  const forget = cleanUpOnExit(cleanUp);

  try {
    const standby = options.standbyOf;
    if (standby) {
      // -R writes standby.signal and primary_conninfo; -X stream copies the WAL the backup needs to be consistent.
      const { primary, replicationUser, replicationPassword } = standby;
      const args = ['-D', data, '-h', primary.host, '-p', String(primary.port), '-U', replicationUser, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'];
      run('pg_basebackup', args, 'pg_basebackup of the primary', { PGPASSWORD: replicationPassword });
    } else run('initdb', ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync'], 'initdb');
    writeFileSync(
      path.join(data, 'pg_hba.conf'),
      [...(options.hba ?? []), 'local all all trust', 'host all all 127.0.0.1/32 scram-sha-256', ''].join('\n'),
    );
    let caFile: string | undefined;
    const sslSettings: Record<string, string> = {};
    if (options.ssl) {
      caFile = path.join(dir, 'server.crt');
      const key = path.join(dir, 'server.key');
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', caFile], { encoding: 'utf8' });
      if (made.error || made.status !== 0) throw new Error(`Making a test certificate failed (install the Debian package "openssl"): ${made.error?.message ?? made.stderr}`);
      // PostgreSQL refuses a key file that others can read, or that it does not own.
      chmodSync(key, 0o600);
      if (owner) for (const file of [key, caFile]) chownSync(file, owner.uid, owner.gid);
      Object.assign(sslSettings, { ssl: 'on', ssl_cert_file: caFile, ssl_key_file: key });
    }
    const port = await freePort();
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      port: String(port),
      unix_socket_directories: dir,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '50',
      ...sslSettings,
      ...(options.settings ?? {}),
    };
    const serverOptions = Object.entries(settings)
      .map(([k, v]) => `-c ${k}=${v}`)
      .join(' ');
    const start = () => {
      run('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', '-t', '60', 'start'], 'Starting PostgreSQL');
      running = true;
    };
    start();

    const admin = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], database = 'postgres') => {
      const client = new pg.Client({ host: dir, port, user: 'postgres', database });
      await client.connect();
      try {
        return await client.query<T>(sql, params);
      } finally {
        await client.end();
      }
    };

    // A standby has the primary's roles and databases already (and could not create any).
    const user = standby?.primary.user ?? 'nocoflo_test';
    const database = standby?.primary.database ?? 'nocoflo_test';
    const password = standby?.primary.password ?? randomBytes(18).toString('base64url');
    if (!standby) {
      await admin(`CREATE ROLE ${quoteIdent(user)} LOGIN PASSWORD ${quoteLiteral(password)}`);
      await admin(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)}`);
    }
    const version = Number((await admin<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v.slice(0, -4));

    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      database,
      url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      version,
      ...(caFile ? { caFile } : {}),
      logFile: log,
      admin: (sql, params, db) => admin(sql, params, db ?? database),
      async restart() {
        stopNow('fast');
        start();
      },
      async stop() {
        forget();
        cleanUp();
      },
    };
  } catch (error) {
    forget();
    cleanUp();
    throw error;
  }
}
