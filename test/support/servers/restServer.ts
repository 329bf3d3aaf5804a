// A real JSON API on 127.0.0.1 (node:http, free port) for the REST datasource tests. One in-memory collection of
// items is served through every pagination style (page+per_page with a total, offset+limit, a cursor in the body,
// RFC 8288 Link headers), with sort/filter/search parameters on the page style, bearer/basic/API-key checks,
// rate limiting with Retry-After, writes (POST/PATCH/PUT/DELETE) that change the collection, and one route per
// fault the datasource must survive. Every request is recorded, and the server counts requests in flight.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { cleanUpOnExit, freePort } from './lifecycle';

export interface Item {
  id: number;
  name: string;
  price: number | null;
  qty: number;
  active: boolean;
  tags: string[];
  meta: { color: string; size?: number };
  created: string;
  [field: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The body as sent, for checks JSON.parse would blur (digits beyond a double's precision). */
  text: string;
  /** When the server read the request (performance.now() in the test process). */
  at: number;
  /** Settles when the connection of the response closes: 'answered' after a full answer, 'aborted' if the client left first. */
  ended: Promise<'answered' | 'aborted'>;
}

export interface RestServer {
  /** http://127.0.0.1:port */
  origin: string;
  /** origin + /v1, the base URL the tests configure. */
  baseUrl: string;
  items: Map<number, Item>;
  requests: RecordedRequest[];
  /** The most requests that were in flight at once since the last resetStats(). */
  maxInFlight: number;
  /** 429 answers left on /v1/limited/items before it serves. */
  rateLimited: number;
  /** Delay of /v1/slow/items and /v1/paced/items, in ms. */
  slowMs: number;
  pacedMs: number;
  readonly token: string;
  readonly apiKey: string;
  readonly username: string;
  readonly password: string;
  resetStats(): void;
  /** Puts the collection back to its initial `count` items. */
  reset(count?: number): void;
  stop(): Promise<void>;
}

const COLORS = ['red', 'green', 'blue', 'black'];

export function makeItem(id: number): Item {
  const item: Item = {
    id,
    // Names repeat (ties for sorting), prices are sometimes null (NULL ordering).
    name: `item ${String(id % 50).padStart(2, '0')}`,
    price: id % 7 === 0 ? null : Math.round(((id * 13) % 1000) * 1.25) / 10,
    qty: (id * 37) % 101,
    active: id % 3 !== 0,
    tags: id % 4 === 0 ? [] : [`t${id % 5}`],
    meta: { color: COLORS[id % COLORS.length]! },
    created: new Date(Date.UTC(2024, 0, 1) + id * 3_600_000).toISOString(),
  };
  return item;
}

export async function startRestServer(options: { count?: number } = {}): Promise<RestServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let inFlight = 0;
  const state = {
    origin,
    baseUrl: `${origin}/v1`,
    items: new Map<number, Item>(),
    requests: [] as RecordedRequest[],
    maxInFlight: 0,
    rateLimited: 0,
    slowMs: 2_000,
    pacedMs: 60,
    token: 'tok-9f8e7d6c5b4a-secret',
    apiKey: 'key-1234567890-abcdef',
    username: 'alice',
    password: 'pa:ss-wörd-42',
    resetStats() {
      state.requests.length = 0;
      state.maxInFlight = 0;
    },
    reset(count = options.count ?? 437) {
      state.items.clear();
      for (let id = 1; id <= count; id++) state.items.set(id, makeItem(id));
    },
    stop: async (): Promise<void> => undefined,
  };
  state.reset();

  const server: Server = createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const ended = new Promise<'answered' | 'aborted'>((resolve) => res.on('close', () => resolve(res.writableFinished ? 'answered' : 'aborted')));
    void readBody(req).then(
      (text) => handle(req, res, text, ended),
      () => res.destroy(),
    );
  });

  const sorted = () => [...state.items.values()].sort((a, b) => a.id - b.id);
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const html = (res: ServerResponse, status: number, title: string) => {
    res.writeHead(status, { 'Content-Type': 'text/html' });
    res.end(`<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>nginx</p></body></html>`);
  };
  const int = (v: string | undefined, fallback: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback);

  /** The page style's query language: sort=name,-price · name_like=… · qty_gte/qty_lte · field=value · q=… */
  function query(items: Item[], q: Record<string, string>): Item[] {
    let out = items;
    for (const [param, value] of Object.entries(q)) {
      if (['page', 'per_page', 'sort', 'offset', 'limit', 'cursor'].includes(param)) continue;
      if (param === 'q') out = out.filter((i) => i.name.includes(value.toLowerCase()));
      else if (param.endsWith('_like')) out = out.filter((i) => String(i[param.slice(0, -5)] ?? '').toLowerCase().includes(value.toLowerCase()));
      else if (param.endsWith('_gte')) out = out.filter((i) => i[param.slice(0, -4)] !== null && Number(i[param.slice(0, -4)]) >= Number(value));
      else if (param.endsWith('_lte')) out = out.filter((i) => i[param.slice(0, -4)] !== null && Number(i[param.slice(0, -4)]) <= Number(value));
      else out = out.filter((i) => String(i[param]) === value);
    }
    if (q.sort) {
      const keys = q.sort.split(',').map((k) => (k.startsWith('-') ? { field: k.slice(1), dir: -1 } : { field: k, dir: 1 }));
      out = [...out].sort((a, b) => {
        for (const { field, dir } of keys) {
          const x = a[field] as string | number | null;
          const y = b[field] as string | number | null;
          if (x === y) continue;
          // NULLs first ascending, last descending, like Nocoflo promises.
          const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
          return c * dir;
        }
        return a.id - b.id;
      });
    }
    return out;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, text: string, ended: Promise<'answered' | 'aborted'>): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const q = Object.fromEntries(url.searchParams);
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return json(res, 400, { error: 'body is not JSON' });
      }
    }
    const method = req.method ?? 'GET';
    state.requests.push({ method, path: url.pathname, query: q, headers: req.headers, body, text, at: performance.now(), ended });
    const path = url.pathname;
    const all = sorted();

    // Pagination styles over the same collection.
    if (method === 'GET' && (path === '/v1/page/items' || path === '/v1/paced/items')) {
      if (path === '/v1/paced/items') await delay(state.pacedMs);
      const matched = query(all, q);
      const page = int(q.page, 1);
      const perPage = Math.min(int(q.per_page, 25), 100);
      const data = matched.slice((page - 1) * perPage, page * perPage);
      return json(res, 200, { data, meta: { page, per_page: perPage, total: matched.length } }, { 'X-Total-Count': String(matched.length) });
    }
    if (method === 'GET' && path === '/v1/offset/items') {
      const offset = int(q.offset, 0);
      const limit = Math.min(int(q.limit, 20), 100);
      return json(res, 200, all.slice(offset, offset + limit));
    }
    if (method === 'GET' && path === '/v1/cursor/items') {
      const start = q.cursor ? Number(Buffer.from(q.cursor, 'base64url').toString('utf8').replace(/^after:/, '')) : 0;
      if (!Number.isInteger(start) || start < 0) return json(res, 400, { error: 'bad cursor' });
      const limit = Math.min(int(q.limit, 20), 100);
      const items = all.slice(start, start + limit);
      const next = start + limit < all.length ? Buffer.from(`after:${start + limit}`).toString('base64url') : null;
      return json(res, 200, { items, paging: { next_cursor: next } });
    }
    if (method === 'GET' && path === '/v1/link/items') {
      const page = int(q.page, 1);
      const perPage = Math.min(int(q.per_page, 30), 100);
      const items = all.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number) => `<${origin}/v1/link/items?page=${p}&per_page=${perPage}>`;
      // "next" deliberately not first, and one relation list with several values.
      const links = [`${link(1)}; rel="first"`, `${link(last)}; rel="last"`];
      if (page < last) links.push(`${link(page + 1)}; rel="next"; title="page, ${page + 1}"`);
      if (page > 1) links.push(`${link(page - 1)}; rel="prev previous"`);
      return json(res, 200, items, { Link: links.join(', ') });
    }

    // Single records and writes.
    const one = /^\/v1\/items\/([^/]+)$/.exec(path);
    if (path === '/v1/items' && method === 'POST') {
      if (!isObject(body) || typeof body.name !== 'string') return json(res, 422, { error: 'name is required and must be a string' });
      const id = Math.max(0, ...state.items.keys()) + 1;
      const item = { ...makeItem(id), ...body, id } as Item;
      state.items.set(id, item);
      return json(res, 201, item, { Location: `/v1/items/${id}` });
    }
    if (one) {
      const id = Number(decodeURIComponent(one[1]!));
      const item = state.items.get(id);
      if (!item) return json(res, 404, { error: `no item ${one[1]}` });
      if (method === 'GET') return json(res, 200, item);
      if (method === 'PATCH') {
        if (!isObject(body)) return json(res, 400, { error: 'expected an object' });
        if ('qty' in body && typeof body.qty !== 'number') return json(res, 422, { error: 'qty must be a number' });
        const updated = { ...item, ...body, id } as Item;
        state.items.set(id, updated);
        return json(res, 200, updated);
      }
      if (method === 'PUT') {
        if (!isObject(body) || typeof body.name !== 'string') return json(res, 422, { error: 'PUT needs the whole item' });
        const replaced = { ...body, id } as Item;
        state.items.set(id, replaced);
        return json(res, 200, replaced);
      }
      if (method === 'DELETE') {
        state.items.delete(id);
        res.writeHead(204);
        return void res.end();
      }
    }

    // Authentication.
    if (path === '/v1/bearer/items') {
      if (req.headers.authorization !== `Bearer ${state.token}`) return json(res, 401, { error: 'invalid token' }, { 'WWW-Authenticate': 'Bearer' });
      return json(res, 200, all.slice(0, 10));
    }
    if (path === '/v1/basic/items') {
      const expected = `Basic ${Buffer.from(`${state.username}:${state.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return json(res, 401, { error: 'bad user or password' }, { 'WWW-Authenticate': 'Basic realm="test"' });
      return json(res, 200, all.slice(0, 10));
    }
    if (path === '/v1/apikey/items') {
      if (req.headers['x-api-key'] !== state.apiKey) return json(res, 403, { error: 'missing or wrong API key' });
      return json(res, 200, all.slice(0, 10));
    }

    // Rate limiting and slowness.
    if (path === '/v1/limited/items') {
      if (state.rateLimited > 0) {
        state.rateLimited--;
        return json(res, 429, { error: 'slow down' }, { 'Retry-After': '1' });
      }
      return json(res, 200, all.slice(0, 5));
    }
    if (path === '/v1/throttled/items') return json(res, 429, { error: 'come back in an hour' }, { 'Retry-After': '3600' });
    if (path === '/v1/slow/items') {
      await delay(state.slowMs);
      if (!res.destroyed) return json(res, 200, all.slice(0, 5));
      return;
    }

    // Faults.
    switch (path) {
      case '/v1/faults/text':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.end('OK then, everything is fine');
      case '/v1/faults/html':
        return html(res, 200, 'Welcome to nginx!');
      case '/v1/faults/html502':
        return html(res, 502, '502 Bad Gateway');
      case '/v1/faults/401':
        return json(res, 401, { error: 'token expired' });
      case '/v1/faults/403':
        return json(res, 403, { error: 'you may not read this' });
      case '/v1/faults/500':
        return json(res, 500, { error: 'database is on fire', trace: 'at Query.run (db.js:42)' });
      case '/v1/faults/echo':
        // A careless server that repeats the credentials in its error page.
        return json(res, 500, { error: 'failed', authorization: req.headers.authorization ?? null, key: req.headers['x-api-key'] ?? null });
      case '/v1/faults/huge': {
        // 3 MB of records, chunked (no Content-Length), so the cap must be enforced while reading.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('[');
        const chunk = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: i, pad: 'x'.repeat(90) })).join(',');
        for (let i = 0; i < 30 && !res.destroyed; i++) {
          res.write(`${i ? ',' : ''}${chunk}`);
          await delay(1);
        }
        return void res.end(']');
      }
      case '/v1/faults/endless': {
        // JSON records without end, written as fast as the client reads them (chunked): only a client that stops
        // reading at its size cap and closes the connection ends this response.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('[');
        const chunk = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: i, pad: 'x'.repeat(90) })).join(',');
        for (let i = 0; !res.destroyed; i++) {
          if (res.write(`${i ? ',' : ''}${chunk}`)) continue;
          await new Promise<void>((resolve) => {
            const go = () => {
              res.off('drain', go);
              res.off('close', go);
              resolve();
            };
            res.on('drain', go);
            res.on('close', go);
          });
        }
        return;
      }
      case '/v1/faults/deep': {
        // A record holding an array nested 100,000 deep (or ?depth=): 200 kB, well under the size cap, but deeper
        // than any recursive walk (JSON.stringify included) survives.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const depth = q.depth ? Number(q.depth) : 100_000;
        return void res.end(`[{"id":1,"name":"deep","tree":${'['.repeat(depth)}${']'.repeat(depth)}}]`);
      }
      case '/v1/faults/declared-huge':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(50 * 1024 * 1024) });
        res.write('[');
        return void setTimeout(() => res.destroy(), 200);
      case '/v1/faults/mixed':
        return json(res, 200, [
          { id: 1, name: 'a', n: 1, extra: { deep: [1, 2] } },
          { id: 2, name: 'b', n: 2.5, only2: true },
          { id: 3, name: null, n: 'three' },
          { id: 4, n: 4, when: '2024-02-03T04:05:06Z' },
        ]);
      case '/v1/faults/noid':
        return json(res, 200, [{ id: 1, name: 'a' }, { name: 'no id here' }, { id: null, name: 'null id' }, { id: 4, name: 'd' }]);
      case '/v1/faults/wrapped':
        return json(res, 200, { data: { rows: [] }, count: 0 });
      case '/v1/faults/redirect-away':
        res.writeHead(302, { Location: 'http://127.0.0.2:9/steal' });
        return void res.end();
      case '/v1/faults/redirect-here':
        res.writeHead(307, { Location: '/v1/offset/items?limit=3' });
        return void res.end();
      case '/v1/faults/link-away':
        return json(res, 200, [{ id: 1 }], { Link: '<http://127.0.0.2:9/v1/link/items?page=2>; rel="next"' });
      default:
        return json(res, 404, { error: `no route ${method} ${path}` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const removeHooks = cleanUpOnExit(() => server.close());
  state.stop = () =>
    new Promise<void>((resolve) => {
      removeHooks();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
