// Over 400 lines (534): reads, the client-side sort/filter fallback and the checked writes share one endpoint state
// (its HTTP client, page cache, schemas and paging checkpoints); the GET-then-write path is the part to move out next.
// One REST datasource session: each configured endpoint is a table. Reads follow the endpoint's pagination through
// PageStates (paging.ts); sorts and filters the API has templates for are sent to it, the rest is done here over at
// most CLIENT_SIDE_CAP fetched records, and every page that relies on that says so in RowPage.note. Writes go to
// the configured POST/PATCH/PUT/DELETE paths after a GET of the record checks it still holds what was read.
import type {
  Capabilities,
  CellValue,
  ColumnSchema,
  CountRequest,
  DatasourceSession,
  ReadRowsRequest,
  RowChange,
  RowCount,
  RowKey,
  RowPage,
  RowValues,
  StatementPreview,
  TableInfo,
  TableRef,
  TableSchema,
} from '../../api';
import { datasourceError, isDatasourceError } from '../kit/errors';
import type { Endpoint, WriteTarget } from './endpoints';
import { RestHttp, type HttpResponse } from './http';
import { stringifyJson } from './jsonNumbers';
import { getPath } from './jsonPath';
import { advance, decodeCursor, encodeCursor, initialState, pageRequest, readApiPage, seekState, type ApiPage, type PageState } from './paging';
import { applyClientSide, needsClient, planQuery, type QueryPlan } from './queryPlan';
import { fromCell, inferColumns, isKeyValue, sameCell, toCell } from './schemaInference';
import { authHeaders, describe, redactor, secretTexts, type RestSettings } from './settings';
import { endpointUrl, fillId } from './urls';

/** Client-side sorting and filtering looks at no more than this many records. */
export const CLIENT_SIDE_CAP = 10_000;
/** Counting by walking pages stops here (when the request sets no cap). */
export const COUNT_CAP = 10_000;
/** A jump to an offset walks at most this many cursor/link pages. */
const MAX_WALK_PAGES = 1_000;
/** Fetched API pages are reused this long (a view reading on mid-page, counts, schema samples). */
const PAGE_CACHE_MS = 30_000;
const PAGE_CACHE_SIZE = 64;
const MATERIALIZED_SIZE = 4;

interface EndpointColumns {
  schema: TableSchema;
  columns: ColumnSchema[];
  idIndex: number;
}

interface Item {
  row: CellValue[];
  key: RowKey | null;
}

