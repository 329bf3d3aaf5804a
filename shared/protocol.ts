// The one message protocol between the extension host and a table webview (any view plugin's webview: the view
// client in webview/client speaks it on the view's behalf). Three kinds of traffic, all with a `type`
// discriminant:
//   - requests   webview → host with an `id`; the host answers with exactly one `response` carrying that id;
//   - commands   webview → host, no answer (ready handshake, pending-change mirror, export, clipboard, log, view
//                config, open another view);
//   - notifications host → webview (init after ready, refresh, theme, focus).
// Everything the webview sends is validated by `parseFromWebview` before the host acts on it. No SQL ever
// crosses: filters are structured, sorts are column names, and the table is the panel's own, never the message's
// (the `related/*` reads name another table, which the host resolves inside the panel's own datasource only).
import type {
  AggregateOp,
  AggregateRequest,
  AggregateResult,
  CountRequest,
  Filter,
  FilterOperator,
  ReadRowsRequest,
  RowChange,
  RowCount,
  RowPage,
  StatementPreview,
  TableRef,
  TableSchema,
  TimeUnit,
} from '../api';
import type { ExportRequest, OpenViewTarget, RowLockResult, SaveFileRequest, ViewApplyResult, ViewChangeFailure, ViewInit, ViewQuery, ViewThemeKind } from '../api/webview';
import type { WireRowLock } from './rowLocks';
import { type CancelMessage, cancelCommand, type ParsedMessage, parseMessage, type RequestOf, type ResponseMessage, type WireError } from './rpc';
import { isWireValue, type WireRecord } from './values';
import type { Wire } from './wire';
import { anyOf, arrayOf, bool, type Check, int, jsonValue, object, oneOf, recordOf, str } from './validate';

export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------------------------
// Wire shapes of contract types: derived from api/ (shared/wire.ts), CellValues encoded by shared/values.ts
// ---------------------------------------------------------------------------------------------------------------

export type WireFilter = Wire<Filter>;
export type WireSearch = Wire<NonNullable<ReadRowsRequest['search']>>;
/** The rows a view looks at: the same sort, filters and search feed reads, counts and exports. */
export type WireQuery = Wire<ViewQuery>;
export type WireReadRowsRequest = Wire<ReadRowsRequest>;
export type WireRowPage = Wire<RowPage>;
export type WireCountRequest = Wire<CountRequest>;
export type WireAggregateRequest = Wire<AggregateRequest>;
export type WireAggregateResult = Wire<AggregateResult>;
export type WirePendingChange = Wire<RowChange>;
export type WireChangeFailure = Wire<ViewChangeFailure>;
export type WireApplyResult = Wire<ViewApplyResult>;
export type ThemeKind = ViewThemeKind;

/** What a view needs to start: sent by the host in answer to `ready`; the view client hands it on as `ViewInit`. */
export type WireViewInit = Wire<ViewInit> & { protocolVersion: number };

/** File content for `file/save`: text (written as UTF-8) or bytes in their wire form. */
export type WireFileData = Wire<SaveFileRequest['data']>;

// ---------------------------------------------------------------------------------------------------------------
// Requests (webview → host, answered by id)
// ---------------------------------------------------------------------------------------------------------------

export interface RequestMap {
  'rows/read': { params: WireReadRowsRequest; result: WireRowPage };
  'rows/count': { params: WireCountRequest; result: RowCount };
  'rows/aggregate': { params: WireAggregateRequest; result: WireAggregateResult };
  'changes/apply': { params: { changes: WirePendingChange[] }; result: WireApplyResult };
  /** The statements a save of these changes would run; null when the datasource cannot say. */
  'changes/preview': { params: { changes: WirePendingChange[] }; result: { statements: Wire<StatementPreview>[] | null } };
  /** Re-reads the table's schema (after a reload, when another program may have changed it). */
  'schema/refresh': { params: Record<string, never>; result: { schema: TableSchema; readOnlyReason?: string } };
  /** Read-only access to another table of the panel's datasource (1.2). */
  'related/schema': { params: { table: TableRef }; result: TableSchema };
  'related/read': { params: { table: TableRef; request: WireReadRowsRequest }; result: WireRowPage };
  'related/count': { params: { table: TableRef; request: WireCountRequest }; result: RowCount };
  /** The tables of the panel's datasource (1.2). */
  'tables/list': { params: Record<string, never>; result: { tables: TableRef[] } };
  /** A save dialog, then the file is written; `saved` is false when the user cancelled (1.2). */
  'file/save': { params: Wire<SaveFileRequest>; result: { saved: boolean } };
  /** Advisory lock on a row of the panel's table while it is edited; refused with the holder when taken (1.2, locks). */
  'lock/acquire': { params: { key: WireRecord }; result: RowLockResult };
  'lock/release': { params: { key: WireRecord }; result: Record<string, never> };
  /** Removes whoever's lock is on the row; admins only. `broken` is false when there was none. */
  'lock/break': { params: { key: WireRecord }; result: { broken: boolean } };
}

