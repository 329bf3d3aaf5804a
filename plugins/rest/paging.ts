// Pagination state and how one API page is fetched for each style. A PageState points at one record: the API
// page holding it (page number, API offset, API cursor or link URL) plus how many records of that page to skip,
// and `o`, the record's position in the whole result. Nocoflo's `next` cursors are PageStates wrapped with the
// table and query they belong to, so every record appears exactly once however the view's page size and the
// API's page size relate.
import { datasourceError } from '../kit/errors';
import type { Endpoint } from './endpoints';
import type { HttpResponse } from './http';
import { getPath, type PathStep } from './jsonPath';
import { linkTarget } from './linkHeader';

export type PageState =
  | { s: 'none'; o: number; skip: number }
  | { s: 'page'; page: number; o: number; skip: number }
  | { s: 'offset'; o: number; skip: 0 }
  | { s: 'cursor'; c: string | null; o: number; skip: number }
  | { s: 'link'; u: string | null; o: number; skip: number };

export interface ApiPage {
  records: unknown[];
  /** The state of the first record of the following API page; undefined at the end. */
  next?: PageState;
  /** Total number of records, when the API says. */
  total?: number;
  response: HttpResponse;
}

export function initialState(endpoint: Endpoint): PageState {
  const p = endpoint.pagination;
  switch (p.style) {
    case 'none':
      return { s: 'none', o: 0, skip: 0 };
    case 'page':
      return { s: 'page', page: p.firstPage, o: 0, skip: 0 };
    case 'offset':
      return { s: 'offset', o: 0, skip: 0 };
    case 'cursor':
      return { s: 'cursor', c: null, o: 0, skip: 0 };
    case 'link':
      return { s: 'link', u: null, o: 0, skip: 0 };
  }
}

/** The state of a record `n` positions after `state` within the same API page. */
export function advance(state: PageState, n: number): PageState {
  if (state.s === 'offset') return { s: 'offset', o: state.o + n, skip: 0 };
  return { ...state, o: state.o + n, skip: state.skip + n };
}

/** Direct seeks where the style allows them (page, offset, none); undefined for cursor and link (walk instead). */
export function seekState(endpoint: Endpoint, offset: number): PageState | undefined {
  const p = endpoint.pagination;
  if (p.style === 'none') return { s: 'none', o: offset, skip: offset };
  if (p.style === 'offset') return { s: 'offset', o: offset, skip: 0 };
  if (p.style === 'page') return { s: 'page', page: p.firstPage + Math.floor(offset / p.pageSize), o: offset, skip: offset % p.pageSize };
  return undefined;
}

/** Query parameters (and, for links, the URL) for the API page that holds `state`. */
export function pageRequest(endpoint: Endpoint, state: PageState): { params: [string, string][]; url?: string } {
  const p = endpoint.pagination;
  const size: [string, string][] = p.sizeParam ? [[p.sizeParam, String(p.pageSize)]] : [];
  switch (state.s) {
    case 'none':
      return { params: [] };
    case 'page':
      return { params: [[p.pageParam, String(state.page)], ...size] };
    case 'offset':
      return { params: [[p.offsetParam, String(state.o)], ...size] };
    case 'cursor':
      return { params: [...(state.c !== null ? [[p.cursorParam, state.c] as [string, string]] : []), ...size] };
    case 'link':
      // The next link carries every parameter itself; only the first request gets the page (size) and the query.
      if (state.u !== null) return { params: [], url: state.u };
      return { params: [...(p.sendFirstPage ? [[p.pageParam, String(p.firstPage)] as [string, string]] : []), ...size] };
  }
}

/** Reads the records and what comes next out of one API response. */
export function readApiPage(endpoint: Endpoint, state: PageState, response: HttpResponse, what: string): ApiPage {
  const records = recordsOf(endpoint, response.body, what);
  const p = endpoint.pagination;
  // Page arithmetic (and so offset jumps) assumes the API sends pageSize records per full page.
  if (state.s === 'page' && records.length > p.pageSize) {
    throw datasourceError('bad_response', `${what} returned ${records.length} records for a page of ${p.pageSize}; set "pagination.pageSize" of endpoint "${endpoint.name}" to the API's page size${p.sizeParam ? ` (or check that it reads "${p.sizeParam}")` : ''}.`);
  }
  const page: ApiPage = { records, response };
  const total = totalOf(endpoint, response);
  if (total !== undefined) page.total = total;
  const start = state.o - state.skip;
  const end = start + records.length;
  const full = records.length >= p.pageSize;
  const beforeTotal = total === undefined || end < total;
  switch (state.s) {
    case 'none':
      break;
    case 'page':
      if (records.length > 0 && (p.sizeParam ? full : true) && beforeTotal) page.next = { s: 'page', page: state.page + 1, o: end, skip: 0 };
      break;
    case 'offset':
      if (records.length > 0 && (p.sizeParam ? full : true) && beforeTotal) page.next = { s: 'offset', o: end, skip: 0 };
      break;
    case 'cursor': {
      const next = getPath(response.body, p.cursorPath);
      if (records.length > 0 && next !== undefined && next !== null && next !== '' && next !== false) {
        if (typeof next !== 'string' && typeof next !== 'number') throw datasourceError('bad_response', `${what}: the next cursor at "${p.cursorPath.join('.')}" is not a text or number.`);
        page.next = { s: 'cursor', c: String(next), o: end, skip: 0 };
      }
      break;
    }
    case 'link': {
      const next = p.nextLinkPath ? bodyLink(response, p.nextLinkPath) : linkTarget(response.headers.get('link'), 'next', response.url);
      if (next && records.length > 0) page.next = { s: 'link', u: next, o: end, skip: 0 };
      break;
    }
  }
  return page;
}

