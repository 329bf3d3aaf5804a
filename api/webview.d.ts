/**
 * Nocoflo view client API, version 1 (1.3.0): what a view plugin's webview script gets.
 *
 * Nocoflo loads its view client before the view's own script (both ES modules). The client installs itself as
 * `globalThis.nocoflo`; a view connects once and then reads and writes the table it was opened for:
 *
 *   import type { NocofloWebview } from 'nocoflo-api/webview';
 *   const client = await (globalThis as unknown as { nocoflo: NocofloWebview }).nocoflo.connect();
 *   const page = await client.readRows({ limit: 100, sort: [{ column: 'id', direction: 'asc' }] });
 *
 * Every call goes through the same checks as Nocoflo's own views (read-only tables, unknown columns, structured
 * filters only: no SQL crosses). The view renders into `document.getElementById('nocoflo-root')`. The page's
 * Content Security Policy allows no inline scripts or style attributes: set dynamic styles through CSSOM
 * (`element.style.width = …`). Types only; the evolution rule of api/index.d.ts applies.
 */
import type {
  AggregateRequest,
  AggregateResult,
  Capabilities,
  CellValue,
  CountRequest,
  Disposable,
  Filter,
  ReadRowsRequest,
  RowChange,
  RowCount,
  RowKey,
  RowPage,
  RowValues,
  SortKey,
  TableLocator,
  TableRef,
  TableSchema,
} from './index';

export type ViewThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** One unsaved edit, as `applyChanges` takes it. Updates and deletes carry the values read, for conflict checks. */
export type ViewChange = RowChange;

export interface ViewChangeFailure {
  /** Index of the failed change in the list given to `applyChanges`. */
  index: number;
  /**
   * A DatasourceErrorCode ('conflict', 'constraint', …); 'internal' when the datasource failed this save with an
   * unexpected error (the plugin stays active; the message names it); 'plugin_failed' when it broke its contract
   * and is marked failed.
   */
  code: string;
  /** The database's own message. */
  message: string;
  column?: string;
  /** For conflicts: the row as stored now, null when it was deleted. */
  current?: RowValues | null;
}

export type ViewApplyResult =
  | { ok: true; results: { key: RowKey | null; row?: RowValues }[] }
  | { ok: false; failure: ViewChangeFailure; rolledBack: boolean };

/** The rows a view shows: the same sort, filters and search feed its reads, counts and exports. (1.2) */
export interface ViewQuery {
  sort?: SortKey[];
  filters?: Filter[];
  search?: { text: string; columns?: string[] };
}

/** A view that can show this table, as `ViewInit.views` lists it. (1.2) */
export interface ViewChoice {
  id: string;
  displayName: string;
  /** Codicon name. */
  icon?: string;
}

export interface ViewInit {
  table: TableLocator;
  displayName: { table: string; datasource: string };
  viewId: string;
  schema: TableSchema;
  capabilities: Capabilities;
  /** Set when the table cannot be edited here; show it to the user. */
  readOnlyReason?: string;
  /**
   * Actions the datasource supports but the user's role on this connection leaves out (an editor cannot delete
   * rows), each with the reason to show, e.g. as a disabled button's tooltip. `capabilities` already says false for
   * them, and Nocoflo refuses such changes with code 'permission' whatever a view sends. (1.2, roles)
   */
  unavailable?: { insert?: string; update?: string; delete?: string };
  /**
   * Destructive actions to confirm, as the user configured them (nocoflo.confirm.*): ask before a paste overwrites
   * more than `pasteOverCells` existing cells. Absent when the user turned confirmations off. Saves that delete rows
   * are confirmed by Nocoflo itself for every view. (1.2, roles)
   */
  confirm?: { pasteOverCells: number };
  /** The configuration stored with the user's view preference (`api.setViewPreference`). */
  viewConfig?: unknown;
  theme: ViewThemeKind;
  /** Unsaved edits handed back by Nocoflo (the user closed the tab with edits and chose "Reopen"). */
  pending?: ViewChange[];
  /**
   * The query this tab showed last: after "Switch View…" the previous view's sort, filters and search, later the
   * view's own latest query (Nocoflo remembers what a view sent in readRows, countRows, aggregate and exportRows).
   * Start with it when you have no state of your own. (1.2)
   */
  query?: ViewQuery;
  /** The row to show first ("Open row in form", a followed foreign key). Sent until the view first reads rows. (1.2) */
  focusKey?: RowKey;
  /** The views that can show this table (enabled, not failed, canHandle true), best first; for `openView`. (1.2) */
  views?: ViewChoice[];
}

/** What `openView` opens. Every part is optional. (1.2) */
export interface OpenViewTarget {
  /** Default: the table's preferred view (stored preference, then the configured strategy). */
  viewId?: string;
  /** Default: this view's table. Always a table of the same datasource. */
  table?: TableRef;
  /** The row to focus: the new view gets it as `init.focusKey`, an open one through `onFocus`. */
  key?: RowKey;
  query?: ViewQuery;
}

/** Read-only access to another table of the same datasource, with the same checks as the view's own table. (1.2) */
export interface RelatedTable {
  schema(): Promise<TableSchema>;
  readRows(request: ReadRowsRequest): Promise<RowPage>;
  countRows(request?: CountRequest): Promise<RowCount>;
}

