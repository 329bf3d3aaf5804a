import type {
  AggregateRequest,
  AggregateResult,
  Capabilities,
  CountRequest,
  DatasourceWriter,
  ReadRowsRequest,
  DatasourceErrorCode,
  RowChange,
  RowCount,
  RowKey,
  RowPage,
  RowValues,
  StatementPreview,
  TableLocator,
  TableInfo,
  TableRef,
  TableSchema,
} from '../../api';
import type { DatasourceManager } from './datasourceManager';
import { isExpectedError, nocofloError, PluginFailure } from './pluginErrors';
import { readOnlyReasonFor } from '../../shared/protocolCodec';
import { withStatementTimeout } from './queries/statementTimeout';
import { editableResult, resultBase, resultKeys, toBaseChanges, toResultRow, type ResultMapping } from './queries/queryResults';

/** One edit the user made in a view and has not saved yet. */
export type PendingChange = RowChange;

export interface ChangeFailure {
  /** Index of the change in the submitted list. */
  index: number;
  code: string;
  message: string;
  column?: string;
  /** For conflicts: the row as stored now (null when it was deleted). */
  current?: RowValues | null;
}

export type ApplyResult =
  | { ok: true; results: { key: RowKey | null; row?: RowValues }[] }
  | { ok: false; failure: ChangeFailure; rolledBack: boolean };

/** Who asked for a write: a view id ('nocoflo.table', a third-party view), 'api', or a host command. */
export interface ChangeOrigin {
  source: string;
  /** For an undo from the audit log: per change (by index), the id of the audit entry it undoes. */
  undoOf?: readonly number[];
}

/** A batch refused before any datasource code runs (a role that does not allow it). */
export interface WriteRefusal {
  index: number;
  code: string;
  message: string;
}

/**
 * The governance hooks every write passes, whichever view or API call it comes from: `authorize` may refuse a
 * batch (roles), `applied` hears about every change that reached the database (the audit log). Both live outside
 * TableService so it stays the one door without knowing about metadata.
 */
export interface WriteGovernance {
  authorize?(table: TableLocator, changes: readonly PendingChange[], schema: TableSchema): Promise<WriteRefusal | undefined>;
  applied?(table: TableLocator, changes: readonly PendingChange[], results: readonly { key: RowKey | null; row?: RowValues }[], origin: ChangeOrigin, schema: TableSchema): Promise<void>;
}

const tableRef = (t: TableLocator): TableRef => ({ ...(t.schema === undefined ? { name: t.name } : { schema: t.schema, name: t.name }), ...(t.query ? { query: t.query } : {}) });

/** Bound values of a query may be bigints or bytes, which JSON.stringify cannot write. */
const keyValue = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? `${value}n` : value instanceof Uint8Array ? [...value] : value);

/** The cache key of a table or a query's result: a query is its text and bound values, whatever its title. */
const locatorKey = (t: TableLocator): string =>
  t.query ? JSON.stringify([t.datasourceId, 'query', t.query.text, t.query.params ?? []], keyValue) : JSON.stringify([t.datasourceId, t.schema ?? null, t.name]);

/**
 * The one door every view (built-in or third-party) goes through to read and write table data. Checks that do not
 * depend on the datasource — read-only tables, unknown or read-only columns — live here, so no view can bypass them.
 */
export class TableService {
  private readonly schemas = new Map<string, Promise<TableSchema>>();
  /** For query results that can be edited: how they map onto their base table (see queries/queryResults.ts). */
  private readonly mappings = new Map<string, ResultMapping>();

  constructor(
    private readonly datasources: DatasourceManager,
    private readonly governance: WriteGovernance = {},
    private readonly options: { queryTimeoutMs?(datasourceId: string): number | undefined } = {},
  ) {}

  /** Reads of a query result run within the connection's statement timeout; reads of tables as before. */
  private timed<T extends { signal?: AbortSignal }, R>(table: TableLocator, request: T, read: (request: T) => Promise<R>): Promise<R> {
    if (!table.query) return read(request);
    return withStatementTimeout(this.options.queryTimeoutMs?.(table.datasourceId), request.signal, (signal) => read({ ...request, ...(signal ? { signal } : {}) }));
  }

  schema(table: TableLocator, options: { refresh?: boolean } = {}): Promise<TableSchema> {
    const key = locatorKey(table);
    let pending = options.refresh ? undefined : this.schemas.get(key);
    if (!pending) {
      pending = this.datasources.session(table.datasourceId).then((s) => s.getSchema(tableRef(table)));
      if (table.query) pending = pending.then((raw) => this.resultSchema(table, raw, key, options));
      this.schemas.set(key, pending);
      pending.catch(() => this.schemas.delete(key));
    }
    return pending;
  }

  /** The tables and views of a datasource, as references (for views that list related tables). */
  async listTables(datasourceId: string, options: { signal?: AbortSignal } = {}): Promise<TableRef[]> {
    const session = await this.datasources.session(datasourceId);
    const tables = await session.listTables(options.signal ? { signal: options.signal } : undefined);
    return tables.map((t) => (t.ref.schema === undefined ? { name: t.ref.name } : { schema: t.ref.schema, name: t.ref.name }));
  }

