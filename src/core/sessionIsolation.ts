import type { DatasourceSession, DatasourceWriter } from '../../api';
import type { Logger } from './log';
import type { PluginRegistry } from './registry';

const SESSION_METHODS = ['listTables', 'getSchema', 'readRows', 'countRows', 'aggregate', 'insertRow', 'updateRow', 'deleteRow', 'previewChanges', 'status', 'execute', 'close'] as const;
const WRITER_METHODS = ['insertRow', 'updateRow', 'deleteRow'] as const;

/**
 * What a session method must resolve to, checked only as far as callers rely on it blindly (arrays they iterate,
 * numbers they show). A result that fails is a broken contract: the plugin is marked failed, unlike an error it
 * throws, which is that operation's error. Returns what was wrong, in words for the log.
 */
const RESULT_CHECKS: Partial<Record<(typeof SESSION_METHODS)[number], (result: unknown) => string | undefined>> = {
  listTables: (r) => (Array.isArray(r) ? undefined : `${describe(r)} instead of an array of tables`),
  getSchema: (r) => (isObject(r) && Array.isArray(r.columns) ? undefined : `${describe(r)} instead of a schema with columns`),
  readRows: (r) => (isObject(r) && Array.isArray(r.columns) && Array.isArray(r.rows) ? undefined : `${describe(r)} instead of a page with columns and rows`),
  countRows: (r) => (isObject(r) && typeof r.count === 'number' ? undefined : `${describe(r)} instead of a count`),
  aggregate: (r) => (isObject(r) && Array.isArray(r.columns) && Array.isArray(r.rows) ? undefined : `${describe(r)} instead of columns and rows`),
  status: (r) => (r === undefined || (isObject(r) && typeof r.label === 'string') ? undefined : `${describe(r)} instead of a status with a label`),
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object with ${Object.keys(value).slice(0, 5).join(', ') || 'no keys'}` : String(typeof value);
}

/**
 * Wraps a plugin's session so every call goes through the registry's isolation (errors stay that call's error and
 * name the plugin; a malformed result marks the plugin failed) and slow calls are logged. The wrapper exposes only contract
 * members, so a view can never reach a plugin's private state through it.
 */
export function isolateSession(
  session: DatasourceSession,
  pluginId: string,
  registry: PluginRegistry,
  log: Logger,
  slowOperationMs: () => number,
  /** Told when a call starts; the function it returns, when the call ends (the manager's idle bookkeeping). */
  onCall?: () => () => void,
): DatasourceSession {
  const timed = <T>(operation: string, fn: () => Promise<T>, check?: (result: T) => string | undefined): Promise<T> => {
    const started = Date.now();
    const end = operation === 'close' ? undefined : onCall?.();
    return registry.callAsync(pluginId, operation, fn, check).finally(() => {
      end?.();
      const elapsed = Date.now() - started;
      if (elapsed >= slowOperationMs()) log.info(`[${pluginId}] slow ${operation}: ${elapsed} ms`);
    });
  };
  const wrapped: Record<string, unknown> = {
    capabilities: { ...session.capabilities },
    description: session.description,
  };
  for (const method of SESSION_METHODS) {
    const fn = session[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof fn !== 'function') continue;
    wrapped[method] = (...args: unknown[]) => timed(method, () => fn.apply(session, args), RESULT_CHECKS[method]);
  }
  if (typeof session.transaction === 'function') {
    wrapped.transaction = <T>(work: (tx: DatasourceWriter) => Promise<T>) =>
      timed('transaction', () =>
        session.transaction!((tx) => {
          const writer = {} as Record<string, unknown>;
          for (const method of WRITER_METHODS) writer[method] = (...args: unknown[]) => (tx[method] as (...a: unknown[]) => Promise<unknown>).apply(tx, args);
          return work(writer as unknown as DatasourceWriter);
        }),
      );
  }
  if (typeof session.aggregate !== 'function') wrapped.capabilities = { ...session.capabilities, aggregate: false };
  return wrapped as unknown as DatasourceSession;
}
