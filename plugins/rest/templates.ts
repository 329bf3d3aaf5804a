// The sort and filter template language of an endpoint (docs/plugin-development.md, "REST template language"):
// configuration as data, parsed here into checked templates, and turned into query parameters for one read.
// Placeholders: {column}; {value} (the encoded filter value); {dir} (the sort direction word).
import type { Filter, FilterOperator, SortKey } from '../../api';
import { ENCODERS, encodeValue, type EncoderName, type Scalar } from './encoders';
import { parseNumberText } from './jsonNumbers';

export interface SortTemplate {
  /** Parameter name and value template ({column}, {dir}); one value per sort key, joined by `separator`. */
  params: [string, string][];
  /** What {dir} becomes for ascending / descending order. */
  asc: string;
  desc: string;
  /** Joins several sort keys; without it only single-column sorts are sent to the API. */
  separator?: string;
  /** Columns the API can sort by; absent: all. */
  columns?: string[];
  /** false: the API does not put NULLs first ascending and last descending, so nullable columns sort in Nocoflo. */
  nullsFirstAscending: boolean;
  /** Appends the id field (ascending) to every pushed sort, so ties have one order and offset pages neither repeat nor skip records. */
  tiebreak?: true;
}

export interface FilterOp {
  /** Parameter name template and value template per parameter ({column}, {value}). */
  params: [string, string][];
  encode: EncoderName;
  /** `in`: one parameter per value ("repeat") or the values joined by `listSeparator` into {value} ("join"). */
  list: 'join' | 'repeat';
  listSeparator: string;
  /** Set: never sent to the API; the text says why (shown in the view's note). */
  local?: string;
  /** Sent to the API (narrowing what is fetched) and checked again in Nocoflo, whose result is the exact one. */
  recheck: boolean;
}

export interface FilterTemplates {
  ops: Partial<Record<FilterOperator, FilterOp>>;
  columns?: string[];
  /** Parameters several filters add to, with the text joining their values ({ "$filter": " and " }). */
  combine: Record<string, string>;
}

export const OPERATORS: readonly FilterOperator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startswith', 'endswith', 'isnull', 'notnull', 'in'];
const SORT_KEYS = ['param', 'params', 'asc', 'desc', 'separator', 'columns', 'nullsFirstAscending', 'tiebreak'];
const OP_KEYS = ['param', 'encode', 'list', 'listSeparator', 'local', 'recheck'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
type Bad = (message: string) => Error;

const names = (key: string, v: unknown, bad: Bad): string[] | undefined => {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((c) => typeof c !== 'string')) throw bad(`"${key}" must be an array of column names.`);
  return v as string[];
};

export function parseSort(s: unknown, bad: Bad): SortTemplate {
  if (!isObject(s)) throw bad('"sort" must be an object such as { "param": "sort", "asc": "{column}", "desc": "-{column}" } or { "params": { "_sort": "{column}", "_order": "{dir}" } }.');
  const unknown = Object.keys(s).filter((k) => !SORT_KEYS.includes(k));
  if (unknown.length > 0) throw bad(`"sort" has unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; known keys: ${SORT_KEYS.join(', ')}.`);
  const text = (key: string, fallback?: string): string | undefined => {
    const v = s[key];
    if (v === undefined || v === null || v === '') return fallback;
    if (typeof v !== 'string') throw bad(`"sort.${key}" must be text.`);
    return v.trim() === '' ? fallback : v.trim();
  };
  let sort: SortTemplate;
  if (s.params !== undefined) {
    if (s.param !== undefined) throw bad('"sort" takes "param" (one parameter) or "params" (several), not both.');
    if (!isObject(s.params) || Object.keys(s.params).length === 0) throw bad('"sort.params" must be an object of parameter templates such as { "_sort": "{column}", "_order": "{dir}" }.');
    const params = Object.entries(s.params).map(([name, v]): [string, string] => {
      if (typeof v !== 'string' || v === '') throw bad(`"sort.params.${name}" must be a value template such as "{column}" or "{column}.{dir}".`);
      return [name, v];
    });
    if (!params.some(([, v]) => v.includes('{column}'))) throw bad('"sort.params" must put {column} in at least one value.');
    if (!params.some(([, v]) => v.includes('{dir}'))) throw bad('"sort.params" must put {dir} in at least one value, or the API cannot tell ascending from descending.');
    sort = { params, asc: text('asc', 'asc')!, desc: text('desc', 'desc')!, nullsFirstAscending: true };
  } else {
    // The original form: one parameter whose value is the asc or desc template, e.g. "-{column}".
    const param = text('param');
    if (!param) throw bad('"sort.param" names the query parameter that sorts, e.g. "sort" (or use "sort.params" for several).');
    const asc = text('asc', '{column}')!;
    const desc = text('desc');
    if (!desc) throw bad('"sort.desc" is the value for descending order, e.g. "-{column}".');
    if (!asc.includes('{column}') || !desc.includes('{column}')) throw bad('"sort.asc" and "sort.desc" must contain {column}.');
    sort = { params: [[param, '{dir}']], asc, desc, nullsFirstAscending: true };
  }
  if (s.separator !== undefined) {
    if (typeof s.separator !== 'string' || s.separator === '') throw bad('"sort.separator" must be a non-empty text such as ",".');
    sort.separator = s.separator;
  }
  const columns = names('sort.columns', s.columns, bad);
  if (columns) sort.columns = columns;
  if (s.nullsFirstAscending !== undefined) {
    if (typeof s.nullsFirstAscending !== 'boolean') throw bad('"sort.nullsFirstAscending" must be true or false.');
    sort.nullsFirstAscending = s.nullsFirstAscending;
  }
  if (s.tiebreak !== undefined && s.tiebreak !== false) {
    if (s.tiebreak !== true) throw bad('"sort.tiebreak" must be true or false.');
    if (sort.separator === undefined) throw bad('"sort.tiebreak" adds the id field as a last sort key, so it needs "sort.separator".');
    sort.tiebreak = true;
  }
  return sort;
}