  /** The tables and views of a datasource with their kind and any count the datasource already knows. */
  async tableInfos(datasourceId: string, options: { signal?: AbortSignal } = {}): Promise<TableInfo[]> {
    const session = await this.datasources.session(datasourceId);
    return session.listTables(options.signal ? { signal: options.signal } : undefined);
  }

  /** What the datasource can do (write kinds, transactions), for callers that check before they propose a write. */
  async capabilities(datasourceId: string): Promise<Capabilities> {
    return (await this.datasources.session(datasourceId)).capabilities;
  }

  forget(datasourceId?: string): void {
    for (const key of [...this.schemas.keys()]) {
      if (datasourceId === undefined || (JSON.parse(key) as string[])[0] === datasourceId) {
        this.schemas.delete(key);
        this.mappings.delete(key);
      }
    }
  }

  /** For a query result that can be edited, the stored table its edits are saved to (once its schema was read). */
  baseTable(table: TableLocator): TableLocator | undefined {
    const mapping = table.query ? this.mappings.get(locatorKey(table)) : undefined;
    return mapping ? { datasourceId: table.datasourceId, ...mapping.base } : undefined;
  }

  /** For a query result that can be edited, how its columns and key map onto its base table (once its schema was read). */
  resultMapping(table: TableLocator): ResultMapping | undefined {
    return table.query ? this.mappings.get(locatorKey(table)) : undefined;
  }

  /** A query result's schema with its editability decided from the origins of its columns. */
  private async resultSchema(table: TableLocator, raw: TableSchema, key: string, options: { refresh?: boolean }): Promise<TableSchema> {
    this.mappings.delete(key);
    const found = resultBase(raw);
    if ('reason' in found) return { ...raw, readOnlyReason: found.reason, primaryKey: [], foreignKeys: [] };
    let base: TableSchema;
    try {
      base = await this.schema({ datasourceId: table.datasourceId, ...found.base }, options);
    } catch (error) {
      const name = found.base.schema ? `${found.base.schema}.${found.base.name}` : found.base.name;
      return { ...raw, readOnlyReason: `This result is read-only: its table ${name} could not be read (${error instanceof Error ? error.message : String(error)}).`, primaryKey: [], foreignKeys: [] };
    }
    const { schema, mapping } = editableResult(raw, base);
    if (mapping) this.mappings.set(key, mapping);
    return schema;
  }

  async readRows(table: TableLocator, request: ReadRowsRequest): Promise<RowPage> {
    const schema = await this.schema(table);
    this.checkColumns(schema, [...(request.sort ?? []).map((s) => s.column), ...(request.filters ?? []).map((f) => f.column)]);
    const session = await this.datasources.session(table.datasourceId);
    const page = await this.timed(table, request, (r) => session.readRows(tableRef(table), r));
    const mapping = table.query ? this.mappings.get(locatorKey(table)) : undefined;
    return mapping ? { ...page, keys: resultKeys(mapping, page.columns, page.rows) } : page;
  }

  async countRows(table: TableLocator, request: CountRequest = {}): Promise<RowCount> {
    const session = await this.datasources.session(table.datasourceId);
    return this.timed(table, request, (r) => session.countRows(tableRef(table), r));
  }

  async aggregate(table: TableLocator, request: AggregateRequest): Promise<AggregateResult> {
    const session = await this.datasources.session(table.datasourceId);
    if (!session.aggregate) throw nocofloError('unsupported', 'This datasource cannot aggregate.');
    return this.timed(table, request, (r) => session.aggregate!(tableRef(table), r));
  }

  /**
   * The statements saving `changes` would run, after the same checks a save makes; null when the datasource
   * cannot preview (views then describe the changes themselves).
   */
  async preview(table: TableLocator, changes: PendingChange[]): Promise<StatementPreview[] | null> {
    const schema = await this.schema(table);
    const capabilities = (await this.datasources.session(table.datasourceId)).capabilities;
    for (const change of changes) {
      const problem = this.writeProblem(schema, change, capabilities);
      if (problem) throw nocofloError(problem.code as DatasourceErrorCode, problem.message);
    }
    const mapping = table.query ? this.mappings.get(locatorKey(table)) : undefined;
    if (mapping) return this.preview({ datasourceId: table.datasourceId, ...mapping.base }, toBaseChanges(mapping, changes));
    const session = await this.datasources.session(table.datasourceId);
    if (!session.previewChanges) return null;
    return session.previewChanges(tableRef(table), changes);
  }

