// The WAL parser of the sql.js engine (plugins/sqlite/walMerge.ts) on logs built byte for byte here, per
// sqlite.org/walformat.html, from the pages of real sql.js databases: a main file in WAL mode (snapshot S0) and one
// transaction per later snapshot S1…S4, each written as the pages that changed with the commit frame last. The oracle
// is sql.js's own file for the snapshot a reader must see: the merged image must equal it byte for byte (sql.js
// writes rollback-mode headers, bytes 18–19 = 1, as the merge does). Torn frames, checksum and salt mismatches, a
// big-endian log, truncated headers, frames past the commit frame, and a seeded fuzz loop over mutated logs.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { applyWal } from '../../plugins/sqlite/walMerge';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');
const PAGE = 1024;
const WAL_FILE = '/data/notes.sqlite-wal';
const SALT1 = 0x1234abcd;
const SALT2 = 0x0badf00d;

interface Frame {
  page: number;
  data: Buffer;
  /** Pages in the database after this commit; 0 for a frame that is not a commit frame. */
  commitSize: number;
}

/** The running checksum of the WAL format: 32-bit words in the log's byte order, two sums feeding each other. */
function walChecksum(data: Buffer, s: [number, number], bigEndian: boolean): [number, number] {
  let [s0, s1] = s;
  for (let i = 0; i < data.length; i += 8) {
    s0 = (s0 + (bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i)) + s1) >>> 0;
    s1 = (s1 + (bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4)) + s0) >>> 0;
  }
  return [s0, s1];
}

interface WalOptions {
  bigEndian?: boolean;
  salt1?: number;
  salt2?: number;
  /** Checksum words read in this order instead of the one the magic number declares (a wrongly written log). */
  checksumBigEndian?: boolean;
  pageSize?: number;
  version?: number;
}

/** A whole -wal file: the 32-byte header, then each frame's 24-byte header and page, checksums chained. */
function buildWal(frames: Frame[], options: WalOptions = {}): Buffer {
  const bigEndian = options.bigEndian ?? false;
  const sumBigEndian = options.checksumBigEndian ?? bigEndian;
  const pageSize = options.pageSize ?? PAGE;
  const header = Buffer.alloc(32);
  header.writeUInt32BE(bigEndian ? 0x377f0683 : 0x377f0682, 0);
  header.writeUInt32BE(options.version ?? 3007000, 4);
  header.writeUInt32BE(pageSize, 8);
  header.writeUInt32BE(7, 12); // checkpoint sequence
  header.writeUInt32BE(options.salt1 ?? SALT1, 16);
  header.writeUInt32BE(options.salt2 ?? SALT2, 20);
  let sums = walChecksum(header.subarray(0, 24), [0, 0], sumBigEndian);
  header.writeUInt32BE(sums[0], 24);
  header.writeUInt32BE(sums[1], 28);
  const parts: Buffer[] = [header];
  for (const frame of frames) {
    const frameHeader = Buffer.alloc(24);
    frameHeader.writeUInt32BE(frame.page, 0);
    frameHeader.writeUInt32BE(frame.commitSize, 4);
    frameHeader.writeUInt32BE(options.salt1 ?? SALT1, 8);
    frameHeader.writeUInt32BE(options.salt2 ?? SALT2, 12);
    sums = walChecksum(frameHeader.subarray(0, 8), sums, sumBigEndian);
    sums = walChecksum(frame.data, sums, sumBigEndian);
    frameHeader.writeUInt32BE(sums[0], 16);
    frameHeader.writeUInt32BE(sums[1], 20);
    parts.push(frameHeader, frame.data);
  }
  return Buffer.concat(parts);
}

const pageCount = (image: Uint8Array): number => image.length / PAGE;
const pageOf = (image: Uint8Array, page: number): Buffer => Buffer.from(image.subarray((page - 1) * PAGE, page * PAGE));

