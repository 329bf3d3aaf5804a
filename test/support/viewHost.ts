// The host side of a view, in memory, for unit tests of the webview controllers: the real view client
// (webview/client/client.ts) over the real RpcClient, and every message it posts checked by the host's real parser
// (`parseFromWebview`) and answered through the real codecs. Rows come from arrays; what the host does with a save
// is up to the test (`apply`). Only the host is a stand-in: the view's code, the protocol and the models are real.
import type { CellValue, Filter, RowKey, RowValues, TableRef, TableSchema } from '../../api';
import type { NocofloViewClient, RowLockInfo, ViewApplyResult, ViewChange, ViewQuery, ViewThemeKind } from '../../api/webview';
import { parseFromWebview, type RequestMessage, type WireViewInit } from '../../shared/protocol';
import { decodeChange, decodeCountRequest, decodeReadRowsRequest, encodeQuery, encodeRowPage, refForView, schemaForView } from '../../shared/protocolCodec';
import { RpcClient } from '../../shared/rpcClient';
import { encodeRecord, sameValue } from '../../shared/values';
import { createViewClient, Listeners } from '../../webview/client/client';
import { capabilities as allCapabilities } from './fakePlugins';

export interface FakeTable {
  schema: TableSchema;
  /** Rows by column name; the key is read from the schema's row key columns. */
  rows: RowValues[];
}

export interface ViewHostOptions extends FakeTable {
  capabilities?: Partial<WireViewInit['capabilities']>;
  readOnlyReason?: string;
  unavailable?: WireViewInit['unavailable'];
  /** What the host answers to `changes/apply` (default: every change applied). */
  apply?: (changes: ViewChange[]) => ViewApplyResult;
  /** Other tables of the datasource, for `related/*` and `tables/list`. */
  related?: FakeTable[];
  viewId?: string;
  focusKey?: RowKey;
  query?: ViewQuery;
}

export interface ViewHost {
  client: NocofloViewClient;
  /** Every message the view sent, as the host parsed it. */
  readonly sent: unknown[];
  /** The params of each request of `method`, in order (wire form). */
  requests(method: string): unknown[];
  /** The pending changes the view last reported (`setPendingChanges`), decoded; undefined before the first report. */
  pending(): ViewChange[] | undefined;
  /** Commands (non-requests) of `type` the view posted. */
  commands(type: string): Record<string, unknown>[];
  /** Sends the view a host event, as the real view client's message loop would hand it on. */
  refresh(reason: 'saved' | 'external'): void;
}

const tableKey = (t: TableRef) => `${t.schema ?? ''}.${t.name}`;

/** A minimal filter engine over the fake rows: enough for key lookups and the filters the tests send. */
function matches(row: RowValues, filters: readonly Filter[] | undefined): boolean {
  return (filters ?? []).every((f) => {
    const value = row[f.column] ?? null;
    switch (f.op) {
      case 'eq':
        return sameValue(value, f.value as CellValue);
      case 'in':
        return (f.value as CellValue[]).some((v) => sameValue(value, v));
      case 'isnull':
        return value === null;
      case 'notnull':
        return value !== null;
      case 'gt':
        return value !== null && (value as number) > (f.value as number);
      default:
        throw new Error(`the fake host does not filter by ${f.op}`);
    }
  });
}

function readPage(table: FakeTable, params: unknown) {
  const request = decodeReadRowsRequest(params as never);
  const rows = table.rows.filter((r) => matches(r, request.filters));
  const start = request.after !== undefined ? Number(request.after) : (request.offset ?? 0);
  const slice = rows.slice(start, start + request.limit);
  const columns = table.schema.columns.map((c) => c.name);
  const keyColumns = table.schema.rowKey?.columns ?? table.schema.primaryKey;
  return encodeRowPage({
    columns,
    rows: slice.map((r) => columns.map((c) => r[c] ?? null)),
    keys: slice.map((r) => Object.fromEntries(keyColumns.map((k) => [k, r[k] ?? null]))),
    ...(start + request.limit < rows.length ? { next: String(start + request.limit) } : {}),
  });
}

function countRows(table: FakeTable, params: unknown) {
  const request = decodeCountRequest(params as never);
  return { count: table.rows.filter((r) => matches(r, request.filters)).length, exact: true };
}

const appliedAll = (changes: ViewChange[]): ViewApplyResult => ({ ok: true, results: changes.map((c) => ({ key: c.kind === 'insert' ? null : c.key })) });

