// A conformance run per preset (issue 20) against a local server implementing that convention faithfully
// (test/support/servers/{postgrestServer,odataServer,jsonServerStyle}.ts), each holding Chinook's 3,503 tracks:
// every record read exactly once, every filter operator equal to an oracle on the same data (regex metacharacters,
// ne with NULLs, quotes and commas in values), sorts pushed (the request the server saw), in-lists, counts, writes
// with type fidelity. The numbers are printed for docs/benchmarks-style reporting (records, requests, pushed/local).
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceSession, Filter, SortKey } from '../../api';
import { createRestDatasource } from '../../plugins/rest';
import { readAllPages } from '../support/pagingOracle';
import { jsonServerPresetSpec, odataPresetSpec, postgrestPresetSpec } from '../support/restPresetSpecs';
import { startOdataServer } from '../support/servers/odataServer';
import { loadChinook, type ApiServer, type Row, type Value } from '../support/servers/tableServer';
import { context } from '../support/sqliteFixtures';

const TRACKS = 3503;

/** Nocoflo's filter contract, written out on its own: NULLs kept by ne, text operators ignore case, NULL in `in`. */
function oracle(row: Row, f: Filter): boolean {
  const cell = row[f.column] ?? null;
  const v = f.value as Value;
  const text = (x: Value) => String(x).toLowerCase();
  const cmp = (a: Value, b: Value) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  switch (f.op) {
    case 'isnull':
      return cell === null;
    case 'notnull':
      return cell !== null;
    case 'ne':
      return cell === null || cmp(cell, v) !== 0;
    case 'in':
      return (f.value as Value[]).some((x) => (x === null ? cell === null : cell !== null && cmp(cell, x) === 0));
    default:
      if (cell === null) return false;
  }
  const c = cmp(cell, v);
  return { eq: c === 0, lt: c < 0, lte: c <= 0, gt: c > 0, gte: c >= 0, contains: text(cell).includes(text(v)), startswith: text(cell).startsWith(text(v)), endswith: text(cell).endsWith(text(v)) }[f.op as 'eq'];
}

const FILTERS: { name: string; filters: Filter[]; expected?: number }[] = [
  { name: 'contains "(live" (a regex metacharacter)', filters: [{ column: 'Name', op: 'contains', value: '(live' }], expected: 28 },
  { name: 'contains "." (matches every record as a regex)', filters: [{ column: 'Name', op: 'contains', value: '.' }], expected: 130 },
  { name: "contains a quote (OData literal doubling)", filters: [{ column: 'Name', op: 'contains', value: "n't" }] },
  { name: 'ne keeps NULLs', filters: [{ column: 'Composer', op: 'ne', value: 'AC/DC' }], expected: 3495 },
  { name: 'ne a value with a comma (PostgREST quoting)', filters: [{ column: 'Composer', op: 'ne', value: 'Angus Young, Malcolm Young, Brian Johnson' }] },
  { name: 'eq text', filters: [{ column: 'Composer', op: 'eq', value: 'AC/DC' }], expected: 8 },
  { name: 'eq decimal', filters: [{ column: 'UnitPrice', op: 'eq', value: 1.99 }] },
  { name: 'gt and lte numbers', filters: [{ column: 'Milliseconds', op: 'gt', value: 300_000 }, { column: 'Milliseconds', op: 'lte', value: 400_000 }] },
  { name: 'lt and gte numbers', filters: [{ column: 'Bytes', op: 'lt', value: 5_000_000 }, { column: 'Bytes', op: 'gte', value: 4_000_000 }] },
  { name: 'startswith', filters: [{ column: 'Name', op: 'startswith', value: 'the ' }] },
  { name: 'endswith with a regex metacharacter', filters: [{ column: 'Name', op: 'endswith', value: ')' }] },
  { name: 'isnull', filters: [{ column: 'Composer', op: 'isnull' }], expected: 977 },
  { name: 'notnull and eq', filters: [{ column: 'Composer', op: 'notnull' }, { column: 'GenreId', op: 'eq', value: 1 }] },
  { name: 'in numbers (repeated or joined)', filters: [{ column: 'GenreId', op: 'in', value: [1, 3] }] },
  { name: 'in texts with commas', filters: [{ column: 'Composer', op: 'in', value: ['Angus Young, Malcolm Young, Brian Johnson', 'AC/DC'] }] },
];