/** A file the user saves through the host's save dialog (webviews cannot download). (1.2) */
export interface SaveFileRequest {
  /** File name offered in the dialog, e.g. "orders.png"; path separators are replaced. */
  suggestedName: string;
  /** Dialog filters, e.g. `{ PNG: ['png'] }`. */
  filters?: Record<string, string[]>;
  /** Text is written as UTF-8. At most 50 MB. */
  data: Uint8Array | string;
}

/** An advisory lock on a row of the view's table: someone is editing that record (in a form). (1.2, locks) */
export interface RowLockInfo {
  key: RowKey;
  /** The user holding it. */
  owner: string;
  /** When it was taken, ISO 8601. */
  since: string;
  /** Held by this view itself (not by another tab or window). */
  mine: boolean;
}

export type RowLockResult = { ok: true } | { ok: false; owner: string; since: string };

/**
 * Rejections of client calls carry a code: a DatasourceErrorCode; 'internal' when one operation failed with an
 * unexpected error (of the datasource plugin, named in the message, which stays active, or of Nocoflo); 'plugin_failed'
 * when the plugin broke its contract and is marked failed; or 'timeout'.
 */
export interface ViewRequestError extends Error {
  code: string;
}

export interface ExportRequest {
  format: 'csv' | 'json';
  /** Columns to write, in order. */
  columns: string[];
  sort?: ReadRowsRequest['sort'];
  filters?: ReadRowsRequest['filters'];
  search?: ReadRowsRequest['search'];
}

export interface NocofloViewClient {
  readonly init: ViewInit;
  /** `signal` cancels the request on the host too. */
  readRows(request: ReadRowsRequest): Promise<RowPage>;
  countRows(request?: CountRequest): Promise<RowCount>;
  aggregate(request: AggregateRequest): Promise<AggregateResult>;
  /** Re-reads the schema (another program may have changed the table). */
  refreshSchema(): Promise<{ schema: TableSchema; readOnlyReason?: string }>;
  /** Applies the changes in one transaction where the datasource supports it. */
  applyChanges(changes: ViewChange[]): Promise<ViewApplyResult>;
  /**
   * The exact statements saving `changes` would run (text with placeholders, and the bound values), or null when
   * the datasource cannot tell (then describe the changes yourself).
   */
  previewChanges(changes: ViewChange[]): Promise<{ text: string; params: CellValue[] }[] | null>;
  /**
   * Tells Nocoflo which edits are unsaved: the tab title shows a dirty marker, and closing the tab offers to
   * save, discard or reopen them. Call it after every edit, save and discard.
   */
  setPendingChanges(changes: ViewChange[]): void;
  /** Streams the whole result of the query (not only loaded rows) to a file the user picks, with progress. */
  exportRows(request: ExportRequest): void;
  writeClipboard(text: string): void;
  /** The view's own state, kept across tab hide/show and window reloads. */
  getState<T>(): T | undefined;
  setState<T>(state: T): void;
  /** The data may have changed outside the view: re-read what is shown. */
  onRefresh(listener: (reason: 'saved' | 'external') => void): Disposable;
  onTheme(listener: (kind: ViewThemeKind) => void): Disposable;
  /** Writes to the Nocoflo output channel, prefixed with the view id. */
  log(level: 'info' | 'warn' | 'error', message: string): void;

  // Added in 1.2 (optional; Nocoflo's own client always provides them).

  /**
   * The view's current configuration (e.g. a chart spec), JSON-serializable, at most 256 KB as JSON. Nocoflo keeps
   * the latest one and stores it with "Set as Default View for This Table"; it comes back as `init.viewConfig`.
   */
  setViewConfig?(config: unknown): void;
  /** Opens a view of this or another table of the same datasource in a tab (an open tab is reused and focused). */
  openView?(target: OpenViewTarget): void;
  /** Fires when `openView` targets this already open tab: show `key` (and apply `query` when given). */
  onFocus?(listener: (target: { key?: RowKey; query?: ViewQuery }) => void): Disposable;
  /** Read-only access to another table of the same datasource (foreign-key display values, pickers, references). */
  related?(table: TableRef): RelatedTable;
  /** The tables and views of this datasource. */
  listTables?(): Promise<TableRef[]>;
  /** Asks where to save `file` and writes it; false when the user cancelled. */
  saveFile?(file: SaveFileRequest): Promise<boolean>;

  // Row locks (1.2, optional). Advisory: they show others that a record is being edited; saves are still checked
  // against the values read. Nocoflo renews held locks while the tab is open and releases them when it closes.

  /** Takes the lock on a row of this table before editing it; refused with the holder when another tab or window has it. */
  lockRow?(key: RowKey): Promise<RowLockResult>;
  /** Releases this view's lock on a row (after save, discard, or moving to another record). */
  unlockRow?(key: RowKey): Promise<void>;
  /** Breaks whoever's lock is on a row; refused with code 'permission' unless the user is an admin of the connection. */
  breakLock?(key: RowKey): Promise<boolean>;
  /** The table's live locks, now and whenever they change (taken, released, broken, expired, another window's). */
  onLocks?(listener: (locks: RowLockInfo[]) => void): Disposable;
}

/** The object at `globalThis.nocoflo`. */
export interface NocofloWebview {
  /** Semver of this client API, e.g. "1.7.0". */
  readonly apiVersion: string;
  /** Resolves once Nocoflo sent the initial state; rejects when the table cannot be opened (the reason is shown). */
  connect(): Promise<NocofloViewClient>;
}