  /**
   * Applies a batch of changes: in one transaction where the datasource supports it (all or nothing), otherwise one
   * by one, stopping at the first failure and saying which changes were already applied.
   */
  async apply(table: TableLocator, changes: PendingChange[], origin: ChangeOrigin = { source: 'unknown' }): Promise<ApplyResult> {
    const schema = await this.schema(table);
    const capabilities = (await this.datasources.session(table.datasourceId)).capabilities;
    for (const [index, change] of changes.entries()) {
      const problem = this.writeProblem(schema, change, capabilities);
      if (problem) return { ok: false, failure: { index, code: problem.code, message: problem.message }, rolledBack: true };
    }
    // An editable query result saves to its base table, through everything a save of that table passes.
    const mapping = table.query ? this.mappings.get(locatorKey(table)) : undefined;
    if (mapping) {
      const result = await this.apply({ datasourceId: table.datasourceId, ...mapping.base }, toBaseChanges(mapping, changes), origin);
      if (!result.ok) {
        const { current, column } = result.failure;
        const resultColumn = column === undefined ? undefined : mapping.toResult.get(column);
        return { ...result, failure: { ...result.failure, ...(current ? { current: toResultRow(mapping, current) } : {}), ...(column !== undefined ? { column: resultColumn ?? column } : {}) } };
      }
      return { ok: true, results: result.results.map((r) => ({ key: r.key && toResultRow(mapping, r.key), ...(r.row ? { row: toResultRow(mapping, r.row) } : {}) })) };
    }
    if (table.query) return { ok: false, failure: { index: 0, code: 'read_only', message: schema.readOnlyReason ?? 'This result is read-only.' }, rolledBack: true };
    const refusal = await this.governance.authorize?.(table, changes, schema);
    if (refusal) return { ok: false, failure: { ...refusal }, rolledBack: true };
    const session = await this.datasources.session(table.datasourceId);
    const ref = tableRef(table);
    const results: { key: RowKey | null; row?: RowValues }[] = [];
    let current = 0;
    const run = async (writer: DatasourceWriter) => {
      // A datasource may run the whole transaction again after the server rolled it back (a deadlock, a cluster's
      // certification failure): each run starts from the first change.
      results.length = 0;
      for (current = 0; current < changes.length; current++) {
        const change = changes[current];
        if (change.kind === 'insert') results.push(await writer.insertRow(ref, change.values));
        else if (change.kind === 'update') results.push({ key: change.key, ...(await writer.updateRow(ref, change.key, change.changes, change.expected)) });
        else {
          await writer.deleteRow(ref, change.key, change.expected);
          results.push({ key: change.key });
        }
      }
    };
    const transactional = session.capabilities.transactions && typeof session.transaction === 'function';
    try {
      if (transactional) await session.transaction!(run);
      else await run(session);
      await this.afterApply(table, changes, results, origin, schema);
      return { ok: true, results };
    } catch (error) {
      // Without a transaction the changes before the failing one stayed written: they are audited too.
      if (!transactional && current > 0) await this.afterApply(table, changes.slice(0, current), results.slice(0, current), origin, schema);
      const failure: ChangeFailure = {
        index: current,
        // An operation's unexpected error is 'internal' (the plugin stays active), as everywhere else.
        code: isExpectedError(error) ? error.code : error instanceof PluginFailure ? 'plugin_failed' : 'internal',
        message: error instanceof Error ? error.message : String(error),
      };
      if (isExpectedError(error)) {
        if (error.column !== undefined) failure.column = error.column;
        if ('current' in error) failure.current = error.current ?? null;
      }
      return { ok: false, failure, rolledBack: transactional || current === 0 };
    }
  }

  /** The data is written whatever the hook does: a failing audit must never turn a save into a reported failure. */
  private async afterApply(...args: Parameters<NonNullable<WriteGovernance['applied']>>): Promise<void> {
    try {
      await this.governance.applied?.(...args);
    } catch {
      // The hook logs its own failures (it owns a logger; TableService does not).
    }
  }

  private writeProblem(schema: TableSchema, change: PendingChange, capabilities: Parameters<typeof readOnlyReasonFor>[1]): { code: string; message: string } | undefined {
    // The very rule the views are told (init.readOnlyReason): a table they show read-only (no primary key, even
    // with a unique NOT NULL key) is refused here with the same words, whatever message reached the host.
    const reason = readOnlyReasonFor(schema, capabilities);
    if (reason) return { code: 'read_only', message: reason };
    if (change.kind !== 'insert' && !schema.rowKey) return { code: 'read_only', message: 'Rows of this table cannot be addressed, so they cannot be changed.' };
    const values = change.kind === 'insert' ? change.values : change.kind === 'update' ? change.changes : {};
    for (const column of Object.keys(values)) {
      const col = schema.columns.find((c) => c.name === column);
      if (!col) return { code: 'invalid_value', message: `Column "${column}" does not exist in ${schema.table.name}.` };
      if (col.readOnly || col.generated) return { code: 'read_only', message: `Column "${column}" is ${col.generated ? 'generated by the database' : 'read-only'}.` };
    }
    return undefined;
  }

  private checkColumns(schema: TableSchema, columns: string[]): void {
    const known = new Set(schema.columns.map((c) => c.name));
    for (const key of schema.rowKey?.columns ?? []) known.add(key);
    const unknown = columns.filter((c) => !known.has(c));
    if (unknown.length > 0) throw nocofloError('invalid_value', `Unknown column ${unknown.map((c) => `"${c}"`).join(', ')} in ${schema.table.name}.`);
  }
}