export function startViewHost(options: ViewHostOptions): ViewHost {
  const sent: unknown[] = [];
  const related = new Map((options.related ?? []).map((t) => [tableKey(t.schema.table), t]));
  const relatedTable = (ref: TableRef) => {
    const table = related.get(tableKey(ref));
    if (!table) throw Object.assign(new Error(`no table ${ref.name}`), { code: 'not_found' });
    return table;
  };
  const answer = (m: RequestMessage): unknown => {
    const params = m.params as Record<string, unknown>;
    switch (m.method) {
      case 'rows/read':
        return readPage(options, params);
      case 'rows/count':
        return countRows(options, params);
      case 'changes/apply': {
        const result = (options.apply ?? appliedAll)((params.changes as never[]).map(decodeChange));
        if (result.ok) return { ok: true, results: result.results.map((r) => ({ key: r.key === null ? null : encodeRecord(r.key), ...(r.row ? { row: encodeRecord(r.row) } : {}) })) };
        const { current, ...failure } = result.failure;
        return { ok: false, rolledBack: result.rolledBack, failure: { ...failure, ...(current !== undefined ? { current: current === null ? null : encodeRecord(current) } : {}) } };
      }
      case 'changes/preview':
        return { statements: null };
      case 'schema/refresh':
        return { schema: options.schema, ...(options.readOnlyReason !== undefined ? { readOnlyReason: options.readOnlyReason } : {}) };
      case 'related/schema':
        return relatedTable(params.table as TableRef).schema;
      case 'related/read':
        return readPage(relatedTable(params.table as TableRef), params.request);
      case 'related/count':
        return countRows(relatedTable(params.table as TableRef), params.request);
      case 'tables/list':
        return { tables: [options.schema.table, ...[...related.values()].map((t) => t.schema.table).filter((t) => tableKey(t) !== tableKey(options.schema.table))] };
      case 'lock/acquire':
        return { ok: true };
      case 'lock/release':
        return {};
      default:
        throw new Error(`the fake host has no answer to ${m.method}`);
    }
  };
  const receive = (message: unknown): RequestMessage | undefined => {
    const parsed = parseFromWebview(message);
    if (!parsed.ok) throw new Error(`the host would refuse this message: ${parsed.error}`);
    sent.push(parsed.message);
    return parsed.message.type === 'request' ? parsed.message : undefined;
  };
  const rpc: RpcClient = new RpcClient((message) => {
    const request = receive(message);
    if (!request) return;
    // Answered on a later turn, like a postMessage round trip.
    setTimeout(() => {
      try {
        rpc.handleResponse({ type: 'response', id: request.id, ok: true, result: answer(request) });
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'internal';
        rpc.handleResponse({ type: 'response', id: request.id, ok: false, error: { code, message: (error as Error).message } });
      }
    }, 0);
  });
  const init: WireViewInit = {
    protocolVersion: 1,
    table: refForView({ datasourceId: 'ds1', ...options.schema.table }),
    displayName: { table: options.schema.table.name, datasource: 'test' },
    viewId: options.viewId ?? 'nocoflo.table',
    schema: schemaForView(options.schema),
    capabilities: { ...allCapabilities, ...options.capabilities },
    theme: 'dark',
    ...(options.readOnlyReason !== undefined ? { readOnlyReason: options.readOnlyReason } : {}),
    ...(options.unavailable ? { unavailable: options.unavailable } : {}),
    ...(options.focusKey ? { focusKey: encodeRecord(options.focusKey) } : {}),
    ...(options.query ? { query: encodeQuery(options.query) } : {}),
  };
  let state: unknown;
  const refresh = new Listeners<'saved' | 'external'>();
  const client = createViewClient(init, {
    rpc,
    post: (m) => void receive(m),
    getState: () => state,
    setState: (s) => (state = s),
    refresh,
    theme: new Listeners<ViewThemeKind>(),
    focus: new Listeners<{ key?: RowKey; query?: ViewQuery }>(),
    locks: { latest: () => [], listeners: new Listeners<RowLockInfo[]>() },
  });
  const of = (type: string) => sent.filter((m) => (m as { type: string }).type === type) as Record<string, unknown>[];
  return {
    client,
    sent,
    requests: (method) => of('request').filter((m) => m.method === method).map((m) => m.params),
    pending: () => {
      const reports = of('pending/changed');
      return reports.length === 0 ? undefined : (reports[reports.length - 1].changes as never[]).map(decodeChange);
    },
    commands: of,
    refresh: (reason) =>
      refresh.fire(reason, (error) => {
        throw error;
      }),
  };
}
