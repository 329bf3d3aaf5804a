// A fake-REST server in the style of json-server 0.17 (lib/server/router/plural.js), with its semantics kept:
// `field=v` compares with the field's text (repeated: any of them), _gte/_lte compare with JavaScript's coercion,
// _ne and _like skip records whose field is null, _like is a case-insensitive RegExp (an invalid one crashes the
// request: 500), _sort/_order sort like lodash's orderBy (NULLs last ascending), _page/_limit page with
// X-Total-Count and a Link header, while _limit alone only cuts the first records. Writes: POST, PATCH, DELETE.
import { bodyObject, findRow, insert, serveTable, type ApiServer, type Reply, type Row, type Table, type Value } from './tableServer';

const SPECIAL = /^_(page|limit|sort|order|start|end|embed|expand)$/;

function matches(row: Row, key: string, values: string[]): boolean {
  const op = /_(gte|lte|ne|like)$/.exec(key)?.[1];
  const field = op ? key.slice(0, -op.length - 1) : key;
  return values.some((value) => {
    const element = row[field];
    if (element === undefined || element === null) return false;
    // Loose comparison as in json-server: '5' <= 10 compares numbers, two texts compare as texts.
    const loose = element as unknown as string;
    if (op === 'gte') return value <= loose;
    if (op === 'lte') return value >= loose;
    if (op === 'ne') return value !== element.toString();
    if (op === 'like') return new RegExp(value, 'i').test(element.toString());
    return value === element.toString();
  });
}

/** lodash's orderBy: NULLs after every value ascending (and so first descending), stable. */
function orderBy(rows: Row[], fields: string[], orders: string[]): Row[] {
  const rank = (a: Value, b: Value): number => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    return a > b ? 1 : a < b ? -1 : 0;
  };
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => {
      for (const [k, field] of fields.entries()) {
        const c = rank(x.row[field] ?? null, y.row[field] ?? null);
        if (c !== 0) return orders[k] === 'desc' ? -c : c;
      }
      return x.i - y.i;
    })
    .map(({ row }) => row);
}

export async function startJsonServerStyle(table: Table): Promise<ApiServer> {
  const base = `/${table.name}`;
  return serveTable(table, (seen, url, origin): Reply => {
    const id = seen.path.startsWith(`${base}/`) ? seen.path.slice(base.length + 1) : undefined;
    const row = id === undefined ? undefined : findRow(table, Number(id)) ?? findRow(table, id);
    if (seen.path !== base && id === undefined) return { status: 404, body: {} };
    if (seen.method === 'GET' && id !== undefined) return row ? { status: 200, body: row } : { status: 404, body: {} };
    if (seen.method === 'POST' && id === undefined) return { status: 201, body: insert(table, bodyObject(seen)) };
    if (seen.method === 'PATCH' && id !== undefined) {
      if (!row) return { status: 404, body: {} };
      return { status: 200, body: Object.assign(row, bodyObject(seen), { [table.idField]: row[table.idField] }) };
    }
    if (seen.method === 'DELETE' && id !== undefined) {
      if (!row) return { status: 404, body: {} };
      table.rows.splice(table.rows.indexOf(row), 1);
      return { status: 200, body: {} };
    }
    if (seen.method !== 'GET') return { status: 404, body: {} };

    const filters = new Map<string, string[]>();
    for (const [key, value] of seen.params) if (!SPECIAL.test(key)) filters.set(key, [...(filters.get(key) ?? []), value]);
    let rows = table.rows.filter((r) => [...filters].every(([key, values]) => matches(r, key, values)));
    const param = (name: string) => url.searchParams.get(name) ?? undefined;
    const sort = param('_sort');
    if (sort) rows = orderBy(rows, sort.split(','), (param('_order') ?? '').split(','));
    const headers: Record<string, string> = {};
    const page = param('_page');
    const limit = param('_limit');
    if (page !== undefined) {
      const p = Math.max(1, Number.parseInt(page, 10) || 1);
      const size = Number.parseInt(limit ?? '10', 10) || 10;
      const last = Math.max(1, Math.ceil(rows.length / size));
      const link = (n: number, rel: string) => {
        const target = new URL(url.pathname + url.search, origin);
        target.searchParams.set('_page', String(n));
        return `<${target}>; rel="${rel}"`;
      };
      headers['X-Total-Count'] = String(rows.length);
      headers.Link = [link(1, 'first'), ...(p > 1 ? [link(p - 1, 'prev')] : []), ...(p < last ? [link(p + 1, 'next')] : []), link(last, 'last')].join(', ');
      rows = rows.slice((p - 1) * size, p * size);
    } else if (limit !== undefined || param('_end') !== undefined) {
      const start = Number.parseInt(param('_start') ?? '0', 10) || 0;
      const end = param('_end') !== undefined ? Number.parseInt(param('_end')!, 10) : start + Number.parseInt(limit!, 10);
      headers['X-Total-Count'] = String(rows.length);
      rows = rows.slice(start, end);
    }
    return { status: 200, body: rows, headers };
  });
}