export function parseFilters(f: unknown, bad: Bad): FilterTemplates {
  if (!isObject(f)) throw bad('"filters" must be an object of operator templates such as { "eq": "{column}", "gte": "{column}_gte" }.');
  const templates: FilterTemplates = { ops: {}, combine: {} };
  for (const [key, value] of Object.entries(f)) {
    if (key === 'columns') {
      templates.columns = names('filters.columns', value, bad)!;
    } else if (key === 'combine') {
      if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string' || v === '')) throw bad('"filters.combine" must be an object such as { "$filter": " and " }.');
      templates.combine = value as Record<string, string>;
    } else if (OPERATORS.includes(key as FilterOperator)) {
      templates.ops[key as FilterOperator] = parseOp(key, value, bad);
    } else throw bad(`"filters.${key}" is not an operator; operators: ${OPERATORS.join(', ')} (and "columns", "combine").`);
  }
  return templates;
}

function parseOp(op: string, value: unknown, bad: Bad): FilterOp {
  const at = `filters.${op}`;
  const param = (template: unknown): [string, string] => {
    if (typeof template !== 'string' || template.trim() === '') throw bad(`"${at}" must be a query parameter template such as "{column}_${op}" or "{column}=${op}.{value}".`);
    const t = template.trim();
    const eq = t.indexOf('=');
    // A name alone carries the value; an operator without a value (isnull) then sends "true".
    if (eq < 0) return [t, op === 'isnull' || op === 'notnull' ? 'true' : '{value}'];
    if (eq === 0) throw bad(`"${at}": "${t}" has no parameter name before "=".`);
    return [t.slice(0, eq), t.slice(eq + 1)];
  };
  if (typeof value === 'string') return { params: [param(value)], encode: 'raw', list: 'join', listSeparator: ',', recheck: false };
  if (!isObject(value)) throw bad(`"${at}" must be a template text or an object such as { "param": "{column}_like", "encode": "regex" }.`);
  const unknown = Object.keys(value).filter((k) => !OP_KEYS.includes(k));
  if (unknown.length > 0) throw bad(`"${at}" has unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; known keys: ${OP_KEYS.join(', ')}.`);
  const result: FilterOp = { params: [], encode: 'raw', list: 'join', listSeparator: ',', recheck: false };
  if (value.local !== undefined && value.local !== false) {
    if (value.local !== true && (typeof value.local !== 'string' || value.local.trim() === '')) throw bad(`"${at}.local" must be true or a text saying why the API's ${op} cannot be used.`);
    result.local = value.local === true ? `the API's ${op} does not mean what Nocoflo's does` : value.local.trim();
    if (value.param !== undefined) throw bad(`"${at}" is local, so it takes no "param".`);
    return result;
  }
  const params = Array.isArray(value.param) ? value.param : [value.param];
  if (params.length === 0) throw bad(`"${at}.param" needs at least one template.`);
  result.params = params.map(param);
  if (value.encode !== undefined) {
    if (!ENCODERS.includes(value.encode as EncoderName)) throw bad(`"${at}.encode" must be one of ${ENCODERS.join(', ')}.`);
    result.encode = value.encode as EncoderName;
  }
  if (value.list !== undefined) {
    if (value.list !== 'join' && value.list !== 'repeat') throw bad(`"${at}.list" must be "join" (a,b in one parameter) or "repeat" (one parameter per value).`);
    if (op !== 'in') throw bad(`"${at}.list" only applies to "in".`);
    result.list = value.list;
  }
  if (value.listSeparator !== undefined) {
    if (typeof value.listSeparator !== 'string' || value.listSeparator === '') throw bad(`"${at}.listSeparator" must be a non-empty text such as ",".`);
    result.listSeparator = value.listSeparator;
  }
  if (value.recheck !== undefined) {
    if (typeof value.recheck !== 'boolean') throw bad(`"${at}.recheck" must be true or false.`);
    result.recheck = value.recheck;
  }
  const needsValue = op !== 'isnull' && op !== 'notnull';
  if (needsValue && !result.params.some(([n, v]) => n.includes('{value}') || v.includes('{value}'))) throw bad(`"${at}" must put {value} in a parameter.`);
  return result;
}

