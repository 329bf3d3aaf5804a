import type { DatasourceError, DatasourceErrorCode } from '../../api';

const EXPECTED_CODES: ReadonlySet<DatasourceErrorCode> = new Set<DatasourceErrorCode>([
  'auth',
  'connection',
  'timeout',
  'cancelled',
  'not_found',
  'conflict',
  'constraint',
  'invalid_value',
  'read_only',
  'stale_file',
  'too_large',
  'unsupported',
  'permission',
  'bad_response',
]);

/**
 * An error the contract allows (wrong password, conflict, …): shown to the user as is, and not a reason to mark
 * the plugin failed. Duck-typed on `code` because third-party plugins create their own Error objects.
 */
export function isExpectedError(error: unknown): error is DatasourceError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    EXPECTED_CODES.has((error as { code?: unknown }).code as DatasourceErrorCode)
  );
}

/** Raised by Nocoflo itself when a plugin misbehaves; names the plugin so users know whom to blame. */
export class PluginFailure extends Error {
  override readonly name = 'PluginFailure';
  constructor(
    readonly pluginId: string,
    readonly operation: string,
    readonly original: unknown,
  ) {
    super(`Plugin "${pluginId}" failed in ${operation}: ${original instanceof Error ? original.message : String(original)}`);
  }
}

/**
 * One operation of a plugin went wrong (a database error the plugin did not classify, a RangeError while handling
 * that one request). It is that operation's error, shown where it happened; the plugin stays active, because the
 * same plugin serves every other connection of its type. `code` is 'internal': not one of the contract's codes, so
 * callers treat it as unexpected, but it names the plugin and the operation for the log and the user.
 */
export class PluginOperationError extends Error {
  override readonly name = 'PluginOperationError';
  readonly code = 'internal';
  constructor(
    readonly pluginId: string,
    readonly operation: string,
    readonly original: Error,
  ) {
    super(`${original.message} (plugin "${pluginId}", ${operation})`, { cause: original });
  }
}

/** An error Nocoflo raises for a user-facing reason (not a plugin bug), with a contract code. */
export function nocofloError(code: DatasourceErrorCode, message: string): DatasourceError {
  return Object.assign(new Error(message), { code, name: 'DatasourceError' }) as DatasourceError;
}
