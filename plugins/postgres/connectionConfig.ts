import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type { ConfigField, DatasourceConfig, DatasourceContext } from '../../api';
import { datasourceError } from '../kit/errors';

// The connection form, connection URLs, and how both become a pg pool configuration. Passwords only ever arrive in
// `secrets` and only ever leave in the pool configuration: never in config, descriptions, logs or messages.

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export const DEFAULT_PORT = 5432;
export const DEFAULT_APPLICATION_NAME = 'Nocoflo';

export const configFields: ConfigField[] = [
  { key: 'host', label: 'Host', type: 'string', required: true, default: 'localhost', placeholder: 'db.example.com', description: 'Host name or IP address; a directory path means a unix socket.' },
  { key: 'port', label: 'Port', type: 'number', default: DEFAULT_PORT },
  { key: 'database', label: 'Database', type: 'string', required: true, placeholder: 'postgres' },
  { key: 'user', label: 'User', type: 'string', required: true },
  { key: 'password', label: 'Password', type: 'password', secret: true, description: 'Kept in VS Code secret storage.' },
  {
    key: 'sslMode',
    label: 'SSL',
    type: 'enum',
    enum: [...SSL_MODES],
    default: 'disable',
    description: 'require: encrypt without checking the certificate; verify-ca: check it against the CA; verify-full: also check the host name.',
  },
  { key: 'sslCaFile', label: 'SSL CA certificate', type: 'file', placeholder: 'certs/root.crt', description: 'PEM file of the certificate authority (verify-ca, verify-full). Relative paths resolve against the workspace folder.' },
  { key: 'applicationName', label: 'Application name', type: 'string', default: DEFAULT_APPLICATION_NAME, description: 'Shown in pg_stat_activity.' },
  { key: 'connectTimeoutSeconds', label: 'Connect timeout (seconds)', type: 'number', default: 10 },
  { key: 'statementTimeoutSeconds', label: 'Statement timeout (seconds)', type: 'number', description: 'Queries running longer are stopped by the server. Empty: the server default.' },
];

/** The settings of one connection, validated, without secrets. */
export interface PostgresSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  sslMode: SslMode;
  sslCaFile?: string;
  applicationName: string;
  connectTimeoutSeconds: number;
  statementTimeoutSeconds?: number;
}

const invalid = (message: string) => datasourceError('invalid_value', message);

function text(config: DatasourceConfig, key: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(`"${key}" must be text.`);
  return value.trim() || undefined;
}

function number(config: DatasourceConfig, key: string, check: (n: number) => boolean, what: string): number | undefined {
  const value = config[key];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || !check(n)) throw invalid(`"${key}" must be ${what}.`);
  return n;
}

export function readSettings(config: DatasourceConfig): PostgresSettings {
  const host = text(config, 'host') ?? 'localhost';
  const port = number(config, 'port', (n) => Number.isInteger(n) && n > 0 && n < 65536, 'a port number from 1 to 65535') ?? DEFAULT_PORT;
  const database = text(config, 'database');
  if (!database) throw invalid('A PostgreSQL datasource needs the name of its database.');
  const user = text(config, 'user');
  if (!user) throw invalid('A PostgreSQL datasource needs a user name.');
  const sslMode = (text(config, 'sslMode') ?? 'disable') as SslMode;
  if (!SSL_MODES.includes(sslMode)) throw invalid(`sslMode must be one of ${SSL_MODES.join(', ')}.`);
  const sslCaFile = text(config, 'sslCaFile');
  const settings: PostgresSettings = {
    host,
    port,
    database,
    user,
    sslMode,
    applicationName: text(config, 'applicationName') ?? DEFAULT_APPLICATION_NAME,
    connectTimeoutSeconds: number(config, 'connectTimeoutSeconds', (n) => n > 0 && n <= 3600, 'a number of seconds from 1 to 3600') ?? 10,
  };
  if (sslCaFile) settings.sslCaFile = sslCaFile;
  const statementTimeout = number(config, 'statementTimeoutSeconds', (n) => n >= 0 && n <= 86_400 * 7, 'a number of seconds (0 for none)');
  if (statementTimeout !== undefined) settings.statementTimeoutSeconds = statementTimeout;
  return settings;
}

/** "user@host:port/database", for the tree and logs. */
export function describe(settings: PostgresSettings): string {
  const host = settings.host.includes(':') && !settings.host.startsWith('/') ? `[${settings.host}]` : settings.host;
  return `${settings.user}@${host}:${settings.port}/${settings.database}`;
}