const SORTS: SortKey[][] = [[{ column: 'Milliseconds', direction: 'desc' }], [{ column: 'GenreId', direction: 'asc' }, { column: 'Name', direction: 'desc' }]];

for (const spec of [postgrestPresetSpec, odataPresetSpec, jsonServerPresetSpec]) {
  describe(`REST preset ${spec.preset} against a faithful local server`, function () {
    let server: ApiServer;
    let session: DatasourceSession;
    const table = { name: 'Track' };
    const pushed = new Set<string>();
    const local = new Set<string>();

    before(async () => {
      server = await spec.start(await loadChinook('Track'));
      const endpoints = [{ name: 'Track', path: '/Track', idField: 'TrackId' }];
      session = await createRestDatasource().connect({ baseUrl: server.baseUrl, preset: spec.preset, endpoints: JSON.stringify(endpoints) }, {}, context);
    });
    after(async () => {
      await session?.close();
      await server?.stop();
      console.log(`      ${spec.preset}: pushed ${[...pushed].sort().join(', ')}; local ${[...local].sort().join(', ') || 'none'}`);
    });

    const ids = (rows: CellValue[][]) => rows.map((r) => r[0] as number);
    const readAll = async (request: { filters?: Filter[]; sort?: SortKey[] }) => {
      const first = await session.readRows(table, { ...request, limit: 1 });
      assert.equal(first.columns[0], 'TrackId');
      return { rows: await readAllPages(session, table, request, 500), note: first.note };
    };

    it('reads every record exactly once, in a counted number of requests', async () => {
      await session.getSchema(table);
      server.requests.length = 0;
      const { rows } = await readAll({});
      const seen = ids(rows);
      assert.equal(seen.length, TRACKS);
      assert.equal(new Set(seen).size, TRACKS, 'no record twice');
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
      console.log(`      ${spec.preset}: ${seen.length} of ${TRACKS} records read in ${server.requests.length} HTTP requests`);
      assert.ok(server.requests.every((r) => spec.firstRequestOk(r.params)), 'the first request carries the paging parameters');
    });

    for (const c of FILTERS) {
      it(`filter: ${c.name} equals the oracle`, async () => {
        const expected = server.table.rows.filter((row) => c.filters.every((f) => oracle(row, f))).map((r) => r.TrackId as number);
        if (c.expected !== undefined) assert.equal(expected.length, c.expected, 'the oracle agrees with the issue');
        server.requests.length = 0;
        const { rows, note } = await readAll({ filters: c.filters });
        assert.deepEqual(ids(rows).sort((a, b) => a - b), expected);
        for (const f of c.filters) (note && [`by ${f.op}`, `(${f.op} on`, `API's ${f.op}`].some((t) => note.includes(t)) ? local : pushed).add(f.op);
        assert.ok(server.requests.every((r) => r.params.every(([, v]) => !v.includes('undefined'))));
        assert.deepEqual(await session.countRows(table, { filters: c.filters }), { count: expected.length, exact: true });
      });
    }

    for (const sort of SORTS) {
      it(`sort ${sort.map((s) => `${s.column} ${s.direction}`).join(', ')} is pushed and matches the oracle`, async () => {
        server.requests.length = 0;
        const { rows, note } = await readAll({ sort });
        assert.equal(note, undefined, 'sorted by the API, no note');
        assert.deepEqual(server.requests.at(-1)!.params.filter(([k]) => spec.sortParams.includes(k)), spec.expectedSort(sort));
        const value = (row: CellValue[], column: string) => row[['TrackId', 'Name', 'AlbumId', 'MediaTypeId', 'GenreId', 'Composer', 'Milliseconds', 'Bytes', 'UnitPrice'].indexOf(column)] ?? null;
        const order = [...rows].sort((a, b) => {
          for (const s of sort) {
            const x = value(a, s.column) as number | string;
            const y = value(b, s.column) as number | string;
            if (x !== y) return (x < y ? -1 : 1) * (s.direction === 'asc' ? 1 : -1);
          }
          return (a[0] as number) - (b[0] as number);
        });
        assert.deepEqual(ids(rows), ids(order));
        assert.equal(rows.length, TRACKS);
      });
    }

    it('counts with one request from the total the API sends', async () => {
      server.requests.length = 0;
      assert.deepEqual(await session.countRows(table, { filters: [{ column: 'GenreId', op: 'eq', value: 1 }] }), { count: 1297, exact: true });
      assert.equal(server.requests.length, 1);
    });

    it('writes: insert, update and delete, numbers sent as numbers with every digit', async () => {
      const inserted = await session.insertRow(table, { Name: 'Nocoflo test', MediaTypeId: '1', Milliseconds: '1000', UnitPrice: '2.50', Bytes: '12345678901234567890' });
      const post = server.requests.filter((r) => r.method === 'POST').at(-1)!;
      assert.equal(post.text, '{"Name":"Nocoflo test","MediaTypeId":1,"Milliseconds":1000,"UnitPrice":2.5,"Bytes":12345678901234567890}');
      const id = inserted.key?.TrackId;
      assert.equal(id, TRACKS + 1);
      assert.equal(inserted.row?.Name, 'Nocoflo test');
      const before = server.table.rows.find((r) => r.TrackId === id)!;
      const { row } = await session.updateRow(table, { TrackId: id! }, { UnitPrice: '0.1000000000000000055', Composer: "O'Neil, Jr." }, { UnitPrice: before.UnitPrice, Composer: null });
      const patch = server.requests.filter((r) => r.method === 'PATCH').at(-1)!;
      assert.equal(patch.text, `{"UnitPrice":0.1000000000000000055,"Composer":"O'Neil, Jr."}`);
      assert.equal(row?.Composer, "O'Neil, Jr.");
      spec.checkWriteRequests(server.requests);
      await session.deleteRow(table, { TrackId: id! }, { Composer: "O'Neil, Jr." });
      assert.equal(server.table.rows.length, TRACKS);
      assert.equal(server.table.rows.find((r) => r.TrackId === id), undefined);
    });

    it('a filter on a column the API does not have: its error (or json-server\'s empty answer), and the session goes on', async () => {
      const read = session.readRows(table, { limit: 5, filters: [{ column: 'NoSuchColumn', op: 'eq', value: 1 }] });
      if (spec.unknownColumn === 'error') await assert.rejects(read, (e: Error) => /GET \/Track/.test(e.message) && /NoSuchColumn/.test(e.message));
      else assert.equal((await read).rows.length, 0);
      assert.equal((await session.readRows(table, { limit: 5 })).rows.length, 5);
    });
  });
}


describe('REST preset odata with server-driven paging (@odata.nextLink)', function () {
  it('follows the next links in the body: every record exactly once', async () => {
    const server = await startOdataServer(await loadChinook('Track'), { maxPageSize: 500 });
    const endpoints = [{ name: 'Track', path: '/Track', idField: 'TrackId', pagination: { style: 'link', nextLinkPath: '["@odata.nextLink"]', sizeParam: null, pageParam: null, pageSize: 500 } }];
    const session = await createRestDatasource().connect({ baseUrl: server.baseUrl, preset: 'odata', endpoints: JSON.stringify(endpoints) }, {}, context);
    try {
      const rows = await readAllPages(session, { name: 'Track' }, { filters: [{ column: 'Composer', op: 'ne', value: 'AC/DC' }] }, 300);
      assert.equal(new Set(rows.map((r) => r[0])).size, 3495);
      assert.equal(rows.length, 3495);
      assert.ok(server.requests.some((r) => r.params.some(([k]) => k === '$skip')), 'the server sent next links and they were followed');
    } finally {
      await session.close();
      await server.stop();
    }
  });
});
