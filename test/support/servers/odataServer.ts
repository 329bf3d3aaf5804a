// An OData v4 service over one entity set (OData v4.01 Part 2, URL Conventions, 5.1): $filter with eq ne gt ge
// lt le and or not, in (…), contains/startswith/endswith/tolower/toupper, literals ('text' with '' doubled, numbers,
// null, true, false); null is a value for eq/ne ("Composer ne 'x'" is true for a null Composer) and makes the
// ordering operators false; $orderby with NULLs first ascending; $top/$skip; $count=true (@odata.count);
// server-driven paging with @odata.nextLink past maxPageSize; entities as Set(key) for GET/PATCH/DELETE.
import { bodyObject, compare, findRow, insert, serveTable, typed, type ApiServer, type Reply, type Row, type Table, type Value } from './tableServer';

type Token = { t: 'id' | 'str' | 'num' | 'op' | 'punct'; v: string };
type Expr = (row: Row) => Value;

class BadRequest extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([(),]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new BadRequest(`syntax error in $filter at position ${at}`);
    at = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'str', v: m[1].replace(/''/g, "'") });
    else if (m[2] !== undefined) tokens.push({ t: 'num', v: m[2] });
    else if (m[3] !== undefined) tokens.push({ t: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not', 'in'].includes(m[3]) ? 'op' : 'id', v: m[3] });
    else tokens.push({ t: 'punct', v: m[4]! });
  }
  return tokens;
}

