// The sql.js engine merges another program's -wal file itself (walMerge.ts), so a damaged or hostile log must be a
// clear error naming the file. The logs here are real ones written by Python's sqlite3 (the C library), then altered
// byte by byte and re-checksummed where the test needs a frame SQLite's checksum would accept.
import * as assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyWal } from '../../plugins/sqlite/walMerge';
import { makeDatabase, openSqlJs, python, tempDir } from '../support/sqliteFixtures';

const table = { name: 'notes' };

/** A database and its -wal (one committed update), copied while the writer still holds them open. */
async function walCopy(): Promise<{ file: string; wal: string }> {
  const file = path.join(tempDir('nocoflo-wal-'), 'notes.sqlite');
  await makeDatabase(file, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)', (run) => {
    for (let i = 1; i <= 3; i++) run('INSERT INTO notes VALUES (?, ?)', [i, `note ${i}`]);
  });
  python(
    [
      'import sqlite3,sys,shutil',
      'c=sqlite3.connect(sys.argv[1])',
      "c.execute('pragma journal_mode=wal')",
      "c.execute('pragma wal_autocheckpoint=0')",
      "c.execute(\"update notes set body='from wal' where id=3\")",
      'c.commit()',
      "[shutil.copy(sys.argv[1]+s, sys.argv[1]+'.copy'+s) for s in ['', '-wal']]",
    ].join('\n'),
    file,
  );
  return { file: `${file}.copy`, wal: `${file}.copy-wal` };
}

/** Recomputes the header checksum and every frame's running checksum, as a writer of the altered log would. */
function rechecksum(wal: Buffer): void {
  const bigEndian = wal.readUInt32BE(0) === 0x377f0683;
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  let s0 = 0;
  let s1 = 0;
  const add = (start: number, end: number) => {
    for (let i = start; i < end; i += 8) {
      s0 = (s0 + (bigEndian ? wal.readUInt32BE(i) : wal.readUInt32LE(i)) + s1) >>> 0;
      s1 = (s1 + (bigEndian ? wal.readUInt32BE(i + 4) : wal.readUInt32LE(i + 4)) + s0) >>> 0;
    }
  };
  add(0, 24);
  wal.writeUInt32BE(s0, 24);
  wal.writeUInt32BE(s1, 28);
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    add(at, at + 8);
    add(at + 24, at + 24 + pageSize);
    wal.writeUInt32BE(s0, at + 16);
    wal.writeUInt32BE(s1, at + 20);
  }
}

function lastCommitFrame(wal: Buffer): number {
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  let last = -1;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) if (wal.readUInt32BE(at + 4) > 0) last = at;
  assert.ok(last > 0, 'the log has a commit frame');
  return last;
}

// Always the sql.js engine: node:sqlite reads the log with SQLite's own code, which walMerge.ts stands in for.
const open = openSqlJs;

async function rejectsNaming(file: string, wal: string, pattern: RegExp): Promise<void> {
  await assert.rejects(open(file), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'bad_response');
    assert.ok(error.message.includes(wal), `names the -wal file: ${error.message}`);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /RangeError|out of range|Invalid typed array/i);
    return true;
  });
}

describe('SQLite -wal files the sql.js engine merges', function () {
  this.timeout(60_000);

  it('reads an untouched log (the baseline the damaged ones differ from)', async () => {
    const { file } = await walCopy();
    const session = await open(file);
    try {
      assert.equal((await session.readRows(table, { limit: 10 })).rows[2]![1], 'from wal');
    } finally {
      await session.close();
    }
  });

  it('refuses a commit frame claiming 2^32 - 1 pages, with valid checksums, naming the file', async () => {
    const { file, wal } = await walCopy();
    const bytes = readFileSync(wal);
    bytes.writeUInt32BE(0xffffffff, lastCommitFrame(bytes) + 4);
    rechecksum(bytes);
    writeFileSync(wal, bytes);
    await rejectsNaming(file, wal, /claims 4294967295 pages/);
  });

  it('refuses a frame that writes page 0 or a page far beyond the file', async () => {
    const { file, wal } = await walCopy();
    const bytes = readFileSync(wal);
    bytes.writeUInt32BE(0, 32);
    rechecksum(bytes);
    writeFileSync(wal, bytes);
    await rejectsNaming(file, wal, /writes page 0/);
    bytes.writeUInt32BE(0x7fffffff, 32);
    rechecksum(bytes);
    writeFileSync(wal, bytes);
    await rejectsNaming(file, wal, /writes page 2147483647/);
  });

  it('refuses a wrong magic number, a page size that is no power of two, and a broken header checksum', async () => {
    const { file, wal } = await walCopy();
    const original = readFileSync(wal);
    const magic = Buffer.from(original);
    magic.writeUInt32BE(0x12345678, 0);
    writeFileSync(wal, magic);
    await rejectsNaming(file, wal, /magic number/);

    const pageSize = Buffer.from(original);
    pageSize.writeUInt32BE(1000, 8);
    rechecksum(pageSize);
    writeFileSync(wal, pageSize);
    await rejectsNaming(file, wal, /page size 1000 is not a power of two/);

    const header = Buffer.from(original);
    header.writeUInt32BE((header.readUInt32BE(24) ^ 1) >>> 0, 24);
    writeFileSync(wal, header);
    await rejectsNaming(file, wal, /header checksum/);
  });

  it('finds the -wal next to the real file when the database is opened through a symbolic link, as SQLite does', async () => {
    const { file } = await walCopy();
    const link = path.join(tempDir('nocoflo-wal-link-'), 'link.sqlite');
    symlinkSync(file, link);
    const session = await open(link);
    try {
      assert.equal((await session.readRows(table, { limit: 10 })).rows[2]![1], 'from wal');
      assert.match((await session.getSchema(table)).readOnlyReason ?? '', /WAL mode/);
    } finally {
      await session.close();
    }
  });

  it('ignores a torn last frame, as SQLite does, and shows the data committed before it', async () => {
    const { file, wal } = await walCopy();
    const bytes = readFileSync(wal);
    const last = lastCommitFrame(bytes);
    // Damage the page bytes of the only commit: its checksum no longer holds, so no frame is visible.
    bytes[last + 24 + 100] = bytes[last + 24 + 100]! ^ 0xff;
    writeFileSync(wal, bytes);
    const session = await open(file);
    try {
      assert.equal((await session.readRows(table, { limit: 10 })).rows[2]![1], 'note 3');
    } finally {
      await session.close();
    }
  });

  it('applyWal never throws a RangeError on a 65 KB log of random frames claiming huge sizes', async () => {
    const { file, wal } = await walCopy();
    const database = readFileSync(file);
    const bytes = readFileSync(wal);
    const grown = Buffer.alloc(65 * 1024);
    bytes.copy(grown, 0, 0, Math.min(bytes.length, grown.length));
    const pageSize = bytes.readUInt32BE(8);
    for (let at = 32; at + 24 + pageSize <= grown.length; at += 24 + pageSize) {
      grown.writeUInt32BE(1, at);
      grown.writeUInt32BE(2 ** 32 - 1, at + 4);
      grown.writeUInt32BE(bytes.readUInt32BE(16), at + 8);
      grown.writeUInt32BE(bytes.readUInt32BE(20), at + 12);
    }
    rechecksum(grown);
    assert.throws(() => applyWal(database, grown, wal), (error: Error & { code?: string }) => error.code === 'bad_response' && error.message.includes(wal));
  });
});
