// Which parts of a read the API does (query parameters from the endpoint's sort/filter/search templates) and
// which Nocoflo does over fetched records (everything without a template). The client-side part works on cells
// with the same promises the SQL datasources make: NULLs first ascending and last descending, ties broken by the
// record id (then by the API's order), text operators case-insensitive.
import type { CellValue, ColumnSchema, Filter, SortKey } from '../../api';
import type { Endpoint } from './endpoints';
import { combineParams, filterParams as buildFilter, sortParams } from './templates';

export interface QueryPlan {
  /** Identifies sort, filters and search, so a cursor cannot continue a different query. */
  key: string;
  /** Query parameters pushed to the API. */
  params: [string, string][];
  clientFilters: Filter[];
  clientSearch?: { text: string; columns?: string[] };
  clientSort?: SortKey[];
  /** Why work stays on the client, for the note shown in the view. */
  reasons: string[];
}

export interface ReadShape {
  sort?: SortKey[];
  filters?: Filter[];
  search?: { text: string; columns?: string[] };
}

/** `columns` (the endpoint's schema, when known) says which columns may hold NULLs, for the sort's NULL order. */
export function planQuery(endpoint: Endpoint, request: ReadShape, columns?: readonly ColumnSchema[]): QueryPlan {
  const plan: QueryPlan = {
    key: JSON.stringify([request.sort ?? [], (request.filters ?? []).map((f) => [f.column, f.op, f.value === undefined ? null : jsonable(f.value)]), request.search ?? null]),
    params: [],
    clientFilters: [],
    reasons: [],
  };
  const filterParams: [string, string][] = [];
  for (const filter of request.filters ?? []) {
    const op = endpoint.filters?.ops[filter.op];
    const allowed = !endpoint.filters?.columns || endpoint.filters.columns.includes(filter.column);
    const pushed = !op || !allowed ? `the API cannot filter "${filter.column}" by ${filter.op}` : op.local !== undefined ? `${op.local} (${filter.op} on "${filter.column}")` : buildFilter(op, filter, isNumeric(columns, filter.column));
    if (typeof pushed === 'string') {
      plan.clientFilters.push(filter);
      plan.reasons.push(pushed);
      continue;
    }
    filterParams.push(...pushed);
    if (op?.recheck) {
      plan.clientFilters.push(filter);
      plan.reasons.push(`the API's ${filter.op} on "${filter.column}" is checked again`);
    }
  }
  plan.params.push(...combineParams(filterParams, endpoint.filters?.combine ?? {}));
  if (request.search && request.search.text !== '') {
    if (endpoint.searchParam && !request.search.columns) plan.params.push([endpoint.searchParam, request.search.text]);
    else {
      plan.clientSearch = request.search;
      plan.reasons.push('the API cannot search');
    }
  }
  const sort = request.sort ?? [];
  if (sort.length > 0) {
    // Ties in the API's order must not move between requests: with a tiebreak the id decides, as Nocoflo's contract says.
    const id = endpoint.idField;
    const keys = endpoint.sort?.tiebreak && id !== undefined && !sort.some((s) => s.column === id) ? [...sort, { column: id, direction: 'asc' as const }] : sort;
    const params = endpoint.sort ? sortParams(endpoint.sort, keys, columns && ((name) => columns.find((c) => c.name === name)?.nullable !== false)) : `the API cannot sort by ${sort.map((s) => `"${s.column}"`).join(', ')}`;
    if (typeof params !== 'string') plan.params.push(...params);
    else {
      plan.clientSort = sort;
      plan.reasons.push(params);
    }
  }
  return plan;
}

function jsonable(value: Filter['value']): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map((v) => jsonable(v as Filter['value']));
  return value;
}

const isNumeric = (columns: readonly ColumnSchema[] | undefined, name: string) => {
  const kind = columns?.find((c) => c.name === name)?.kind;
  return kind === 'integer' || kind === 'float' || kind === 'decimal';
};

