// The REST datasource against a real JSON API on 127.0.0.1 (test/support/servers/restServer.ts): tables from the
// endpoint config, schemas inferred from records, every pagination style read to the end (every record exactly
// once, with view page sizes that do not divide the API's), offset jumps, sorts and filters sent to the API or
// done by Nocoflo with a note, counts, writes (method, path, headers, body, the server's state) with conflict
// checks, and adding a datasource through DatasourceManager end to end. Faults are in restFaults.test.ts.
import * as assert from 'node:assert/strict';
import type { DatasourceConfig, DatasourceContext, DatasourceError, DatasourceSession, Filter, SortKey } from '../../api';
import { createRestDatasource } from '../../plugins/rest';
import { DatasourceManager } from '../../src/core/datasourceManager';
import { silentLogger } from '../../src/core/log';
import { PluginRegistry } from '../../src/core/registry';
import { TableService } from '../../src/core/tableService';
import { expectedOrder, readAllPages } from '../support/pagingOracle';
import { startRestServer, type Item, type RestServer } from '../support/servers/restServer';
import { MemoryCatalog, memorySecrets } from '../support/memoryStores';

const isCode = (code: string, message?: RegExp) => (e: DatasourceError) => {
  assert.equal(e.code, code, `expected a ${code} error, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.message, message);
  return true;
};

/** The endpoint definitions of the test API, one per pagination style (page sizes that do not divide 437). */
export const ITEM_ENDPOINTS = [
  {
    name: 'paged',
    path: '/page/items',
    recordsPath: 'data',
    idField: 'id',
    pagination: { style: 'page', pageSize: 40 },
    sort: { param: 'sort', asc: '{column}', desc: '-{column}', separator: ',', columns: ['id', 'name', 'price', 'qty'] },
    filters: { eq: '{column}', gte: '{column}_gte', lte: '{column}_lte', contains: '{column}_like' },
    search: 'q',
    writes: { insert: 'POST /items', update: 'PATCH /items/{id}', delete: 'DELETE /items/{id}' },
  },
  { name: 'offset', path: '/offset/items', idField: 'id', pagination: { style: 'offset', pageSize: 30 } },
  { name: 'cursor', path: '/cursor/items', recordsPath: 'items', idField: 'id', pagination: { style: 'cursor', pageSize: 33, cursorPath: 'paging.next_cursor' } },
  { name: 'linked', path: '/link/items', idField: 'id', pagination: { style: 'link', pageSize: 45 } },
  { name: 'replaced', path: '/offset/items', idField: 'id', pagination: { style: 'offset', pageSize: 100 }, writes: { update: 'PUT /items/{id}', delete: 'DELETE /items/{id}' }, columns: { created: { readOnly: true } } },
];

describe('REST datasource: tables, paging, sorting, filtering, counting and writing', function () {
  this.timeout(60_000);
  let server: RestServer;
  let session: DatasourceSession;
  const logs: string[] = [];
  const context: DatasourceContext = { workspaceFolders: [], log: (level, message) => logs.push(`${level}: ${message}`) };
  const plugin = createRestDatasource();
  const config = (): DatasourceConfig => ({ baseUrl: server.baseUrl, headers: JSON.stringify({ 'X-Team': 'data' }), endpoints: JSON.stringify(ITEM_ENDPOINTS) });
  const ids = (rows: unknown[][]) => rows.map((r) => r[0] as number);
  const all = () => [...server.items.values()].sort((a, b) => a.id - b.id);
  const value = (id: number, column: string) => server.items.get(id)![column] as string | number | null;

  before(async () => {
    server = await startRestServer();
  });
  beforeEach(async () => {
    server.reset();
    server.resetStats();
    session = await plugin.connect(config(), {}, context);
  });
  afterEach(async () => {
    await session.close();
  });
  after(async () => {
    await server?.stop();
  });

  it('lists one endpoint table per configured endpoint, with REST capabilities and no request yet', async () => {
    const tables = await session.listTables();
    assert.deepEqual(
      tables.map((t) => `${t.ref.name}:${t.kind}`),
      ['paged:endpoint', 'offset:endpoint', 'cursor:endpoint', 'linked:endpoint', 'replaced:endpoint'],
    );
    assert.equal(server.requests.length, 0, 'listing tables comes from the config');
    assert.deepEqual(session.capabilities, { insert: true, update: true, delete: true, transactions: false, aggregate: false, schemas: false, cheapCount: false });
    assert.equal(session.description, server.baseUrl);
    assert.equal(plugin.id, 'nocoflo.rest');
    assert.deepEqual(plugin.schemes, ['http', 'https']);
  });

  it('infers the schema from records: types, nullability, nested values as JSON, the id field as key', async () => {
    const schema = await session.getSchema({ name: 'paged' });
    const shown = schema.columns.map((c) => `${c.name}:${c.kind}:${c.declaredType}${c.nullable ? '?' : ''}${c.primaryKeyPosition ? ':pk' : ''}`);
    assert.deepEqual(shown, [
      'id:integer:integer:pk',
      'name:text:string',
      'price:float:number?',
      'qty:integer:integer',
      'active:boolean:boolean',
      'tags:json:array',
      'meta:json:object',
      'created:datetimetz:string (date-time)',
    ]);
    assert.equal(schema.kind, 'endpoint');
    assert.deepEqual(schema.primaryKey, ['id']);
    assert.deepEqual(schema.rowKey, { columns: ['id'] });
    assert.equal(schema.readOnlyReason, undefined);
    const readOnly = await session.getSchema({ name: 'offset' });
    assert.match(readOnly.readOnlyReason ?? '', /no "writes" configured.*"insert": "POST \/offset\/items".*"update": "PATCH \/offset\/items\/\{id\}"/);
    const replaced = await session.getSchema({ name: 'replaced' });
    assert.equal(replaced.columns.find((c) => c.name === 'created')?.readOnly, true, 'a column override applies');
    await assert.rejects(session.getSchema({ name: 'nope' }), isCode('not_found', /no endpoint "nope"/));
  });

  for (const table of ['paged', 'offset', 'cursor', 'linked']) {
    for (const limit of [50, 17]) {
      it(`${table} paging: every record exactly once, in order, reading ${limit} at a time`, async () => {
        const rows = await readAllPages(session, { name: table }, {}, limit);
        assert.deepEqual(ids(rows), all().map((i) => i.id));
        // Cells: nested values as JSON text, NULL as null.
        const row7 = rows[6]!;
        assert.equal(row7[2], null, 'item 7 has no price');
        assert.equal(row7[5], JSON.stringify(server.items.get(7)!.tags));
        assert.equal(row7[6], JSON.stringify(server.items.get(7)!.meta));
      });
    }

    it(`${table} paging: an offset jump lands on the right record and reading on continues from there`, async () => {
      const page = await session.readRows({ name: table }, { limit: 10, offset: 123 });
      assert.deepEqual(ids(page.rows), Array.from({ length: 10 }, (_, i) => 124 + i));
      assert.equal(page.offset, 123);
      assert.deepEqual(page.keys[0], { id: 124 });
      const next = await session.readRows({ name: table }, { limit: 10, after: page.next! });
      assert.deepEqual(ids(next.rows), Array.from({ length: 10 }, (_, i) => 134 + i));
      assert.equal(next.offset, 133);
      const end = await session.readRows({ name: table }, { limit: 10, offset: 432 });
      assert.deepEqual(ids(end.rows), [433, 434, 435, 436, 437]);
      assert.equal(end.next, undefined);
    });
  }

  it('page paging asks for each API page once when a view reads on', async () => {
    await readAllPages(session, { name: 'paged' }, {}, 17);
    const pages = server.requests.filter((r) => r.path === '/v1/page/items').map((r) => r.query.page);
    assert.deepEqual(new Set(pages).size, pages.length, `pages asked twice: ${pages.join(',')}`);
    assert.ok(server.requests.every((r) => r.query.per_page === undefined || r.query.per_page === '40'));
  });

  it('a cursor belongs to its table and query; a forged one is refused', async () => {
    const page = await session.readRows({ name: 'cursor' }, { limit: 5 });
    await assert.rejects(session.readRows({ name: 'offset' }, { limit: 5, after: page.next! }), isCode('invalid_value', /another table/));
    await assert.rejects(session.readRows({ name: 'cursor' }, { limit: 5, after: page.next!, sort: [{ column: 'name', direction: 'asc' }] }), isCode('invalid_value', /another sort or filter/));
    const forged = Buffer.from(JSON.stringify({ v: 1, t: 'linked', q: '[[],[],null]', c: { m: 'api', state: { s: 'link', u: 'http://127.0.0.2:9/v1/link/items', o: 0, skip: 0 } } })).toString('base64url');
    await assert.rejects(session.readRows({ name: 'linked' }, { limit: 5, after: forged }), isCode('invalid_value', /another site/));
    await assert.rejects(session.readRows({ name: 'linked' }, { limit: 5, after: 'not a cursor' }), isCode('invalid_value'));
  });

  it('sorts and filters with templates are sent to the API, with no note', async () => {
    const sort: SortKey[] = [
      { column: 'name', direction: 'desc' },
      { column: 'price', direction: 'asc' },
    ];
    await session.getSchema({ name: 'paged' });
    server.resetStats();
    const rows = await readAllPages(session, { name: 'paged' }, { sort }, 50);
    assert.deepEqual(ids(rows), expectedOrder(all().map((i) => i.id), value, sort));
    assert.ok(server.requests.every((r) => r.query.sort === '-name,price'), 'the sort went to the API');
    server.resetStats();
    const filters: Filter[] = [
      { column: 'qty', op: 'gte', value: 40 },
      { column: 'name', op: 'contains', value: 'M 1' },
    ];
    const page = await session.readRows({ name: 'paged' }, { limit: 500, filters });
    const expected = all().filter((i) => i.qty >= 40 && i.name.includes('m 1'));
    assert.deepEqual(ids(page.rows), expected.map((i) => i.id));
    assert.equal(page.note, undefined);
    assert.equal(server.requests[0]?.query.qty_gte, '40');
    assert.equal(server.requests[0]?.query.name_like, 'M 1');
    const count = await session.countRows({ name: 'paged' }, { filters });
    assert.deepEqual(count, { count: expected.length, exact: true });
    const searched = await session.readRows({ name: 'paged' }, { limit: 500, search: { text: 'item 4' } });
    assert.deepEqual(ids(searched.rows), all().filter((i) => i.name.includes('item 4')).map((i) => i.id));
    assert.equal(server.requests.at(-1)?.query.q, 'item 4');
  });

  it('sorts and filters without templates run in Nocoflo over the fetched records, and the page says so', async () => {
    const sort: SortKey[] = [
      { column: 'price', direction: 'desc' },
      { column: 'name', direction: 'asc' },
    ];
    const rows = await readAllPages(session, { name: 'cursor' }, { sort }, 50);
    assert.deepEqual(ids(rows), expectedOrder(all().map((i) => i.id), value, sort));
    const first = await session.readRows({ name: 'cursor' }, { limit: 10, sort });
    assert.match(first.note ?? '', /^Sorted by Nocoflo, not by the API \(the API cannot sort by "price", "name"\), over all 437 records/);
    const filters: Filter[] = [
      { column: 'qty', op: 'lt', value: 30 },
      { column: 'active', op: 'eq', value: true },
      { column: 'price', op: 'notnull' },
    ];
    const filtered = await readAllPages(session, { name: 'linked' }, { filters, search: { text: 'M 0' } }, 7);
    const expected = all().filter((i) => i.qty < 30 && i.active && i.price !== null && i.name.includes('m 0'));
    assert.ok(expected.length > 3);
    assert.deepEqual(ids(filtered), expected.map((i) => i.id));
    const note = (await session.readRows({ name: 'linked' }, { limit: 5, filters })).note ?? '';
    assert.match(note, /^Filtered by Nocoflo.*the API cannot filter "qty" by lt/);
    assert.deepEqual(await session.countRows({ name: 'linked' }, { filters, search: { text: 'M 0' } }), { count: expected.length, exact: true });
    // On the page-style endpoint, the API filters what it can and Nocoflo the rest.
    await session.getSchema({ name: 'paged' });
    server.resetStats();
    const mixed = await session.readRows({ name: 'paged' }, { limit: 500, filters: [{ column: 'qty', op: 'gte', value: 50 }, { column: 'price', op: 'isnull' }] });
    assert.deepEqual(ids(mixed.rows), all().filter((i) => i.qty >= 50 && i.price === null).map((i) => i.id));
    assert.ok(server.requests.every((r) => r.query.qty_gte === '50'));
  });

  it('client-side work stops at 10,000 records and says the result is incomplete; counts say capped', async () => {
    server.reset(10_050);
    const page = await session.readRows({ name: 'replaced' }, { limit: 5, sort: [{ column: 'id', direction: 'desc' }] });
    assert.deepEqual(ids(page.rows), [10_000, 9_999, 9_998, 9_997, 9_996]);
    assert.match(page.note ?? '', /over the first 10,000 records only: the API has more/);
    const requests = server.requests.length;
    assert.ok(requests <= 101, `${requests} requests`);
    const count = await session.countRows({ name: 'replaced' }, { filters: [{ column: 'qty', op: 'gte', value: 0 }] });
    assert.deepEqual(count, { count: 10_000, exact: false, capped: true });
  });

  it('counts from the total header when there is one, otherwise by walking pages up to the cap', async () => {
    assert.deepEqual(await session.countRows({ name: 'paged' }), { count: 437, exact: true });
    assert.equal(server.requests.length, 1, 'one request: the total header');
    assert.deepEqual(await session.countRows({ name: 'cursor' }), { count: 437, exact: true });
    assert.deepEqual(await session.countRows({ name: 'offset' }, { cap: 100 }), { count: 120, exact: false, capped: true });
    server.resetStats();
    assert.deepEqual(await session.countRows({ name: 'linked' }, { cap: 10_000, estimate: true }), { count: 45, exact: false, capped: true }, 'an estimate (the tree) reads one page');
    assert.equal(server.requests.length, 1);
    assert.deepEqual(await session.countRows({ name: 'paged' }, { estimate: true }), { count: 437, exact: true });
  });

  it('inserts with POST, updates with PATCH, deletes with DELETE; the server changes and later reads show it', async () => {
    server.resetStats();
    const inserted = await session.insertRow({ name: 'paged' }, { name: 'new thing', qty: '12', tags: '["x","y"]', price: null });
    const post = server.requests.find((r) => r.method === 'POST')!;
    assert.equal(post.path, '/v1/items');
    assert.deepEqual(post.body, { name: 'new thing', qty: 12, tags: ['x', 'y'], price: null });
    assert.equal(post.headers['content-type'], 'application/json');
    assert.equal(post.headers['x-team'], 'data', 'shared headers go with writes too');
    assert.deepEqual(inserted.key, { id: 438 });
    assert.equal(inserted.row?.name, 'new thing');
    assert.equal(inserted.row?.tags, '["x","y"]');
    assert.equal(server.items.get(438)?.name, 'new thing');

    const before = await session.readRows({ name: 'paged' }, { limit: 1, offset: 4 });
    const expected = Object.fromEntries(before.columns.map((c, i) => [c, before.rows[0]![i]!]));
    server.resetStats();
    const updated = await session.updateRow({ name: 'paged' }, { id: 5 }, { qty: 99, meta: '{"color":"teal"}' }, expected);
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /v1/items/5', 'PATCH /v1/items/5'],
    );
    assert.deepEqual(server.requests[1]!.body, { qty: 99, meta: { color: 'teal' } }, 'PATCH sends only the changes');
    assert.equal(updated.row?.qty, 99);
    assert.equal(server.items.get(5)?.qty, 99);
    assert.deepEqual(server.items.get(5)?.meta, { color: 'teal' });
    const after = await session.readRows({ name: 'paged' }, { limit: 1, offset: 4 });
    assert.equal(after.rows[0]![3], 99, 'the read after a write is not served from a stale cache');

    server.resetStats();
    await session.deleteRow({ name: 'paged' }, { id: 6 }, { id: 6, qty: server.items.get(6)!.qty });
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), ['GET /v1/items/6', 'DELETE /v1/items/6']);
    assert.equal(server.items.has(6), false);
    assert.equal(await session.countRows({ name: 'paged' }).then((c) => c.count), 437);
  });

  it('a schema refresh (the view reloading) shows changes made behind Nocoflo\'s back', async () => {
    await session.readRows({ name: 'cursor' }, { limit: 5 });
    server.items.set(2, { ...server.items.get(2)!, name: 'changed elsewhere' });
    await session.getSchema({ name: 'cursor' });
    const page = await session.readRows({ name: 'cursor' }, { limit: 5 });
    assert.equal(page.rows[1]![1], 'changed elsewhere');
  });

  it('PUT updates send the whole record with the change', async () => {
    const item = server.items.get(9)!;
    server.resetStats();
    await session.updateRow({ name: 'replaced' }, { id: 9 }, { name: 'renamed' }, { name: item.name });
    const put = server.requests.find((r) => r.method === 'PUT')!;
    assert.equal(put.path, '/v1/items/9');
    assert.deepEqual(put.body, { ...item, name: 'renamed' });
    assert.equal(server.items.get(9)?.name, 'renamed');
    assert.equal(server.items.get(9)?.qty, item.qty, 'nothing else was lost');
    await session.deleteRow({ name: 'replaced' }, { id: 9 }, {});
    assert.deepEqual(server.requests.at(-1), { ...server.requests.at(-1)!, method: 'DELETE', path: '/v1/items/9' });
  });

  it('detects conflicts: a record changed or deleted on the server since it was read is not overwritten', async () => {
    const read = await session.readRows({ name: 'paged' }, { limit: 1, offset: 9 });
    const expected = Object.fromEntries(read.columns.map((c, i) => [c, read.rows[0]![i]!]));
    server.items.set(10, { ...server.items.get(10)!, qty: 1234 });
    server.resetStats();
    await assert.rejects(session.updateRow({ name: 'paged' }, { id: 10 }, { name: 'mine' }, expected), (e: DatasourceError) => {
      isCode('conflict', /id=10 of "paged" was changed on the server after you read it \("qty"\)/)(e);
      assert.equal(e.current?.qty, 1234);
      return true;
    });
    assert.deepEqual(server.requests.map((r) => r.method), ['GET'], 'nothing was written');
    assert.equal(server.items.get(10)?.name, (expected.name as string));
    server.items.delete(11);
    await assert.rejects(session.deleteRow({ name: 'paged' }, { id: 11 }, { id: 11 }), (e: DatasourceError) => isCode('conflict', /was deleted on the server/)(e) && e.current === null);
    // JSON fields compare by content, not by spelling.
    await session.updateRow({ name: 'paged' }, { id: 12 }, { qty: 1 }, { meta: ' { "color" : "red" } ' });
    assert.equal(server.items.get(12)?.qty, 1);
  });

  it('refuses writes that are not configured or not valid, with the reason and nothing sent', async () => {
    server.resetStats();
    await assert.rejects(session.insertRow({ name: 'offset' }, { name: 'x' }), isCode('read_only', /Inserting records is not configured for endpoint "offset"; add "insert": "POST \/offset\/items"/));
    await assert.rejects(session.insertRow({ name: 'replaced' }, { name: 'x' }), isCode('read_only'));
    await assert.rejects(session.insertRow({ name: 'paged' }, { tags: '[1,' }), (e: DatasourceError) => isCode('invalid_value', /"tags": this is not valid JSON/)(e) && e.column === 'tags');
    await assert.rejects(session.insertRow({ name: 'paged' }, { qty: 'many' }), isCode('invalid_value', /"qty": "many" is not a whole number/));
    assert.equal(server.requests.filter((r) => r.method !== 'GET').length, 0);
    // The API's own validation error comes back with its message.
    await assert.rejects(session.insertRow({ name: 'paged' }, { qty: 3 }), isCode('constraint', /POST \/v1\/items \(422 Unprocessable Entity\): .*name is required/));
    const preview = await session.previewChanges!({ name: 'paged' }, [
      { kind: 'insert', values: { name: 'p' } },
      { kind: 'update', key: { id: 3 }, changes: { qty: 2 }, expected: {} },
      { kind: 'delete', key: { id: 4 }, expected: {} },
    ]);
    assert.deepEqual(preview, [
      { text: 'POST /v1/items', params: ['{"name":"p"}'] },
      { text: 'GET /v1/items/3 (checks the record is unchanged), then PATCH /v1/items/3', params: ['{"qty":2}'] },
      { text: 'GET /v1/items/4 (checks the record is unchanged), then DELETE /v1/items/4', params: [] },
    ]);
  });

  it('works end to end through DatasourceManager: secrets stored apart, a URL with credentials, a save through TableService', async () => {
    const registry = new PluginRegistry({ apiVersion: '1.1.0', log: silentLogger, isEnabled: () => true });
    registry.registerDatasource(createRestDatasource());
    const catalog = new MemoryCatalog();
    const records = catalog.records;
    const { store, values: secrets } = memorySecrets();
    const manager = new DatasourceManager({
      registry,
      catalog,
      secrets: store,
      log: silentLogger,
      workspaceFolders: () => [],
      slowOperationMs: () => 1e9,
    });
    const endpoints = JSON.stringify([{ name: 'secure', path: '/bearer/items', idField: 'id' }, ...ITEM_ENDPOINTS.slice(0, 1)]);
    const id = await manager.add({ type: 'nocoflo.rest', name: 'Test API', config: { baseUrl: server.baseUrl, auth: 'bearer', endpoints }, secrets: { token: server.token } });
    assert.ok(!JSON.stringify(records).includes(server.token), 'the token is not in the catalog');
    // The token is stored bound to what it authenticates: this API's origin (src/core/secretBinding.ts).
    const bound = (key: string) => JSON.parse(secrets.get(key)!) as { bindings: { target: string; secrets: Record<string, string> }[] };
    const tokenEntry = bound(`nocoflo.datasource.${id}`);
    assert.equal(tokenEntry.bindings.length, 1);
    assert.deepEqual(tokenEntry.bindings[0]!.secrets, { token: server.token });
    assert.ok(tokenEntry.bindings[0]!.target.includes(new URL(server.baseUrl).origin), tokenEntry.bindings[0]!.target);
    const live = await manager.session(id);
    const page = await live.readRows({ name: 'secure' }, { limit: 100 });
    assert.equal(page.rows.length, 10);
    assert.match((await manager.test({ type: 'nocoflo.rest', name: 't', config: { baseUrl: server.baseUrl, auth: 'bearer', endpoints }, secrets: { token: server.token } })) ?? '', /answers: secure \(10 records\), paged \(40\+ records\)/);

    // A pasted URL: the user and password become basic auth, the password a secret.
    const urlId = await manager.add({ name: 'Basic', url: `http://${server.username}:${encodeURIComponent(server.password)}@127.0.0.1:${new URL(server.origin).port}/v1`, config: { endpoints: JSON.stringify([{ name: 'b', path: '/basic/items' }]) } });
    const stored = records.find((r) => r.id === urlId)!;
    assert.deepEqual(stored.config, { auth: 'basic', username: server.username, baseUrl: server.baseUrl, endpoints: JSON.stringify([{ name: 'b', path: '/basic/items' }]) });
    const passwordEntry = bound(`nocoflo.datasource.${urlId}`);
    assert.equal(passwordEntry.bindings.length, 1);
    assert.deepEqual(passwordEntry.bindings[0]!.secrets, { password: server.password });
    assert.ok(passwordEntry.bindings[0]!.target.includes(new URL(server.baseUrl).origin), passwordEntry.bindings[0]!.target);
    assert.equal((await (await manager.session(urlId)).readRows({ name: 'b' }, { limit: 50 })).rows.length, 10);

    // A save through the one data door.
    const tables = new TableService(manager);
    const locator = { datasourceId: id, name: 'paged' };
    const first = await tables.readRows(locator, { limit: 1 });
    const expected = Object.fromEntries(first.columns.map((c, i) => [c, first.rows[0]![i]!]));
    const result = await tables.apply(locator, [{ kind: 'update', key: { id: 1 }, changes: { name: 'saved' }, expected }]);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(server.items.get(1)?.name, 'saved');
    const patch = server.requests.find((r) => r.method === 'PATCH')!;
    assert.equal(patch.headers.authorization, `Bearer ${server.token}`, 'writes carry the credentials too');
    const readOnly = await tables.apply({ datasourceId: id, name: 'secure' }, [{ kind: 'delete', key: { id: 1 }, expected: {} }]);
    assert.equal(readOnly.ok, false);
    assert.match(!readOnly.ok ? readOnly.failure.message : '', /no "writes" configured/);
    await manager.closeAll();
  });

  it('wrote no secret and nothing unexpected to the log', () => {
    for (const line of logs) assert.ok(!line.includes(server.token) && !line.includes(server.password), line);
  });
});

export type { Item };
