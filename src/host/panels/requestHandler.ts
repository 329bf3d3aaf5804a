// Answers a view's requests through TableService, for the panel's own table only. Free of `vscode` so the
// whole request path (validated message → TableService → encoded response) is unit-tested in plain Node.
import type { TableLocator } from '../../../api';
import { isExpectedError, nocofloError, PluginFailure } from '../../core/pluginErrors';
import type { TableService } from '../../core/tableService';
import type { RequestMessage, ResponseMessage, WireApplyResult, WireError } from '../../../shared/protocol';
import {
  decodeAggregateRequest,
  decodeChange,
  decodeCountRequest,
  decodeReadRowsRequest,
  encodeAggregateResult,
  encodeRowPage,
  readOnlyReasonFor,
} from '../../../shared/protocolCodec';
import { encodeRecord, encodeValue, WireFormatError } from '../../../shared/values';
import type { Capabilities } from '../../../api';

/** The part of TableService a panel uses; tests hand in a fake. */
export type TableAccess = Pick<TableService, 'schema' | 'readRows' | 'countRows' | 'aggregate' | 'apply' | 'preview'>;

export interface RequestContext {
  table: TableLocator;
  tables: TableAccess;
  capabilities(): Promise<Capabilities>;
}

export async function handleRequest(message: RequestMessage, context: RequestContext, signal: AbortSignal): Promise<ResponseMessage> {
  try {
    return { type: 'response', id: message.id, ok: true, result: await dispatch(message, context, signal) };
  } catch (error) {
    return { type: 'response', id: message.id, ok: false, error: toWireError(error) };
  }
}

async function dispatch(message: RequestMessage, { table, tables, capabilities }: RequestContext, signal: AbortSignal): Promise<unknown> {
  switch (message.method) {
    case 'rows/read':
      await checkSearchColumns(tables, table, message.params.search?.columns);
      return encodeRowPage(await tables.readRows(table, { ...decodeReadRowsRequest(message.params), signal }));
    case 'rows/count':
      await checkSearchColumns(tables, table, message.params.search?.columns);
      return tables.countRows(table, { ...decodeCountRequest(message.params), signal });
    case 'rows/aggregate':
      return encodeAggregateResult(await tables.aggregate(table, { ...decodeAggregateRequest(message.params), signal }));
    case 'changes/apply': {
      const result = await tables.apply(table, message.params.changes.map(decodeChange));
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
      const reason = readOnlyReasonFor(schema, await capabilities());
      return reason === undefined ? { schema } : { schema, readOnlyReason: reason };
    }
  }
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
