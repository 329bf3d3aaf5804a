import type { AggregateRequest, CountRequest, Disposable, ReadRowsRequest, RowKey, TableLocator, TableRef, TableSchema } from '../../api';
import type { ExportRequest, NocofloViewClient, OpenViewTarget, RowLockInfo, SaveFileRequest, ViewChange, ViewInit, ViewQuery, ViewThemeKind } from '../../api/webview';
import type { PanelIdentity, SavedWebviewState, WireViewInit } from '../../shared/protocol';
import {
  decodeAggregateResult,
  decodeChange,
  decodeQuery,
  decodeRowPage,
  encodeAggregateRequest,
  encodeChange,
  encodeCountRequest,
  encodeQuery,
  encodeReadRowsRequest,
} from '../../shared/protocolCodec';
import type { RpcClient } from '../../shared/rpcClient';
import { bytesToBase64, decodeRecord, decodeValue, encodeRecord } from '../../shared/values';

type Listener<T> = (value: T) => void;

/** A tiny listener list; listener failures are reported, not allowed to stop the other listeners. */
export class Listeners<T> {
  private readonly listeners = new Set<Listener<T>>();
  add(listener: Listener<T>): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  fire(value: T, onError: (error: unknown) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        onError(error);
      }
    }
  }
}

export interface ClientHost {
  rpc: RpcClient;
  post(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
  refresh: Listeners<'saved' | 'external'>;
  theme: Listeners<ViewThemeKind>;
  focus: Listeners<{ key?: RowKey; query?: ViewQuery }>;
  /** Row locks on the table: the latest set the host sent, and its listeners. */
  locks?: { latest(): RowLockInfo[]; listeners: Listeners<RowLockInfo[]> };
}

const APPLY_TIMEOUT_MS = 10 * 60_000;
// A save dialog waits for the user, who may take longer than a datasource call should.
const SAVE_FILE_TIMEOUT_MS = 30 * 60_000;

const sameIdentity = (a: PanelIdentity, b: PanelIdentity): boolean =>
  a.viewId === b.viewId &&
  a.table?.datasourceId === b.table.datasourceId &&
  (a.table.schema ?? null) === (b.table.schema ?? null) &&
  a.table.name === b.table.name;

const tableRef = (t: TableRef): TableRef => (t.schema === undefined ? { name: t.name } : { schema: t.schema, name: t.name });

/** Builds the client a view gets from `connect()`: contract types in, wire shapes out, and back. */
export function createViewClient(wire: WireViewInit, host: ClientHost): NocofloViewClient {
  // The host sends a query reference with its text only, never bound values (refForView), so it is a TableLocator.
  const table = wire.table as TableLocator;
  const identity: PanelIdentity = { table, viewId: wire.viewId, displayName: wire.displayName };
  const saved = host.getState() as Partial<SavedWebviewState> | undefined;
  // The host needs the identity to restore this tab after a reload, whether or not the view keeps state.
  const writeState = (view: unknown) => host.setState({ nocoflo: identity, view } satisfies SavedWebviewState);
  // "Switch View…" replaces the view in the same webview: the previous view's state is not this view's.
  writeState(saved?.nocoflo === undefined || sameIdentity(saved.nocoflo, identity) ? saved?.view : undefined);

  const init: ViewInit = {
    table,
    displayName: wire.displayName,
    viewId: wire.viewId,
    schema: wire.schema as TableSchema,
    capabilities: wire.capabilities,
    theme: wire.theme,
    ...(wire.readOnlyReason !== undefined ? { readOnlyReason: wire.readOnlyReason } : {}),
    ...(wire.unavailable ? { unavailable: { ...wire.unavailable } } : {}),
    ...(wire.confirm ? { confirm: { ...wire.confirm } } : {}),
    ...(wire.viewConfig !== undefined ? { viewConfig: wire.viewConfig } : {}),
    ...(wire.pending ? { pending: wire.pending.map(decodeChange) } : {}),
    ...(wire.query ? { query: decodeQuery(wire.query) } : {}),
    ...(wire.focusKey ? { focusKey: decodeRecord(wire.focusKey) } : {}),
    ...(wire.views ? { views: wire.views.map((v) => ({ ...v })) } : {}),
  };
  const log = (level: 'info' | 'warn' | 'error', message: string) => host.post({ type: 'log', level, message: String(message).slice(0, 10_000) });

  return Object.freeze({
    init,
    readRows: async ({ signal, ...request }: ReadRowsRequest) =>
      decodeRowPage(await host.rpc.request('rows/read', encodeReadRowsRequest(request), signal ? { signal } : {})),
    countRows: ({ signal, ...request }: CountRequest = {}) => host.rpc.request('rows/count', encodeCountRequest(request), signal ? { signal } : {}),
    aggregate: async ({ signal, ...request }: AggregateRequest) =>
      decodeAggregateResult(await host.rpc.request('rows/aggregate', encodeAggregateRequest(request), signal ? { signal } : {})),
    refreshSchema: () => host.rpc.request('schema/refresh', {}),
    applyChanges: async (changes: ViewChange[]) => {
      const result = await host.rpc.request('changes/apply', { changes: changes.map(encodeChange) }, { timeoutMs: APPLY_TIMEOUT_MS });
      if (result.ok) return { ok: true as const, results: result.results.map((r) => ({ key: r.key === null ? null : decodeRecord(r.key), ...(r.row ? { row: decodeRecord(r.row) } : {}) })) };
      const { current, ...failure } = result.failure;
      return {
        ok: false as const,
        rolledBack: result.rolledBack,
        failure: { ...failure, ...(current !== undefined ? { current: current === null ? null : decodeRecord(current) } : {}) },
      };
    },
    previewChanges: async (changes: ViewChange[]) => {
      const { statements } = await host.rpc.request('changes/preview', { changes: changes.map(encodeChange) });
      return statements?.map((s) => ({ text: s.text, params: s.params.map(decodeValue) })) ?? null;
    },
    setPendingChanges: (changes: ViewChange[]) => host.post({ type: 'pending/changed', changes: changes.map(encodeChange) }),
    exportRows: (request: ExportRequest) => host.post({ type: 'export', format: request.format, columns: [...request.columns], query: encodeQuery(request) }),
    writeClipboard: (text: string) => host.post({ type: 'clipboard/write', text }),
    getState: <T>() => (host.getState() as Partial<SavedWebviewState> | undefined)?.view as T | undefined,
    setState: <T>(state: T) => writeState(state),
    onRefresh: (listener: (reason: 'saved' | 'external') => void) => host.refresh.add(listener),
    onTheme: (listener: (kind: ViewThemeKind) => void) => host.theme.add(listener),
    log,
    setViewConfig: (config: unknown) => host.post({ type: 'view/config', config }),
    openView: (target: OpenViewTarget = {}) =>
      host.post({
        type: 'view/open',
        ...(target.viewId !== undefined ? { viewId: target.viewId } : {}),
        ...(target.table ? { table: tableRef(target.table) } : {}),
        ...(target.key ? { key: encodeRecord(target.key) } : {}),
        ...(target.query ? { query: encodeQuery(target.query) } : {}),
      }),
    onFocus: (listener: (target: { key?: RowKey; query?: ViewQuery }) => void) => host.focus.add(listener),
    related: (table: TableRef) => {
      const ref = tableRef(table);
      return Object.freeze({
        schema: () => host.rpc.request('related/schema', { table: ref }),
        readRows: async ({ signal, ...request }: ReadRowsRequest) =>
          decodeRowPage(await host.rpc.request('related/read', { table: ref, request: encodeReadRowsRequest(request) }, signal ? { signal } : {})),
        countRows: ({ signal, ...request }: CountRequest = {}) => host.rpc.request('related/count', { table: ref, request: encodeCountRequest(request) }, signal ? { signal } : {}),
      });
    },
    listTables: async () => (await host.rpc.request('tables/list', {})).tables,
    saveFile: async (file: SaveFileRequest) => {
      const data = typeof file.data === 'string' ? file.data : { $bytes: bytesToBase64(file.data) };
      const params = { suggestedName: file.suggestedName, data, ...(file.filters ? { filters: file.filters } : {}) };
      return (await host.rpc.request('file/save', params, { timeoutMs: SAVE_FILE_TIMEOUT_MS })).saved;
    },
    lockRow: (key: RowKey) => host.rpc.request('lock/acquire', { key: encodeRecord(key) }),
    unlockRow: async (key: RowKey) => {
      await host.rpc.request('lock/release', { key: encodeRecord(key) });
    },
    breakLock: async (key: RowKey) => (await host.rpc.request('lock/break', { key: encodeRecord(key) })).broken,
    onLocks: (listener: (locks: RowLockInfo[]) => void) => {
      if (!host.locks) return { dispose: () => undefined };
      const subscription = host.locks.listeners.add(listener);
      // The host sends the locks right after init, possibly before the view subscribed: hand over what came.
      listener(host.locks.latest());
      return subscription;
    },
  } satisfies Required<NocofloViewClient>);
}
