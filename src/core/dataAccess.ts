import type { AggregateRequest, CancellationToken, CountRequest, DataApplyResult, DataChangeEvent, DatasourceInfo, NocofloData, ReadRowsRequest, QueryText, RowChange, TableLocator } from '../../api';
import { rowKeyText } from '../../shared/rowLocks';
import type { DatasourceManager } from './datasourceManager';
import type { Emitter } from './events';
import { nocofloError } from './pluginErrors';
import type { ResolvedRole } from './roles/roleModel';
import type { TableService } from './tableService';

// The data door other extensions use (API 1.5 `api.data`). It is TableService with the caller's name on it:
// every read and write goes through the same checks as the views' (roles in `authorize`, expected values, the audit
// hook), plus what a view does on its own before it saves — the row locks of other tabs and windows, and the
// delete confirmation on production connections. Inputs come from other extensions' code, so their shapes are
// checked here, not trusted. Free of `vscode`; the host injects the confirmation and the locks.

export interface DataAccessDeps {
  datasources: DatasourceManager;
  tables: TableService;
  role(datasourceId: string): ResolvedRole;
  /** Row locks others hold on `table` (forms editing a record), by row key text. */
  locksOn(table: TableLocator): { rowKey: string; owner: string; acquiredAt: string }[];
  /** Asks the user before a production delete (as a save does); false when they declined. */
  confirm(table: TableLocator, changes: readonly RowChange[], caller: string): Promise<boolean>;
  changed: Emitter<DataChangeEvent>;
}

/** The audit source of an extension's writes. */
export const extensionSource = (extensionId: string): string => `extension:${extensionId}`;

const EXTENSION_ID = /^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9._-]*$/i;

export function checkCaller(caller: unknown, installed: (id: string) => boolean): string {
  const id = (caller as { extensionId?: unknown } | undefined)?.extensionId;
  if (typeof id !== 'string' || !EXTENSION_ID.test(id)) throw nocofloError('invalid_value', 'api.data needs { extensionId: "publisher.name" } (your extension\'s id, context.extension.id).');
  if (!installed(id)) throw nocofloError('invalid_value', `No installed extension has the id "${id}": pass your own context.extension.id.`);
  return id;
}

