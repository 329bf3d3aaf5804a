// One file on purpose (650 lines): it is the published typings entry of the API package that third-party plugins
// import; splitting it would change their import paths. It holds types and their documentation only.
/**
 * Nocoflo public API, version 1.
 *
 * Obtained from the Nocoflo extension:
 *
 *   const api = await vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo')!.activate();
 *   if (!api.apiVersion.startsWith('1.')) throw new Error('needs Nocoflo API 1.x');
 *   context.subscriptions.push(api.registerDatasource(myDatasource));
 *
 * This file is types only and has no dependency on `vscode`, so datasource plugins can be unit-tested in plain
 * Node. Evolution rule: within major version 1 members are only ever added, and only as optional members.
 */

// ---------------------------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------------------------

/**
 * A cell value as datasources return and accept it.
 * - Exact numerics that do not fit a double (bigint, numeric/decimal) are `bigint` or decimal strings, never floats.
 * - Dates and times are strings in the database's own text form, so nothing shifts time zones on a round trip.
 * - JSON columns are their JSON text.
 * - `null` is SQL NULL and is distinct from the empty string.
 */
export type CellValue = null | string | number | boolean | bigint | Uint8Array;

/** Logical column type; drives editors, alignment and validation. */
export type ColumnKind =
  | 'integer'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'text'
  | 'json'
  | 'date'
  | 'time'
  | 'datetime'
  | 'datetimetz'
  | 'interval'
  | 'uuid'
  | 'enum'
  | 'set'
  | 'array'
  | 'blob'
  | 'other';

// ---------------------------------------------------------------------------------------------------------------
// Tables and schemas
// ---------------------------------------------------------------------------------------------------------------

/** A table inside one datasource. `schema` is the database schema (PostgreSQL), database (MySQL) or absent. */
export interface TableRef {
  schema?: string;
  name: string;
  /**
   * Set when the reference names the result of a statement rather than a stored table (1.7); `name` is then only
   * its title. Datasources whose `capabilities.query` is true accept such references in `getSchema`, `readRows`,
   * `countRows` and `aggregate`, and never receive them in writes (Nocoflo writes an editable result through its
   * base table). See `QueryText`.
   */
  query?: QueryText;
}

/**
 * A SQL statement as the user wrote it, and the values bound to its placeholders (the dialect's own: `?` for SQLite
 * and MySQL, `$1…` for PostgreSQL). (1.7)
 *
 * Reading a query reference runs the statement again for every page, wrapped so the datasource's filters, sorts,
 * paging and aggregates apply to its result on the server (`SELECT … FROM (<text>) …`), and always read-only,
 * enforced by the database (a read-only transaction, SQLite's `query_only`): a statement that would write is
 * refused by the database with code 'read_only'. Without a sort, pages keep the statement's own order.
 */
export interface QueryText {
  /** One statement, without a trailing semicolon. */
  text: string;
  params?: CellValue[];
}

/** A table anywhere in Nocoflo. */
export interface TableLocator extends TableRef {
  datasourceId: string;
}

export type TableKind =
  | 'table'
  | 'view'
  | 'materialized-view'
  | 'partitioned-table'
  | 'foreign-table'
  | 'endpoint'
  /** The result of a SQL statement (a `TableRef` with `query`), shown by views like a table. (1.7) */
  | 'query';

export interface TableInfo {
  ref: TableRef;
  kind: TableKind;
  /** For partitions: the name of the partitioned parent table (same schema). */
  parent?: string;
  /** Cheap row count if the datasource already knows one (e.g. statistics). */
  rowCount?: RowCount;
  comment?: string;
}

export interface ForeignKey {
  columns: string[];
  references: TableRef;
  referencedColumns: string[];
}

