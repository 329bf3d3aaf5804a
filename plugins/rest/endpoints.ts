// The `endpoints` config field: a JSON array with one table definition per entry. DatasourceConfig values are
// scalars, so it arrives as JSON text; this module parses it into checked Endpoint objects, and every complaint
// names the entry (index and name) and the key that is wrong, so a user can find it in a long definition.
import type { ColumnKind } from '../../api';
import { datasourceError } from '../kit/errors';
import { parseJsonPath, type PathStep } from './jsonPath';
import { applyPreset } from './presets';
import { parseFilters, parseSort, type FilterTemplates, type SortTemplate } from './templates';

export type { FilterTemplates, SortTemplate } from './templates';

export const PAGINATION_STYLES = ['none', 'page', 'offset', 'cursor', 'link'] as const;
export type PaginationStyle = (typeof PAGINATION_STYLES)[number];

export interface Pagination {
  style: PaginationStyle;
  /** Records asked for per API request (sent in `sizeParam` when there is one). */
  pageSize: number;
  /** Query parameter carrying the page size; absent: the API's own page size, which must then equal pageSize. */
  sizeParam?: string;
  pageParam: string;
  firstPage: number;
  /** Link style: the first request sends pageParam=firstPage (APIs such as json-server page only when asked to). */
  sendFirstPage?: true;
  offsetParam: string;
  cursorParam: string;
  /** Where the next cursor is in the response body (cursor style). */
  cursorPath: PathStep[];
  /** Link style: where the next page's URL is in the body (OData's "@odata.nextLink"); absent: the Link header. */
  nextLinkPath?: PathStep[];
}

export interface ColumnOverride {
  kind?: ColumnKind;
  declaredType?: string;
  nullable?: boolean;
  readOnly?: boolean;
  enumValues?: string[];
  comment?: string;
}

export interface WriteTarget {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path relative to the base URL; {id} is replaced by the record's id, URL-encoded. */
  path: string;
}

export interface Endpoint {
  name: string;
  path: string;
  recordsPath: PathStep[];
  idField?: string;
  pagination: Pagination;
  /** Response header holding the total number of records (matching the filters sent). */
  totalHeader: string;
  totalPath?: PathStep[];
  sort?: SortTemplate;
  filters?: FilterTemplates;
  /** Query parameter for a full-text search. */
  searchParam?: string;
  columns: Record<string, ColumnOverride>;
  /** Where a single record is inside the response of a record GET or a write; empty: the body itself. */
  recordPath: PathStep[];
  /** GET path template of one record (for conflict checks); defaults to the update or delete path. */
  recordTemplate?: string;
  writes: { insert?: WriteTarget; update?: WriteTarget; delete?: WriteTarget };
  comment?: string;
  /** Extra headers of reads (PostgREST's "Prefer: count=exact") and of writes ("Prefer: return=representation"). */
  readHeaders?: Record<string, string>;
  writeHeaders?: Record<string, string>;
  /** Query parameters of every read (OData's $count=true). */
  readParams: [string, string][];
}

const KINDS: readonly ColumnKind[] = ['integer', 'float', 'decimal', 'boolean', 'text', 'json', 'date', 'time', 'datetime', 'datetimetz', 'interval', 'uuid', 'enum', 'set', 'array', 'blob', 'other'];
const ENDPOINT_KEYS = ['name', 'path', 'recordsPath', 'idField', 'pagination', 'totalHeader', 'totalPath', 'sort', 'filters', 'search', 'columns', 'recordPath', 'record', 'writes', 'comment', 'readHeaders', 'writeHeaders', 'readParams', 'preset'];
const PAGINATION_KEYS = ['style', 'pageSize', 'sizeParam', 'pageParam', 'firstPage', 'offsetParam', 'cursorParam', 'cursorPath', 'nextLinkPath'];

