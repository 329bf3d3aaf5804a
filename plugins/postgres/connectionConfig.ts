import type { ConnectionOptions } from 'node:tls';
import type { ConfigField, DatasourceConfig, DatasourceContext } from '../../api';
import { datasourceError } from '../kit/errors';
import { configNumber as number, configText as text, parseServerUrl, readCaFile, SSL_MODES, type SslMode } from '../kit/serverConnection';
import { readAllowCleartext, readSslMode, transportFields } from '../kit/transportSecurity';

// The connection form, connection URLs, and how both become a pg pool configuration. Passwords only ever arrive in
// `secrets` and only ever leave in the pool configuration: never in config, descriptions, logs or messages.

export { SSL_MODES, type SslMode };

export const DEFAULT_PORT = 5432;
export const DEFAULT_APPLICATION_NAME = 'Nocoflo';

export const configFields: ConfigField[] = [
  { key: 'host', label: 'Host', type: 'string', required: true, default: 'localhost', placeholder: 'db.example.com', description: 'Host name or IP address; a directory path means a unix socket. A read replica or a pooler (PgBouncer) is a connection of its own: add it beside the primary with its host and port.' },
  { key: 'port', label: 'Port', type: 'number', default: DEFAULT_PORT },
  { key: 'database', label: 'Database', type: 'string', required: true, placeholder: 'postgres' },
  { key: 'user', label: 'User', type: 'string', required: true },
  { key: 'password', label: 'Password', type: 'password', secret: true, description: 'Kept in VS Code secret storage.' },
  ...transportFields('certs/root.crt'),
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
  /** Send the password to a server that asks for it in clear text, even without verified TLS (kit/transportSecurity). */
  allowCleartextPassword: boolean;
  applicationName: string;
  connectTimeoutSeconds: number;
  statementTimeoutSeconds?: number;
}

const invalid = (message: string) => datasourceError('invalid_value', message);

export function readSettings(config: DatasourceConfig): PostgresSettings {
  const host = text(config, 'host') ?? 'localhost';
  const port = number(config, 'port', (n) => Number.isInteger(n) && n > 0 && n < 65536, 'a port number from 1 to 65535') ?? DEFAULT_PORT;
  const database = text(config, 'database');
  if (!database) throw invalid('A PostgreSQL datasource needs the name of its database.');
  const user = text(config, 'user');
  if (!user) throw invalid('A PostgreSQL datasource needs a user name.');
  const sslMode = readSslMode(config, host);
  const sslCaFile = text(config, 'sslCaFile');
  const settings: PostgresSettings = {
    host,
    port,
    database,
    user,
    sslMode,
    allowCleartextPassword: readAllowCleartext(config),
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
  const ca = settings.sslCaFile ? readCaFile(settings.sslCaFile, context) : undefined;
  if (settings.sslMode === 'require') return { rejectUnauthorized: false };
  const options: ConnectionOptions = { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
  // verify-ca checks the chain only, like libpq; verify-full also checks the host name (Node's default).
  if (settings.sslMode === 'verify-ca') options.checkServerIdentity = () => undefined;
  return options;
}

/**
 * Settings every operation makes for itself, SET LOCAL in the transaction it runs in (see PostgresSession). They pin
 * what the value parsers rely on, whatever the server, the database or an earlier user of the same server
 * connection left: ISO dates, hex bytea, floats with enough digits to round-trip exactly. Not startup options: a
 * pooler in transaction mode (PgBouncer) refuses the `options` startup parameter, and hands each transaction to
 * whichever server connection is free, so session settings would not follow the client anyway.
 */
export function transactionSettings(settings: PostgresSettings): [name: string, value: string][] {
  const pinned: [string, string][] = [
    ['DateStyle', 'ISO'],
    ['bytea_output', 'hex'],
    ['extra_float_digits', '3'],
    ['IntervalStyle', 'postgres'],
  ];
  if (settings.statementTimeoutSeconds !== undefined) pinned.push(['statement_timeout', String(Math.round(settings.statementTimeoutSeconds * 1000))]);
  return pinned;
}

/** The pg client configuration of the pool; no session settings (see transactionSettings). */
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
    keepAlive: true,
  };
}

/**
 * Splits postgres://user:password@host:port/database?sslmode=…&application_name=…&connect_timeout=… into config
 * and secrets ({ password }). Also takes `host=/socket/dir` in the query for unix sockets.
 */
export function parseUrl(url: string): { config: DatasourceConfig; secrets: Record<string, string> } {
  const { config, secrets, query, bad } = parseServerUrl(url, {
    product: 'PostgreSQL',
    schemes: ['postgres', 'postgresql'],
    hostParam: 'host',
    databaseParam: 'dbname',
    portParams: ['port'],
  });
  const sslmode = query.get('sslmode');
  // prefer and allow (libpq's default is prefer) ask for nothing in particular: sslMode stays unset, so the host's
  // default applies (verified TLS for another host, none for this computer).
  if (sslmode && sslmode !== 'prefer' && sslmode !== 'allow') {
    if (!(SSL_MODES as readonly string[]).includes(sslmode)) throw bad(`sslmode "${sslmode}" is not one of ${SSL_MODES.join(', ')}, prefer, allow`);
    config.sslMode = sslmode;
  }
  const sslrootcert = query.get('sslrootcert');
  if (sslrootcert) config.sslCaFile = sslrootcert;
  const applicationName = query.get('application_name');
  if (applicationName) config.applicationName = applicationName;
  return { config, secrets };
}
