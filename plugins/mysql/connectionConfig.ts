import { isIP } from 'node:net';
import * as path from 'node:path';
import type { SslOptions } from 'mysql2';
import type { ConfigField, DatasourceConfig, DatasourceContext } from '../../api';
import { datasourceError } from '../kit/errors';
import { configNumber as number, configText as text, parseServerUrl, readCaFile, SSL_MODES, type SslMode } from '../kit/serverConnection';
import { cleartextRefused, mayRevealPassword, readAllowCleartext, readSslMode, transportFields } from '../kit/transportSecurity';
import { authOptions, type AuthPluginFactory } from './passwordGuard';

// The connection form, connection URLs, and how both become a mysql2 pool configuration. Passwords only ever arrive
// in `secrets` and only ever leave in the pool configuration: never in config, descriptions, logs or messages.

export { SSL_MODES, type SslMode };

export const DEFAULT_PORT = 3306;
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 60;

export const configFields: ConfigField[] = [
  { key: 'host', label: 'Host', type: 'string', required: true, default: 'localhost', placeholder: 'db.example.com', description: 'Host name or IP address; an absolute path means a unix socket.' },
  { key: 'port', label: 'Port', type: 'number', default: DEFAULT_PORT },
  { key: 'database', label: 'Database', type: 'string', placeholder: 'app', description: 'The default database. Every database the user can see is listed either way.' },
  { key: 'user', label: 'User', type: 'string', required: true },
  { key: 'password', label: 'Password', type: 'password', secret: true, description: 'Kept in VS Code secret storage.' },
  ...transportFields('certs/ca.pem'),
  { key: 'connectTimeoutSeconds', label: 'Connect timeout (seconds)', type: 'number', default: 10 },
  {
    key: 'queryTimeoutSeconds',
    label: 'Query timeout (seconds)',
    type: 'number',
    default: DEFAULT_QUERY_TIMEOUT_SECONDS,
    description: 'Statements running longer are stopped on the server (KILL QUERY). 0: no limit.',
  },
];

/** The settings of one connection, validated, without secrets. */
export interface MysqlSettings {
  host: string;
  /** Set when `host` is a unix socket path. */
  socketPath?: string;
  port: number;
  database?: string;
  user: string;
  sslMode: SslMode;
  sslCaFile?: string;
  /** Send the password in a form that can be read on the way, even without verified TLS (kit/transportSecurity). */
  allowCleartextPassword: boolean;
  connectTimeoutSeconds: number;
  /** 0: no limit. */
  queryTimeoutSeconds: number;
}

const invalid = (message: string) => datasourceError('invalid_value', message);

export function readSettings(config: DatasourceConfig): MysqlSettings {
  const host = text(config, 'host') ?? 'localhost';
  const port = number(config, 'port', (n) => Number.isInteger(n) && n > 0 && n < 65536, 'a port number from 1 to 65535') ?? DEFAULT_PORT;
  const user = text(config, 'user');
  if (!user) throw invalid('A MySQL datasource needs a user name.');
  const sslMode = readSslMode(config, host);
  const settings: MysqlSettings = {
    host,
    port,
    user,
    sslMode,
    allowCleartextPassword: readAllowCleartext(config),
    connectTimeoutSeconds: number(config, 'connectTimeoutSeconds', (n) => n > 0 && n <= 3600, 'a number of seconds from 1 to 3600') ?? 10,
    queryTimeoutSeconds: number(config, 'queryTimeoutSeconds', (n) => n >= 0 && n <= 86_400 * 7, 'a number of seconds (0 for no limit)') ?? DEFAULT_QUERY_TIMEOUT_SECONDS,
  };
  if (path.isAbsolute(host) && host.startsWith('/')) settings.socketPath = host;
  const database = text(config, 'database');
  if (database) settings.database = database;
  const sslCaFile = text(config, 'sslCaFile');
  if (sslCaFile) settings.sslCaFile = sslCaFile;
  return settings;
}

/** "user@host:port/database", for the tree and logs. */
export function describe(settings: MysqlSettings): string {
  const host = settings.socketPath ?? (settings.host.includes(':') ? `[${settings.host}]` : settings.host);
  const where = settings.socketPath ? host : `${host}:${settings.port}`;
  return `${settings.user}@${where}${settings.database ? `/${settings.database}` : ''}`;
}

