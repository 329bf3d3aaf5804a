// A throwaway PgBouncer in transaction pooling mode in front of a test PostgreSQL server (postgresServer.ts):
// pgbouncer.ini and userlist.txt in a fresh temporary directory, listening on 127.0.0.1 on a free port with its unix
// socket in that directory, run as a child process (not daemonized) so the test owns it. Clients authenticate with
// SCRAM against the role's verifier copied from pg_authid, which PgBouncer also uses to log in to the server: no
// password in clear on disk. A missing binary fails loudly with the Debian package to install.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cleanUpOnExit, freePort } from './lifecycle';
import type { PostgresServer } from './postgresServer';

export interface PgBouncer {
  host: string;
  port: number;
  /** The pooler's log, to see what it refused. */
  logFile: string;
  /** Stops PgBouncer at once (every client and server connection closes) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops PgBouncer and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const PACKAGE_HINT = 'Install the Debian package "pgbouncer" (apt-get install pgbouncer), or set NOCOFLO_PGBOUNCER to the pgbouncer binary.';
/** Checks (every POLL_MS) whether PgBouncer accepts connections, or has exited, before the start counts as failed. */
const POLL_ATTEMPTS = 200;
const POLL_MS = 50;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function findPgBouncer(): string {
  const candidates = [process.env.NOCOFLO_PGBOUNCER, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`pgbouncer was not found (looked at ${candidates.join(', ')}). ${PACKAGE_HINT}`);
  return found;
}

const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export async function startPgBouncer(server: PostgresServer, options: { users?: string[] } = {}): Promise<PgBouncer> {
  const binary = findPgBouncer();
  // PgBouncer refuses to run as root: as root, it runs as the "postgres" user, like the test servers.
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    const uid = id('-u');
    const gid = id('-g');
    if (uid.status !== 0 || gid.status !== 0) throw new Error('The tests run as root and need the system user "postgres" to run pgbouncer, but it does not exist (Debian package "postgresql" creates it).');
    owner = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-pgb-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const logFile = path.join(dir, 'pgbouncer.log');
  const ini = path.join(dir, 'pgbouncer.ini');
  const userlist = path.join(dir, 'userlist.txt');
  const port = await freePort();

  const users = [server.user, ...(options.users ?? [])];
  const verifiers = await server.admin<{ rolname: string; rolpassword: string | null }>('SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)', [users], 'postgres');
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  writeFileSync(userlist, verifiers.rows.filter((r) => r.rolpassword).map((r) => `${quote(r.rolname)} ${quote(r.rolpassword!)}`).join('\n') + '\n', { mode: 0o600 });
  writeFileSync(
    ini,
    [
      '[databases]',
      // Every database name a client asks for, on the one server behind.
      `* = host=${server.host} port=${server.port}`,
      '[pgbouncer]',
      `listen_addr = 127.0.0.1`,
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = scram-sha-256',
      `auth_file = ${userlist}`,
      'pool_mode = transaction',
      // Few server connections, so session state left behind by one client would show up in another one's work.
      'default_pool_size = 3',
      'max_client_conn = 200',
      `logfile = ${logFile}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      // PgBouncer 1.21+ could keep prepared statements per client in transaction mode; Nocoflo must not need that.
      // Older versions (Debian 12 has 1.18) do not know the setting and have no such support at all.
      ...(pgbouncerVersion(binary) >= 1.21 ? ['max_prepared_statements = 0'] : []),
      '',
    ].join('\n'),
  );
  if (owner) for (const file of [userlist, ini]) chownSync(file, owner.uid, owner.gid);

  let child: ChildProcess | undefined;
  let removed = false;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const command = owner ? 'runuser' : binary;
    const args = owner ? ['-u', 'postgres', '--', binary, ini] : [ini];
    const started = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let gone = false;
    exited = new Promise((resolve) => started.once('exit', () => ((gone = true), resolve())));
    for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
      if (gone) break;
      if (await accepts('127.0.0.1', port)) return;
      await pause(POLL_MS);
    }
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`PgBouncer did not start (${gone ? `it exited with ${started.exitCode}` : `not listening after ${POLL_ATTEMPTS} checks`}):\n${stderr}\n${log}`);
  };
  const kill = () => {
    // SIGTERM is PgBouncer's immediate shutdown. The pid file names PgBouncer itself, not runuser.
    const pidFile = path.join(dir, 'pgbouncer.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : child?.pid;
    try {
      if (pid) process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  const cleanUp = () => {
    kill();
    if (!removed) {
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const forget = cleanUpOnExit(cleanUp);
  const stopChild = async () => {
    if (!child || child.exitCode !== null) return;
    kill();
    await exited;
    child = undefined;
  };
  try {
    await start();
  } catch (error) {
    forget();
    cleanUp();
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    logFile,
    async restart() {
      await stopChild();
      await start();
    },
    async stop() {
      forget();
      await stopChild();
      cleanUp();
    },
  };
}

/** 1.18 for "PgBouncer 1.18.0". */
function pgbouncerVersion(binary: string): number {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (out.error) throw new Error(`pgbouncer could not run: ${out.error.message}. ${PACKAGE_HINT}`);
  const match = /PgBouncer (\d+)\.(\d+)/.exec(out.stdout);
  if (!match) throw new Error(`pgbouncer --version said something unexpected: ${out.stdout}`);
  return Number(match[1]) + Number(match[2]) / 100;
}
