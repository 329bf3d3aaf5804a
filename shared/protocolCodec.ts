// Conversions between contract types (api/index.d.ts, with bigint and bytes) and their wire shapes in
// shared/protocol.ts. The host decodes what it receives and encodes what it answers; the view client does the
// opposite, so views and datasources only ever see real CellValues.
import type {
  AggregateRequest,
  AggregateResult,
  Capabilities,
  CountRequest,
  Filter,
  ReadRowsRequest,
  RowPage,
  TableRef,
  TableSchema,
} from '../api';
import type {
  WireAggregateRequest,
  WireAggregateResult,
  WireCountRequest,
  WireFilter,
  WirePendingChange,
  WireQuery,
  WireReadRowsRequest,
  WireRowPage,
} from './protocol';
import { decodeRecord, decodeRow, decodeValue, encodeRecord, encodeRow, encodeValue } from './values';
import type { CellValue, RowChange } from '../api';
import type { ViewQuery } from '../api/webview';
import type { Wire } from './wire';

/** Core's PendingChange has this shape too: both are the API's RowChange. */
export type ChangeRequest = RowChange;

export type Query = ViewQuery;

export function encodeFilter(f: Filter): WireFilter {
  const out: WireFilter = { column: f.column, op: f.op };
  if (f.value !== undefined) out.value = Array.isArray(f.value) ? f.value.map(encodeValue) : encodeValue(f.value as CellValue);
  return out;
}

export function decodeFilter(f: WireFilter): Filter {
  const out: Filter = { column: f.column, op: f.op };
  if (f.value !== undefined) out.value = Array.isArray(f.value) ? f.value.map(decodeValue) : decodeValue(f.value);
  return out;
}

export function encodeQuery(q: Query): WireQuery {
  const out: WireQuery = {};
  if (q.sort?.length) out.sort = q.sort.map((s) => ({ column: s.column, direction: s.direction }));
  if (q.filters?.length) out.filters = q.filters.map(encodeFilter);
  if (q.search && q.search.text !== '') out.search = q.search.columns ? { text: q.search.text, columns: [...q.search.columns] } : { text: q.search.text };
  return out;
}

export function decodeQuery(q: WireQuery): Query {
  const out: Query = {};
  if (q.sort) out.sort = q.sort.map((s) => ({ column: s.column, direction: s.direction }));
  if (q.filters) out.filters = q.filters.map(decodeFilter);
  if (q.search) out.search = q.search.columns ? { text: q.search.text, columns: [...q.search.columns] } : { text: q.search.text };
  return out;
}

export function encodeReadRowsRequest(r: Omit<ReadRowsRequest, 'signal'>): WireReadRowsRequest {
  const out: WireReadRowsRequest = { limit: r.limit, ...encodeQuery(r) };
  if (r.after !== undefined) out.after = r.after;
  if (r.offset !== undefined) out.offset = r.offset;
  return out;
}

export function decodeReadRowsRequest(r: WireReadRowsRequest): ReadRowsRequest {
  const out: ReadRowsRequest = { limit: r.limit, ...decodeQuery(r) };
  if (r.after !== undefined) out.after = r.after;
  if (r.offset !== undefined) out.offset = r.offset;
  return out;
}

export function encodeCountRequest(r: Omit<CountRequest, 'signal'>): WireCountRequest {
  const { sort: _ignored, ...query } = encodeQuery(r);
  const out: WireCountRequest = query;
  if (r.cap !== undefined) out.cap = r.cap;
  if (r.estimate !== undefined) out.estimate = r.estimate;
  return out;
}

export function decodeCountRequest(r: WireCountRequest): CountRequest {
  const out: CountRequest = decodeQuery(r);
  if (r.cap !== undefined) out.cap = r.cap;
  if (r.estimate !== undefined) out.estimate = r.estimate;
  return out;
}

export function encodeAggregateRequest(r: Omit<AggregateRequest, 'signal'>): WireAggregateRequest {
  const out: WireAggregateRequest = { groupBy: r.groupBy.map((g) => ({ ...g })), measures: r.measures.map((m) => ({ ...m })) };
  if (r.filters?.length) out.filters = r.filters.map(encodeFilter);
  if (r.limit !== undefined) out.limit = r.limit;
  if (r.sample) out.sample = { rows: r.sample.rows };
  return out;
}

export function decodeAggregateRequest(r: WireAggregateRequest): AggregateRequest {
  const out: AggregateRequest = { groupBy: r.groupBy.map((g) => ({ ...g })), measures: r.measures.map((m) => ({ ...m })) };
  if (r.filters) out.filters = r.filters.map(decodeFilter);
  if (r.limit !== undefined) out.limit = r.limit;
  if (r.sample) out.sample = { rows: r.sample.rows };
  return out;
}