/** Default size parameter per style, the names most APIs use. */
const DEFAULT_SIZE_PARAM: Record<PaginationStyle, string | undefined> = { none: undefined, page: 'per_page', offset: 'limit', cursor: 'limit', link: 'per_page' };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the endpoints field (JSON text, or an already parsed array from a settings file). */
export function parseEndpoints(value: unknown, preset?: string): Endpoint[] {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return [];
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw datasourceError('invalid_value', `"endpoints" is not valid JSON: ${(error as Error).message}.`);
    }
  }
  if (parsed === undefined || parsed === null) return [];
  if (!Array.isArray(parsed)) throw datasourceError('invalid_value', '"endpoints" must be a JSON array of endpoint definitions ({ "name": …, "path": … }).');
  const endpoints = parsed.map((entry, index) => parseEndpoint(withPreset(entry, index, preset), index));
  const seen = new Map<string, number>();
  for (const [index, endpoint] of endpoints.entries()) {
    const first = seen.get(endpoint.name);
    if (first !== undefined) throw datasourceError('invalid_value', `endpoints[${index}]: the name "${endpoint.name}" is already used by endpoints[${first}]; names must be unique.`);
    seen.set(endpoint.name, index);
  }
  return endpoints;
}

/** The entry with its preset's keys: its own "preset", else the datasource's; "generic" or none adds nothing. */
function withPreset(entry: unknown, index: number, fallback: string | undefined): unknown {
  if (!isObject(entry)) return entry;
  const name = entry.preset ?? fallback;
  if (name === undefined || name === '') return entry;
  const bad = (message: string) => datasourceError('invalid_value', `endpoints[${index}]${typeof entry.name === 'string' ? ` ("${entry.name}")` : ''}: ${message}`);
  if (typeof name !== 'string') throw bad('"preset" must be text.');
  return applyPreset(entry, name, bad);
}

function parseEndpoint(entry: unknown, index: number): Endpoint {
  let where = `endpoints[${index}]`;
  const bad = (message: string) => datasourceError('invalid_value', `${where}: ${message}`);
  if (!isObject(entry)) throw bad('must be an object such as { "name": "users", "path": "/users" }.');
  if (typeof entry.name !== 'string' || entry.name.trim() === '') throw bad('needs a "name" (the table name shown in the tree).');
  const name = entry.name.trim();
  where = `endpoints[${index}] ("${name}")`;
  const unknown = Object.keys(entry).filter((k) => !ENDPOINT_KEYS.includes(k));
  if (unknown.length > 0) throw bad(`unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; known keys: ${ENDPOINT_KEYS.join(', ')}.`);
  const text = (key: string, v: unknown = entry[key]): string | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw bad(`"${key}" must be text.`);
    return v.trim() || undefined;
  };
  const path = text('path');
  if (!path) throw bad('needs a "path" relative to the base URL, e.g. "/users".');
  checkRelativePath(path, bad, 'path');
  const jsonPath = (key: string, v: unknown = entry[key]): PathStep[] => {
    const p = text(key, v);
    if (!p) return [];
    try {
      return parseJsonPath(p);
    } catch (error) {
      throw bad(`"${key}": ${(error as Error).message}.`);
    }
  };

  const endpoint: Endpoint = {
    name,
    path,
    recordsPath: jsonPath('recordsPath'),
    pagination: parsePagination(entry.pagination, bad),
    totalHeader: (text('totalHeader') ?? 'X-Total-Count').toLowerCase(),
    columns: {},
    recordPath: jsonPath('recordPath'),
    writes: {},
    readParams: [],
  };
  const idField = text('idField');
  if (idField) endpoint.idField = idField;
  if (entry.totalPath !== undefined) endpoint.totalPath = jsonPath('totalPath');
  const comment = text('comment');
  if (comment) endpoint.comment = comment;
  const search = text('search');
  if (search) endpoint.searchParam = search;

  if (entry.sort !== undefined) endpoint.sort = parseSort(entry.sort, bad);
  if (entry.filters !== undefined) endpoint.filters = parseFilters(entry.filters, bad);
  for (const key of ['readHeaders', 'writeHeaders'] as const) if (entry[key] !== undefined) endpoint[key] = parseHeaders(entry[key], key, bad);
  if (entry.readParams !== undefined) {
    const params = entry.readParams;
    if (!isObject(params) || Object.values(params).some((v) => typeof v !== 'string')) throw bad('"readParams" must be an object of query parameters such as { "$count": "true" }.');
    endpoint.readParams = Object.entries(params as Record<string, string>);
  }

  if (entry.columns !== undefined) {
    if (!isObject(entry.columns)) throw bad('"columns" must be an object of column overrides, e.g. { "price": { "kind": "decimal" } }.');
    for (const [column, raw] of Object.entries(entry.columns)) {
      const at = `columns.${column}`;
      if (!isObject(raw)) throw bad(`"${at}" must be an object such as { "kind": "integer", "nullable": false }.`);
      const override: ColumnOverride = {};
      for (const [key, value] of Object.entries(raw)) {
        if (key === 'kind') {
          if (!KINDS.includes(value as ColumnKind)) throw bad(`"${at}.kind" must be one of ${KINDS.join(', ')}.`);
          override.kind = value as ColumnKind;
        } else if (key === 'declaredType' || key === 'comment') {
          if (typeof value !== 'string') throw bad(`"${at}.${key}" must be text.`);
          override[key] = value;
        } else if (key === 'nullable' || key === 'readOnly') {
          if (typeof value !== 'boolean') throw bad(`"${at}.${key}" must be true or false.`);
          override[key] = value;
        } else if (key === 'enumValues') {
          if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad(`"${at}.enumValues" must be an array of texts.`);
          override.enumValues = value as string[];
        } else throw bad(`"${at}.${key}" is unknown; column overrides take kind, declaredType, nullable, readOnly, enumValues, comment.`);
      }
      endpoint.columns[column] = override;
    }
  }

  const record = text('record');
  if (record) {
    checkRelativePath(record, bad, 'record');
    if (!record.includes('{id}')) throw bad('"record" must contain {id}, e.g. "/users/{id}".');
    endpoint.recordTemplate = record;
  }
  if (entry.writes !== undefined) {
    if (!isObject(entry.writes)) throw bad('"writes" must be an object such as { "insert": "POST /users", "update": "PATCH /users/{id}", "delete": "DELETE /users/{id}" }.');
    for (const [key, value] of Object.entries(entry.writes)) {
      if (key !== 'insert' && key !== 'update' && key !== 'delete') throw bad(`"writes.${key}" is unknown; writes take insert, update, delete.`);
      const target = parseWriteTarget(key, value, path, bad);
      if (target) endpoint.writes[key] = target;
    }
  }
  if ((endpoint.writes.update || endpoint.writes.delete) && !endpoint.idField) {
    throw bad('"writes" with update or delete needs an "idField" naming the field that identifies a record.');
  }
  return endpoint;
}

