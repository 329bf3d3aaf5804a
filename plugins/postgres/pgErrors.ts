import type { DatasourceError, DatasourceErrorCode } from '../../api';
import { datasourceError, isDatasourceError } from '../kit/errors';
import { CERTIFICATE_HINT } from '../kit/transportSecurity';
import { statementError, type UserText } from './statementErrors';

// Turns what pg and the server report into the contract's codes, keeping the server's own message (which never
// holds the password). Errors that only a bug in this plugin can cause (a syntax error in our own SQL, say) are
// left as they are, so Nocoflo reports them as plugin failures instead of blaming the user.

interface PgDatabaseError extends Error {
  code: string;
  detail?: string;
  hint?: string;
  column?: string;
  constraint?: string;
  table?: string;
  severity?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL', 'ENOENT']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|CERT_|ERR_OSSL_)/;

export function isDatabaseError(error: unknown): error is PgDatabaseError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((error as unknown as { code: string }).code) && 'severity' in error;
}

/** A broken or unreachable connection: safe to retry a read once on a fresh connection. */
export function isConnectionError(error: unknown): boolean {
  if (isDatasourceError(error)) return error.code === 'connection';
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (isDatabaseError(error)) return /^(08|57P0[123])/.test(error.code);
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return /Connection terminated|connection is not open|Client has encountered a connection error|not queryable|Client was closed/i.test(error.message);
}

function withDetail(error: PgDatabaseError): string {
  const parts = [error.message];
  if (error.detail) parts.push(error.detail);
  return parts.map((p) => p.trim().replace(/\.$/, '')).join('. ') + '.';
}

function constraintColumn(error: PgDatabaseError): string | undefined {
  if (error.column) return error.column;
  // "Key (email)=(a@b) already exists." / "Key (parent_id)=(7) is not present in table …"
  const match = /^Key \(((?:[^()"]|"(?:[^"]|"")*")+)\)=/.exec(error.detail ?? '');
  if (!match) return undefined;
  const names = match[1].split(/,\s*/);
  return names.length === 1 ? names[0].replace(/^"(.*)"$/, '$1').replace(/""/g, '"') : undefined;
}

const CLASS_CODES: Record<string, DatasourceErrorCode> = {
  '08': 'connection',
  '22': 'invalid_value',
  '23': 'constraint',
  '28': 'auth',
  '3D': 'not_found',
  '3F': 'not_found',
  '40': 'conflict',
  // 53: insufficient resources (disk full, out of memory); 53300, too many connections, is handled apart.
  '53': 'too_large',
  '54': 'too_large',
  '57': 'connection',
};

export interface MapOptions {
  /** The caller aborted: a query_canceled error is the cancellation, not a timeout. */
  cancelled?: boolean;
  /** The columns a write bound values to, to say which one an invalid value belongs to. */
  written?: Record<string, { declaredType: string; value: unknown }>;
  /** The SQL sent holds a user's statement: its errors are the user's, with positions in their text. */
  userText?: UserText;
  /** The SQL sent, for `userText` positions. */
  sql?: string;
}

/** Maps an error from pg or the server; returns other errors unchanged. */
export function fromPgError(error: unknown, options: MapOptions = {}): DatasourceError | unknown {
  if (isDatasourceError(error)) return error;
  if (options.userText && isDatabaseError(error) && !/^(08|28|57P0)/.test(error.code)) {
    return statementError(error, fromPgError(error, { ...options, userText: undefined }), options.sql ?? '', options.userText);
  }
  if (!(error instanceof Error)) return error;
  const make = (code: DatasourceErrorCode, message: string, column?: string) => datasourceError(code, message, { cause: error, ...(column ? { column } : {}) });
  if (isDatabaseError(error)) {
    const sqlstate = error.code;
    switch (sqlstate) {
      case '57014':
        return options.cancelled ? make('cancelled', 'Cancelled: the query was stopped on the server.') : make('timeout', `${error.message} (the statement timeout of this datasource was reached).`);
      case '55P03':
        return make('timeout', withDetail(error));
      case '42501':
        return make('permission', withDetail(error));
      case '42P01':
      case '42703':
        return make('not_found', `${error.message} (it may have been changed by someone else; refresh the table).`);
      case '42883':
      case '0A000':
        return make('unsupported', withDetail(error));
      case 'P0001':
        return make('constraint', withDetail(error));
      case '25006':
      case '428C9':
        return make('read_only', withDetail(error));
      case '53300':
        return make('connection', withDetail(error));
      case '28000':
        if (/no encryption/i.test(error.message)) {
          return make('connection', `The server refused an unencrypted connection (${error.message}). Set SSL to "require" (or verify-ca / verify-full) for this datasource.`);
        }
        return make('auth', error.message);
    }
    const byClass = CLASS_CODES[sqlstate.slice(0, 2)];
    if (byClass === 'constraint') return make('constraint', withDetail(error), constraintColumn(error));
    if (byClass === 'invalid_value') return make('invalid_value', withDetail(error), invalidValueColumn(error, options.written));
    if (byClass === 'connection' && sqlstate === '57P03') return make('connection', `${error.message} (the server is starting up or shutting down; try again in a moment).`);
    if (byClass) return make(byClass, withDetail(error));
    return error;
  }
  const code = (error as { code?: unknown }).code;
  const message = error.message;
  if (/does not support SSL/i.test(message)) return make('connection', 'The server does not support SSL connections. Set SSL to "disable" for this datasource (a server on another host gets verify-full unless you choose), or enable SSL on the server.');
  if ((typeof code === 'string' && TLS_CODE.test(code)) || /certificate|self[- ]signed|SSL routines|wrong version number/i.test(message)) {
    return make('connection', `The SSL connection failed: ${message}. ${CERTIFICATE_HINT}`);
  }
  if (/timeout expired|timeout exceeded|connection timeout|ETIMEDOUT/i.test(message) || code === 'ETIMEDOUT') return make('timeout', `Connecting to the server timed out (${message}).`);
  if (/SASL|SCRAM|password must be a string|no password/i.test(message)) {
    return make('auth', /must be a string|no password/i.test(message) ? 'The server asks for a password, but none is stored for this datasource.' : `Authentication failed: ${message}`);
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    const why = code === 'ECONNREFUSED' ? 'nothing is listening there (is the server running, and on this port?)' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name cannot be resolved' : code;
    return make('connection', `Cannot reach the PostgreSQL server: ${why}. (${message})`);
  }
  if (isConnectionError(error)) return make('connection', `The connection to the server was lost: ${message}`);
  return error;
}

/** For 22xxx errors on writes: the column whose value the server rejected, when it can be told. */
function invalidValueColumn(error: PgDatabaseError, written?: MapOptions['written']): string | undefined {
  if (error.column) return error.column;
  if (!written) return undefined;
  const entries = Object.entries(written);
  // invalid input syntax for type integer: "abc"
  const quoted = /: "((?:[^"]|"")*)"$/.exec(error.message)?.[1];
  if (quoted !== undefined) {
    const hits = entries.filter(([, w]) => w.value !== null && w.value !== undefined && String(w.value) === quoted);
    if (hits.length === 1) return hits[0][0];
  }
  // value too long for type character varying(5)
  const type = /for type (.+)$/.exec(error.message)?.[1]?.replace(/:.*$/, '').trim();
  if (type) {
    const hits = entries.filter(([, w]) => w.declaredType === type);
    if (hits.length === 1) return hits[0][0];
  }
  return undefined;
}
