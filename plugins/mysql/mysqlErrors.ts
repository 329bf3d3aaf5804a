import type { DatasourceError, DatasourceErrorCode } from '../../api';
import { datasourceError, isDatasourceError } from '../kit/errors';
import { CERTIFICATE_HINT } from '../kit/transportSecurity';
import { NOT_IN_CLUSTER_ERRNO, notInClusterError } from './galera';

// Turns mysql2's errors (server errors carry `errno`, client and network errors a Node `code`) into the contract's
// codes, keeping the server's own message for the user. The original error stays as `cause`. Messages never hold a
// password: mysql2 never puts it in one, and the ones written here name only user, host and port.

/** Where the session connects to, for messages. */
export interface ErrorContext {
  /** "127.0.0.1:3306" or a socket path. */
  where: string;
}

/** The table a failed write went to, for naming the column concerned. */
export interface TableContext {
  columns: readonly string[];
  /** A unique key's columns by its name (duplicate-key messages name the key, not the column). */
  keyColumns(keyName: string): readonly string[] | undefined;
}

const SERVER_CODES: Record<number, DatasourceErrorCode> = {
  // Access
  1045: 'auth', // ER_ACCESS_DENIED_ERROR
  1698: 'auth', // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  1251: 'auth', // ER_NOT_SUPPORTED_AUTH_MODE
  1130: 'auth', // ER_HOST_NOT_PRIVILEGED
  1862: 'auth', // ER_MUST_CHANGE_PASSWORD_LOGIN
  1820: 'auth', // ER_MUST_CHANGE_PASSWORD
  1044: 'permission', // ER_DBACCESS_DENIED_ERROR
  1142: 'permission', // ER_TABLEACCESS_DENIED_ERROR
  1143: 'permission', // ER_COLUMNACCESS_DENIED_ERROR
  1227: 'permission', // ER_SPECIFIC_ACCESS_DENIED_ERROR
  1370: 'permission', // ER_PROCACCESS_DENIED_ERROR
  // Missing things
  1049: 'not_found', // ER_BAD_DB_ERROR
  1146: 'not_found', // ER_NO_SUCH_TABLE
  1054: 'not_found', // ER_BAD_FIELD_ERROR
  1109: 'not_found', // ER_UNKNOWN_TABLE
  1356: 'not_found', // ER_VIEW_INVALID: a view whose table or column was dropped
  // Constraints
  1062: 'constraint', // ER_DUP_ENTRY
  1586: 'constraint', // ER_DUP_ENTRY_WITH_KEY_NAME
  1022: 'constraint', // ER_DUP_KEY
  1169: 'constraint', // ER_DUP_UNIQUE
  1451: 'constraint', // ER_ROW_IS_REFERENCED_2
  1452: 'constraint', // ER_NO_REFERENCED_ROW_2
  1216: 'constraint', // ER_NO_REFERENCED_ROW
  1217: 'constraint', // ER_ROW_IS_REFERENCED
  1048: 'constraint', // ER_BAD_NULL_ERROR
  1364: 'constraint', // ER_NO_DEFAULT_FOR_FIELD
  1423: 'constraint', // ER_NO_DEFAULT_FOR_VIEW_FIELD
  4025: 'constraint', // ER_CONSTRAINT_FAILED (MariaDB CHECK)
  3819: 'constraint', // ER_CHECK_CONSTRAINT_VIOLATED (MySQL CHECK)
  // Values the column cannot take (strict mode)
  1264: 'invalid_value', // ER_WARN_DATA_OUT_OF_RANGE
  1265: 'invalid_value', // WARN_DATA_TRUNCATED
  1292: 'invalid_value', // ER_TRUNCATED_WRONG_VALUE
  1366: 'invalid_value', // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  1367: 'invalid_value', // ER_ILLEGAL_VALUE_FOR_TYPE
  1406: 'invalid_value', // ER_DATA_TOO_LONG
  1411: 'invalid_value', // ER_WRONG_VALUE_FOR_TYPE
  1525: 'invalid_value', // ER_WRONG_VALUE
  1690: 'invalid_value', // ER_DATA_OUT_OF_RANGE
  3140: 'invalid_value', // ER_INVALID_JSON_TEXT (MySQL)
  4038: 'invalid_value', // ER_JSON_SYNTAX (MariaDB)
  // Columns the server writes itself
  3105: 'read_only', // ER_NON_DEFAULT_VALUE_FOR_GENERATED_COLUMN (MySQL)
  1906: 'read_only', // ER_WARNING_NON_DEFAULT_VALUE_FOR_VIRTUAL_COLUMN (MariaDB)
  1290: 'read_only', // ER_OPTION_PREVENTS_STATEMENT (read_only server)
  1036: 'read_only', // ER_OPEN_AS_READONLY
  1792: 'read_only', // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
  1288: 'read_only', // ER_NON_UPDATABLE_TABLE
  // Time
  1969: 'timeout', // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  3024: 'timeout', // ER_QUERY_TIMEOUT (MySQL max_execution_time)
  1205: 'timeout', // ER_LOCK_WAIT_TIMEOUT
  1213: 'conflict', // ER_LOCK_DEADLOCK
  1317: 'cancelled', // ER_QUERY_INTERRUPTED
  // The connection itself
  1040: 'connection', // ER_CON_COUNT_ERROR
  1053: 'connection', // ER_SERVER_SHUTDOWN
  1129: 'connection', // ER_HOST_IS_BLOCKED
  1152: 'connection', // ER_ABORTING_CONNECTION
  1927: 'connection', // ER_CONNECTION_KILLED
  2002: 'connection',
  2003: 'connection',
  2006: 'connection', // CR_SERVER_GONE_ERROR
  2013: 'connection', // CR_SERVER_LOST
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOENT', // unix socket path
  'EACCES',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_PACKETS_OUT_OF_ORDER',
]);