function parsePagination(value: unknown, bad: (m: string) => Error): Pagination {
  const p: Json = value === undefined || value === null ? { style: 'none' } : typeof value === 'string' ? { style: value } : isObject(value) ? value : {};
  if (!isObject(value) && value !== undefined && value !== null && typeof value !== 'string') throw bad('"pagination" must be an object such as { "style": "page", "pageSize": 50 }.');
  const unknown = Object.keys(p).filter((k) => !PAGINATION_KEYS.includes(k));
  if (unknown.length > 0) throw bad(`"pagination" has unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; known keys: ${PAGINATION_KEYS.join(', ')}.`);
  const style = (p.style ?? 'none') as PaginationStyle;
  if (!PAGINATION_STYLES.includes(style)) throw bad(`"pagination.style" must be one of ${PAGINATION_STYLES.join(', ')}.`);
  const name = (key: string, fallback: string | undefined): string | undefined => {
    const v = p[key];
    if (v === undefined) return fallback;
    if (v === null || v === '') return undefined;
    if (typeof v !== 'string') throw bad(`"pagination.${key}" must be a query parameter name.`);
    return v;
  };
  const int = (key: string, fallback: number, min: number): number => {
    const v = p[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`"pagination.${key}" must be a whole number of at least ${min}.`);
    return v;
  };
  const pagination: Pagination = {
    style,
    pageSize: int('pageSize', 100, 1),
    pageParam: name('pageParam', 'page') ?? 'page',
    firstPage: int('firstPage', 1, 0),
    offsetParam: name('offsetParam', 'offset') ?? 'offset',
    cursorParam: name('cursorParam', 'cursor') ?? 'cursor',
    cursorPath: [],
  };
  if (style === 'link' && p.pageParam !== null && p.pageParam !== '') pagination.sendFirstPage = true;
  if (pagination.pageSize > 10_000) throw bad('"pagination.pageSize" must be at most 10000.');
  const sizeParam = name('sizeParam', DEFAULT_SIZE_PARAM[style]);
  if (sizeParam) pagination.sizeParam = sizeParam;
  if (style === 'cursor') {
    const cursorPath = typeof p.cursorPath === 'string' ? p.cursorPath.trim() : '';
    if (!cursorPath) throw bad('"pagination.cursorPath" must say where the next cursor is in the response, e.g. "next_cursor" or "meta.next".');
    try {
      pagination.cursorPath = parseJsonPath(cursorPath);
    } catch (error) {
      throw bad(`"pagination.cursorPath": ${(error as Error).message}.`);
    }
  } else if (p.cursorPath !== undefined) throw bad('"pagination.cursorPath" only applies to the cursor style.');
  if (p.nextLinkPath !== undefined) {
    if (style !== 'link') throw bad('"pagination.nextLinkPath" only applies to the link style.');
    if (typeof p.nextLinkPath !== 'string' || p.nextLinkPath.trim() === '') throw bad('"pagination.nextLinkPath" must say where the next page\'s URL is in the response, e.g. \'["@odata.nextLink"]\'.');
    try {
      pagination.nextLinkPath = parseJsonPath(p.nextLinkPath);
    } catch (error) {
      throw bad(`"pagination.nextLinkPath": ${(error as Error).message}.`);
    }
  }
  return pagination;
}

