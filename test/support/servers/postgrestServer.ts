// A server speaking PostgREST's URL grammar (https://postgrest.org/en/stable/references/api/tables_views.html) over
// one table, with PostgreSQL's semantics: `col=op.value` filters (eq neq gt gte lt lte like ilike in is, `not.`),
// or=(…) lists with quoted values, comparisons with NULL are unknown (so neq drops NULLs), order=col.dir[.nulls…]
// with PostgreSQL's default NULL placement (last ascending), limit/offset, Content-Range with the total when asked
// with "Prefer: count=exact", and writes addressed by filters returning rows with "Prefer: return=representation".
import { bodyObject, compare, insert, serveTable, typed, type ApiServer, type Reply, type Row, type Table } from './tableServer';

const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'or', 'and', 'on_conflict', 'columns']);

/** A predicate that is true, false or unknown (null) for a row, as in SQL. */
type Predicate = (row: Row) => boolean | null;

class BadRequest extends Error {}

/** Splits "a,"b,c",d" at top-level commas, unquoting "…" (with \ escapes) values unless `keep`. */
function splitList(text: string, keep = false): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '\\') {
      const next = text[++i] ?? '';
      current += keep ? `${c}${next}` : next;
      continue;
    }
    if (c === '"') {
      quoted = !quoted;
      if (keep) current += c;
      continue;
    }
    if (!quoted && c === ',' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    current += c;
  }
  out.push(current);
  return out;
}

const unquote = (v: string) => (v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);

/** SQL LIKE with "\" as escape; PostgREST turns "*" into "%". */
function likeRegex(pattern: string, insensitive: boolean): RegExp {
  let source = '';
  const p = pattern.replace(/\*/g, '%');
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') source += (p[++i] ?? '').replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, insensitive ? 'i' : '');
}

function condition(table: Table, column: string, expression: string, quotedValues: boolean): Predicate {
  if (!(column in (table.rows[0] ?? {}))) throw new BadRequest(`column ${table.name}.${column} does not exist`);
  const negate = expression.startsWith('not.');
  const body = negate ? expression.slice(4) : expression;
  const dot = body.indexOf('.');
  const op = dot < 0 ? body : body.slice(0, dot);
  const raw = dot < 0 ? '' : body.slice(dot + 1);
  const value = (text: string) => {
    const v = typed(table, column, quotedValues ? unquote(text) : text);
    if (typeof (table.rows.find((r) => r[column] !== null)?.[column]) === 'number' && typeof v !== 'number') throw new BadRequest(`invalid input syntax for type numeric: "${text}"`);
    return v;
  };
  let test: Predicate;
  if (op === 'is') {
    if (raw !== 'null' && raw !== 'true' && raw !== 'false') throw new BadRequest(`is.${raw} is not supported`);
    test = (row) => (raw === 'null' ? row[column] === null : row[column] === (raw === 'true'));
  } else if (op === 'in') {
    if (!raw.startsWith('(') || !raw.endsWith(')')) throw new BadRequest('in. needs a list in parentheses');
    const list = splitList(raw.slice(1, -1)).map((v) => typed(table, column, v));
    test = (row) => (row[column] === null ? null : list.some((v) => v !== null && compare(row[column]!, v) === 0));
  } else if (op === 'like' || op === 'ilike') {
    const regex = likeRegex(quotedValues ? unquote(raw) : raw, op === 'ilike');
    test = (row) => (row[column] === null ? null : regex.test(String(row[column])));
  } else {
    const target = value(raw);
    const check: Record<string, (c: number) => boolean> = { eq: (c) => c === 0, neq: (c) => c !== 0, gt: (c) => c > 0, gte: (c) => c >= 0, lt: (c) => c < 0, lte: (c) => c <= 0 };
    const f = check[op];
    if (!f) throw new BadRequest(`unknown operator ${op}`);
    test = (row) => (row[column] === null ? null : f(compare(row[column]!, target)));
  }
  return negate ? (row) => (test(row) === null ? null : !test(row)) : test;
}

/** or=(a.neq.x,a.is.null): true if any is true, unknown if none is true and one is unknown. */
function orList(table: Table, text: string): Predicate {
  if (!text.startsWith('(') || !text.endsWith(')')) throw new BadRequest('or= needs a list in parentheses');
  const parts = splitList(text.slice(1, -1), true);
  const conditions = parts.map((part) => {
    const dot = part.indexOf('.');
    return condition(table, part.slice(0, dot), part.slice(dot + 1), true);
  });
  return (row) => {
    const results = conditions.map((c) => c(row));
    return results.includes(true) ? true : results.includes(null) ? null : false;
  };
}

function parseOrder(table: Table, text: string): (a: Row, b: Row) => number {
  const keys = text.split(',').map((part) => {
    const [column = '', dir = 'asc', nulls] = part.split('.');
    if (!(column in (table.rows[0] ?? {}))) throw new BadRequest(`column ${column} does not exist`);
    // PostgreSQL: NULLs are larger than every value, so last ascending and first descending unless told.
    const nullsFirst = nulls === 'nullsfirst' ? true : nulls === 'nullslast' ? false : dir === 'desc';
    return { column, desc: dir === 'desc', nullsFirst };
  });
  return (a, b) => {
    for (const k of keys) {
      const x = a[k.column] ?? null;
      const y = b[k.column] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const c = compare(x, y);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
}

export async function startPostgrestServer(table: Table): Promise<ApiServer> {
  return serveTable(table, (seen): Reply => {
    if (seen.path !== `/${table.name}`) return { status: 404, body: { code: '42P01', message: `relation "${seen.path.slice(1)}" does not exist` } };
    const prefer = String(seen.headers.prefer ?? '');
    try {
      const predicates: Predicate[] = [];
      for (const [key, value] of seen.params) {
        if (key === 'or') predicates.push(orList(table, value));
        else if (!RESERVED.has(key)) predicates.push(condition(table, key, value, false));
      }
      const matching = (row: Row) => predicates.every((p) => p(row) === true);
      const representation = prefer.includes('return=representation');
      if (seen.method === 'POST') {
        const row = insert(table, bodyObject(seen));
        return representation ? { status: 201, body: [row] } : { status: 201 };
      }
      if (seen.method === 'PATCH' || seen.method === 'DELETE') {
        const rows = table.rows.filter(matching);
        if (seen.method === 'PATCH') for (const row of rows) Object.assign(row, bodyObject(seen));
        else for (const row of rows) table.rows.splice(table.rows.indexOf(row), 1);
        return representation ? { status: 200, body: rows } : { status: 204 };
      }
      if (seen.method !== 'GET') return { status: 405, body: { message: 'method not allowed' } };
      let rows = table.rows.filter(matching);
      const order = seen.params.find(([k]) => k === 'order')?.[1];
      if (order) rows = rows.map((r, i) => ({ r, i })).sort((a, b) => parseOrder(table, order)(a.r, b.r) || a.i - b.i).map(({ r }) => r);
      const total = rows.length;
      const offset = Number(seen.params.find(([k]) => k === 'offset')?.[1] ?? 0);
      const limit = seen.params.find(([k]) => k === 'limit')?.[1];
      rows = rows.slice(offset, limit === undefined ? undefined : offset + Number(limit));
      const count = prefer.includes('count=exact') ? String(total) : '*';
      const range = rows.length === 0 ? `*/${count}` : `${offset}-${offset + rows.length - 1}/${count}`;
      return { status: 200, body: rows, headers: { 'Content-Range': range } };
    } catch (error) {
      if (error instanceof BadRequest) return { status: 400, body: { code: 'PGRST100', message: error.message } };
      throw error;
    }
  });
}