export type RequestMethod = keyof RequestMap;
export type RequestParams<M extends RequestMethod> = RequestMap[M]['params'];
export type RequestResult<M extends RequestMethod> = RequestMap[M]['result'];

export type RequestMessage = RequestOf<RequestMap>;

export type { ResponseMessage, WireError } from './rpc';

// ---------------------------------------------------------------------------------------------------------------
// Commands (webview → host, no answer)
// ---------------------------------------------------------------------------------------------------------------

export type ExportFormat = ExportRequest['format'];

export type CommandMessage =
  | { type: 'ready' }
  | CancelMessage
  /** Mirrors the view's unsaved edits, so the tab title shows them and closing the tab can offer to save them. */
  | { type: 'pending/changed'; changes: WirePendingChange[] }
  /** Streams the whole filtered result (not just the loaded rows) to a file the user picks. */
  | { type: 'export'; format: ExportFormat; query: WireQuery; columns: string[] }
  | { type: 'clipboard/write'; text: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** The view's current configuration (a chart spec…), kept per panel for "Set as Default View" (1.2). */
  | { type: 'view/config'; config: unknown }
  /** Opens a view of this or another table of the same datasource, focused on a row (1.2). */
  | ({ type: 'view/open' } & Wire<OpenViewTarget>);

export type FromWebviewMessage = RequestMessage | CommandMessage;

// ---------------------------------------------------------------------------------------------------------------
// Notifications (host → webview)
// ---------------------------------------------------------------------------------------------------------------

export type NotificationMessage =
  | { type: 'init'; init: WireViewInit }
  /** The view cannot start (the datasource is gone, the table was dropped, the connection failed). */
  | { type: 'failed'; error: WireError }
  /** The data may have changed outside the view (saved from the close prompt, refreshed in the tree): re-read. */
  | { type: 'refresh'; reason: 'saved' | 'external' }
  | { type: 'theme'; kind: ThemeKind }
  /** `view/open` targeted this open tab: show this row (and apply this query) (1.2). */
  | { type: 'focus'; key?: WireRecord; query?: WireQuery }
  /** The live row locks on the panel's table, sent after init and whenever they change (1.2, locks). */
  | { type: 'locks'; locks: WireRowLock[] };

export type ToWebviewMessage = ResponseMessage | NotificationMessage;

// ---------------------------------------------------------------------------------------------------------------
// Panel state the host reads back after a window reload (the serializer gets the webview's saved state)
// ---------------------------------------------------------------------------------------------------------------

export type PanelIdentity = Pick<ViewInit, 'table' | 'viewId' | 'displayName'>;

/** The webview's saved state: the client's panel identity plus the view's own state, opaque to the host. */
export interface SavedWebviewState {
  nocoflo: PanelIdentity;
  view?: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation of everything that comes from the webview
// ---------------------------------------------------------------------------------------------------------------

const MAX_ID = Number.MAX_SAFE_INTEGER;
const keysOf = <T extends string>(members: Record<T, 1>): T[] => Object.keys(members) as T[];
const columnName = str(1_000);
const wireValue: Check = (v, p) => (isWireValue(v) ? undefined : `${p} is not a cell value`);
const wireRecord = recordOf(wireValue, 10_000);
// Keyed by the API's unions, so an operator added there fails to compile here until the host accepts it.
const FILTER_OPS = keysOf<FilterOperator>({ eq: 1, ne: 1, lt: 1, lte: 1, gt: 1, gte: 1, contains: 1, startswith: 1, endswith: 1, isnull: 1, notnull: 1, in: 1 });
const AGGREGATE_OPS = keysOf<AggregateOp>({ count: 1, sum: 1, mean: 1, min: 1, max: 1 });
const TIME_UNITS = keysOf<TimeUnit>({ year: 1, month: 1, day: 1, hour: 1 });

const filter: Check = (v, p) => {
  const shape = object({ column: columnName, op: oneOf(...FILTER_OPS) }, { value: anyOf(wireValue, arrayOf(wireValue, 10_000)) })(v, p);
  if (shape) return shape;
  const f = v as WireFilter;
  if (f.op === 'in' && !Array.isArray(f.value)) return `${p}.value must be an array for "in"`;
  if (f.op !== 'in' && Array.isArray(f.value)) return `${p}.value must be a single value for "${f.op}"`;
  if (f.op !== 'isnull' && f.op !== 'notnull' && f.value === undefined) return `${p}.value is required for "${f.op}"`;
  return undefined;
};
const filters = arrayOf(filter, 200);
const sort = arrayOf(object({ column: columnName, direction: oneOf('asc', 'desc') }), 100);
const search = object({ text: str(10_000) }, { columns: arrayOf(columnName, 10_000) });
const queryFields = { sort, filters, search };

const pendingChange: Check = (v, p) => {
  const kind = (v as { kind?: unknown } | null)?.kind;
  if (kind === 'insert') return object({ kind: oneOf('insert'), values: wireRecord })(v, p);
  if (kind === 'update') return object({ kind: oneOf('update'), key: wireRecord, changes: wireRecord, expected: wireRecord })(v, p);
  if (kind === 'delete') return object({ kind: oneOf('delete'), key: wireRecord, expected: wireRecord })(v, p);
  return `${p}.kind must be insert, update or delete`;
};
const pendingChanges = arrayOf(pendingChange, 100_000);

/** Bounds of what a view may hand the host as its configuration, and of files it may save. */
export const MAX_VIEW_CONFIG_CHARS = 256 * 1024;
export const MAX_SAVE_FILE_CHARS = 50_000_000;

const tableRefCheck = object({ name: str(10_000) }, { schema: str(10_000) });
const readRowsParams = object({ limit: int(1, 10_000) }, { ...queryFields, after: str(100_000), offset: int(0, MAX_ID) });
const countParams = object({}, { filters, search, cap: int(1, MAX_ID), estimate: bool });
const fileName = (v: unknown, p: string) => str(255)(v, p) ?? ((v as string).trim() === '' ? `${p} must not be empty` : undefined);
const fileData: Check = (v, p) => {
  if (typeof v === 'string') return str(MAX_SAVE_FILE_CHARS)(v, p);
  return object({ $bytes: str(MAX_SAVE_FILE_CHARS) })(v, p) ? `${p} must be a string or { $bytes: base64 }` : undefined;
};
const dialogFilters = recordOf(arrayOf(str(50), 50), 50);

const PARAMS: { [M in RequestMethod]: Check } = {
  'rows/read': readRowsParams,
  'rows/count': countParams,
  'rows/aggregate': object(
    {
      groupBy: arrayOf(object({ column: columnName }, { bin: object({ step: (v, p) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? undefined : `${p} must be a positive number`) }), timeUnit: oneOf(...TIME_UNITS) }), 10),
      measures: arrayOf(object({ op: oneOf(...AGGREGATE_OPS), as: str(1_000) }, { column: columnName }), 50),
    },
    { filters, limit: int(1, 1_000_000), sample: object({ rows: int(1, 10_000_000) }) },
  ),
  'changes/apply': object({ changes: pendingChanges }),
  'changes/preview': object({ changes: pendingChanges }),
  'schema/refresh': object({}),
  'related/schema': object({ table: tableRefCheck }),
  'related/read': object({ table: tableRefCheck, request: readRowsParams }),
  'related/count': object({ table: tableRefCheck, request: countParams }),
  'tables/list': object({}),
  'file/save': object({ suggestedName: fileName, data: fileData }, { filters: dialogFilters }),
  'lock/acquire': object({ key: wireRecord }),
  'lock/release': object({ key: wireRecord }),
  'lock/break': object({ key: wireRecord }),
};

const COMMANDS: { [T in CommandMessage['type']]: Check } = {
  ready: object({ type: oneOf('ready') }),
  cancel: cancelCommand,
  'pending/changed': object({ type: oneOf('pending/changed'), changes: pendingChanges }),
  export: object({ type: oneOf('export'), format: oneOf('csv', 'json'), query: object({}, queryFields), columns: arrayOf(columnName, 10_000) }),
  'clipboard/write': object({ type: oneOf('clipboard/write'), text: str(50_000_000) }),
  log: object({ type: oneOf('log'), level: oneOf('info', 'warn', 'error'), message: str(10_000) }),
  'view/config': object({ type: oneOf('view/config'), config: jsonValue(MAX_VIEW_CONFIG_CHARS) }),
  'view/open': object({ type: oneOf('view/open') }, { viewId: str(1_000), table: tableRefCheck, key: wireRecord, query: object({}, queryFields) }),
};

export type ParseResult = ParsedMessage<FromWebviewMessage>;

/** Checks a message from a view's webview (see `parseMessage`). */
export const parseFromWebview = (raw: unknown): ParseResult => parseMessage<FromWebviewMessage>(raw, { requests: PARAMS, commands: COMMANDS });

const locator = object({ datasourceId: str(1_000), name: str(10_000) }, { schema: str(10_000), query: object({ text: str(1_000_000) }) });
const identity = object({ table: locator, viewId: str(1_000), displayName: object({ table: str(10_000), datasource: str(10_000) }) });

/** Reads the panel identity out of a webview's saved state (which a view script could have written anything to). */
export function parseSavedState(raw: unknown): PanelIdentity | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const candidate = (raw as { nocoflo?: unknown }).nocoflo;
  if (identity(candidate, 'nocoflo')) return undefined;
  const { table, viewId, displayName } = candidate as PanelIdentity;
  // A query tab's text comes back only to be checked against the host's own record of the tabs it opened
  // (PanelManager.restore): text a view script wrote into its state is never run.
  const query = table.query ? { query: { text: table.query.text } } : {};
  return {
    table: { ...(table.schema === undefined ? { datasourceId: table.datasourceId, name: table.name } : { datasourceId: table.datasourceId, schema: table.schema, name: table.name }), ...query },
    viewId,
    displayName: { table: displayName.table, datasource: displayName.datasource },
  };
}

/** Keeps `switch` statements over message unions exhaustive: adding a message type breaks the build there. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