function sslOptions(settings: MysqlSettings, context: DatasourceContext): SslOptions | undefined {
  if (settings.sslMode === 'disable') return undefined;
  // mysql2 checks the certificate of a server reached by IP address against the name "localhost", so verify-full
  // would accept the wrong certificates and refuse the right ones; better to say so than to pretend.
  // verify-full is also the default for a server on another host, so the message names every way out.
  if (settings.sslMode === 'verify-full' && isIP(settings.host.replace(/^\[(.*)\]$/, '$1'))) {
    throw invalid(
      `SSL verify-full (the default for a server on another host) checks the server's host name, which cannot be done for the IP address ${settings.host}: connect by host name, or set SSL to verify-ca (with the server's CA certificate), or to require or disable for this connection.`,
    );
  }
  const ca = settings.sslCaFile ? readCaFile(settings.sslCaFile, context) : undefined;
  if (settings.sslMode === 'require') return { rejectUnauthorized: false };
  // verify-ca checks the chain only; verify-full also checks the host name.
  return { rejectUnauthorized: true, verifyIdentity: settings.sslMode === 'verify-full', ...(ca ? { ca } : {}) };
}

/**
 * The mysql2 connection options shared by the pool and the side connection that stops queries (KILL QUERY).
 *
 * Values: `supportBigNumbers` + `bigNumberStrings` bring BIGINT as exact text (turned into bigint), DECIMAL stays
 * text, `dateStrings` keeps DATE/DATETIME/TIMESTAMP as the server's text (never a JS Date, so nothing shifts time
 * zones and zero dates survive), `jsonStrings` keeps JSON as its text. utf8mb4 on the wire, so emoji round-trip.
 */
export function connectionOptions(settings: MysqlSettings, secrets: Record<string, string>, context: DatasourceContext, cachingSha2: AuthPluginFactory) {
  const password = typeof secrets.password === 'string' && secrets.password !== '' ? secrets.password : undefined;
  const ssl = sslOptions(settings, context);
  return {
    ...(settings.socketPath ? { socketPath: settings.socketPath } : { host: settings.host, port: settings.port }),
    user: settings.user,
    ...(password !== undefined ? { password } : {}),
    ...(settings.database ? { database: settings.database } : {}),
    ...(ssl ? { ssl } : {}),
    ...authOptions(mayRevealPassword(settings), (how) => cleartextRefused('MySQL/MariaDB', how, settings.sslMode), cachingSha2),
    connectTimeout: Math.round(settings.connectTimeoutSeconds * 1000),
    charset: 'UTF8MB4_UNICODE_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    jsonStrings: true,
    decimalNumbers: false,
    multipleStatements: false,
    // Prepared statements are cached per connection; the server caps them for all clients together.
    maxPreparedStatements: 200,
    enableKeepAlive: true,
  };
}

/**
 * Splits mysql://user:password@host:port/database?ssl-mode=…&ssl-ca=…&connect_timeout=… (or mariadb://…) into
 * config and secrets ({ password }). `?socket=/path` connects through a unix socket.
 */
export function parseUrl(url: string): { config: DatasourceConfig; secrets: Record<string, string> } {
  const { config, secrets, query, bad } = parseServerUrl(url, { product: 'MySQL/MariaDB', schemes: ['mysql', 'mariadb'], hostParam: 'socket' });
  const sslMode = query.get('ssl-mode') ?? query.get('sslmode') ?? query.get('sslMode');
  if (sslMode) {
    // Both spellings: ours (libpq's) and MySQL's own --ssl-mode values.
    // prefer/preferred (MySQL's default) ask for nothing in particular: sslMode stays unset, so the host's default
    // applies (verified TLS for another host, none for this computer), as for PostgreSQL URLs.
    const known: Record<string, SslMode | null> = {
      disable: 'disable',
      disabled: 'disable',
      prefer: null,
      preferred: null,
      require: 'require',
      required: 'require',
      'verify-ca': 'verify-ca',
      verify_ca: 'verify-ca',
      'verify-full': 'verify-full',
      verify_identity: 'verify-full',
    };
    const key = sslMode.toLowerCase();
    if (!Object.hasOwn(known, key)) throw bad(`ssl-mode "${sslMode}" is not one of ${SSL_MODES.join(', ')}, preferred`);
    const mapped = known[key];
    if (mapped) config.sslMode = mapped;
  }
  const ca = query.get('ssl-ca') ?? query.get('sslca') ?? query.get('sslrootcert');
  if (ca) config.sslCaFile = ca;
  return { config, secrets };
}
