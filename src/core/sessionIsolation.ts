import type { DatasourceSession, DatasourceWriter } from '../../api';
import type { Logger } from './log';
import type { PluginRegistry } from './registry';

const SESSION_METHODS = ['listTables', 'getSchema', 'readRows', 'countRows', 'aggregate', 'insertRow', 'updateRow', 'deleteRow', 'previewChanges', 'close'] as const;
const WRITER_METHODS = ['insertRow', 'updateRow', 'deleteRow'] as const;

/**
 * Wraps a plugin's session so every call goes through the registry's isolation (unexpected errors mark the plugin
 * failed and come back as PluginFailure naming it) and slow calls are logged. The wrapper exposes only contract
 * members, so a view can never reach a plugin's private state through it.
 */
export function isolateSession(
  session: DatasourceSession,
  pluginId: string,
  registry: PluginRegistry,
  log: Logger,
  slowOperationMs: () => number,
): DatasourceSession {
  const timed = <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    return registry.callAsync(pluginId, operation, fn).finally(() => {
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
    wrapped[method] = (...args: unknown[]) => timed(method, () => fn.apply(session, args));
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