function parseWriteTarget(kind: 'insert' | 'update' | 'delete', value: unknown, endpointPath: string, bad: (m: string) => Error): WriteTarget | undefined {
  if (value === false || value === undefined || value === null) return undefined;
  const defaultPath = kind === 'insert' ? endpointPath.split('?')[0] : `${endpointPath.split('?')[0].replace(/\/$/, '')}/{id}`;
  const defaultMethod = kind === 'insert' ? 'POST' : kind === 'update' ? 'PATCH' : 'DELETE';
  if (value === true) return { method: defaultMethod, path: defaultPath };
  if (typeof value !== 'string' || value.trim() === '') throw bad(`"writes.${kind}" must be true or "METHOD /path"${kind === 'insert' ? '' : ' with {id}'}, e.g. "${defaultMethod} ${defaultPath}".`);
  const match = /^(?:([A-Za-z]+)\s+)?(\S+)$/.exec(value.trim());
  if (!match) throw bad(`"writes.${kind}" must look like "${defaultMethod} ${defaultPath}".`);
  const method = (match[1] ?? defaultMethod).toUpperCase();
  const allowed = kind === 'insert' ? ['POST', 'PUT'] : kind === 'update' ? ['PATCH', 'PUT', 'POST'] : ['DELETE', 'POST'];
  if (!allowed.includes(method)) throw bad(`"writes.${kind}" cannot use ${method}; use ${allowed.join(' or ')}.`);
  const path = match[2];
  checkRelativePath(path, bad, `writes.${kind}`);
  if (kind !== 'insert' && !path.includes('{id}')) throw bad(`"writes.${kind}" must contain {id} where the record's id goes, e.g. "${defaultMethod} ${defaultPath}".`);
  return { method: method as WriteTarget['method'], path };
}

function parseHeaders(value: unknown, key: string, bad: (m: string) => Error): Record<string, string> {
  if (!isObject(value)) throw bad(`"${key}" must be an object of headers such as { "Prefer": "count=exact" }.`);
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw bad(`"${key}": "${name}" is not a valid header name.`);
    // Credentials belong in the datasource's secret token, never in an endpoint definition.
    if (['authorization', 'proxy-authorization', 'cookie'].includes(name.toLowerCase())) throw bad(`"${key}": ${name} carries credentials; put them in "Token / API key" instead.`);
    if (typeof v !== 'string') throw bad(`"${key}": the value of ${name} must be text.`);
    headers[name] = v;
  }
  return headers;
}

/** Endpoint paths stay on the configured API: an absolute URL here could send credentials elsewhere. */
function checkRelativePath(path: string, bad: (m: string) => Error, key: string): void {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) throw bad(`"${key}" must be a path relative to the base URL (such as "/users"), not a full URL.`);
}
