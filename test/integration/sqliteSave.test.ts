// How the sql.js engine's save (plugins/kit/atomicFile.ts) treats the file it replaces: through a symbolic link it
// writes the real database and keeps the link; the mode and owner survive; hard links are refused before anything is
// written; and the temp file never lands on (or through) something already at its name.
import * as assert from 'node:assert/strict';
import { chmodSync, linkSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DatasourceSession } from '../../api';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';
import { makeDatabase, openSqlJs, python, tempDir } from '../support/sqliteFixtures';

const table = { name: 'notes' };

async function notes(dir: string, name = 'real.sqlite'): Promise<string> {
  return makeDatabase(path.join(dir, name), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)', (run) => {
    for (let i = 1; i <= 3; i++) run('INSERT INTO notes VALUES (?, ?)', [i, `note ${i}`]);
  });
}

/** Read by another program (Python's sqlite3), so the test sees the file, not our in-memory copy. */
const bodyOf = (file: string, id: number) => python('import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute("select body from notes where id=?", (int(sys.argv[2]),)).fetchone()[0])', file, String(id));

async function edit(session: DatasourceSession, id: number, body: string): Promise<void> {
  await session.updateRow(table, { id }, { body }, { body: `note ${id}` });
}

describe('SQLite saves with the sql.js engine keep the file what it was', function () {
  this.timeout(60_000);

  it('saves through a symbolic link: the link stays a link and the real database gets the change', async () => {
    const dir = tempDir('nocoflo-save-');
    const real = await notes(dir);
    const link = path.join(dir, 'link.sqlite');
    symlinkSync('real.sqlite', link);
    const session = await openSqlJs(link);
    try {
      await edit(session, 2, 'through the link');
    } finally {
      await session.close();
    }
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(readlinkSync(link), 'real.sqlite');
    assert.equal(bodyOf(real, 2), 'through the link');
    assert.deepEqual(readdirSync(dir).sort(), ['link.sqlite', 'real.sqlite'], 'no temp file is left behind');
  });

  it('keeps mode 0640 and the owner', async () => {
    const real = await notes(tempDir('nocoflo-save-'));
    chmodSync(real, 0o640);
    const before = statSync(real);
    const session = await openSqlJs(real);
    try {
      await edit(session, 1, 'mode kept');
    } finally {
      await session.close();
    }
    const after = statSync(real);
    assert.notEqual(after.ino, before.ino, 'the save replaced the file (so the mode had to be carried over)');
    assert.equal(after.mode & 0o777, 0o640);
    assert.equal(after.uid, before.uid);
    assert.equal(after.gid, before.gid);
    assert.equal(bodyOf(real, 1), 'mode kept');
  });

  it('opens a hard-linked file read-only with the reason, and writes neither name', async () => {
    const dir = tempDir('nocoflo-save-');
    const real = await notes(dir);
    const other = path.join(dir, 'other.sqlite');
    linkSync(real, other);
    const before = readFileSync(real);
    const session = await openSqlJs(real);
    try {
      assert.match((await session.getSchema(table)).readOnlyReason ?? '', /has 2 hard links/);
      await assert.rejects(edit(session, 1, 'x'), (e: Error & { code?: string }) => e.code === 'read_only' && /hard links/.test(e.message));
    } finally {
      await session.close();
    }
    assert.equal(statSync(real).ino, statSync(other).ino, 'the names still share one file');
    assert.deepEqual(readFileSync(other), before);
  });

  it('refuses a save once a hard link appeared after the file was read', async () => {
    const dir = tempDir('nocoflo-save-');
    const real = await notes(dir);
    const session = await openSqlJs(real);
    try {
      assert.equal((await session.getSchema(table)).readOnlyReason, undefined);
      linkSync(real, path.join(dir, 'late.sqlite'));
      await assert.rejects(edit(session, 1, 'x'), (e: Error & { code?: string }) => e.code === 'read_only' && /has 2 hard links/.test(e.message));
    } finally {
      await session.close();
    }
    assert.equal(statSync(real).nlink, 2);
    assert.equal(bodyOf(path.join(dir, 'late.sqlite'), 1), 'note 1');
  });

  it('never writes to or through an entry already at the temp name', () => {
    const dir = tempDir('nocoflo-save-');
    const target = path.join(dir, 'data.bin');
    writeFileSync(target, 'old');
    const victim = path.join(tempDir('nocoflo-victim-'), 'victim.txt');
    writeFileSync(victim, 'victim');
    const planted = [path.join(dir, 'planted-link.tmp'), path.join(dir, 'planted-file.tmp')];
    symlinkSync(victim, planted[0]!);
    writeFileSync(planted[1]!, 'someone else');
    const names = [...planted, path.join(dir, 'fresh.tmp')];
    const tried: string[] = [];
    writeFileAtomic(target, Buffer.from('new'), { tempName: () => (tried.push(names[tried.length]!), names[tried.length - 1]!) });
    assert.deepEqual(tried, names, 'both taken names were skipped');
    assert.equal(readFileSync(target, 'utf8'), 'new');
    assert.equal(readFileSync(victim, 'utf8'), 'victim');
    assert.ok(lstatSync(planted[0]!).isSymbolicLink());
    assert.equal(readFileSync(planted[1]!, 'utf8'), 'someone else');
  });
});