export function encodeRowPage(page: RowPage): WireRowPage {
  const out: WireRowPage = { columns: [...page.columns], rows: page.rows.map(encodeRow), keys: page.keys.map((k) => (k === null ? null : encodeRecord(k))) };
  if (page.next !== undefined) out.next = page.next;
  if (page.offset !== undefined) out.offset = page.offset;
  if (page.note !== undefined) out.note = page.note;
  return out;
}

export function decodeRowPage(page: WireRowPage): RowPage {
  const out: RowPage = { columns: page.columns, rows: page.rows.map(decodeRow), keys: page.keys.map((k) => (k === null ? null : decodeRecord(k))) };
  if (page.next !== undefined) out.next = page.next;
  if (page.offset !== undefined) out.offset = page.offset;
  if (page.note !== undefined) out.note = page.note;
  return out;
}

const sampleOf = (s: AggregateResult['sample']) => (s ? { sample: { fraction: s.fraction, rows: s.rows, method: s.method } } : {});
export const encodeAggregateResult = (r: AggregateResult): WireAggregateResult => ({ columns: [...r.columns], rows: r.rows.map(encodeRow), ...(r.truncated ? { truncated: true } : {}), ...sampleOf(r.sample) });
export const decodeAggregateResult = (r: WireAggregateResult): AggregateResult => ({ columns: r.columns, rows: r.rows.map(decodeRow), ...(r.truncated ? { truncated: true } : {}), ...sampleOf(r.sample) });

export function encodeChange(c: ChangeRequest): WirePendingChange {
  switch (c.kind) {
    case 'insert':
      return { kind: 'insert', values: encodeRecord(c.values) };
    case 'update':
      return { kind: 'update', key: encodeRecord(c.key), changes: encodeRecord(c.changes), expected: encodeRecord(c.expected) };
    case 'delete':
      return { kind: 'delete', key: encodeRecord(c.key), expected: encodeRecord(c.expected) };
  }
}

export function decodeChange(c: WirePendingChange): ChangeRequest {
  switch (c.kind) {
    case 'insert':
      return { kind: 'insert', values: decodeRecord(c.values) };
    case 'update':
      return { kind: 'update', key: decodeRecord(c.key), changes: decodeRecord(c.changes), expected: decodeRecord(c.expected) };
    case 'delete':
      return { kind: 'delete', key: decodeRecord(c.key), expected: decodeRecord(c.expected) };
  }
}

/**
 * Why a table cannot be edited, in words for the user; undefined when it can. The datasource's own reason wins;
 * otherwise views, tables without a primary key, and datasources without write support are read-only.
 */
export function readOnlyReasonFor(schema: TableSchema, capabilities: Capabilities): string | undefined {
  if (schema.readOnlyReason) return schema.readOnlyReason;
  if (schema.kind === 'view' || schema.kind === 'materialized-view') return `"${schema.table.name}" is a view: its rows cannot be edited here.`;
  // A synthetic key (SQLite's rowid) or a unique key would address rows, but rowids can change (VACUUM) and the
  // issue's rule is plain: without a primary key, a table is shown read-only.
  if (schema.primaryKey.length === 0 || !schema.rowKey || schema.rowKey.columns.length === 0) {
    return `"${schema.table.name}" has no primary key, so its rows cannot be identified reliably: it opens read-only.`;
  }
  if (!capabilities.insert && !capabilities.update && !capabilities.delete) return 'This datasource is read-only.';
  return undefined;
}

/**
 * A table reference as a view receives it: a query reference keeps its text (for titles and hints) but never its
 * bound values, which stay in the host. Views never send query references back (the protocol refuses the field).
 */
export function refForView<T extends TableRef>(ref: T): Omit<T, 'query'> & { query?: { text: string } } {
  if (!ref.query) return ref;
  return { ...ref, query: { text: ref.query.text } };
}

/** A schema as a view receives it (see refForView). */
export function schemaForView(schema: TableSchema): Wire<TableSchema> {
  const columns = schema.columns.map((c) => (c.origin ? { ...c, origin: { table: plainRef(c.origin.table), column: c.origin.column } } : c));
  return { ...schema, table: refForView(schema.table), columns } as Wire<TableSchema>;
}

/** Schema and name only: what a stored table is called, whatever else a reference carries. */
export function plainRef(ref: { schema?: string; name: string }): TableRef {
  return ref.schema === undefined ? { name: ref.name } : { schema: ref.schema, name: ref.name };
}
