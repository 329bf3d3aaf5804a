// Applies the committed frames of a SQLite write-ahead log to the main database image, as SQLite itself would when
// reading, so the sql.js engine (which cannot read a WAL) shows the latest committed data. Format: sqlite.org/walformat.html
// — a 32-byte header, then frames of a 24-byte header plus one page; a frame counts only if its salts match the
// header's and the running checksum holds, and only frames up to the last commit frame are visible.
//
// The -wal file is input from another program (or a damaged disk): every number read from it is checked before it
// sizes an allocation or an offset, so a bad log is a clear error naming the file, never a RangeError from deep inside.
import { datasourceError } from '../kit/errors';

const WAL_HEADER = 32;
const FRAME_HEADER = 24;
const WAL_VERSION = 3007000;

function checksum(data: Buffer, start: number, end: number, s0: number, s1: number, bigEndian: boolean): [number, number] {
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

function isPageSize(size: number): boolean {
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0;
}

/** The page size a database file declares (offset 16, big-endian; 1 means 65536), or undefined for an empty file. */
function databasePageSize(database: Uint8Array): number | undefined {
  if (database.length < 100) return undefined;
  const raw = (database[16]! << 8) | database[17]!;
  return raw === 1 ? 65536 : raw;
}

/**
 * Returns the database image with the WAL's committed pages applied, or the image unchanged if the WAL has none.
 * Throws a `bad_response` error naming `walFile` when the log cannot be a valid WAL for this database. A torn tail
 * (a frame whose salts or checksum do not hold) is not an error: SQLite itself stops reading there.
 */
export function applyWal(
  database: Uint8Array,
  walBytes: Uint8Array,
  walFile: string,
  maxBytes = Number.MAX_SAFE_INTEGER,
): { image: Uint8Array; framesApplied: number } {
  const bad = (why: string) =>
    datasourceError('bad_response', `${walFile} is not a valid SQLite write-ahead log for this database (${why}). Nocoflo did not read it; let the program that wrote it checkpoint or remove it, then refresh.`);
  const wal = Buffer.from(walBytes.buffer, walBytes.byteOffset, walBytes.byteLength);
  // A log shorter than its header is one being created right now: SQLite reads it as empty too.
  if (wal.length < WAL_HEADER) return { image: database, framesApplied: 0 };
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) throw bad(`its first bytes are not the WAL magic number`);
  if (wal.readUInt32BE(4) !== WAL_VERSION) throw bad(`format version ${wal.readUInt32BE(4)}, expected ${WAL_VERSION}`);
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  if (!isPageSize(pageSize)) throw bad(`page size ${pageSize} is not a power of two from 512 to 65536`);
  const mainPageSize = databasePageSize(database);
  if (mainPageSize !== undefined && mainPageSize !== pageSize) throw bad(`page size ${pageSize} differs from the database's ${mainPageSize}`);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let [s0, s1] = checksum(wal, 0, 24, 0, 0, bigEndian);
  if (s0 !== wal.readUInt32BE(24) || s1 !== wal.readUInt32BE(28)) throw bad('its header checksum does not match');

  // Every page of the database after a commit is in the main file or in a frame of the log, so no commit can
  // claim more pages than those two hold together; the file's real size bounds the claim, not the claim itself.
  const framesInFile = Math.floor((wal.length - WAL_HEADER) / (FRAME_HEADER + pageSize));
  const maxPages = Math.ceil(database.length / pageSize) + framesInFile;
  const committed = new Map<number, number>();
  const pending = new Map<number, number>();
  let pages = Math.floor(database.length / pageSize);
  let frames = 0;
  let framesApplied = 0;
  for (let offset = WAL_HEADER; offset + FRAME_HEADER + pageSize <= wal.length; offset += FRAME_HEADER + pageSize) {
    if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) break;
    [s0, s1] = checksum(wal, offset, offset + 8, s0, s1, bigEndian);
    [s0, s1] = checksum(wal, offset + FRAME_HEADER, offset + FRAME_HEADER + pageSize, s0, s1, bigEndian);
    if (s0 !== wal.readUInt32BE(offset + 16) || s1 !== wal.readUInt32BE(offset + 20)) break;
    const page = wal.readUInt32BE(offset);
    const sizeAfterCommit = wal.readUInt32BE(offset + 4);
    if (page < 1 || page > maxPages) throw bad(`a frame writes page ${page}, but the database and the log together hold at most ${maxPages} pages`);
    pending.set(page, offset + FRAME_HEADER);
    frames++;
    if (sizeAfterCommit > 0) {
      if (sizeAfterCommit > maxPages) throw bad(`a commit claims ${sizeAfterCommit} pages, but the database and the log together hold at most ${maxPages}`);
      for (const [p, at] of pending) committed.set(p, at);
      pending.clear();
      pages = sizeAfterCommit;
      framesApplied = frames;
    }
  }
  if (committed.size === 0) return { image: database, framesApplied: 0 };
  if (pages * pageSize > maxBytes) {
    throw datasourceError('too_large', `${walFile} grows the database to ${(pages * pageSize / 2 ** 20).toFixed(0)} MiB, more than the ${(maxBytes / 2 ** 20).toFixed(0)} MiB the sql.js engine holds in memory.`);
  }
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
