// The datasource conformance suite against the REST datasource and a real node:http API. The endpoint has no sort
// or filter templates, so this checks the datasource's own client-side sorting and filtering against the contract.
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
