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
  AggregateSample,
  Capabilities,
  FilterOperator,
  RowCount,
  SortKey,
  TableLocator,
  TableRef,
  TableSchema,
  TimeUnit,
} from '../api';
import type { WireRowLock } from './rowLocks';
import { type CancelMessage, cancelCommand, type ParsedMessage, parseMessage, type RequestOf, type ResponseMessage, type WireError } from './rpc';
import { isWireValue, type WireRecord, type WireValue } from './values';
import { anyOf, arrayOf, bool, type Check, int, jsonValue, object, oneOf, recordOf, str } from './validate';

export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------------------------
// Wire shapes of contract types (CellValues encoded by shared/values.ts)
// ---------------------------------------------------------------------------------------------------------------

export interface WireFilter {
  column: string;
  op: FilterOperator;
  value?: WireValue | WireValue[];
}

export interface WireSearch {
  text: string;
  columns?: string[];
}

/** The rows a view looks at: the same sort, filters and search feed reads, counts and exports. */
export interface WireQuery {
  sort?: SortKey[];
  filters?: WireFilter[];
  search?: WireSearch;
}

export interface WireReadRowsRequest extends WireQuery {
  limit: number;
  after?: string;
  offset?: number;
}

export interface WireRowPage {
  columns: string[];
  rows: WireValue[][];
  keys: (WireRecord | null)[];
  next?: string;
  offset?: number;
  /** What the datasource wants users to know about this result (e.g. sorted client-side over a bounded sample). */
  note?: string;
}

export interface WireCountRequest {
  filters?: WireFilter[];
  search?: WireSearch;
  cap?: number;
  estimate?: boolean;
}

export interface WireAggregateRequest {
  groupBy: { column: string; bin?: { step: number }; timeUnit?: TimeUnit }[];
  measures: { op: AggregateOp; column?: string; as: string }[];
  filters?: WireFilter[];
  limit?: number;
  sample?: { rows: number };
}

export interface WireAggregateResult {
  columns: string[];
  rows: WireValue[][];
  truncated?: boolean;
  sample?: AggregateSample;
}

export type WirePendingChange =
  | { kind: 'insert'; values: WireRecord }
  | { kind: 'update'; key: WireRecord; changes: WireRecord; expected: WireRecord }
  | { kind: 'delete'; key: WireRecord; expected: WireRecord };

export interface WireChangeFailure {
  index: number;
  code: string;
  message: string;
  column?: string;
  current?: WireRecord | null;
}

export type WireApplyResult =
  | { ok: true; results: { key: WireRecord | null; row?: WireRecord }[] }
  | { ok: false; failure: WireChangeFailure; rolledBack: boolean };

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** What a view needs to start: sent by the host in answer to `ready`. */
export interface WireViewInit {
  protocolVersion: number;
  table: TableLocator;
  displayName: { table: string; datasource: string };
  viewId: string;
  schema: TableSchema;
  capabilities: Capabilities;
  /** Why the table cannot be edited here, shown to the user; absent when it can. */
  readOnlyReason?: string;
  /**
   * Actions the datasource supports but the user's role leaves out (an editor cannot delete), each with the reason
   * to show; `capabilities` already says false for them. Absent when nothing is left out. (1.2, roles)
   */
  unavailable?: { insert?: string; update?: string; delete?: string };
  /** Destructive actions the view should confirm (nocoflo.confirm.*); absent when the user turned them off. */
  confirm?: { pasteOverCells: number };
  /** The view configuration stored with the user's view preference, if any. */
  viewConfig?: unknown;
  theme: ThemeKind;
  /** Pending changes handed back when the user chose "Reopen" for a closed tab with unsaved edits. */
  pending?: WirePendingChange[];
  /** The query this tab showed last (the previous view's after a switch). (1.2) */
  query?: WireQuery;
  /** The row to show first; sent until the view first reads rows. (1.2) */
  focusKey?: WireRecord;
  /** Views that can show this table, best first. (1.2) */
  views?: { id: string; displayName: string; icon?: string }[];
}

/** File content for `file/save`: text (written as UTF-8) or bytes in their wire form. */
export type WireFileData = string | { $bytes: string };