export interface ColumnSchema {
  name: string;
  /** Declared type exactly as the database reports it. */
  declaredType: string;
  kind: ColumnKind;
  nullable: boolean;
  /** Default expression as text, if any. */
  defaultValue?: string;
  /** 1-based position in the primary key, absent if not part of it. */
  primaryKeyPosition?: number;
  /** Not writable (generated, computed, exotic type read-only rather than corrupted). */
  readOnly?: boolean;
  /** Generated/identity column: written by the database. */
  generated?: boolean;
  autoIncrement?: boolean;
  enumValues?: string[];
  /** For decimals. */
  precision?: number;
  scale?: number;
  /** For text/binary. */
  maxLength?: number;
  comment?: string;
  /**
   * For a column of a query result (1.7): the stored table column it is a plain copy of, as the engine reports it
   * (PostgreSQL's row description, MySQL's orgTable/orgName, SQLite's column metadata). Absent for computed columns
   * and where the engine does not say. Nocoflo makes a result editable only when its columns come from one table
   * and include that table's key.
   */
  origin?: { table: TableRef; column: string };
}

/** How rows are identified for updates, deletes and keyset paging. */
export interface RowKeySpec {
  columns: string[];
  /**
   * True when the key columns are not user columns (e.g. SQLite's rowid); they are returned in `RowPage.keys`
   * only, never in the row values.
   */
  synthetic?: boolean;
}