interface Materialized {
  gen: number;
  items: Item[];
  fetched: number;
  truncated: boolean;
}

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export class RestSession implements DatasourceSession {
  readonly capabilities: Capabilities;
  readonly description: string;
  private readonly http: RestHttp;
  private readonly closing = new AbortController();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly redact: (message: string) => string;
  private readonly log: Log;
  private readonly pageCache = new Map<string, { at: number; response: HttpResponse }>();
  private readonly schemas = new Map<string, Promise<EndpointColumns>>();
  /** Start states of API pages seen, per endpoint and query, so offset jumps in cursor/link paging walk less. */
  private readonly checkpoints = new Map<string, PageState[]>();
  private readonly materialized = new Map<string, Materialized>();
  private generation = 0;

  constructor(
    private readonly settings: RestSettings,
    secrets: Record<string, string>,
    log: Log,
  ) {
    this.redact = redactor(secretTexts(settings, secrets));
    this.log = (level, message) => log(level, this.redact(message));
    for (const endpoint of settings.endpoints) this.endpoints.set(endpoint.name, endpoint);
    const has = (kind: 'insert' | 'update' | 'delete') => settings.endpoints.some((e) => e.writes[kind] !== undefined);
    this.capabilities = { insert: has('insert'), update: has('update'), delete: has('delete'), transactions: false, aggregate: false, schemas: false, cheapCount: false };
    this.description = describe(settings);
    this.http = new RestHttp({
      origin: settings.baseUrl.origin,
      headers: { ...settings.headers, ...authHeaders(settings, secrets) },
      timeoutMs: settings.timeoutMs,
      maxConcurrent: settings.maxConcurrent,
      maxBodyBytes: settings.maxBodyBytes,
      redact: this.redact,
      log: this.log,
      closing: this.closing.signal,
    });
  }

  async listTables(): Promise<TableInfo[]> {
    this.checkOpen();
    return this.settings.endpoints.map((e) => ({ ref: { name: e.name }, kind: 'endpoint', comment: e.comment ?? `GET ${e.path}` }));
  }

  async getSchema(table: TableRef): Promise<TableSchema> {
    return this.guard(async () => {
      const endpoint = this.endpoint(table);
      // Asked again, this is a reload (the view's refresh): forget cached pages too, so it shows the API's state now.
      this.forget(endpoint);
      this.schemas.delete(endpoint.name);
      return (await this.columnsOf(endpoint)).schema;
    });
  }

  async readRows(table: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    return this.guard(async () => {
      const endpoint = this.endpoint(table);
      const shape = await this.columnsOf(endpoint, request.signal);
      const plan = planQuery(endpoint, request, shape.columns);
      const limit = Math.max(0, Math.floor(request.limit));
      if (needsClient(plan)) return this.readClientSide(endpoint, shape, plan, request, limit);

      let state: PageState;
      if (request.after) {
        const cursor = decodeCursor(request.after, endpoint.name, plan.key, this.settings.baseUrl.origin);
        if (cursor.m !== 'api') throw datasourceError('invalid_value', `This page cursor cannot continue reading "${endpoint.name}": it belongs to another sort or filter. Reload the table.`);
        state = cursor.state;
      } else if (request.offset) state = await this.seek(endpoint, plan, Math.max(0, Math.floor(request.offset)), request.signal);
      else state = initialState(endpoint);

      const page: RowPage = { columns: shape.columns.map((c) => c.name), rows: [], keys: [], offset: state.o };
      let next: PageState | undefined;
      for (;;) {
        const api = await this.fetchPage(endpoint, plan, state, request.signal);
        const available = api.records.slice(state.skip);
        const taken = available.slice(0, limit - page.rows.length);
        for (const record of taken) {
          const item = this.item(endpoint, shape, record);
          page.rows.push(item.row);
          page.keys.push(item.key);
        }
        if (taken.length < available.length) {
          next = advance(state, taken.length);
          break;
        }
        if (!api.next) break;
        state = api.next;
        if (page.rows.length >= limit) {
          next = state;
          break;
        }
      }
      if (next) page.next = encodeCursor(endpoint.name, plan.key, { m: 'api', state: next });
      const note = this.missingIdNote(endpoint, page.keys, page.rows.length);
      if (note) page.note = note;
      return page;
    });
  }

  async countRows(table: TableRef, request: CountRequest = {}): Promise<RowCount> {
    return this.guard(async () => {
      const endpoint = this.endpoint(table);
      // The schema (cached) types the filter values: a numeric operand is a number in the API's syntax too.
      const shape = await this.columnsOf(endpoint, request.signal);
      const plan = planQuery(endpoint, { ...(request.filters ? { filters: request.filters } : {}), ...(request.search ? { search: request.search } : {}) }, shape.columns);
      if (needsClient(plan)) {
        const m = await this.materialize(endpoint, shape, plan, request.signal);
        return m.truncated ? { count: m.items.length, exact: false, capped: true } : { count: m.items.length, exact: true };
      }
      const cap = request.cap ?? COUNT_CAP;
      let state = initialState(endpoint);
      let count = 0;
      for (;;) {
        const api = await this.fetchPage(endpoint, plan, state, request.signal);
        if (api.total !== undefined) return { count: api.total, exact: true };
        count += api.records.length;
        if (!api.next) return { count, exact: true };
        // An estimate (the tree's counts) costs one request: "100+" rather than walking a rate-limited API.
        if (count >= cap || request.estimate) return { count, exact: false, capped: true };
        state = api.next;
      }
    });
  }

  insertRow(table: TableRef, values: RowValues): Promise<{ key: RowKey | null; row?: RowValues }> {
    return this.guard(async () => {
      const endpoint = this.endpoint(table);
      const target = this.writeTarget(endpoint, 'insert');
      const shape = await this.columnsOf(endpoint);
      const body = this.body(shape, values);
      const response = await this.http.request({ method: target.method, url: endpointUrl(this.settings.baseUrl, target.path), body, ...this.writeHeaders(endpoint) });
      this.forget(endpoint);
      const stored = this.recordOf(endpoint, response.body);
      const idField = endpoint.idField;
      const id = idField === undefined ? undefined : stored?.[idField] ?? body[idField];
      const key = idField !== undefined && isKeyValue(id) ? { [idField]: id } : null;
      return stored ? { key, row: this.rowValues(shape, stored) } : { key };
    });
  }

  updateRow(table: TableRef, key: RowKey, changes: RowValues, expected: RowValues): Promise<{ row?: RowValues }> {
    return this.guard(async () => {
      const endpoint = this.endpoint(table);
      const target = this.writeTarget(endpoint, 'update');
      const shape = await this.columnsOf(endpoint);
      const id = this.idOf(endpoint, key);
      const current = await this.checkCurrent(endpoint, shape, id, expected);
      const sent = this.body(shape, changes);
      // PUT replaces the whole record, so it carries the stored fields too.
      const body = target.method === 'PUT' ? { ...current, ...sent } : sent;
      const response = await this.http.request({ method: target.method, url: endpointUrl(this.settings.baseUrl, fillId(target.path, id)), body, ...this.writeHeaders(endpoint) });
      this.forget(endpoint);
      const stored = this.recordOf(endpoint, response.body) ?? { ...current, ...sent };
      return { row: this.rowValues(shape, stored) };
    });
  }

  deleteRow(table: TableRef, key: RowKey, expected: RowValues): Promise<void> {
    return this.guard(async () => {
      const endpoint = this.endpoint(table);
      const target = this.writeTarget(endpoint, 'delete');
      const shape = await this.columnsOf(endpoint);
      const id = this.idOf(endpoint, key);
      await this.checkCurrent(endpoint, shape, id, expected);
      await this.http.request({ method: target.method, url: endpointUrl(this.settings.baseUrl, fillId(target.path, id)), ...this.writeHeaders(endpoint) });
      this.forget(endpoint);
    });
  }

  /** The requests a save sends, in order: the method and path, with the JSON body as the one parameter. */
  async previewChanges(table: TableRef, changes: RowChange[]): Promise<StatementPreview[]> {
    return this.guard(async () => {
      const endpoint = this.endpoint(table);
      const shape = await this.columnsOf(endpoint);
      return changes.map((change) => {
        if (change.kind === 'insert') {
          const target = this.writeTarget(endpoint, 'insert');
          return { text: `${target.method} ${endpointUrl(this.settings.baseUrl, target.path).pathname}`, params: [stringifyJson(this.body(shape, change.values))] };
        }
        const target = this.writeTarget(endpoint, change.kind);
        const path = endpointUrl(this.settings.baseUrl, fillId(target.path, this.idOf(endpoint, change.key))).pathname;
        const check = `GET ${endpointUrl(this.settings.baseUrl, fillId(this.recordTemplate(endpoint), this.idOf(endpoint, change.key))).pathname} (checks the record is unchanged), then `;
        if (change.kind === 'delete') return { text: `${check}${target.method} ${path}`, params: [] };
        return { text: `${check}${target.method} ${path}${target.method === 'PUT' ? ' (the whole record)' : ''}`, params: [stringifyJson(this.body(shape, change.changes))] };
      });
    });
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.pageCache.clear();
    this.materialized.clear();
    this.checkpoints.clear();
  }

  // -------------------------------------------------------------------------------------------------------------

  private checkOpen(): void {
    if (this.closing.signal.aborted) throw datasourceError('cancelled', 'This REST datasource session is closed.');
  }

  /** Runs an operation with every message redacted; non-contract errors (bugs) pass through as they are. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    this.checkOpen();
    try {
      return await work();
    } catch (error) {
      if (isDatasourceError(error)) error.message = this.redact(error.message);
      throw error;
    }
  }

  private endpoint(table: TableRef): Endpoint {
    const endpoint = this.endpoints.get(table.name);
    if (!endpoint || table.schema !== undefined) throw datasourceError('not_found', `There is no endpoint "${table.name}" in this REST datasource.`);
    return endpoint;
  }

  private columnsOf(endpoint: Endpoint, signal?: AbortSignal): Promise<EndpointColumns> {
    let pending = this.schemas.get(endpoint.name);
    if (!pending) {
      pending = this.inferSchema(endpoint, signal);
      this.schemas.set(endpoint.name, pending);
      pending.catch(() => {
        if (this.schemas.get(endpoint.name) === pending) this.schemas.delete(endpoint.name);
      });
    }
    return pending;
  }

  private async inferSchema(endpoint: Endpoint, signal?: AbortSignal): Promise<EndpointColumns> {
    const plan = planQuery(endpoint, {});
    const api = await this.fetchPage(endpoint, plan, initialState(endpoint), signal);
    const sample = api.records.slice(0, 1_000);
    const inferred = inferColumns(sample, { ...(endpoint.idField ? { idField: endpoint.idField } : {}), overrides: endpoint.columns });
    const columns = inferred.columns;
    const objects = sample.length - inferred.nonObjects;
    const schema: TableSchema = {
      table: { name: endpoint.name },
      kind: 'endpoint',
      columns,
      primaryKey: endpoint.idField ? [endpoint.idField] : [],
      foreignKeys: [],
      comment: endpoint.comment ?? this.describeEndpoint(endpoint),
    };
    if (endpoint.idField) schema.rowKey = { columns: [endpoint.idField] };
    const path = endpoint.path.split('?')[0];
    const writes = endpoint.writes;
    if (!writes.insert && !writes.update && !writes.delete) {
      schema.readOnlyReason =
        `Read-only: endpoint "${endpoint.name}" has no "writes" configured. To edit it, add to its definition in the datasource's Endpoints ` +
        `${endpoint.idField ? '' : `an "idField" and `}"writes": { "insert": "POST ${path}", "update": "PATCH ${path}/{id}", "delete": "DELETE ${path}/{id}" } (the methods and paths your API uses).`;
    } else if (endpoint.idField && objects > 0 && inferred.withoutId === objects && (writes.update || writes.delete)) {
      schema.readOnlyReason = `Read-only: none of the records of "${endpoint.name}" has the id field "${endpoint.idField}", so they cannot be addressed; check "idField" in its definition.`;
    }
    return { schema, columns, idIndex: endpoint.idField ? columns.findIndex((c) => c.name === endpoint.idField) : -1 };
  }

  private describeEndpoint(endpoint: Endpoint): string {
    const p = endpoint.pagination;
    const paging = p.style === 'none' ? 'one request' : `${p.style} paging, ${p.pageSize} records per request`;
    const pushed = [endpoint.sort ? 'sorting' : '', endpoint.filters ? `filters (${Object.keys(endpoint.filters.ops).join(', ')})` : '', endpoint.searchParam ? 'search' : ''].filter(Boolean);
    return `GET ${endpoint.path}: ${paging}. ${pushed.length ? `The API does ${pushed.join(', ')}; other` : 'Sorts, filters and searches'} run in Nocoflo over at most ${CLIENT_SIDE_CAP.toLocaleString('en-US')} records.`;
  }

  /** Fetches the API page holding `state` (reusing a recent identical request). */
  private async fetchPage(endpoint: Endpoint, plan: QueryPlan, state: PageState, signal?: AbortSignal): Promise<ApiPage> {
    const request = pageRequest(endpoint, state);
    const url = request.url !== undefined ? new URL(request.url) : endpointUrl(this.settings.baseUrl, endpoint.path, [...endpoint.readParams, ...plan.params, ...request.params]);
    if (url.origin !== this.settings.baseUrl.origin) {
      throw datasourceError('bad_response', `The next-page link of "${endpoint.name}" leads to another site (${url.origin}); Nocoflo does not follow it, so your credentials stay with ${this.settings.baseUrl.origin}.`);
    }
    const key = url.toString();
    const cached = this.pageCache.get(key);
    let response: HttpResponse;
    if (cached && Date.now() - cached.at < PAGE_CACHE_MS) response = cached.response;
    else {
      response = await this.http.request({ method: 'GET', url, ...(endpoint.readHeaders ? { headers: endpoint.readHeaders } : {}), ...(signal ? { signal } : {}) });
      this.pageCache.delete(key);
      this.pageCache.set(key, { at: Date.now(), response });
      while (this.pageCache.size > PAGE_CACHE_SIZE) this.pageCache.delete(this.pageCache.keys().next().value as string);
    }
    const page = readApiPage(endpoint, state, response, `GET ${url.pathname}`);
    if (page.next && (page.next.s === 'cursor' || page.next.s === 'link')) {
      const list = this.checkpoints.get(`${endpoint.name}\n${plan.key}`) ?? [];
      if (!list.some((s) => s.o === page.next!.o)) list.push(page.next);
      this.checkpoints.set(`${endpoint.name}\n${plan.key}`, list);
    }
    return page;
  }

  /** The state of record number `offset`: computed for page/offset paging, walked (from checkpoints) otherwise. */
  private async seek(endpoint: Endpoint, plan: QueryPlan, offset: number, signal?: AbortSignal): Promise<PageState> {
    const direct = seekState(endpoint, offset);
    if (direct) return direct;
    const known = (this.checkpoints.get(`${endpoint.name}\n${plan.key}`) ?? []).filter((s) => s.o <= offset).sort((a, b) => b.o - a.o)[0];
    let state = known ?? initialState(endpoint);
    for (let pages = 0; ; pages++) {
      if (pages >= MAX_WALK_PAGES) {
        throw datasourceError('too_large', `Jumping to record ${offset + 1} of "${endpoint.name}" would walk more than ${MAX_WALK_PAGES} pages of the API's ${endpoint.pagination.style} paging; scroll there instead.`);
      }
      const api = await this.fetchPage(endpoint, plan, state, signal);
      const start = state.o - state.skip;
      if (offset < start + api.records.length || !api.next) return advance({ ...state, o: start, skip: 0 } as PageState, offset - start);
      state = api.next;
    }
  }

  private async readClientSide(endpoint: Endpoint, shape: EndpointColumns, plan: QueryPlan, request: ReadRowsRequest, limit: number): Promise<RowPage> {
    const key = `${endpoint.name}\n${plan.key}`;
    let m = this.materialized.get(key);
    let start: number;
    if (request.after) {
      const cursor = decodeCursor(request.after, endpoint.name, plan.key, this.settings.baseUrl.origin);
      if (cursor.m !== 'client') throw datasourceError('invalid_value', `This page cursor cannot continue reading "${endpoint.name}": it belongs to another sort or filter. Reload the table.`);
      start = cursor.o;
      // The records behind the cursor were dropped (evicted or written to): read them again and go on at the offset.
      if (!m || m.gen !== cursor.gen) m = await this.materialize(endpoint, shape, plan, request.signal);
    } else {
      start = Math.max(0, Math.floor(request.offset ?? 0));
      // A fresh read from the top fetches again, so a reload shows the API's current data; jumps reuse it.
      if (!m || start === 0) m = await this.materialize(endpoint, shape, plan, request.signal);
    }
    const items = m.items.slice(start, start + limit);
    const page: RowPage = { columns: shape.columns.map((c) => c.name), rows: items.map((i) => i.row), keys: items.map((i) => i.key), offset: start };
    if (start + limit < m.items.length) page.next = encodeCursor(endpoint.name, plan.key, { m: 'client', gen: m.gen, o: start + limit });
    page.note = this.clientNote(plan, m);
    return page;
  }

  private async materialize(endpoint: Endpoint, shape: EndpointColumns, plan: QueryPlan, signal?: AbortSignal): Promise<Materialized> {
    const records: unknown[] = [];
    let state: PageState = initialState(endpoint);
    let truncated = false;
    for (;;) {
      const api = await this.fetchPage(endpoint, plan, state, signal);
      records.push(...api.records);
      if (records.length >= CLIENT_SIDE_CAP) {
        truncated = records.length > CLIENT_SIDE_CAP || api.next !== undefined;
        records.length = CLIENT_SIDE_CAP;
        break;
      }
      if (!api.next) break;
      state = api.next;
    }
    const items = applyClientSide(records.map((r) => this.item(endpoint, shape, r)), shape.columns, plan, shape.idIndex);
    const m: Materialized = { gen: ++this.generation, items, fetched: records.length, truncated };
    const key = `${endpoint.name}\n${plan.key}`;
    this.materialized.delete(key);
    this.materialized.set(key, m);
    while (this.materialized.size > MATERIALIZED_SIZE) this.materialized.delete(this.materialized.keys().next().value as string);
    return m;
  }

  private clientNote(plan: QueryPlan, m: Materialized): string {
    const did = [plan.clientSort ? 'sorted' : '', plan.clientFilters.length > 0 || plan.clientSearch ? 'filtered' : ''].filter(Boolean).join(' and ');
    const over = m.truncated
      ? `over the first ${CLIENT_SIDE_CAP.toLocaleString('en-US')} records only: the API has more, so rows beyond them are missing`
      : `over all ${m.fetched.toLocaleString('en-US')} records it fetched`;
    return `${did[0]!.toUpperCase()}${did.slice(1)} by Nocoflo, not by the API (${plan.reasons.join('; ')}), ${over}.`;
  }

  private missingIdNote(endpoint: Endpoint, keys: readonly (RowKey | null)[], rows: number): string | undefined {
    if (!endpoint.idField || rows === 0) return undefined;
    const missing = keys.filter((k) => k === null).length;
    if (missing === 0) return undefined;
    return `${missing} of the ${rows} records on this page have no usable "${endpoint.idField}" field (idField), so they cannot be edited or deleted.`;
  }

  private item(endpoint: Endpoint, shape: EndpointColumns, record: unknown): Item {
    const fields = typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : {};
    const row = shape.columns.map((c) => toCell(fields[c.name], c.kind));
    const id = endpoint.idField === undefined ? undefined : fields[endpoint.idField];
    return { row, key: endpoint.idField !== undefined && isKeyValue(id) ? { [endpoint.idField]: id } : null };
  }

  private rowValues(shape: EndpointColumns, record: Record<string, unknown>): RowValues {
    const row: RowValues = {};
    for (const column of shape.columns) row[column.name] = toCell(record[column.name], column.kind);
    return row;
  }

  private body(shape: EndpointColumns, values: RowValues): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const [name, cell] of Object.entries(values)) {
      const column = shape.columns.find((c) => c.name === name);
      if (!column) throw datasourceError('invalid_value', `"${name}" is not a field of these records.`, { column: name });
      body[name] = fromCell(cell, column);
    }
    return body;
  }

  private writeHeaders(endpoint: Endpoint): { headers?: Record<string, string> } {
    return endpoint.writeHeaders ? { headers: endpoint.writeHeaders } : {};
  }

  private recordOf(endpoint: Endpoint, body: unknown): Record<string, unknown> | undefined {
    const record = endpoint.recordPath.length === 0 ? body : getPath(body, endpoint.recordPath);
    return typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : undefined;
  }

  private writeTarget(endpoint: Endpoint, kind: 'insert' | 'update' | 'delete'): WriteTarget {
    const target = endpoint.writes[kind];
    if (target) return target;
    const path = endpoint.path.split('?')[0];
    const example = kind === 'insert' ? `"insert": "POST ${path}"` : kind === 'update' ? `"update": "PATCH ${path}/{id}"` : `"delete": "DELETE ${path}/{id}"`;
    const verb = kind === 'insert' ? 'Inserting' : kind === 'update' ? 'Updating' : 'Deleting';
    throw datasourceError('read_only', `${verb} records is not configured for endpoint "${endpoint.name}"; add ${example} to its "writes".`);
  }

  private idOf(endpoint: Endpoint, key: RowKey): string | number {
    const id = endpoint.idField === undefined ? undefined : key[endpoint.idField];
    if (!isKeyValue(id)) throw datasourceError('read_only', `This record of "${endpoint.name}" has no usable "${endpoint.idField ?? 'id'}" value, so it cannot be changed.`);
    return id;
  }

  private recordTemplate(endpoint: Endpoint): string {
    return endpoint.recordTemplate ?? endpoint.writes.update?.path ?? endpoint.writes.delete?.path ?? `${endpoint.path.split('?')[0].replace(/\/$/, '')}/{id}`;
  }

  /**
   * GETs the record and compares it with what was read; a conflict (with the stored record, or null when it is
   * gone) if anything differs. Returns the stored record for PUT.
   */
  private async checkCurrent(endpoint: Endpoint, shape: EndpointColumns, id: string | number, expected: RowValues): Promise<Record<string, unknown>> {
    let record: Record<string, unknown> | undefined;
    try {
      const response = await this.http.request({ method: 'GET', url: endpointUrl(this.settings.baseUrl, fillId(this.recordTemplate(endpoint), id)), ...(endpoint.readHeaders ? { headers: endpoint.readHeaders } : {}) });
      record = this.recordOf(endpoint, response.body);
      if (!record) throw datasourceError('bad_response', `GET of record ${id} of "${endpoint.name}" did not return a JSON object${endpoint.recordPath.length ? ` at "${endpoint.recordPath.join('.')}"` : ''}; set "recordPath" or "record" in its definition.`);
    } catch (error) {
      if (isDatasourceError(error) && error.code === 'not_found') {
        throw datasourceError('conflict', `Record ${endpoint.idField}=${id} of "${endpoint.name}" was deleted on the server after you read it.`, { current: null });
      }
      throw error;
    }
    const current = this.rowValues(shape, record);
    const changed = Object.keys(expected).filter((name) => {
      const column = shape.columns.find((c) => c.name === name);
      return !sameCell(current[name] ?? null, expected[name] ?? null, column?.kind ?? 'text');
    });
    if (changed.length > 0) {
      throw datasourceError('conflict', `Record ${endpoint.idField}=${id} of "${endpoint.name}" was changed on the server after you read it (${changed.map((c) => `"${c}"`).join(', ')}).`, { current });
    }
    return record;
  }

  /** Drops what was read from an endpoint after a write, so the next read shows the API's new state. */
  private forget(endpoint: Endpoint): void {
    const prefix = endpointUrl(this.settings.baseUrl, endpoint.path.split('?')[0]).toString().split('?')[0];
    for (const key of [...this.pageCache.keys()]) if (key.startsWith(prefix)) this.pageCache.delete(key);
    // Link URLs may point anywhere on the API: drop the whole cache rather than guess.
    if (endpoint.pagination.style === 'link') this.pageCache.clear();
    for (const key of [...this.materialized.keys()]) if (key.startsWith(`${endpoint.name}\n`)) this.materialized.delete(key);
    for (const key of [...this.checkpoints.keys()]) if (key.startsWith(`${endpoint.name}\n`)) this.checkpoints.delete(key);
  }

  /** For testConnection: the first page of each endpoint, or the first error. */
  async probe(signal?: AbortSignal): Promise<string> {
    return this.guard(async () => {
      const parts: string[] = [];
      for (const endpoint of this.settings.endpoints.slice(0, 10)) {
        const api = await this.fetchPage(endpoint, planQuery(endpoint, {}), initialState(endpoint), signal);
        parts.push(`${endpoint.name} (${api.records.length}${api.next ? '+' : ''} records)`);
      }
      const more = this.settings.endpoints.length - parts.length;
      return `${describe(this.settings)} answers: ${parts.join(', ')}${more > 0 ? ` and ${more} more endpoints` : ''}.`;
    });
  }
}