export const needsClient = (plan: QueryPlan) => plan.clientFilters.length > 0 || plan.clientSearch !== undefined || plan.clientSort !== undefined;

// ---------------------------------------------------------------------------------------------------------------
// Client-side evaluation over cells
// ---------------------------------------------------------------------------------------------------------------

const asNumber = (v: CellValue): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

/** -1, 0 or 1; numbers by value where both sides are numeric, everything else as text. NULL sorts first. */
export function compareCells(a: CellValue, b: CellValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a === true || a === 'true') - Number(b === true || b === 'true');
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined && (typeof a !== 'string' || typeof b !== 'string')) return x < y ? -1 : x > y ? 1 : 0;
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

const lower = (v: CellValue) => (v === null ? '' : String(v).toLowerCase());

export function matchesFilter(cell: CellValue, filter: Filter): boolean {
  const value = filter.value as CellValue | undefined;
  switch (filter.op) {
    case 'isnull':
      return cell === null;
    case 'notnull':
      return cell !== null;
    case 'in':
      // A NULL in the list matches NULL cells, as the SQL datasources do.
      return (Array.isArray(filter.value) ? filter.value : [filter.value as CellValue]).some((v) => (v === null ? cell === null : cell !== null && compareCells(cell, v) === 0));
    case 'eq':
      if (value === null) return cell === null;
      break;
    case 'ne':
      // "Not equal to X" keeps the NULL cells, as people reading the filter expect (the contract's rule).
      if (value === null) return cell !== null;
      return cell === null || compareCells(cell, value as CellValue) !== 0;
    default:
      break;
  }
  if (cell === null || value === undefined || value === null) return false;
  switch (filter.op) {
    case 'eq':
      return compareCells(cell, value) === 0;
    case 'lt':
      return compareCells(cell, value) < 0;
    case 'lte':
      return compareCells(cell, value) <= 0;
    case 'gt':
      return compareCells(cell, value) > 0;
    case 'gte':
      return compareCells(cell, value) >= 0;
    case 'contains':
      return lower(cell).includes(lower(value));
    case 'startswith':
      return lower(cell).startsWith(lower(value));
    case 'endswith':
      return lower(cell).endsWith(lower(value));
  }
}

/**
 * Applies the client-side part of a plan to rows (cells in `columns` order). `idIndex` is the id column, the
 * tiebreak after the sort keys; rows keep the API's order otherwise (the sort is stable).
 */
export function applyClientSide<T extends { row: CellValue[] }>(items: T[], columns: readonly ColumnSchema[], plan: QueryPlan, idIndex: number): T[] {
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const at = (row: CellValue[], column: string) => row[index.get(column) ?? -1] ?? null;
  let out = items.filter(({ row }) => plan.clientFilters.every((f) => matchesFilter(at(row, f.column), f)));
  const search = plan.clientSearch;
  if (search) {
    const needle = search.text.toLowerCase();
    const searched = search.columns ?? columns.filter((c) => ['text', 'json', 'uuid', 'enum', 'date', 'datetime', 'datetimetz', 'time'].includes(c.kind)).map((c) => c.name);
    out = out.filter(({ row }) => searched.some((c) => typeof at(row, c) === 'string' && (at(row, c) as string).toLowerCase().includes(needle)));
  }
  const sort = plan.clientSort;
  if (sort) {
    out = out
      .map((item, position) => ({ item, position }))
      .sort((x, y) => {
        for (const { column, direction } of sort) {
          const c = compareCells(at(x.item.row, column), at(y.item.row, column));
          if (c !== 0) return direction === 'asc' ? c : -c;
        }
        const byId = idIndex >= 0 ? compareCells(x.item.row[idIndex] ?? null, y.item.row[idIndex] ?? null) : 0;
        return byId !== 0 ? byId : x.position - y.position;
      })
      .map(({ item }) => item);
  }
  return out;
}
