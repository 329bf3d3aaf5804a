// The datasource conformance suite against the REST datasource and a real node:http API. The endpoint has no sort
// or filter templates, so this checks the datasource's own client-side sorting and filtering against the contract.
import * as assert from 'node:assert/strict';
import type { DatasourceSession } from '../../api';
import { createRestDatasource } from '../../plugins/rest';
import { describeDatasourceConformance } from '../conformance/datasourceConformance';
import { type Item, type RestServer, startRestServer } from '../support/servers/restServer';
import { context } from '../support/sqliteFixtures';

let server: RestServer | undefined;
let session: DatasourceSession | undefined;

describeDatasourceConformance({
  name: 'REST',
  // A REST API has no GROUP BY: views aggregate what they read.
  aggregates: false,
  async open(rows, tableName) {
    server ??= await startRestServer({ count: 0 });
    server.items.clear();
    // The API stores whatever records it is given; these have the conformance columns instead of its own.
    for (const row of rows) server.items.set(row.id, row as unknown as Item);
    await session?.close();
    const endpoints = [
      {
        name: tableName,
        path: '/page/items',
        recordsPath: 'data',
        idField: 'id',
        pagination: { style: 'page', pageSize: 40 },
        writes: { insert: 'POST /items', update: 'PATCH /items/{id}', delete: 'DELETE /items/{id}' },
      },
    ];
    session = await createRestDatasource().connect({ baseUrl: server.baseUrl, endpoints: JSON.stringify(endpoints) }, {}, context);
    return { session, table: { name: tableName } };
  },
  async dispose() {
    await server?.stop();
  },
});

// Type fidelity on writes (issue 20), against the same kind of server: what the API receives is the JSON type its
// records hold, and a number beyond a double's precision arrives with every digit.
describe('REST conformance: type fidelity on writes', function () {
  let api: RestServer;
  let rest: DatasourceSession;
  before(async () => {
    api = await startRestServer({ count: 5 });
    const endpoints = [{ name: 'items', path: '/page/items', recordsPath: 'data', idField: 'id', pagination: { style: 'page', pageSize: 40 }, writes: { insert: 'POST /items', update: 'PATCH /items/{id}' } }];
    rest = await createRestDatasource().connect({ baseUrl: api.baseUrl, endpoints: JSON.stringify(endpoints) }, {}, context);
  });
  after(async () => {
    await rest.close();
    await api.stop();
  });
  const lastWrite = () => api.requests.filter((r) => r.method !== 'GET').at(-1)!;

  it('a decimal typed as 2.50 is sent as the JSON number 2.5, integers and booleans as themselves', async () => {
    const read = await rest.readRows({ name: 'items' }, { limit: 1 });
    const row = Object.fromEntries(read.columns.map((c, i) => [c, read.rows[0]![i]!]));
    await rest.updateRow({ name: 'items' }, { id: 1 }, { price: '2.50', qty: '7', active: 'false' }, { price: row.price!, qty: row.qty!, active: row.active! });
    assert.deepEqual(lastWrite().body, { price: 2.5, qty: 7, active: false });
    assert.equal(lastWrite().text, '{"price":2.5,"qty":7,"active":false}');
    assert.equal(api.items.get(1)!.price, 2.5);
  });

  it('a number a double cannot hold is sent with its exact digits, not rounded', async () => {
    await rest.insertRow({ name: 'items' }, { name: 'big', qty: '12345678901234567890', price: '0.1000000000000000055' });
    assert.equal(lastWrite().text, '{"name":"big","qty":12345678901234567890,"price":0.1000000000000000055}');
  });
});