export interface TableSchema {
  table: TableRef;
  kind: TableKind;
  columns: ColumnSchema[];
  /** Primary key column names in key order; empty when the table has none. */
  primaryKey: string[];
  uniqueKeys?: string[][];
  foreignKeys: ForeignKey[];
  /** The key used to address a row; absent when rows cannot be addressed (then the table is read-only). */
  rowKey?: RowKeySpec;
  /** Set when the table cannot be edited, with the reason shown to users. */
  readOnlyReason?: string;
  comment?: string;
  /**
   * Warnings about the table's data to show when it opens, one sentence each, e.g. that rows already break a
   * foreign key (SQLite files written with enforcement off), so editing them will fail. Views show them as warnings;
   * they do not make the table read-only. (1.4)
   */
  notices?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

export type FilterOperator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'contains'
  | 'startswith'
  | 'endswith'
  | 'isnull'
  | 'notnull'
  | 'in';

/** A structured filter. Nocoflo never passes SQL text from a view to a datasource. */
export interface Filter {
  column: string;
  op: FilterOperator;
  /** Operand for comparison operators; for `in`, an array. Unused for isnull/notnull. */
  value?: CellValue | CellValue[];
}

export interface SortKey {
  column: string;
  direction: 'asc' | 'desc';
}

export interface ReadRowsRequest {
  limit: number;
  sort?: SortKey[];
  filters?: Filter[];
  /** Case-insensitive text search over `columns` (default: all text-like columns). */
  search?: { text: string; columns?: string[] };
  /** Opaque continuation from a previous page (keyset cursor). Takes precedence over `offset`. */
  after?: string;
  /** Row offset, for random access (scrollbar jumps) and tables without a unique key. */
  offset?: number;
  signal?: AbortSignal;
}

export interface RowPage {
  /** Column names, in the order of each row's values. */
  columns: string[];
  rows: CellValue[][];
  /** Row key of each row (aligned with `rows`), or null for rows that cannot be addressed. */
  keys: (Record<string, CellValue> | null)[];
  /** Continuation for the page after this one; absent at the end. */
  next?: string;
  /** Offset of the first row of this page, when known. */
  offset?: number;
  /**
   * A short remark for users about how this page was produced, e.g. that a REST API could not sort, so the
   * datasource sorted a bounded number of fetched records itself. Optional (added in 1.2).
   */
  note?: string;
}

export interface RowCount {
  count: number;
  /** False for estimates (statistics) and capped counts. */
  exact: boolean;
  /** True when counting stopped at a cap: the real count is at least `count`. */
  capped?: boolean;
}

export interface CountRequest {
  filters?: Filter[];
  search?: { text: string; columns?: string[] };
  /** Stop counting after this many rows (cheap "10,000+" answers). */
  cap?: number;
  /** Accept a statistics estimate. */
  estimate?: boolean;
  signal?: AbortSignal;
}

export type AggregateOp = 'count' | 'sum' | 'mean' | 'min' | 'max';
export type TimeUnit = 'year' | 'month' | 'day' | 'hour';

export interface AggregateRequest {
  groupBy: { column: string; bin?: { step: number }; timeUnit?: TimeUnit }[];
  measures: { op: AggregateOp; column?: string; as: string }[];
  filters?: Filter[];
  /** Maximum number of groups returned. */
  limit?: number;
  /**
   * Aggregate a sample of about this many rows when the table is much larger (1.3): a quick first answer for a big
   * table, which a view shows as an estimate before it asks again without `sample` for the exact one. A datasource
   * that cannot sample the table cheaply (a view, a table without an integer key) ignores it and answers exactly;
   * so does one written before 1.3. The answer's `sample` says which happened.
   */
  sample?: { rows: number };
  signal?: AbortSignal;
}

/** How a sampled answer was computed (1.3). */
export interface AggregateSample {
  /** The share of the table's rows the sample covers (0–1), as the datasource estimates it. */
  fraction: number;
  /** Rows of the sample that matched the filters and were aggregated. */
  rows: number;
  /** How the rows were chosen, for users: e.g. "TABLESAMPLE SYSTEM" or "64 rowid ranges". */
  method: string;
}

export interface AggregateResult {
  columns: string[];
  rows: CellValue[][];
  /** True when `limit` cut the groups. */
  truncated?: boolean;
  /**
   * Set when the answer was computed from a sample (1.3). Then `count` and `sum` measures are already scaled to the
   * whole table (estimates, as doubles), mean, min and max are the sample's, and groups the sample missed are absent.
   */
  sample?: AggregateSample;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

export type RowKey = Record<string, CellValue>;
export type RowValues = Record<string, CellValue>;

/** One change of a batch, as a save applies it. */
export type RowChange =
  | { kind: 'insert'; values: RowValues }
  | { kind: 'update'; key: RowKey; changes: RowValues; expected: RowValues }
  | { kind: 'delete'; key: RowKey; expected: RowValues };

/** What a datasource would run for one change, for users to read before they save. */
export interface StatementPreview {
  /** The statement text with placeholders, exactly as it will be sent. */
  text: string;
  /** The values bound to its placeholders, in order. */
  params: CellValue[];
}

/** Writes a datasource supports; a transaction hands the same interface to its callback. */
export interface DatasourceWriter {
  /** Inserts one row; returns the row as stored (defaults applied) when the datasource can tell. */
  insertRow(table: TableRef, values: RowValues): Promise<{ key: RowKey | null; row?: RowValues }>;
  /**
   * Updates exactly one row. `expected` holds the values read earlier; if the stored row differs in any of them
   * (or is gone), the datasource throws a DatasourceError with code 'conflict' and changes nothing.
   */
  updateRow(table: TableRef, key: RowKey, changes: RowValues, expected: RowValues): Promise<{ row?: RowValues }>;
  /** Deletes exactly one row, with the same conflict rule as updateRow. */
  deleteRow(table: TableRef, key: RowKey, expected: RowValues): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------------

export type DatasourceErrorCode =
  | 'auth'
  | 'connection'
  | 'timeout'
  | 'cancelled'
  | 'not_found'
  | 'conflict'
  | 'constraint'
  | 'invalid_value'
  | 'read_only'
  | 'stale_file'
  | 'too_large'
  | 'unsupported'
  | 'permission'
  | 'bad_response';

/**
 * Errors a datasource expects (wrong password, constraint violation, conflict) are plain `Error`s with a `code`.
 * Nocoflo shows their message to the user as is. Any other `Error` thrown by one operation (an unclassified driver
 * error, a RangeError on one bad value) fails that operation only: Nocoflo logs it with the plugin id and passes it
 * on with code 'internal' (see `ViewRequestError` in webview.d.ts); the plugin stays active for its other
 * connections. Only a broken contract marks the plugin failed: throwing or rejecting with something that is not an
 * `Error`, a synchronous hook that throws, or a result of the wrong shape. 'internal' is Nocoflo's code, not a
 * `DatasourceErrorCode`: a plugin never throws it (one that does is treated like any unexpected error).
 */
export interface DatasourceError extends Error {
  code: DatasourceErrorCode;
  /** For conflicts: the row as currently stored (undefined if it was deleted). */
  current?: RowValues | null;
  /** For constraint/invalid_value: the column concerned, if known. */
  column?: string;
  /**
   * For errors in a statement's text (1.7): where the database says the error is, 1-based, within the `QueryText`
   * as given (not the wrapped statement the datasource sent). `column` 1 when the database names only a line.
   */
  position?: { line: number; column: number };
}

// ---------------------------------------------------------------------------------------------------------------
// Datasource plugins
// ---------------------------------------------------------------------------------------------------------------

/** One field of a datasource's connection form. Fields with `secret: true` are kept in VS Code SecretStorage. */
export interface ConfigField {
  key: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'enum' | 'file' | 'password' | 'json';
  required?: boolean;
  secret?: boolean;
  default?: string | number | boolean;
  enum?: string[];
  placeholder?: string;
  description?: string;
}

export interface Capabilities {
  insert: boolean;
  update: boolean;
  delete: boolean;
  transactions: boolean;
  aggregate: boolean;
  /** Whether tables are grouped under schemas/databases in the tree. */
  schemas: boolean;
  /** Whether an exact count is cheap (otherwise counts are capped or estimated). */
  cheapCount?: boolean;
  /** Accepts query references (`TableRef.query`) in reads and has `execute` (1.7). */
  query?: boolean;
}

/** How `DatasourceSession.execute` runs a statement. (1.7) */
export interface ExecuteOptions {
  /**
   * Run it so the database refuses any write (a read-only transaction, SQLite's `query_only`), for users who may
   * only read. A refused write is a DatasourceError with code 'read_only' carrying the database's own message.
   */
  readOnly?: boolean;
  /** The most rows of a result to return; the rest are not fetched (`truncated` says so). */
  maxRows?: number;
  signal?: AbortSignal;
}

/** What one executed statement did. (1.7) */
export interface ExecuteResult {
  /** Rows inserted, updated or deleted, when the database reports it. */
  rowsAffected?: number;
  /** The statement's result rows, if it returns any (SHOW, PRAGMA, EXPLAIN, … RETURNING), up to `maxRows`. */
  columns?: string[];
  rows?: CellValue[][];
  truncated?: boolean;
}

export interface DatasourceContext {
  /** Workspace folder paths, for resolving relative file paths. */
  workspaceFolders: readonly string[];
  /** Writes to the Nocoflo output channel, prefixed with the plugin id. Never pass secrets. */
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface DatasourceSession extends DatasourceWriter {
  readonly capabilities: Capabilities;
  /** A short human description, e.g. "user@host:5432/db" or a file path (no secrets). */
  readonly description?: string;
  listTables(options?: { signal?: AbortSignal }): Promise<TableInfo[]>;
  getSchema(table: TableRef): Promise<TableSchema>;
  readRows(table: TableRef, request: ReadRowsRequest): Promise<RowPage>;
  countRows(table: TableRef, request?: CountRequest): Promise<RowCount>;
  aggregate?(table: TableRef, request: AggregateRequest): Promise<AggregateResult>;
  /** Runs `work` in one transaction: all of it applies or none of it does. */
  transaction?<T>(work: (tx: DatasourceWriter) => Promise<T>): Promise<T>;
  /**
   * The statements saving `changes` would run, one per change, without running them ("Preview SQL"). Optional
   * (added in 1.1): without it, views describe the changes in their own words.
   */
  previewChanges?(table: TableRef, changes: RowChange[]): Promise<StatementPreview[]>;
  /**
   * What the connected server says about its place in a deployment, for the tree (e.g. a read replica and its
   * replication lag); undefined when there is nothing to say. Optional (1.6): asked when the
   * connection's tables are listed.
   */
  status?(options?: { signal?: AbortSignal }): Promise<SessionStatus | undefined>;
  /**
   * Runs one statement once, as written (1.7; with `capabilities.query`): data changes, schema changes and
   * statements whose rows cannot be paged (SHOW, PRAGMA, EXPLAIN, INSERT … RETURNING). Nocoflo decides who may run
   * what and audits it; the datasource binds `params`, honours `readOnly` through the database and stops the
   * statement on the server when `signal` aborts.
   */
  execute?(statement: QueryText, options?: ExecuteOptions): Promise<ExecuteResult>;
  close(): Promise<void>;
}

/** A connection's status as the tree shows it. Plain text, no secrets. */
export interface SessionStatus {
  /** A few words after the connection's name, e.g. "read replica". Keep it stable: the tree redraws when it changes. */
  label: string;
  /** A sentence or two for its tooltip, e.g. the replication lag. */
  detail?: string;
}

export interface PluginManifest {
  /** Globally unique, e.g. "acme.csv". */
  id: string;
  displayName: string;
  /** The plugin's own version. */
  version: string;
  /** The Nocoflo API version the plugin was written against, e.g. "1.0.0". A different major is refused. */
  apiVersion: string;
  /** The contributing VS Code extension id, shown in the plugin list. */
  extensionId?: string;
  description?: string;
  /** JSON schema of the plugin's own configuration (edited in the Plugins view). */
  configSchema?: object;
}

export interface DatasourceConfig {
  [key: string]: string | number | boolean | undefined;
}

export interface DatasourcePlugin extends PluginManifest {
  /** URL schemes this datasource handles ("sqlite", "postgres", …), lower case. */
  schemes: string[];
  /** Codicon name for the tree, e.g. "database". */
  icon?: string;
  /** Fields of the connection form. */
  configFields: ConfigField[];
  /** Splits a connection URL into config and secrets. */
  parseUrl?(url: string): { config: DatasourceConfig; secrets: Record<string, string> };
  /**
   * What the secrets of `config` authenticate against, as a person reads it ("app@db.example.com:5432/shop", a
   * REST API's origin and auth kind); never a secret. Stored secrets are sent only while it stays the same: when it
   * changes, Nocoflo asks again naming the new target. Without it, every non-secret setting counts. (API 1.4)
   */
  secretTarget?(config: DatasourceConfig): string;
  testConnection(config: DatasourceConfig, secrets: Record<string, string>, context: DatasourceContext): Promise<{ ok: true; message?: string }>;
  connect(config: DatasourceConfig, secrets: Record<string, string>, context: DatasourceContext): Promise<DatasourceSession>;
}

// ---------------------------------------------------------------------------------------------------------------
// View plugins
// ---------------------------------------------------------------------------------------------------------------

export interface ViewWebviewEntry {
  /** Absolute folder (file path) holding the view's assets; it becomes the webview's only extra resource root. */
  root: string;
  /** Script path relative to `root`, loaded as a module after Nocoflo's view client. */
  script: string;
  /** Stylesheets relative to `root`. */
  styles?: string[];
}

export interface ViewPlugin extends PluginManifest {
  /** Codicon name for tabs and pickers. */
  icon?: string;
  /** Higher wins under the "auto" strategy. Built-ins: table 100, form 50 (or 150 for wide tables), chart 10. */
  priority: number | ((schema: TableSchema) => number);
  canHandle(schema: TableSchema): boolean;
  webview: ViewWebviewEntry;
}

// ---------------------------------------------------------------------------------------------------------------
// The API object
// ---------------------------------------------------------------------------------------------------------------

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => unknown) => Disposable;

export type PluginKind = 'view' | 'datasource';
export type PluginState = 'active' | 'disabled' | 'failed';

export interface PluginInfo {
  id: string;
  kind: PluginKind;
  displayName: string;
  version: string;
  apiVersion: string;
  enabled: boolean;
  state: PluginState;
  /** The error that made the plugin fail. */
  error?: string;
  extensionId?: string;
  builtIn: boolean;
}

export interface NewDatasource {
  name: string;
  /** Datasource plugin id or a scheme it handles; optional when `url` is given. */
  type?: string;
  /** Connection URL; its scheme selects the plugin and its credentials go to SecretStorage. */
  url?: string;
  config?: DatasourceConfig;
  secrets?: Record<string, string>;
}

export interface NocofloApi {
  /** Semver of this API, "1.0.0". */
  readonly apiVersion: string;
  registerDatasource(plugin: DatasourcePlugin): Disposable;
  registerView(plugin: ViewPlugin): Disposable;
  listPlugins(filter?: { kind?: PluginKind }): PluginInfo[];
  /** Adds a datasource and returns its id. Secrets are stored in SecretStorage only. */
  addDatasource(datasource: NewDatasource): Promise<string>;
  /** Stores which view (and its config) opens `table` for the current user. */
  setViewPreference(table: TableLocator, viewId: string, config?: unknown): Promise<void>;
  /** Opens a table in an editor tab, with `viewId` or the preferred view. */
  openTable(table: TableLocator, viewId?: string): Promise<void>;
  readonly onDidChangePlugins: Event<void>;
  /**
   * A plugin's configuration as stored from the Plugins view (already checked against its `configSchema`), or
   * undefined when none was stored. `onDidChangePlugins` fires after it changes. Optional (added in 1.2).
   */
  getPluginConfig?(pluginId: string): unknown;
  /**
   * Reads and writes data through Nocoflo's connections, roles, conflict checks, row locks and audit log, on behalf
   * of the calling extension (`caller.extensionId`, its `publisher.name`, which must be installed; the audit log
   * names it as the source of its writes). Optional (added in 1.5).
   */
  data?(caller: { extensionId: string }): NocofloData;
}

/** Structurally VS Code's CancellationToken, so callers pass theirs as is. (1.5) */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
  readonly onCancellationRequested: Event<unknown>;
}

/** A connection as other extensions see it: never its settings (they may name hosts and users) or secrets. (1.5) */
export interface DatasourceInfo {
  id: string;
  name: string;
  /** The datasource plugin's id ('nocoflo.sqlite', …) and display name. */
  type: string;
  typeName: string;
  /** Marked as production: its default role is viewer, and deletes ask the user. */
  production: boolean;
  /** The current user's role on it ('viewer' | 'editor' | 'admin'). */
  role: string;
}

/** What a write through `NocofloData.applyChanges` made, as `onDidChangeData` reports it for every save. (1.5) */
export interface DataChangeEvent {
  table: TableLocator;
  inserted: number;
  updated: number;
  deleted: number;
  /** Who wrote: a view id, 'extension:<publisher.name>', 'nocoflo.audit' for an undo. */
  source: string;
}

/** The outcome of `applyChanges`: all of the batch or, where the datasource has transactions, none of it. (1.5) */
export type DataApplyResult =
  | { ok: true; results: { key: RowKey | null; row?: RowValues }[] }
  | {
      ok: false;
      /** Which change failed and why: 'permission' (role), 'conflict' (the row changed or is being edited), 'cancelled' (the user declined), a DatasourceErrorCode… */
      failure: { index: number; code: string; message: string; column?: string; current?: RowValues | null };
      rolledBack: boolean;
    };

/** Nocoflo's data door for other extensions (`api.data?.({ extensionId })`). (1.5) */
export interface NocofloData {
  listDatasources(): DatasourceInfo[];
  listTables(datasourceId: string, token?: CancellationToken): Promise<TableInfo[]>;
  getSchema(table: TableLocator, token?: CancellationToken): Promise<TableSchema>;
  readRows(table: TableLocator, request: ReadRowsRequest, token?: CancellationToken): Promise<RowPage>;
  countRows(table: TableLocator, request?: CountRequest, token?: CancellationToken): Promise<RowCount>;
  /** Rejects with code 'unsupported' where the datasource cannot aggregate. */
  aggregate(table: TableLocator, request: AggregateRequest, token?: CancellationToken): Promise<AggregateResult>;
  /**
   * Writes a batch as a save in a view does: the user's role decides, `expected` values are checked (a changed row
   * is a 'conflict' with its current values), rows someone is editing in a form are refused, deletes on a
   * production connection ask the user first, and the audit log records the batch with the calling extension as
   * its source (undo works as for any save). Cancelling before the batch starts writes nothing.
   */
  applyChanges(table: TableLocator, changes: RowChange[], token?: CancellationToken): Promise<DataApplyResult>;
  /** Fires after every write made through Nocoflo (views, undo, other extensions). */
  readonly onDidChangeData: Event<DataChangeEvent>;
}
