// Answers a view's requests through TableService: reads and writes of the panel's own table, read-only access to
// other tables of the same datasource (`related/*`), the datasource's table list, and file saves (through a
// callback, the one part that needs `vscode`). Free of `vscode` so the whole request path (validated message →
// TableService → encoded response) is unit-tested in plain Node.
import type { TableLocator, TableRef } from '../../../api';
import { isExpectedError, nocofloError, PluginFailure } from '../../core/pluginErrors';
import type { ChangeOrigin, TableService } from '../../core/tableService';
import type { RequestMessage, RequestParams, ResponseMessage, WireApplyResult, WireError } from '../../../shared/protocol';
import {
  decodeAggregateRequest,
  decodeChange,
  decodeCountRequest,
  decodeReadRowsRequest,
  encodeAggregateResult,
  encodeRowPage,
  readOnlyReasonFor,
} from '../../../shared/protocolCodec';
import { decodeRecord, encodeRecord, encodeValue, WireFormatError } from '../../../shared/values';
import type { Capabilities } from '../../../api';
import type { PanelLocks } from '../../core/locks/windowLocks';
import { passExactAggregateGate } from '../testHooks/exactAggregateGate';

/** The part of TableService a panel uses; tests hand in a fake. */
export type TableAccess = Pick<TableService, 'schema' | 'readRows' | 'countRows' | 'aggregate' | 'apply' | 'preview' | 'listTables'>;

export interface RequestContext {
  table: TableLocator;
  tables: TableAccess;
  capabilities(): Promise<Capabilities>;
  /** Shows a save dialog and writes the file; false when the user cancelled. */
  saveFile(params: RequestParams<'file/save'>): Promise<boolean>;
  /** Why the user's role makes the table read-only (a viewer), for `schema/refresh`. */
  roleReadOnlyReason?(): string | undefined;
  /** Who writes (the panel's view id), recorded in the audit log. */
  origin?: ChangeOrigin;
  /**
   * Asks the user before a batch that destroys data (deleted rows) is applied; false when they declined. The role
   * itself is checked by TableService (its `authorize` hook), whichever way a write arrives.
   */
  confirmApply?(changes: RequestParams<'changes/apply'>['changes']): Promise<boolean>;
  /** The panel's row locks (absent: locks are not available, e.g. in tests of other parts). */
  locks?: PanelLocks;
}

/** Another table of the panel's datasource: the message names the table, never the datasource. */
export const relatedLocator = (own: TableLocator, table: TableRef): TableLocator =>
  table.schema === undefined ? { datasourceId: own.datasourceId, name: table.name } : { datasourceId: own.datasourceId, schema: table.schema, name: table.name };

export async function handleRequest(message: RequestMessage, context: RequestContext, signal: AbortSignal): Promise<ResponseMessage> {
  try {
    return { type: 'response', id: message.id, ok: true, result: await dispatch(message, context, signal) };
  } catch (error) {
    return { type: 'response', id: message.id, ok: false, error: toWireError(error) };
  }
}

async function dispatch(message: RequestMessage, context: RequestContext, signal: AbortSignal): Promise<unknown> {
  const { table, tables, capabilities, saveFile } = context;
  switch (message.method) {
    case 'rows/read':
      await checkSearchColumns(tables, table, message.params.search?.columns);
      return encodeRowPage(await tables.readRows(table, { ...decodeReadRowsRequest(message.params), signal }));
    case 'rows/count':
      await checkSearchColumns(tables, table, message.params.search?.columns);
      return tables.countRows(table, { ...decodeCountRequest(message.params), signal });
    case 'rows/aggregate':
      await passExactAggregateGate(message.params.sample !== undefined, signal);
      return encodeAggregateResult(await tables.aggregate(table, { ...decodeAggregateRequest(message.params), signal }));
    case 'changes/apply': {
      const changes = message.params.changes.map(decodeChange);
      if (context.confirmApply && !(await context.confirmApply(message.params.changes))) {
        return { ok: false, rolledBack: true, failure: { index: 0, code: 'cancelled', message: 'Not saved: the deletion was not confirmed. Your changes are still pending.' } } satisfies WireApplyResult;
      }
      const result = await tables.apply(table, changes, context.origin);
      const wire: WireApplyResult = result.ok
        ? { ok: true, results: result.results.map((r) => ({ key: r.key === null ? null : encodeRecord(r.key), ...(r.row ? { row: encodeRecord(r.row) } : {}) })) }
        : {
            ok: false,
            rolledBack: result.rolledBack,
            failure: {
              index: result.failure.index,
              code: result.failure.code,
              message: result.failure.message,
              ...(result.failure.column !== undefined ? { column: result.failure.column } : {}),
              ...('current' in result.failure ? { current: result.failure.current ? encodeRecord(result.failure.current) : null } : {}),
            },
          };
      return wire;
    }
    case 'changes/preview': {
      const statements = await tables.preview(table, message.params.changes.map(decodeChange));
      return { statements: statements?.map((s) => ({ text: s.text, params: s.params.map(encodeValue) })) ?? null };
    }
    case 'schema/refresh': {
      const schema = await tables.schema(table, { refresh: true });
      const reason = readOnlyReasonFor(schema, await capabilities()) ?? context.roleReadOnlyReason?.();
      return reason === undefined ? { schema } : { schema, readOnlyReason: reason };
    }
    case 'related/schema':
      return tables.schema(relatedLocator(table, message.params.table));
    case 'related/read': {
      const other = relatedLocator(table, message.params.table);
      await checkSearchColumns(tables, other, message.params.request.search?.columns);
      return encodeRowPage(await tables.readRows(other, { ...decodeReadRowsRequest(message.params.request), signal }));
    }
    case 'related/count': {
      const other = relatedLocator(table, message.params.table);
      await checkSearchColumns(tables, other, message.params.request.search?.columns);
      return tables.countRows(other, { ...decodeCountRequest(message.params.request), signal });
    }
    case 'tables/list':
      return { tables: await tables.listTables(table.datasourceId, { signal }) };
    case 'file/save':
      return { saved: await saveFile(message.params) };
    case 'lock/acquire':
      return lockAccess(context).acquire(decodeRecord(message.params.key));
    case 'lock/release':
      await lockAccess(context).release(decodeRecord(message.params.key));
      return {};
    case 'lock/break':
      return { broken: await lockAccess(context).breakLock(decodeRecord(message.params.key)) };
  }
}

function lockAccess(context: RequestContext): PanelLocks {
  if (!context.locks) throw nocofloError('unsupported', 'Row locks are not available in this tab.');
  return context.locks;
}

/** TableService checks sort and filter columns; search columns name columns too, so they get the same check. */
export async function checkSearchColumns(tables: TableAccess, table: TableLocator, columns: readonly string[] | undefined): Promise<void> {
  if (!columns?.length) return;
  const known = new Set((await tables.schema(table)).columns.map((c) => c.name));
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) throw nocofloError('invalid_value', `Unknown column ${unknown.map((c) => `"${c}"`).join(', ')} in the search of ${table.name}.`);
}

/** Errors the user should read verbatim keep their contract code; anything else is named for what it is. */
export function toWireError(error: unknown): WireError {
  if (isExpectedError(error)) return { code: error.code, message: error.message };
  if (error instanceof PluginFailure) return { code: 'plugin_failed', message: error.message };
  if (error instanceof WireFormatError) return { code: 'invalid_message', message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
