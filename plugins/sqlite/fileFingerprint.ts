import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/**
 * What tells us another program changed a SQLite file: SQLite bumps the file change counter (header offset 24)
 * on every committed write in rollback-journal mode; size and mtime catch writers that do not (or WAL checkpoints).
 */
export interface Fingerprint {
  changeCounter: number;
  size: number;
  mtimeMs: number;
}

export function fingerprintOf(file: string): Fingerprint {
  const stat = statSync(file);
  const header = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 4, 24);
  } finally {
    closeSync(fd);
  }
  return { changeCounter: header.readUInt32BE(0), size: stat.size, mtimeMs: stat.mtimeMs };
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.changeCounter === b.changeCounter && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** A non-empty side file means SQLite state that the main file alone does not show. */
export function nonEmpty(file: string): boolean {
  return existsSync(file) && statSync(file).size > 0;
}
