// Writes through Nocoflo must respect the foreign keys a file declares: SQLite leaves enforcement off on every
// connection unless PRAGMA foreign_keys = ON, so without it deleting Chinook's Genre 1 orphaned 1,297 tracks.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DatasourceSession, RowValues } from '../../api';
import { repoRoot } from '../support/codeServer';
import { engine, openSqlite, tempDir } from '../support/sqliteFixtures';

const CHINOOK = path.join(repoRoot(), 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite');

async function genre(session: DatasourceSession, id: number): Promise<RowValues> {
  const page = await session.readRows({ name: 'Genre' }, { limit: 1, filters: [{ column: 'GenreId', op: 'eq', value: id }] });
  return Object.fromEntries(page.columns.map((c, i) => [c, page.rows[0]![i]!]));
}

async function tracksOfGenre(session: DatasourceSession, id: number): Promise<number> {
  return (await session.countRows({ name: 'Track' }, { filters: [{ column: 'GenreId', op: 'eq', value: id }] })).count;
}

describe(`SQLite foreign keys on Chinook (${engine} engine)`, function () {
  this.timeout(60_000);
  let session: DatasourceSession;

  beforeEach(async () => {
    const file = path.join(tempDir('nocoflo-fk-'), 'Chinook_Sqlite.sqlite');
    copyFileSync(CHINOOK, file);
    session = await openSqlite(file);
  });
  afterEach(() => session.close());

  it('refuses to delete a genre that tracks reference, with SQLite\'s constraint error, and keeps the tracks', async () => {
    assert.equal(await tracksOfGenre(session, 1), 1297);
    await assert.rejects(session.deleteRow({ name: 'Genre' }, { GenreId: 1 }, await genre(session, 1)), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'constraint');
      assert.match(error.message, /FOREIGN KEY constraint failed/);
      // SQLite names nothing; the plugin says which rows still refer to the genre.
      assert.match(error.message, /1,297 rows of "Track" \(GenreId\) still refer to this row\./);
      return true;
    });
    assert.equal(await tracksOfGenre(session, 1), 1297);
    assert.equal((await genre(session, 1)).Name, 'Rock');
  });

  it('refuses a track whose genre does not exist, naming the missing row, and writes nothing', async () => {
    const before = (await session.countRows({ name: 'Track' }, {})).count;
    const track = { Name: 'Nowhere', MediaTypeId: 1, GenreId: 999, Milliseconds: 1000, UnitPrice: '0.99' };
    await assert.rejects(session.insertRow({ name: 'Track' }, track), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'constraint');
      assert.match(error.message, /FOREIGN KEY constraint failed: "Genre" has no row with GenreId = 999 \(GenreId\)\./);
      return true;
    });
    assert.equal((await session.countRows({ name: 'Track' }, {})).count, before);
  });

  it('refuses to change the key of an album that tracks reference, naming them', async () => {
    const album = await session.readRows({ name: 'Album' }, { limit: 1, filters: [{ column: 'AlbumId', op: 'eq', value: 1 }] });
    const row = Object.fromEntries(album.columns.map((c, i) => [c, album.rows[0]![i]!]));
    await assert.rejects(session.updateRow({ name: 'Album' }, { AlbumId: 1 }, { AlbumId: 100_000 }, row), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'constraint');
      assert.match(error.message, /10 rows of "Track" \(AlbumId\) still refer to this row\./);
      return true;
    });
  });

  it('applies nothing of a batch whose delete is refused (the update before it is rolled back)', async () => {
    const rock = await genre(session, 1);
    const jazz = await genre(session, 2);
    await assert.rejects(
      session.transaction!(async (tx) => {
        await tx.updateRow({ name: 'Genre' }, { GenreId: 2 }, { Name: 'Jazz (renamed)' }, { Name: jazz.Name! });
        await tx.deleteRow({ name: 'Genre' }, { GenreId: 1 }, rock);
      }),
      (error: Error & { code?: string }) => error.code === 'constraint',
    );
    assert.equal((await genre(session, 2)).Name, 'Jazz');
    assert.equal(await tracksOfGenre(session, 1), 1297);
  });
});