const TLS_CODES = new Set([
  'HANDSHAKE_NO_SSL_SUPPORT',
  'HANDSHAKE_SSL_ERROR',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

interface MysqlLikeError extends Error {
  errno?: number;
  code?: string;
  sqlState?: string;
  sqlMessage?: string;
  fatal?: boolean;
}

/** The server's error number behind a mapped error, if any. */
export function serverErrno(error: unknown): number | undefined {
  const cause = isDatasourceError(error) ? (error as Error & { cause?: unknown }).cause : error;
  const errno = (cause as MysqlLikeError | undefined)?.errno;
  return typeof errno === 'number' && errno >= 1000 && errno < 5000 ? errno : undefined;
}

function columnOf(message: string, errno: number, table: TableContext): string | undefined {
  const known = (name: string | undefined) => (name !== undefined && table.columns.includes(name) ? name : undefined);
  // "Column 'x' cannot be null", "Field 'x' doesn't have a default value", "Data too long for column 'x' at row 1"
  const quoted = /(?:column|field) '((?:[^']|'')+)'/i.exec(message);
  if (quoted) return known(quoted[1].replace(/''/g, "'"));
  // "Incorrect integer value: 'abc' for column `db`.`t`.`x` at row 1"
  const qualified = /for column (?:`(?:[^`]|``)*`\.)*`((?:[^`]|``)+)`/i.exec(message);
  if (qualified) return known(qualified[1].replace(/``/g, '`'));
  // "… FOREIGN KEY (`a`, `b`) REFERENCES …": the first column
  if (errno === 1452 || errno === 1451 || errno === 1216 || errno === 1217) {
    const fk = /FOREIGN KEY \(`((?:[^`]|``)+)`/i.exec(message);
    if (fk) return known(fk[1].replace(/``/g, '`'));
  }
  // "Duplicate entry 'v' for key 'name'" (MySQL 8 says 'table.name'): a one-column key names its column.
  if (errno === 1062 || errno === 1586) {
    const key = /for key '((?:[^']|'')+)'/i.exec(message)?.[1].replace(/''/g, "'");
    if (key) {
      const columns = table.keyColumns(key) ?? table.keyColumns(key.slice(key.lastIndexOf('.') + 1));
      if (columns && columns.length === 1) return known(columns[0]);
    }
  }
  // A column-level CHECK (MariaDB's JSON check among them) is named after its column: "CONSTRAINT `t.x` failed …"
  if (errno === 4025 || errno === 3819) {
    const constraint = /constraint [`']((?:[^`']|``)+)[`']/i.exec(message)?.[1].replace(/``/g, '`');
    if (constraint) return known(constraint) ?? known(constraint.slice(constraint.lastIndexOf('.') + 1));
  }
  return undefined;
}

/** Names the column a constraint or value error is about, once the table is known. */
export function withColumn(error: unknown, table: TableContext): unknown {
  if (!isDatasourceError(error) || (error.code !== 'constraint' && error.code !== 'invalid_value') || error.column !== undefined) return error;
  const cause = (error as Error & { cause?: unknown }).cause as MysqlLikeError | undefined;
  if (typeof cause?.errno !== 'number') return error;
  const column = columnOf(cause.sqlMessage ?? cause.message, cause.errno, table);
  if (column !== undefined) error.column = column;
  return error;
}

/** The contract error for anything mysql2 throws; DatasourceErrors pass through unchanged. */
export function fromMysqlError(error: unknown, context: ErrorContext): DatasourceError | Error {
  if (isDatasourceError(error)) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const e = error as MysqlLikeError;
  const message = e.sqlMessage ?? e.message;
  if (typeof e.errno === 'number' && e.errno >= 1000 && e.errno < 5000 && e.sqlState !== undefined) {
    if (e.errno === NOT_IN_CLUSTER_ERRNO && /wsrep/i.test(message)) return notInClusterError(context.where, message, error);
    const code = SERVER_CODES[e.errno];
    if (code) return datasourceError(code, message, { cause: error });
  }
  const code = e.code ?? '';
  if (code === 'ETIMEDOUT' || code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return datasourceError('timeout', `The MySQL server at ${context.where} did not answer in time (${e.message}).`, { cause: error });
  }
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return datasourceError('connection', `The MySQL server at ${context.where} does not support SSL. Set SSL to "disable" for this connection (a server on another host gets verify-full unless you choose), or enable SSL on the server.`, { cause: error });
  }
  if (TLS_CODES.has(code)) {
    return datasourceError('connection', `The TLS connection to ${context.where} failed: ${e.message}. ${CERTIFICATE_HINT}`, { cause: error });
  }
  if (NETWORK_CODES.has(code) || /closed state|connection lost|server closed|Connection is closed|Pool is closed/i.test(e.message)) {
    return datasourceError('connection', `Cannot reach the MySQL server at ${context.where}: ${e.message}`, { cause: error });
  }
  if (/certificate|self.signed|TLS|SSL/i.test(e.message)) {
    return datasourceError('connection', `The TLS connection to ${context.where} failed: ${e.message}. ${CERTIFICATE_HINT}`, { cause: error });
  }
  return error;
}