// ---------------------------------------------------------------------------------------------------------------
// Requests (webview → host, answered by id)
// ---------------------------------------------------------------------------------------------------------------

export interface RequestMap {
  'rows/read': { params: WireReadRowsRequest; result: WireRowPage };
  'rows/count': { params: WireCountRequest; result: RowCount };
  'rows/aggregate': { params: WireAggregateRequest; result: WireAggregateResult };
  'changes/apply': { params: { changes: WirePendingChange[] }; result: WireApplyResult };
  /** The statements a save of these changes would run; null when the datasource cannot say. */
  'changes/preview': { params: { changes: WirePendingChange[] }; result: { statements: { text: string; params: WireValue[] }[] | null } };
  /** Re-reads the table's schema (after a reload, when another program may have changed it). */
  'schema/refresh': { params: Record<string, never>; result: { schema: TableSchema; readOnlyReason?: string } };
  /** Read-only access to another table of the panel's datasource (1.2). */
  'related/schema': { params: { table: TableRef }; result: TableSchema };
  'related/read': { params: { table: TableRef; request: WireReadRowsRequest }; result: WireRowPage };
  'related/count': { params: { table: TableRef; request: WireCountRequest }; result: RowCount };
  /** The tables of the panel's datasource (1.2). */
  'tables/list': { params: Record<string, never>; result: { tables: TableRef[] } };
  /** A save dialog, then the file is written; `saved` is false when the user cancelled (1.2). */
  'file/save': { params: { suggestedName: string; filters?: Record<string, string[]>; data: WireFileData }; result: { saved: boolean } };
  /** Advisory lock on a row of the panel's table while it is edited; refused with the holder when taken (1.2, locks). */
  'lock/acquire': { params: { key: WireRecord }; result: { ok: true } | { ok: false; owner: string; since: string } };
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

export type ExportFormat = 'csv' | 'json';

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
  | { type: 'view/open'; viewId?: string; table?: TableRef; key?: WireRecord; query?: WireQuery };

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

export interface PanelIdentity {
  table: TableLocator;
  viewId: string;
  displayName: { table: string; datasource: string };
}

/** The webview's saved state: the client's panel identity plus the view's own state, opaque to the host. */
export interface SavedWebviewState {
  nocoflo: PanelIdentity;
  view?: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation of everything that comes from the webview
// ---------------------------------------------------------------------------------------------------------------

const MAX_ID = Number.MAX_SAFE_INTEGER;
const columnName = str(1_000);
const wireValue: Check = (v, p) => (isWireValue(v) ? undefined : `${p} is not a cell value`);
const wireRecord = recordOf(wireValue, 10_000);
const FILTER_OPS: readonly FilterOperator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startswith', 'endswith', 'isnull', 'notnull', 'in'];

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
      groupBy: arrayOf(object({ column: columnName }, { bin: object({ step: (v, p) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? undefined : `${p} must be a positive number`) }), timeUnit: oneOf('year', 'month', 'day', 'hour') }), 10),
      measures: arrayOf(object({ op: oneOf('count', 'sum', 'mean', 'min', 'max'), as: str(1_000) }, { column: columnName }), 50),
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

const locator = object({ datasourceId: str(1_000), name: str(10_000) }, { schema: str(10_000) });
const identity = object({ table: locator, viewId: str(1_000), displayName: object({ table: str(10_000), datasource: str(10_000) }) });

/** Reads the panel identity out of a webview's saved state (which a view script could have written anything to). */
export function parseSavedState(raw: unknown): PanelIdentity | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const candidate = (raw as { nocoflo?: unknown }).nocoflo;
  if (identity(candidate, 'nocoflo')) return undefined;
  const { table, viewId, displayName } = candidate as PanelIdentity;
  return {
    table: table.schema === undefined ? { datasourceId: table.datasourceId, name: table.name } : { datasourceId: table.datasourceId, schema: table.schema, name: table.name },
    viewId,
    displayName: { table: displayName.table, datasource: displayName.datasource },
  };
}

/** Keeps `switch` statements over message unions exhaustive: adding a message type breaks the build there. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