function sslOptions(settings: PostgresSettings, context: DatasourceContext): false | ConnectionOptions {
  if (settings.sslMode === 'disable') return false;
  let ca: string | undefined;
  if (settings.sslCaFile) {
    const base = context.workspaceFolders[0];
    if (!path.isAbsolute(settings.sslCaFile) && !base) throw invalid(`The CA file "${settings.sslCaFile}" is a relative path, but no workspace folder is open to resolve it against.`);
    const file = path.isAbsolute(settings.sslCaFile) ? settings.sslCaFile : path.resolve(base!, settings.sslCaFile);
    try {
      ca = readFileSync(file, 'utf8');
    } catch (error) {
      throw datasourceError('not_found', `The SSL CA file ${file} cannot be read: ${(error as Error).message}`);
    }
  }
  if (settings.sslMode === 'require') return { rejectUnauthorized: false };
  const options: ConnectionOptions = { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
  // verify-ca checks the chain only, like libpq; verify-full also checks the host name (Node's default).
  if (settings.sslMode === 'verify-ca') options.checkServerIdentity = () => undefined;
  return options;
}

/**
 * Session settings sent at startup. They pin what the value parsers rely on, whatever the server or database
 * defaults say: ISO dates, hex bytea, floats with enough digits to round-trip exactly.
 */
export const STARTUP_OPTIONS = '-c DateStyle=ISO -c bytea_output=hex -c extra_float_digits=3 -c IntervalStyle=postgres';

/** The pg client configuration (shared by the pool and the side connection used to cancel queries). */
export function clientConfig(settings: PostgresSettings, secrets: Record<string, string>, context: DatasourceContext) {
  const password = typeof secrets.password === 'string' && secrets.password !== '' ? secrets.password : undefined;
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    ...(password !== undefined ? { password } : {}),
    ssl: sslOptions(settings, context),
    application_name: settings.applicationName,
    connectionTimeoutMillis: Math.round(settings.connectTimeoutSeconds * 1000),
    ...(settings.statementTimeoutSeconds !== undefined ? { statement_timeout: Math.round(settings.statementTimeoutSeconds * 1000) } : {}),
    options: STARTUP_OPTIONS,
    keepAlive: true,
  };
}

/**
 * Splits postgres://user:password@host:port/database?sslmode=…&application_name=…&connect_timeout=… into config
 * and secrets ({ password }). Also takes `host=/socket/dir` in the query for unix sockets.
 */
export function parseUrl(url: string): { config: DatasourceConfig; secrets: Record<string, string> } {
  // Never echo the URL itself: it may hold the password.
  const bad = (why: string) => invalid(`This is not a PostgreSQL connection URL: ${why}.`);
  const match = /^(postgres(?:ql)?):\/\//i.exec(url.trim());
  if (!match) throw bad('it must start with postgres:// or postgresql://');
  const rest = url.trim().slice(match[0].length);
  // postgresql:///db and postgresql://?host=… name no host (libpq's default, or the one in the query).
  const noHost = rest.startsWith('/') || rest.startsWith('?') || rest === '';
  let parsed: URL;
  try {
    // WHATWG URL parses unknown schemes opaquely; swapping in http:// gives host/port/user parsing.
    parsed = new URL(`http://${noHost ? 'no-host.invalid' : ''}${rest}`);
  } catch {
    throw bad('it cannot be parsed');
  }
  if (parsed.hostname.includes(',')) throw bad('several hosts are not supported');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw bad('it has a malformed %-escape');
    }
  };
  const config: DatasourceConfig = {};
  const secrets: Record<string, string> = {};
  const query = parsed.searchParams;
  const host = query.get('host') ?? (parsed.hostname && !noHost ? decode(parsed.hostname).replace(/^\[(.*)\]$/, '$1') : '');
  if (host) config.host = host;
  const port = query.get('port') ?? parsed.port;
  if (port) {
    const n = Number(port);
    if (!Number.isInteger(n) || n <= 0 || n >= 65536) throw bad('the port is not a number from 1 to 65535');
    config.port = n;
  }
  const database = query.get('dbname') ?? decode(parsed.pathname.replace(/^\//, ''));
  if (database) config.database = database;
  const user = query.get('user') ?? (parsed.username ? decode(parsed.username) : '');
  if (user) config.user = user;
  const password = query.get('password') ?? (parsed.password ? decode(parsed.password) : '');
  if (password) secrets.password = password;
  const sslmode = query.get('sslmode');
  if (sslmode) {
    if ((SSL_MODES as readonly string[]).includes(sslmode)) config.sslMode = sslmode;
    else if (sslmode === 'prefer' || sslmode === 'allow') config.sslMode = 'disable';
    else throw bad(`sslmode "${sslmode}" is not one of ${SSL_MODES.join(', ')}`);
  }
  const sslrootcert = query.get('sslrootcert');
  if (sslrootcert) config.sslCaFile = sslrootcert;
  const applicationName = query.get('application_name');
  if (applicationName) config.applicationName = applicationName;
  const connectTimeout = query.get('connect_timeout');
  if (connectTimeout) {
    const n = Number(connectTimeout);
    if (!Number.isFinite(n) || n <= 0) throw bad('connect_timeout is not a positive number of seconds');
    config.connectTimeoutSeconds = n;
  }
  return { config, secrets };
}
