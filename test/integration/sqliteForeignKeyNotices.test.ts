// A file written with foreign keys off may already hold rows whose reference points nowhere. Nocoflo enforces foreign
// keys, so such a file must still open and read, and the table's schema must say how many rows break which key
// (TableSchema.notices, shown by the grid and the form) instead of the first edit failing out of the blue.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DatasourceSession } from '../../api';
import { foreignKeyNotices, VIOLATION_CAP } from '../../plugins/sqlite/foreignKeyCheck';
import { readSchema } from '../../plugins/sqlite/introspection';
import { SqlJsEngine } from '../../plugins/sqlite/sqljsEngine';
import { repoRoot } from '../support/codeServer';
import { engine, makeDatabase, openSqlite, python, tempDir } from '../support/sqliteFixtures';

const CHINOOK = path.join(repoRoot(), 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite');
const track = { name: 'Track' };

/** Chinook with `orphans` tracks of album 9999 (which does not exist), inserted by another program with keys off. */
function chinookWithOrphans(orphans: number): string {
  const file = path.join(tempDir('nocoflo-fknotice-'), 'Chinook_Sqlite.sqlite');
  copyFileSync(CHINOOK, file);
  python(
    [
      'import sqlite3,sys',
      'c=sqlite3.connect(sys.argv[1])',
      "c.execute('pragma foreign_keys=off')",
      'for i in range(int(sys.argv[2])): c.execute("insert into Track (Name, AlbumId, MediaTypeId, GenreId, Milliseconds, UnitPrice) values (?, 9999, 1, 1, 1000, 0.99)", ("orphan %d" % i,))',
      'c.commit()',
    ].join('\n'),
    file,
    String(orphans),
  );
  return file;
}

describe(`SQLite files that already break their foreign keys (${engine} engine)`, function () {
  this.timeout(60_000);
  let session: DatasourceSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('opens Chinook with 3 orphaned tracks, reads them, and the Track schema names the count and the album table', async () => {
    session = await openSqlite(chinookWithOrphans(3));
    assert.equal((await session.countRows(track)).count, 3503 + 3);
    const page = await session.readRows(track, { limit: 10, filters: [{ column: 'AlbumId', op: 'eq', value: 9999 }] });
    assert.equal(page.rows.length, 3);
    const schema = await session.getSchema(track);
    assert.equal(schema.readOnlyReason, undefined, 'the table stays editable');
    assert.equal(schema.notices?.length, 1);
    assert.match(schema.notices![0]!, /^3 rows refer to rows of "Album" that do not exist \(AlbumId\)\./);
    // Tables that break nothing say nothing.
    assert.equal((await session.getSchema({ name: 'Album' })).notices, undefined);
    assert.equal((await session.getSchema({ name: 'InvoiceLine' })).notices, undefined);
  });

  it('says "1,000 or more" once the count reaches the cap', async () => {
    session = await openSqlite(chinookWithOrphans(VIOLATION_CAP + 5));
    const [notice, ...rest] = (await session.getSchema(track)).notices ?? [];
    assert.deepEqual(rest, []);
    assert.match(notice ?? '', /^1,000 or more rows refer to rows of "Album" that do not exist/);
  });

  it('recounts when the table is opened again after the orphans were fixed', async () => {
    const file = chinookWithOrphans(2);
    session = await openSqlite(file);
    assert.match((await session.getSchema(track)).notices?.[0] ?? '', /^2 rows refer/);
    const orphans = await session.readRows(track, { limit: 10, filters: [{ column: 'AlbumId', op: 'eq', value: 9999 }] });
    const columns = orphans.columns;
    for (const row of orphans.rows) {
      const values = Object.fromEntries(columns.map((c, i) => [c, row[i]!]));
      await session.updateRow(track, { TrackId: values.TrackId! }, { AlbumId: 1 }, values);
    }
    assert.equal((await session.getSchema(track)).notices, undefined);
  });

  it('tells which key SQLite cannot check at all (a parent column without a unique index)', async () => {
    const file = path.join(tempDir('nocoflo-fknotice-'), 'mismatch.sqlite');
    await makeDatabase(file, 'CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT); CREATE TABLE child (id INTEGER PRIMARY KEY, code TEXT REFERENCES parent(code)); INSERT INTO child VALUES (1, \'x\');');
    session = await openSqlite(file);
    assert.equal((await session.readRows({ name: 'child' }, { limit: 5 })).rows.length, 1);
    assert.match((await session.getSchema({ name: 'child' })).notices?.[0] ?? '', /cannot check this table's foreign keys: foreign key mismatch/);
  });
});

describe('the size gate of the foreign-key check (foreignKeyNotices on the sql.js engine in-process)', () => {
  it('checks a table of exactly the limit and skips one a row over it', async () => {
    const file = path.join(tempDir('nocoflo-fkgate-'), 'gate.sqlite');
    // A table name that needs quoting: the gate builds its statement around the quoted identifier.
    await makeDatabase(file, 'CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE "odd ""child""" (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));', (run) => {
      for (let i = 1; i <= 11; i++) run('INSERT INTO "odd ""child""" VALUES (?, ?)', [i, 100 + i]);
    });
    const engine = await SqlJsEngine.open(file, { wasmPath: path.join(repoRoot(), 'out/sql-wasm.wasm'), readOnly: true });
    try {
      const schema = readSchema(engine, { name: 'odd "child"' });
      assert.match(foreignKeyNotices(engine, schema, 11)[0] ?? '', /^11 rows refer to rows of "parent" that do not exist \(parent_id\)/);
      assert.deepEqual(foreignKeyNotices(engine, schema, 10), []);
    } finally {
      engine.close();
    }
  });
});
