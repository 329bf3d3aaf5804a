// Applies the committed frames of a SQLite write-ahead log to the main database image, as SQLite itself would when
// reading, so the sql.js engine (which cannot read a WAL) shows the latest committed data. Format: sqlite.org/walformat.html
// — a 32-byte header, then frames of a 24-byte header plus one page; a frame counts only if its salts match the
// header's and the running checksum holds, and only frames up to the last commit frame are visible.

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

function checksum(data: Buffer, start: number, end: number, s0: number, s1: number, bigEndian: boolean): [number, number] {
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** Returns the database image with the WAL's committed pages applied, or the image unchanged if the WAL has none. */
export function applyWal(database: Uint8Array, walBytes: Uint8Array): { image: Uint8Array; framesApplied: number } {
  const wal = Buffer.from(walBytes.buffer, walBytes.byteOffset, walBytes.byteLength);
  if (wal.length < WAL_HEADER) return { image: database, framesApplied: 0 };
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return { image: database, framesApplied: 0 };
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let [s0, s1] = checksum(wal, 0, 24, 0, 0, bigEndian);
  if (s0 !== wal.readUInt32BE(24) || s1 !== wal.readUInt32BE(28)) return { image: database, framesApplied: 0 };

  const committed = new Map<number, number>();
  const pending = new Map<number, number>();
  let pages = Math.floor(database.length / pageSize);
  let framesApplied = 0;
  for (let offset = WAL_HEADER; offset + FRAME_HEADER + pageSize <= wal.length; offset += FRAME_HEADER + pageSize) {
    if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) break;
    [s0, s1] = checksum(wal, offset, offset + 8, s0, s1, bigEndian);
    [s0, s1] = checksum(wal, offset + FRAME_HEADER, offset + FRAME_HEADER + pageSize, s0, s1, bigEndian);
    if (s0 !== wal.readUInt32BE(offset + 16) || s1 !== wal.readUInt32BE(offset + 20)) break;
    pending.set(wal.readUInt32BE(offset), offset + FRAME_HEADER);
    const sizeAfterCommit = wal.readUInt32BE(offset + 4);
    if (sizeAfterCommit > 0) {
      for (const [page, at] of pending) committed.set(page, at);
      pending.clear();
      pages = sizeAfterCommit;
      framesApplied = committed.size;
    }
  }
  if (committed.size === 0) return { image: database, framesApplied: 0 };
  const image = new Uint8Array(pages * pageSize);
  image.set(database.subarray(0, Math.min(database.length, image.length)));
  for (const [page, at] of committed) {
    if (page <= pages) image.set(wal.subarray(at, at + pageSize), (page - 1) * pageSize);
  }
  // The merged image is a plain rollback-journal database for sql.js, which has no WAL support.
  image[18] = 1;
  image[19] = 1;
  return { image, framesApplied };
}
