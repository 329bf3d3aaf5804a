// What the PostgreSQL and MySQL/MariaDB datasources share about reaching a server: the URL form both spell the same
// way (scheme://user:password@host:port/database?…, split into config and secrets { password }; each datasource then
// reads its own query parameters from `query`), typed reads of config fields, SSL modes and the CA file.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DatasourceConfig, DatasourceContext } from '../../api';
import { datasourceError } from './errors';

export { SSL_MODES, type SslMode } from './transportSecurity';

const invalid = (message: string) => datasourceError('invalid_value', message);

/** A text config field, trimmed; undefined when absent or blank. */
export function configText(config: DatasourceConfig, key: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(`"${key}" must be text.`);
  return value.trim() || undefined;
}

/** A number config field (numbers typed into a form arrive as text); `what` describes the valid range. */
export function configNumber(config: DatasourceConfig, key: string, check: (n: number) => boolean, what: string): number | undefined {
  const value = config[key];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || !check(n)) throw invalid(`"${key}" must be ${what}.`);
  return n;
}

/** The PEM text of a CA file, absolute or relative to the first workspace folder. */
export function readCaFile(file: string, context: DatasourceContext): string {
  const base = context.workspaceFolders[0];
  if (!path.isAbsolute(file) && !base) throw invalid(`The CA file "${file}" is a relative path, but no workspace folder is open to resolve it against.`);
  const resolved = path.isAbsolute(file) ? file : path.resolve(base!, file);
  try {
    return readFileSync(resolved, 'utf8');
  } catch (error) {
    throw datasourceError('not_found', `The SSL CA file ${resolved} cannot be read: ${(error as Error).message}`);
  }
}

export interface ParsedServerUrl {
  config: DatasourceConfig;
  secrets: Record<string, string>;
  query: URLSearchParams;
  /** An invalid_value error saying what is wrong with the URL, without echoing it (it may hold the password). */
  bad(why: string): Error;
}

export interface ServerUrlDialect {
  /** "PostgreSQL", "MySQL/MariaDB": named in errors. */
  product: string;
  /** Accepted schemes, lower case. */
  schemes: readonly string[];
  /** Query parameter that overrides the host (a unix socket path or directory). */
  hostParam: string;
  /** Query parameter that overrides the database in the path, if the product has one. */
  databaseParam?: string;
  /** Query parameters that give the port, besides the URL's own port. */
  portParams?: readonly string[];
}

export function parseServerUrl(url: string, dialect: ServerUrlDialect): ParsedServerUrl {
  const bad = (why: string) => datasourceError('invalid_value', `This is not a ${dialect.product} connection URL: ${why}.`);
  const text = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!scheme || !dialect.schemes.includes(scheme[1].toLowerCase())) {
    throw bad(`it must start with ${dialect.schemes.map((s) => `${s}://`).join(' or ')}`);
  }
  const rest = text.slice(scheme[0].length);
  // scheme:///db and scheme://?host=… name no host (the default, or the one in the query).
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
  const host = query.get(dialect.hostParam) ?? (parsed.hostname && !noHost ? decode(parsed.hostname).replace(/^\[(.*)\]$/, '$1') : '');
  if (host) config.host = host;
  const port = (dialect.portParams ?? []).map((p) => query.get(p)).find((p) => p !== null) ?? parsed.port;
  if (port) {
    const n = Number(port);
    if (!Number.isInteger(n) || n <= 0 || n >= 65536) throw bad('the port is not a number from 1 to 65535');
    config.port = n;
  }
  const database = (dialect.databaseParam ? query.get(dialect.databaseParam) : null) ?? decode(parsed.pathname.replace(/^\//, ''));
  if (database) config.database = database;
  const user = query.get('user') ?? (parsed.username ? decode(parsed.username) : '');
  if (user) config.user = user;
  const password = query.get('password') ?? (parsed.password ? decode(parsed.password) : '');
  if (password) secrets.password = password;
  const connectTimeout = query.get('connect_timeout') ?? query.get('connectTimeout');
  if (connectTimeout) {
    const n = Number(connectTimeout);
    if (!Number.isFinite(n) || n <= 0) throw bad('connect_timeout is not a positive number of seconds');
    config.connectTimeoutSeconds = n;
  }
  return { config, secrets, query, bad };
}