/** A page as a WAL-mode database holds it: page 1 says "WAL" in its read and write versions (bytes 18–19). */
function inWalMode(page: number, data: Buffer): Buffer {
  const copy = Buffer.from(data);
  if (page === 1) copy[18] = copy[19] = 2;
  return copy;
}

/** The frames of one transaction from `before` to `after`: every page that changed or is new, commit frame last. */
function transaction(before: Uint8Array, after: Uint8Array): Frame[] {
  const frames: Frame[] = [];
  for (let page = 1; page <= pageCount(after); page++) {
    const data = pageOf(after, page);
    if (page > pageCount(before) || !data.equals(pageOf(before, page))) frames.push({ page, data: inWalMode(page, data), commitSize: 0 });
  }
  frames[frames.length - 1]!.commitSize = pageCount(after);
  return frames;
}

/** Mulberry32: a small seeded PRNG, so the fuzz loop is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function assertBadLog(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: Error & { code?: string }) => {
    assert.equal(error.name, 'DatasourceError');
    assert.equal(error.code, 'bad_response');
    assert.ok(error.message.includes(WAL_FILE), `names the -wal file: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('SQLite WAL parser (walMerge) on logs built from real sql.js pages', function () {
  // Loading sql.js's wasm takes a while on a busy machine.
  this.timeout(60000);
  let SQL: SqlJsStatic;
  /** S0 … S4: sql.js's own files after each transaction. */
  let snapshots: Uint8Array[];
  /** The main file a reader finds: S0 in WAL mode. */
  let main: Buffer;
  /** The frames of the transactions S0→S1, S1→S2, S2→S3 (committed) and S3→S4 (never committed in the logs below). */
  let txns: Frame[][];
  const committed = (count: number): Frame[] => txns.slice(0, count).flat();
  /** The frames of T1…T3 and T4 without its commit frame: a writer caught in the middle of T4. */
  const withTail = (): Frame[] => [...committed(3), ...txns[3]!.slice(0, -1)];

  before(async () => {
    SQL = await initSqlJs({ locateFile: () => wasmPath });
    const db = new SQL.Database();
    db.run(`PRAGMA page_size = ${PAGE}`);
    db.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const body = (id: number, v: string) => `${v} ${id} `.repeat(12);
    for (let id = 1; id <= 40; id++) db.run('INSERT INTO notes VALUES (?, ?)', [id, body(id, 'first')]);
    snapshots = [db.export()];
    db.run('UPDATE notes SET body = ? WHERE id IN (3, 17, 33)', ['changed']);
    snapshots.push(db.export());
    for (let id = 41; id <= 200; id++) db.run('INSERT INTO notes VALUES (?, ?)', [id, body(id, 'grown')]);
    snapshots.push(db.export());
    db.run('DELETE FROM notes WHERE id > 20');
    db.run('VACUUM');
    snapshots.push(db.export());
    db.run("UPDATE notes SET body = 'never committed' WHERE id IN (1, 20)");
    snapshots.push(db.export());
    db.close();
    main = Buffer.concat(Array.from({ length: pageCount(snapshots[0]!) }, (_, i) => inWalMode(i + 1, pageOf(snapshots[0]!, i + 1))));
    txns = [1, 2, 3, 4].map((k) => transaction(snapshots[k - 1]!, snapshots[k]!));
  });

  /** What a reader of the image sees, through sql.js itself. */
  function rows(image: Uint8Array): { count: number; changed: number; never: number; check: string } {
    const db = new SQL.Database(image);
    try {
      const [result] = db.exec(
        "SELECT count(*), sum(body = 'changed'), sum(body = 'never committed'), (SELECT integrity_check FROM pragma_integrity_check) FROM notes",
      );
      const [count, changed, never, check] = result!.values[0]!;
      return { count: Number(count), changed: Number(changed ?? 0), never: Number(never ?? 0), check: String(check) };
    } finally {
      db.close();
    }
  }

  it('the snapshots are what the scenario says: S2 grows the file, S3 shrinks it', () => {
    assert.ok(pageCount(snapshots[2]!) > pageCount(snapshots[1]!));
    assert.ok(pageCount(snapshots[3]!) < pageCount(snapshots[2]!));
    assert.ok(txns.every((frames) => frames.length > 1), 'every transaction has frames before its commit frame');
    assert.deepEqual(rows(snapshots[3]!), { count: 20, changed: 2, never: 0, check: 'ok' });
    assert.deepEqual(rows(snapshots[4]!), { count: 20, changed: 2, never: 2, check: 'ok' });
  });

  it('applies each committed transaction: the image after k commits is sql.js\'s own file S_k', () => {
    for (let k = 1; k <= 3; k++) {
      const { image, framesApplied } = applyWal(main, buildWal(committed(k)), WAL_FILE);
      assert.ok(Buffer.from(image).equals(Buffer.from(snapshots[k]!)), `image after ${k} commits equals S${k}`);
      assert.equal(framesApplied, committed(k).length, `frames up to the last commit after ${k} commits`);
    }
    assert.deepEqual(rows(applyWal(main, buildWal(committed(3)), WAL_FILE).image), { count: 20, changed: 2, never: 0, check: 'ok' });
  });

  it('ignores the frames past the last commit frame, even with valid salts and checksums', () => {
    const { image, framesApplied } = applyWal(main, buildWal(withTail()), WAL_FILE);
    assert.ok(Buffer.from(image).equals(Buffer.from(snapshots[3]!)));
    assert.equal(framesApplied, committed(3).length);
    assert.equal(rows(image).never, 0);
    // A log holding only an uncommitted transaction leaves the main file as it is.
    const onlyTail = applyWal(main, buildWal(txns[0]!.slice(0, -1)), WAL_FILE);
    assert.equal(onlyTail.image, main);
    assert.equal(onlyTail.framesApplied, 0);
  });

  it('stops at a torn frame: a log cut inside a frame shows the commits before that frame', () => {
    const wal = buildWal(committed(3));
    const frameSize = 24 + PAGE;
    const t3Start = 32 + committed(2).length * frameSize;
    // Cut inside T3's first frame header, inside its commit frame's page, and one byte short of the end.
    for (const cut of [t3Start + 10, wal.length - PAGE / 2, wal.length - 1]) {
      const { image } = applyWal(main, wal.subarray(0, cut), WAL_FILE);
      assert.ok(Buffer.from(image).equals(Buffer.from(snapshots[2]!)), `cut at ${cut} shows S2`);
    }
    // Cut exactly after the commit frame: all three commits.
    assert.ok(Buffer.from(applyWal(main, wal.subarray(0, t3Start + txns[2]!.length * frameSize), WAL_FILE).image).equals(Buffer.from(snapshots[3]!)));
  });

  it('stops at a checksum mismatch: a damaged frame of T2 hides T2 and every later frame, T3 included', () => {
    const frameSize = 24 + PAGE;
    const secondOfT2 = 32 + (txns[0]!.length + 1) * frameSize;
    for (const at of [secondOfT2 + 24 + 500 /* page data */, secondOfT2 + 3 /* page number */, secondOfT2 + 17 /* checksum */]) {
      const wal = buildWal(committed(3));
      wal[at] = wal[at]! ^ 0x01;
      const { image, framesApplied } = applyWal(main, wal, WAL_FILE);
      assert.ok(Buffer.from(image).equals(Buffer.from(snapshots[1]!)), `damage at ${at} shows S1`);
      assert.equal(framesApplied, txns[0]!.length);
    }
  });

  it('stops at a salt mismatch even when the frame\'s checksum holds', () => {
    // The checksums do not cover a frame's salts: only the salt comparison can stop these frames.
    const frameSize = 24 + PAGE;
    const secondOfT2 = 32 + (txns[0]!.length + 1) * frameSize;
    for (const field of [8, 12]) {
      const wal = buildWal(committed(3));
      wal.writeUInt32BE((wal.readUInt32BE(secondOfT2 + field) + 1) >>> 0, secondOfT2 + field);
      const { image, framesApplied } = applyWal(main, wal, WAL_FILE);
      assert.ok(Buffer.from(image).equals(Buffer.from(snapshots[1]!)), `salt at +${field} shows S1`);
      assert.equal(framesApplied, txns[0]!.length);
    }
    // A restarted log: new salts, T1 only, then the previous generation's frames (old salts, their own checksums).
    const good = buildWal(committed(1));
    const previous = buildWal(committed(3), { salt1: SALT1 - 1, salt2: 0x5eed });
    const restarted = Buffer.concat([good, previous.subarray(good.length)]);
    assert.ok(Buffer.from(applyWal(main, restarted, WAL_FILE).image).equals(Buffer.from(snapshots[1]!)));
  });

  it('reads a big-endian log (magic 0x377f0683) like a little-endian one, and refuses checksums in the wrong byte order', () => {
    const little = buildWal(withTail());
    const big = buildWal(withTail(), { bigEndian: true });
    assert.equal(big.readUInt32BE(0), 0x377f0683);
    assert.notDeepEqual(big.subarray(24, 32), little.subarray(24, 32), 'the byte order changes the checksums');
    assert.ok(Buffer.from(applyWal(main, big, WAL_FILE).image).equals(Buffer.from(snapshots[3]!)));
    assertBadLog(() => applyWal(main, buildWal(committed(1), { bigEndian: true, checksumBigEndian: false }), WAL_FILE), /header checksum/);
    assertBadLog(() => applyWal(main, buildWal(committed(1), { bigEndian: false, checksumBigEndian: true }), WAL_FILE), /header checksum/);
  });

  it('reads a log shorter than its header, or a header with no whole frame, as empty', () => {
    const wal = buildWal(committed(3));
    for (const length of [0, 1, 31, 32, 32 + 24, 32 + 24 + PAGE - 1]) {
      const { image, framesApplied } = applyWal(main, wal.subarray(0, length), WAL_FILE);
      assert.equal(image, main, `${length} bytes`);
      assert.equal(framesApplied, 0);
    }
  });

  it('refuses a header that cannot belong to this database, naming the file', () => {
    const wal = buildWal(committed(1));
    const badMagic = Buffer.from(wal);
    badMagic[3] = 0x84;
    assertBadLog(() => applyWal(main, badMagic, WAL_FILE), /magic number/);
    assertBadLog(() => applyWal(main, buildWal(committed(1), { version: 3007001 }), WAL_FILE), /format version 3007001/);
    assertBadLog(() => applyWal(main, buildWal([], { pageSize: 4096 }), WAL_FILE), /page size 4096 differs from the database's 1024/);
    assertBadLog(() => applyWal(main, buildWal([], { pageSize: 768 }), WAL_FILE), /page size 768 is not a power of two/);
    const header = Buffer.from(wal);
    header[13] = header[13]! ^ 0x40; // the checkpoint sequence, covered by the header checksum
    assertBadLog(() => applyWal(main, header, WAL_FILE), /header checksum/);
  });

  it('refuses a committed frame for page 0 or a commit claiming more pages than the files hold', () => {
    const frames = committed(1).map((f) => ({ ...f }));
    frames[0]!.page = 0;
    assertBadLog(() => applyWal(main, buildWal(frames), WAL_FILE), /writes page 0/);
    const claim = committed(1).map((f) => ({ ...f }));
    claim[claim.length - 1]!.commitSize = 0xffffffff;
    assertBadLog(() => applyWal(main, buildWal(claim), WAL_FILE), /claims 4294967295 pages/);
  });

  it('refuses, as too large, a log that grows the database past the engine\'s limit', () => {
    assert.throws(
      () => applyWal(main, buildWal(committed(2)), WAL_FILE, pageCount(snapshots[2]!) * PAGE - 1),
      (error: Error & { code?: string }) => error.code === 'too_large' && error.message.includes(WAL_FILE),
    );
    assert.ok(Buffer.from(applyWal(main, buildWal(committed(2)), WAL_FILE, pageCount(snapshots[2]!) * PAGE).image).equals(Buffer.from(snapshots[2]!)));
  });

  it('applies the last write of a page a transaction writes twice, and the database starting from an empty main file', () => {
    // The whole history in the log and nothing in the main file (a database created in WAL mode, never checkpointed).
    const fromEmpty = transaction(new Uint8Array(0), snapshots[1]!);
    const again = { page: 1, data: inWalMode(1, pageOf(snapshots[1]!, 1)), commitSize: pageCount(snapshots[1]!) };
    const first = { ...fromEmpty[0]!, data: Buffer.alloc(PAGE, 0xee) };
    const frames = [first, ...fromEmpty.slice(1).map((f) => ({ ...f, commitSize: 0 })), again];
    const { image } = applyWal(new Uint8Array(0), buildWal(frames), WAL_FILE);
    assert.ok(Buffer.from(image).equals(Buffer.from(snapshots[1]!)));
  });

  describe('fuzz: mutated logs (seeded, 400 cases)', () => {
    const frameSize = 24 + PAGE;
    /** Damage that no checksum repairs: the answer is exact — S_c for the commits before the first damaged frame. */
    it('a damaged log shows exactly the commits before the damage, or is refused when the header is damaged', () => {
      const random = prng(0x5eed1);
      const original = buildWal(withTail());
      const frames = withTail();
      const commitsBefore = (frameIndex: number) => frames.slice(0, frameIndex).filter((f) => f.commitSize > 0).length;
      const kinds: Record<string, number> = {};
      for (let i = 0; i < 400; i++) {
        let wal = Buffer.from(original);
        const kind = (['flip', 'truncate', 'swap', 'replay', 'garbage', 'flip'] as const)[Math.floor(random() * 6)]!;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        const frameAt = (index: number) => 32 + index * frameSize;
        const pick = () => Math.floor(random() * frames.length);
        if (kind === 'flip') {
          for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
            const at = Math.floor(random() * wal.length);
            wal[at] = wal[at]! ^ (1 + Math.floor(random() * 255));
          }
        } else if (kind === 'truncate') {
          wal = wal.subarray(0, Math.floor(random() * wal.length));
        } else if (kind === 'swap') {
          const a = pick();
          const b = (a + 1 + Math.floor(random() * (frames.length - 1))) % frames.length;
          const copy = Buffer.from(wal);
          copy.copy(wal, frameAt(a), frameAt(b), frameAt(b) + frameSize);
          copy.copy(wal, frameAt(b), frameAt(a), frameAt(a) + frameSize);
        } else if (kind === 'replay') {
          const a = pick();
          wal = Buffer.concat([wal, wal.subarray(frameAt(a), frameAt(a) + frameSize)]);
        } else {
          wal = Buffer.concat([wal, Buffer.from(Array.from({ length: 1 + Math.floor(random() * 2 * frameSize) }, () => Math.floor(random() * 256)))]);
        }
        const headerDamaged = wal.length >= 32 && !wal.subarray(0, 32).equals(original.subarray(0, 32));
        let firstDamaged = 0;
        while (firstDamaged < frames.length && wal.length >= frameAt(firstDamaged + 1) && wal.subarray(frameAt(firstDamaged), frameAt(firstDamaged + 1)).equals(original.subarray(frameAt(firstDamaged), frameAt(firstDamaged + 1)))) firstDamaged++;
        const label = `case ${i} (${kind})`;
        if (headerDamaged) {
          assert.throws(() => applyWal(main, wal, WAL_FILE), (error: Error & { code?: string }) => error.name === 'DatasourceError' && error.code === 'bad_response' && error.message.includes(WAL_FILE), label);
          continue;
        }
        const { image } = applyWal(main, wal, WAL_FILE);
        const commits = wal.length < 32 ? 0 : commitsBefore(firstDamaged);
        const expected = commits === 0 ? main : snapshots[commits]!;
        assert.ok(Buffer.from(image).equals(Buffer.from(expected)), `${label}: shows S${commits}`);
      }
      // Every kind of damage ran often enough to mean something.
      for (const kind of ['flip', 'truncate', 'swap', 'replay', 'garbage']) assert.ok((kinds[kind] ?? 0) >= 30, `${kind}: ${kinds[kind]}`);
    });

    /**
     * Hostile but well-formed logs: page numbers, commit sizes and page bytes rewritten, then every checksum
     * recomputed so the parser reads the frames. It must answer an image or its own error — and never show a page
     * that only a frame past the last commit frame holds.
     */
    it('a well-formed hostile log gives an image or a clear error, never a page from past the last commit', () => {
      const random = prng(0xc0ffee);
      let images = 0;
      let refused = 0;
      for (let i = 0; i < 400; i++) {
        const frames = withTail().map((f) => ({ ...f, data: Buffer.from(f.data) }));
        for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
          const frame = frames[Math.floor(random() * frames.length)]!;
          const what = random();
          if (what < 0.3) frame.page = random() < 0.5 ? Math.floor(random() * 60) : Math.floor(random() * 2 ** 32);
          else if (what < 0.6) frame.commitSize = random() < 0.5 ? Math.floor(random() * 60) : Math.floor(random() * 2 ** 32);
          else frame.data[Math.floor(random() * PAGE)] ^= 1 + Math.floor(random() * 255);
        }
        // Each frame's page bytes are made unique, so a page of the image tells which frame it came from.
        frames.forEach((f, index) => f.data.writeUInt32BE(index, PAGE - 4));
        const lastCommit = frames.map((f) => f.commitSize > 0).lastIndexOf(true);
        const label = `case ${i}`;
        let image: Uint8Array;
        try {
          image = applyWal(main, buildWal(frames, { bigEndian: random() < 0.5 }), WAL_FILE, 64 * 2 ** 20).image;
        } catch (error) {
          const e = error as Error & { code?: string };
          assert.equal(e.name, 'DatasourceError', `${label}: ${e.stack}`);
          assert.ok(e.code === 'bad_response' || e.code === 'too_large', `${label}: ${e.code}`);
          assert.ok(e.message.includes(WAL_FILE), label);
          refused++;
          continue;
        }
        images++;
        if (lastCommit < 0) {
          assert.equal(image, main, label);
          continue;
        }
        assert.equal(pageCount(image), frames[lastCommit]!.commitSize, `${label}: the last commit sizes the image`);
        for (let page = 1; page <= pageCount(image); page++) {
          const got = pageOf(image, page);
          const fromFrame = frames.findIndex((f) => f.data.subarray(24, PAGE).equals(got.subarray(24, PAGE)) && f.data.readUInt32BE(PAGE - 4) === got.readUInt32BE(PAGE - 4));
          if (fromFrame >= 0) {
            assert.ok(fromFrame <= lastCommit, `${label}: page ${page} comes from frame ${fromFrame}, past the last commit frame ${lastCommit}`);
            // …and it is the last committed write of that page.
            const last = frames.slice(0, lastCommit + 1).map((f) => f.page).lastIndexOf(page);
            assert.equal(fromFrame, last, `${label}: page ${page}`);
          } else {
            const mainPage = page <= pageCount(main) ? main.subarray((page - 1) * PAGE, page * PAGE) : Buffer.alloc(PAGE);
            assert.ok(got.subarray(24).equals(mainPage.subarray(24)), `${label}: page ${page} is the main file's or empty`);
          }
        }
      }
      // Both outcomes happen, so neither branch is dead.
      assert.ok(images >= 50 && refused >= 50, `${images} images, ${refused} refused`);
    });
  });
});
