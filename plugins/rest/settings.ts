// The connection form of a REST datasource and how its values become checked settings. Secrets (token, password)
// only ever arrive in `secrets` and only ever leave as request headers: never in config, descriptions, logs or
// messages (every message the session raises is passed through `redact` as a last line of defence).
import type { ConfigField, DatasourceConfig } from '../../api';
import { datasourceError } from '../kit/errors';
import { configNumber as number, configText as text } from '../kit/serverConnection';
import { parseEndpoints, type Endpoint } from './endpoints';
import { PRESET_NAMES } from './presets';

export const AUTH_MODES = ['none', 'bearer', 'basic', 'api-key'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_CONCURRENT = 4;
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

export const configFields: ConfigField[] = [
  { key: 'baseUrl', label: 'Base URL', type: 'string', required: true, placeholder: 'https://api.example.com/v1', description: 'Endpoint paths are relative to it.' },
  { key: 'auth', label: 'Authentication', type: 'enum', enum: [...AUTH_MODES], default: 'none', description: 'bearer: "Authorization: Bearer <token>"; basic: user name and password; api-key: the token in the API key header.' },
  { key: 'token', label: 'Token / API key', type: 'password', secret: true, description: 'For bearer and api-key. Kept in VS Code secret storage.' },
  { key: 'username', label: 'User name', type: 'string', description: 'For basic authentication.' },
  { key: 'password', label: 'Password', type: 'password', secret: true, description: 'For basic authentication. Kept in VS Code secret storage.' },
  { key: 'apiKeyHeader', label: 'API key header', type: 'string', default: 'X-API-Key', description: 'Header that carries the token for api-key authentication.' },
  { key: 'headers', label: 'Headers', type: 'json', placeholder: '{ "Accept-Language": "en" }', description: 'A JSON object of extra headers sent with every request. Not secret: put credentials in the token instead.' },
  { key: 'timeoutMs', label: 'Timeout (ms)', type: 'number', default: DEFAULT_TIMEOUT_MS, description: 'Per request, including reading the body.' },
  { key: 'maxConcurrent', label: 'Concurrent requests', type: 'number', default: DEFAULT_MAX_CONCURRENT, description: 'At most this many requests to the API at a time.' },
  { key: 'maxBodyBytes', label: 'Response size limit (bytes)', type: 'number', default: DEFAULT_MAX_BODY_BYTES, description: 'Responses larger than this are refused.' },
  {
    key: 'preset',
    label: 'API convention',
    type: 'enum',
    enum: [...PRESET_NAMES],
    default: 'generic',
    description:
      'How the API pages, sorts, filters and writes: postgrest, odata (v4), json-server (the classic fake-REST style) or generic (everything from the endpoint definitions). Each endpoint takes the preset\'s keys and can override any of them; see the README section "REST APIs".',
  },
  {
    key: 'endpoints',
    label: 'Endpoints',
    type: 'json',
    required: true,
    placeholder: '[{ "name": "users", "path": "/users", "idField": "id", "pagination": { "style": "page", "pageSize": 50 } }]',
    description: 'One table per endpoint: name, path, idField (with a preset, that is often all), recordsPath, pagination (none, page, offset, cursor, link), sort, filters, columns, writes. See the README section "REST APIs".',
  },
];

export interface RestSettings {
  baseUrl: URL;
  auth: AuthMode;
  username?: string;
  apiKeyHeader: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxConcurrent: number;
  maxBodyBytes: number;
  endpoints: Endpoint[];
}

const invalid = (message: string) => datasourceError('invalid_value', message);

/** Header names that carry credentials: they belong in the token, never in the non-secret headers field. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

export function readSettings(config: DatasourceConfig): RestSettings {
  const base = text(config, 'baseUrl');
  if (!base) throw invalid('A REST datasource needs a base URL such as https://api.example.com/v1.');
  let baseUrl: URL;
  try {
    baseUrl = new URL(base);
  } catch {
    throw invalid('The base URL cannot be parsed; it must look like https://api.example.com/v1.');
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw invalid(`The base URL must start with http:// or https://, not ${baseUrl.protocol}//.`);
  if (baseUrl.username || baseUrl.password) throw invalid('The base URL must not hold a user name or password: use basic authentication, whose password is kept in secret storage.');
  baseUrl.hash = '';
  const auth = (text(config, 'auth') ?? 'none') as AuthMode;
  if (!AUTH_MODES.includes(auth)) throw invalid(`"auth" must be one of ${AUTH_MODES.join(', ')}.`);
  const apiKeyHeader = text(config, 'apiKeyHeader') ?? 'X-API-Key';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(apiKeyHeader)) throw invalid(`"apiKeyHeader" is not a valid header name.`);
  const settings: RestSettings = {
    baseUrl,
    auth,
    apiKeyHeader,
    headers: readHeaders(config.headers),
    timeoutMs: number(config, 'timeoutMs', (n) => n >= 1 && n <= 3_600_000, 'a number of milliseconds from 1 to 3600000') ?? DEFAULT_TIMEOUT_MS,
    maxConcurrent: number(config, 'maxConcurrent', (n) => Number.isInteger(n) && n >= 1 && n <= 64, 'a whole number from 1 to 64') ?? DEFAULT_MAX_CONCURRENT,
    maxBodyBytes: number(config, 'maxBodyBytes', (n) => Number.isInteger(n) && n >= 1024, 'a whole number of bytes, at least 1024') ?? DEFAULT_MAX_BODY_BYTES,
    endpoints: parseEndpoints(config.endpoints, text(config, 'preset')),
  };
  const username = text(config, 'username');
  if (username) settings.username = username;
  if (settings.endpoints.length === 0) throw invalid('A REST datasource needs at least one endpoint in "endpoints", e.g. [{ "name": "users", "path": "/users" }].');
  return settings;
}

function readHeaders(value: DatasourceConfig[string]): Record<string, string> {
  if (value === undefined || value === '') return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw invalid(`"headers" is not valid JSON: ${(error as Error).message}.`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('"headers" must be a JSON object such as { "Accept-Language": "en" }.');
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(parsed)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw invalid(`"headers": "${name}" is not a valid header name.`);
    if (CREDENTIAL_HEADERS.has(name.toLowerCase())) throw invalid(`"headers": ${name} carries credentials, which must not be stored in settings; choose an authentication mode and put the token in "Token / API key".`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw invalid(`"headers": the value of ${name} must be text.`);
    headers[name] = String(v);
  }
  return headers;
}

/** The auth header of a request, or none; throws when the auth mode lacks its secret. */
export function authHeaders(settings: RestSettings, secrets: Record<string, string>): Record<string, string> {
  const token = secrets.token ?? '';
  switch (settings.auth) {
    case 'none':
      return {};
    case 'bearer':
      if (!token) throw datasourceError('auth', 'Bearer authentication is chosen but no token is stored for this datasource.');
      return { Authorization: `Bearer ${token}` };
    case 'api-key':
      if (!token) throw datasourceError('auth', 'API key authentication is chosen but no API key is stored for this datasource.');
      return { [settings.apiKeyHeader]: token };
    case 'basic': {
      if (!settings.username) throw datasourceError('auth', 'Basic authentication needs a user name.');
      const pair = `${settings.username}:${secrets.password ?? ''}`;
      return { Authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
    }
  }
}

/** Every string that must never appear in a message or log: the secrets and the headers built from them. */
export function secretTexts(settings: RestSettings, secrets: Record<string, string>): string[] {
  const texts = Object.values(secrets).filter((s) => typeof s === 'string' && s.length >= 3);
  try {
    for (const value of Object.values(authHeaders(settings, secrets))) texts.push(value, value.replace(/^(Bearer|Basic) /, ''));
  } catch {
    // No auth header can be built; the secrets themselves are still listed.
  }
  return [...new Set(texts.filter((t) => t.length >= 3))].sort((a, b) => b.length - a.length);
}

/** Replaces every secret text by *** (and their URL-encoded forms). */
export function redactor(texts: readonly string[]): (message: string) => string {
  const forms = [...new Set(texts.flatMap((t) => [t, encodeURIComponent(t)]))].sort((a, b) => b.length - a.length);
  return (message) => forms.reduce((m, secret) => m.split(secret).join('***'), message);
}

/** "https://api.example.com/v1" for the tree: never the user name or anything secret. */
export function describe(settings: RestSettings): string {
  return `${settings.baseUrl.origin}${settings.baseUrl.pathname.replace(/\/$/, '')}`;
}

/**
 * Splits https://user:password@api.example.com/v1 into config { baseUrl, auth: 'basic', username } and secrets
 * { password }. Without credentials only the base URL is set; endpoints are still to be configured.
 */
export function parseUrl(url: string): { config: DatasourceConfig; secrets: Record<string, string> } {
  const bad = (why: string) => invalid(`This is not a REST API URL: ${why}.`);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw bad('it cannot be parsed');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw bad('it must start with http:// or https://');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw bad('it has a malformed %-escape');
    }
  };
  const config: DatasourceConfig = {};
  const secrets: Record<string, string> = {};
  if (parsed.username || parsed.password) {
    config.auth = 'basic';
    if (parsed.username) config.username = decode(parsed.username);
    if (parsed.password) secrets.password = decode(parsed.password);
    parsed.username = '';
    parsed.password = '';
  }
  parsed.hash = '';
  config.baseUrl = parsed.toString().replace(/\/$/, '');
  return { config, secrets };
}