export function checkLocator(table: unknown): TableLocator {
  const t = table as Partial<TableLocator> | null;
  if (typeof t !== 'object' || t === null || typeof t.datasourceId !== 'string' || typeof t.name !== 'string' || (t.schema !== undefined && typeof t.schema !== 'string')) {
    throw nocofloError('invalid_value', 'A table is { datasourceId: string, schema?: string, name: string }.');
  }
  const query = t.query as Partial<QueryText> | undefined;
  if (query !== undefined && (typeof query !== 'object' || query === null || typeof query.text !== 'string' || (query.params !== undefined && !Array.isArray(query.params)))) {
    throw nocofloError('invalid_value', 'A query reference is { datasourceId, name, query: { text: string, params?: CellValue[] } }.');
  }
  return {
    datasourceId: t.datasourceId,
    name: t.name,
    ...(t.schema !== undefined ? { schema: t.schema } : {}),
    ...(query ? { query: { text: query.text as string, ...(query.params ? { params: [...query.params] } : {}) } } : {}),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);

/** The batch's shape (values are checked against the columns by TableService and the datasource). */
export function checkChanges(changes: unknown): RowChange[] {
  if (!Array.isArray(changes)) throw nocofloError('invalid_value', 'changes must be an array of { kind: "insert" | "update" | "delete", … }.');
  changes.forEach((change: unknown, index) => {
    const c = change as Record<string, unknown>;
    const problem = !isRecord(c)
      ? 'is not an object'
      : c.kind === 'insert'
        ? isRecord(c.values) ? undefined : 'needs values: { column: value }'
        : c.kind === 'update'
          ? isRecord(c.key) && isRecord(c.changes) && isRecord(c.expected) ? undefined : 'needs key, changes and expected (the values you read, checked for conflicts)'
          : c.kind === 'delete'
            ? isRecord(c.key) && isRecord(c.expected) ? undefined : 'needs key and expected (the values you read, checked for conflicts)'
            : 'has no kind "insert", "update" or "delete"';
    if (problem) throw nocofloError('invalid_value', `changes[${index}] ${problem}.`);
  });
  return changes as RowChange[];
}

/** An AbortSignal that follows a VS Code CancellationToken (or never fires without one). */
export function signalOf(token: CancellationToken | undefined): AbortSignal | undefined {
  if (!token) return undefined;
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

export function createDataAccess(deps: DataAccessDeps, callerId: string): NocofloData {
  const { datasources, tables } = deps;
  const withSignal = <T extends { signal?: AbortSignal }>(request: T | undefined, token: CancellationToken | undefined): T => {
    const signal = signalOf(token);
    return { ...(request ?? ({} as T)), ...(signal ? { signal } : {}) };
  };
  const exists = (table: TableLocator) => {
    if (!datasources.get(table.datasourceId)) throw nocofloError('not_found', `No datasource with id "${table.datasourceId}".`);
    return table;
  };
  return Object.freeze({
    listDatasources: (): DatasourceInfo[] =>
      datasources.list().map((record) => {
        const role = deps.role(record.id);
        return { id: record.id, name: record.name, type: record.type, typeName: datasources.pluginFor(record)?.displayName ?? record.type, production: role.production, role: role.role };
      }),
    listTables: async (datasourceId, token) => {
      if (typeof datasourceId !== 'string' || !datasources.get(datasourceId)) throw nocofloError('not_found', `No datasource with id "${String(datasourceId)}".`);
      const signal = signalOf(token);
      return (await datasources.session(datasourceId)).listTables(signal ? { signal } : {});
    },
    getSchema: async (table) => tables.schema(exists(checkLocator(table))),
    readRows: async (table, request: ReadRowsRequest, token) => tables.readRows(exists(checkLocator(table)), withSignal(request, token)),
    countRows: async (table, request: CountRequest | undefined, token) => tables.countRows(exists(checkLocator(table)), withSignal(request, token)),
    aggregate: async (table, request: AggregateRequest, token) => tables.aggregate(exists(checkLocator(table)), withSignal(request, token)),
    applyChanges: async (table, changes, token): Promise<DataApplyResult> => {
      const locator = exists(checkLocator(table));
      const batch = checkChanges(changes);
      // An editable query result is written through its base table: that table's row locks apply.
      const lockTable = locator.query ? ((await tables.schema(locator)) && tables.baseTable(locator)) ?? locator : locator;
      const locks = new Map(deps.locksOn(lockTable).map((l) => [l.rowKey, l]));
      for (const [index, change] of batch.entries()) {
        const lock = change.kind === 'insert' ? undefined : locks.get(rowKeyText(change.key));
        if (lock) return { ok: false, failure: { index, code: 'conflict', message: `${lock.owner} is editing this row (since ${lock.acquiredAt}); nothing was written.` }, rolledBack: true };
      }
      if (token?.isCancellationRequested) return cancelled();
      if (!(await deps.confirm(locator, batch, callerId))) return { ok: false, failure: { index: 0, code: 'cancelled', message: 'The user declined the deletion; nothing was written.' }, rolledBack: true };
      // The last moment a cancel can stop the batch: once it runs, it runs to its end (all or nothing).
      if (token?.isCancellationRequested) return cancelled();
      return tables.apply(locator, batch, { source: extensionSource(callerId) });
    },
    onDidChangeData: deps.changed.event,
  } satisfies NocofloData);
}

const cancelled = (): DataApplyResult => ({ ok: false, failure: { index: 0, code: 'cancelled', message: 'Cancelled before anything was written.' }, rolledBack: true });