function parseFilter(table: Table, text: string): (row: Row) => boolean {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const expect = (v: string) => {
    if (tokens[i]?.v !== v) throw new BadRequest(`expected "${v}" in $filter`);
    i++;
  };
  const columns = Object.keys(table.rows[0] ?? {});
  const functions: Record<string, (args: Value[]) => Value> = {
    contains: ([a, b]) => (a === null || b === null ? null : String(a).includes(String(b))),
    startswith: ([a, b]) => (a === null || b === null ? null : String(a).startsWith(String(b))),
    endswith: ([a, b]) => (a === null || b === null ? null : String(a).endsWith(String(b))),
    tolower: ([a]) => (a === null ? null : String(a).toLowerCase()),
    toupper: ([a]) => (a === null ? null : String(a).toUpperCase()),
  };
  const primary = (): Expr => {
    const token = tokens[i++];
    if (!token) throw new BadRequest('$filter ends too early');
    if (token.t === 'str') return () => token.v;
    if (token.t === 'num') return () => Number(token.v);
    if (token.v === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (token.t === 'op' && token.v === 'not') {
      const inner = primary();
      return (row) => (inner(row) === null ? null : !inner(row));
    }
    if (token.t === 'id') {
      if (token.v === 'null') return () => null;
      if (token.v === 'true' || token.v === 'false') return () => token.v === 'true';
      const fn = functions[token.v];
      if (fn && peek()?.v === '(') {
        i++;
        const args: Expr[] = [or()];
        while (peek()?.v === ',') {
          i++;
          args.push(or());
        }
        expect(')');
        return (row) => fn(args.map((a) => a(row)));
      }
      if (!columns.includes(token.v)) throw new BadRequest(`Could not find a property named '${token.v}' on type '${table.name}'.`);
      return (row) => row[token.v] ?? null;
    }
    throw new BadRequest(`unexpected "${token.v}" in $filter`);
  };
  const comparison = (): Expr => {
    const left = primary();
    const op = peek();
    if (op?.t !== 'op' || !['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in'].includes(op.v)) return left;
    i++;
    if (op.v === 'in') {
      expect('(');
      const list: Expr[] = [primary()];
      while (peek()?.v === ',') {
        i++;
        list.push(primary());
      }
      expect(')');
      return (row) => list.some((e) => equal(left(row), e(row)));
    }
    const right = primary();
    return (row) => {
      const a = left(row);
      const b = right(row);
      // null is a value for eq/ne; the ordering operators are false when either side is null.
      if (op.v === 'eq') return equal(a, b);
      if (op.v === 'ne') return !equal(a, b);
      if (a === null || b === null) return false;
      const c = compare(a, b);
      return op.v === 'gt' ? c > 0 : op.v === 'ge' ? c >= 0 : op.v === 'lt' ? c < 0 : c <= 0;
    };
  };
  const and = (): Expr => {
    let left = comparison();
    while (peek()?.v === 'and') {
      i++;
      const l = left;
      const r = comparison();
      left = (row) => l(row) === true && r(row) === true;
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (peek()?.v === 'or') {
      i++;
      const l = left;
      const r = and();
      left = (row) => l(row) === true || r(row) === true;
    }
    return left;
  };
  const expr = or();
  if (i < tokens.length) throw new BadRequest(`unexpected "${tokens[i]!.v}" in $filter`);
  return (row) => expr(row) === true;
}

const equal = (a: Value, b: Value) => (a === null || b === null ? a === b : compare(a, b) === 0);

export async function startOdataServer(table: Table, options: { maxPageSize?: number } = {}): Promise<ApiServer & { maxPageSize: number }> {
  const maxPageSize = options.maxPageSize ?? 1000;
  const set = `/${table.name}`;
  const server = await serveTable(table, (seen, url, origin): Reply => {
    const context = `${origin}/$metadata#${table.name}`;
    const keyMatch = new RegExp(`^${set}\\((.+)\\)$`).exec(seen.path);
    try {
      if (keyMatch) {
        const key = keyMatch[1]!.startsWith("'") ? keyMatch[1]!.slice(1, -1).replace(/''/g, "'") : typed(table, table.idField, keyMatch[1]!);
        const row = findRow(table, key);
        if (!row) return { status: 404, body: { error: { code: '', message: `No entity with key ${keyMatch[1]}` } } };
        if (seen.method === 'GET') return { status: 200, body: { '@odata.context': `${context}/$entity`, ...row } };
        if (seen.method === 'PATCH') {
          Object.assign(row, bodyObject(seen), { [table.idField]: row[table.idField] });
          return String(seen.headers.prefer ?? '').includes('return=representation') ? { status: 200, body: { '@odata.context': `${context}/$entity`, ...row } } : { status: 204 };
        }
        if (seen.method === 'DELETE') {
          table.rows.splice(table.rows.indexOf(row), 1);
          return { status: 204 };
        }
        return { status: 405, body: { error: { message: 'method not allowed' } } };
      }
      if (seen.path !== set) return { status: 404, body: { error: { message: `Resource not found for the segment '${seen.path}'.` } } };
      if (seen.method === 'POST') return { status: 201, body: { '@odata.context': `${context}/$entity`, ...insert(table, bodyObject(seen)) } };
      if (seen.method !== 'GET') return { status: 405, body: { error: { message: 'method not allowed' } } };
      const q = (name: string) => url.searchParams.get(name) ?? undefined;
      const filter = q('$filter');
      let rows = filter ? table.rows.filter(parseFilter(table, filter)) : [...table.rows];
      const orderby = q('$orderby');
      if (orderby) {
        const keys = orderby.split(',').map((part) => {
          const [column = '', dir = 'asc'] = part.trim().split(/\s+/);
          if (!(column in (table.rows[0] ?? {}))) throw new BadRequest(`Could not find a property named '${column}'.`);
          return { column, desc: dir === 'desc' };
        });
        // OData: null values come before non-null values ascending (and after them descending).
        const cmp = (a: Value, b: Value) => (a === null || b === null ? (a === b ? 0 : a === null ? -1 : 1) : compare(a, b));
        rows = rows.map((r, i) => ({ r, i })).sort((x, y) => keys.reduce((c, k) => c || (k.desc ? -1 : 1) * cmp(x.r[k.column] ?? null, y.r[k.column] ?? null), 0) || x.i - y.i).map(({ r }) => r);
      }
      const total = rows.length;
      const skip = Number(q('$skip') ?? 0);
      const top = q('$top') !== undefined ? Number(q('$top')) : undefined;
      const wanted = rows.slice(skip, top === undefined ? undefined : skip + top);
      const page = wanted.slice(0, maxPageSize);
      const body: Record<string, unknown> = { '@odata.context': context };
      if (q('$count') === 'true') body['@odata.count'] = total;
      body.value = page;
      if (wanted.length > page.length) {
        const next = new URL(url.pathname + url.search, origin);
        next.searchParams.set('$skip', String(skip + page.length));
        if (top !== undefined) next.searchParams.set('$top', String(top - page.length));
        body['@odata.nextLink'] = next.toString();
      }
      return { status: 200, body };
    } catch (error) {
      if (error instanceof BadRequest) return { status: 400, body: { error: { code: '', message: error.message } } };
      throw error;
    }
  });
  return { ...server, maxPageSize };
}