/** Numeric text as a number when a double holds it, a whole number beyond that as a bigint (its digits kept). */
function numberValue(text: string): Scalar {
  const parsed = parseNumberText(text);
  if (!parsed) return text;
  const n = Number(parsed.json);
  if (parseNumberText(String(n))?.key === parsed.key) return n;
  return /^-?\d+$/.test(parsed.json) ? BigInt(parsed.json) : text;
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(column|value|dir)\}/g, (whole, name: string) => values[name] ?? whole);

/**
 * The parameters of one pushed filter, or a reason why it cannot be pushed (the value cannot be said in the API's
 * syntax). Values other than scalars (bytes) are never pushed.
 */
export function filterParams(op: FilterOp, filter: Filter, numeric = false): [string, string][] | string {
  const needsValue = filter.op !== 'isnull' && filter.op !== 'notnull';
  const build = (value: string | undefined): [string, string][] => op.params.map(([n, v]) => [fill(n, { column: filter.column, value: value ?? '' }), fill(v, { column: filter.column, value: value ?? '' })]);
  if (!needsValue) return build(undefined);
  const raw = filter.value;
  const list = filter.op === 'in' ? (Array.isArray(raw) ? raw : [raw]) : [raw];
  if (list.some((v) => v === undefined || v instanceof Uint8Array || Array.isArray(v))) return `the API cannot filter "${filter.column}" by ${filter.op} with this value`;
  // NULL is a value only in `in` lists and for encoders that can say it; elsewhere the filter stays local.
  // A numeric column's operand typed as text ("2.50" for a decimal) is a number to the API (OData: 2.50, not '2.50').
  const encoded = list.map((v) => encodeValue(op.encode, numeric && typeof v === 'string' ? numberValue(v) : (v as Scalar)));
  if (encoded.some((e) => e === undefined)) return `the API's ${filter.op} cannot express the value of the "${filter.column}" filter exactly`;
  if (filter.op === 'in' && op.list === 'repeat') return encoded.flatMap((e) => build(e));
  return build((encoded as string[]).join(op.listSeparator));
}

/** Merges the parameters named in `combine` into one each, in the position of the first. */
export function combineParams(params: [string, string][], combine: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  const at = new Map<string, number>();
  for (const [name, value] of params) {
    const joiner = combine[name];
    const index = at.get(name);
    if (joiner !== undefined && index !== undefined) out[index] = [name, `${out[index]![1]}${joiner}${value}`];
    else {
      if (joiner !== undefined) at.set(name, out.length);
      out.push([name, value]);
    }
  }
  return out;
}

/**
 * The parameters of a pushed sort, or why the template cannot say it (columns, multi-column, NULL order on a
 * column that may hold NULLs: `nullable` says which may; unknown columns count as nullable).
 */
export function sortParams(template: SortTemplate, sort: readonly SortKey[], nullable?: (column: string) => boolean): [string, string][] | string {
  const keys = sort.map((s) => `"${s.column}"`).join(', ');
  if (sort.some((s) => template.columns && !template.columns.includes(s.column))) return `the API cannot sort by ${keys}`;
  if (sort.length > 1 && template.separator === undefined) return `the API cannot sort by ${keys}`;
  if (!template.nullsFirstAscending && sort.some((s) => !nullable || nullable(s.column))) return `the API orders NULLs differently than Nocoflo when sorting by ${keys}`;
  return template.params.map(([name, value]) => [
    name,
    // {dir} first: in the original form the direction text itself holds {column}.
    sort.map((s) => fill(fill(value, { dir: s.direction === 'asc' ? template.asc : template.desc }), { column: s.column })).join(template.separator ?? ','),
  ]);
}
