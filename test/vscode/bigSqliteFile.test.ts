// A 2 GiB SQLite file (four times sql.js's 512 MiB limit) in the VS Code this suite runs in. Where the extension
// host's Node has node:sqlite (VS Code builds on Node >= 22.13, the suite's second run: scripts/test-e2e.sh --node22)
// the file opens, reads and saves like any other; on the sql.js engine (Node 20) it is refused with the size
// message, that connection alone, while another SQLite connection keeps working. The file is written by Python's
// sqlite3 (a separate program, as a user's file would be): 2,048 rows of a 1 MiB blob beside a small table.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NocofloApi, NocofloData, TableLocator } from '../../api';
import { nocoflo, sampleDatabase } from './hostSupport';

/** Whether this extension host's Node has node:sqlite (a prefix-only module: builtinModules does not list it). */
function hasNodeSqlite(): boolean {
  try {
    const name = 'node:sqlite';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(name);
    return true;
  } catch {
    return false;
  }
}
const nodeSqlite = hasNodeSqlite();

const makeBigFile = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute('create table items (id integer primary key, name text not null, price real)')
db.executemany('insert into items values (?, ?, ?)', [(i, 'item %d' % i, i * 1.5) for i in range(1, 101)])
db.execute('create table blobs (id integer primary key, data blob)')
db.executemany('insert into blobs (data) values (zeroblob(?))', [(1 << 20,)] * 2048)
db.commit()
db.close()
`;

describe(`a 2 GiB SQLite file (${nodeSqlite ? 'node:sqlite engine' : 'sql.js engine'})`, function () {
  this.timeout(300_000);
  let api: NocofloApi;
  let data: NocofloData;
  let folder: string;
  let items: TableLocator;

  before(async () => {
    api = await nocoflo();
    const door = api.data?.({ extensionId: 'nocoflo-tests.nocoflo-test-plugin' });
    assert.ok(door, 'the data API is there');
    data = door;
    folder = mkdtempSync(path.join(tmpdir(), 'nocoflo-big-'));
    const file = path.join(folder, 'big.sqlite');
    execFileSync('python3', ['-c', makeBigFile, file]);
    assert.ok(statSync(file).size > 2 * 2 ** 30, 'the file is over 2 GiB');
    items = { datasourceId: await api.addDatasource({ type: 'sqlite', name: 'Big file', config: { path: file } }), name: 'items' };
  });

  // The connections stay in this test profile (removing one asks in a modal dialog); the 2 GiB go.
  after(() => rmSync(folder, { recursive: true, force: true }));

  if (nodeSqlite) {
    it('opens with node:sqlite: rows read, an edit saved and read back', async () => {
      const page = await data.readRows(items, { limit: 5, sort: [{ column: 'id', direction: 'desc' }] });
      const id = page.columns.indexOf('id');
      const name = page.columns.indexOf('name');
      assert.deepEqual(page.rows.map((r) => r[id]), [100, 99, 98, 97, 96]);
      const result = await data.applyChanges(items, [{ kind: 'update', key: { id: 100 }, changes: { name: 'edited in a 2 GiB file' }, expected: { name: page.rows[0]![name] } }]);
      assert.ok(result.ok, JSON.stringify(result));
      const after = await data.readRows(items, { limit: 1, filters: [{ column: 'id', op: 'eq', value: 100 }] });
      assert.equal(after.rows[0]?.[name], 'edited in a 2 GiB file');
      assert.equal((await data.countRows({ ...items, name: 'blobs' })).count, 2048);
    });
  } else {
    it('is refused by the sql.js engine with the size message, and other connections keep working', async () => {
      await assert.rejects(data.readRows(items, { limit: 5 }), (error: Error) => {
        assert.match(error.message, /is \d+ MiB\. The sql\.js engine .* opens files up to 512 MiB\. VS Code builds whose runtime is Node 22\.13 or newer use the page-level node:sqlite engine/);
        return true;
      });
      const other = { datasourceId: await api.addDatasource({ type: 'sqlite', name: 'Small file', config: { path: sampleDatabase() } }), name: 'customers' };
      assert.ok((await data.countRows(other)).count > 0, 'another SQLite connection still reads');
    });
  }
});