function bodyLink(response: HttpResponse, path: PathStep[]): string | undefined {
  const link = getPath(response.body, path);
  if (typeof link !== 'string' || link === '') return undefined;
  try {
    return new URL(link, response.url).toString();
  } catch {
    return undefined;
  }
}

function recordsOf(endpoint: Endpoint, body: unknown, what: string): unknown[] {
  const records = endpoint.recordsPath.length === 0 ? body : getPath(body, endpoint.recordsPath);
  if (Array.isArray(records)) return records;
  const where = endpoint.recordsPath.length === 0 ? 'the response body' : `"${endpoint.recordsPath.join('.')}" in the response`;
  const found = records === undefined ? 'nothing' : records === null ? 'null' : typeof records === 'object' ? `an object with keys ${Object.keys(records).slice(0, 8).map((k) => `"${k}"`).join(', ')}` : `a ${typeof records}`;
  throw datasourceError('bad_response', `${what}: expected an array of records at ${where}, found ${found}. Set "recordsPath" of endpoint "${endpoint.name}" to where the array is.`);
}

function totalOf(endpoint: Endpoint, response: HttpResponse): number | undefined {
  const fromBody = endpoint.totalPath ? getPath(response.body, endpoint.totalPath) : undefined;
  let raw: unknown = fromBody ?? response.headers.get(endpoint.totalHeader) ?? undefined;
  // Content-Range (RFC 9110, PostgREST): "0-99/3503"; "*" instead of the total means the API did not count.
  if (typeof raw === 'string' && raw.includes('/')) raw = raw.slice(raw.lastIndexOf('/') + 1);
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Cursors handed to views
// ---------------------------------------------------------------------------------------------------------------

export type CursorBody = { m: 'api'; state: PageState } | { m: 'client'; gen: number; o: number };

interface Envelope {
  v: 1;
  t: string;
  q: string;
  c: CursorBody;
}

export function encodeCursor(table: string, queryKey: string, body: CursorBody): string {
  const envelope: Envelope = { v: 1, t: table, q: queryKey, c: body };
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url');
}

/** Decodes a cursor and checks it belongs to this table and query; a link URL must stay on the API's origin. */
export function decodeCursor(text: string, table: string, queryKey: string, origin: string): CursorBody {
  const bad = (why: string) => datasourceError('invalid_value', `This page cursor cannot continue reading "${table}": ${why}. Reload the table.`);
  let envelope: Envelope;
  try {
    envelope = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Envelope;
  } catch {
    throw bad('it is not a cursor of the REST datasource');
  }
  if (!envelope || envelope.v !== 1 || typeof envelope.c !== 'object' || envelope.c === null) throw bad('it is not a cursor of the REST datasource');
  if (envelope.t !== table) throw bad('it belongs to another table');
  if (envelope.q !== queryKey) throw bad('it belongs to another sort or filter');
  const c = envelope.c;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (c.m === 'client') {
    if (!count(c.gen) || !count(c.o)) throw bad('it is damaged');
    return c;
  }
  const s = c.m === 'api' ? c.state : undefined;
  if (!s || !count(s.o) || !count(s.skip)) throw bad('it is damaged');
  if (s.s === 'page' && !count(s.page)) throw bad('it is damaged');
  if (s.s === 'cursor' && s.c !== null && typeof s.c !== 'string') throw bad('it is damaged');
  if (s.s === 'link' && s.u !== null) {
    let url: URL;
    try {
      url = new URL(String(s.u));
    } catch {
      throw bad('it is damaged');
    }
    if (url.origin !== origin) throw bad('its link leads to another site');
  }
  if (!['none', 'page', 'offset', 'cursor', 'link'].includes(s.s)) throw bad('it is damaged');
  return c;
}
