// A throwaway MariaDB server for integration tests: mariadb-install-db into a fresh temporary directory, a mariadbd
// that listens only on 127.0.0.1 (on a free port) with its unix socket inside that directory, one user with a
// generated password and one utf8mb4 database. Nothing is skipped: missing binaries fail loudly with the Debian
// package to install. stop() (and, as a last resort, process exit) stops the server and deletes the directory.
import { cleanUpOnExit, freePort } from './lifecycle';
import { createTestLogin, mysqlUrl, prepareMariadb } from './mariadbProcess';

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

export interface MariadbServerOptions {
  /** Extra mariadbd options, e.g. --ssl-cert=… */
  args?: string[];
}

export async function startMariadb(options: MariadbServerOptions = {}): Promise<MariadbServer> {
  const server = prepareMariadb('nocoflo-mdb-');
  // Last resort when a test run dies without calling stop().
  const forget = cleanUpOnExit(server.cleanUp);
  try {
    const port = await freePort();
    const args = [`--port=${port}`, ...(options.args ?? [])];
    await server.start(args);
    const login = await createTestLogin(server);
    const [{ v: version }] = await server.admin<{ v: string }[]>('SELECT VERSION() AS v');
    return {
      host: '127.0.0.1',
      port,
      ...login,
      url: mysqlUrl(login, port),
      version,
      socket: server.socket,
      admin: (sql, params, db) => server.admin(sql, params, db === undefined ? login.database : db),
      async restart() {
        await server.shutDown();
        await server.start(args);
      },
      async stop() {
        forget();
        try {
          await server.shutDown();
        } finally {
          server.cleanUp();
        }
      },
    };
  } catch (error) {
    forget();
    server.cleanUp();
    throw error;
  }
}
