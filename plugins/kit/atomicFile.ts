// Shared by the metadata store and file-based datasources: both replace whole files and must never leave a torn one.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import * as path from 'node:path';

/** Linux's own limit on symbolic links followed while resolving one path. */
const MAX_LINKS = 40;

export interface AtomicWriteOptions {
  /** Names a temp file in `dir` for `base`; tests pass one that first names an existing file. Default: random. */
  tempName?: (dir: string, base: string) => string;
}

/**
 * The file a write to `file` must change: through every symbolic link (a link to a database is a name for it, and
 * renaming over the link would turn the link into a copy and leave the real database untouched). A link whose
 * target does not exist yet resolves to that target, so the first write creates it where the link points.
 */
export function resolveWriteTarget(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let stat: Stats;
    try {
      stat = lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Resolve the directory's own links, so the temp file and the rename stay on the target's file system.
      return path.join(realpathSync(path.dirname(current)), path.basename(current));
    }
    if (!stat.isSymbolicLink()) return realpathSync(current);
    current = path.resolve(path.dirname(current), readlinkSync(current));
  }
  throw Object.assign(new Error(`${file}: too many levels of symbolic links.`), { code: 'ELOOP' });
}

/** Why `file` cannot be replaced by rename, or undefined: see writeFileAtomic on hard links. */
export function hardLinkRefusal(file: string): string | undefined {
  let links: number;
  try {
    links = statSync(file).nlink;
  } catch {
    return undefined;
  }
  if (links <= 1) return undefined;
  return `${file} has ${links} hard links (other names for the same data). Saving replaces the file with a new one, which would leave the other names holding the old data, and writing in place could leave a torn file after a crash, so Nocoflo does not write it. Copy the file to a name of its own to edit it.`;
}

/**
 * Replaces the content of `file` with `bytes` so that readers and crashes see either the old or the new content,
 * never a mix: write a temp file next to the real file, fsync it, rename it over the real file, fsync the directory.
 *
 * - Symbolic links are followed (resolveWriteTarget): the link stays a link and its target gets the new content.
 * - The temp file is created with O_EXCL under a random name, so it never follows or truncates whatever already
 *   sits at that name (a planted symlink or another writer's temp file); a taken name is simply skipped.
 * - The new file gets the old one's permission bits and, where the process may (root, or the same owner), its
 *   owner and group; EPERM is ignored, as `cp -p` does, since the old content was readable by this user anyway.
 * - Hard links are refused (hardLinkRefusal): rename gives the path a new inode and silently detaches the other
 *   names, while an in-place write is not atomic. File datasources check this before their first write.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): void {
  const target = resolveWriteTarget(file);
  const refusal = hardLinkRefusal(target);
  if (refusal) throw Object.assign(new Error(refusal), { code: 'EMLINK' });
  let previous: Stats | undefined;
  try {
    previous = statSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const dir = path.dirname(target);
  const { fd, temp } = createTemp(dir, path.basename(target), options.tempName ?? randomTempName);
  try {
    if (previous) keepOwnership(fd, previous);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dir);
}

function randomTempName(dir: string, base: string): string {
  return path.join(dir, `.${base}.${randomBytes(12).toString('hex')}.tmp`);
}

function createTemp(dir: string, base: string, name: (dir: string, base: string) => string): { fd: number; temp: string } {
  // A collision with 96 random bits means someone planted the name; a few fresh names settle it either way.
  for (let attempt = 0; ; attempt++) {
    const temp = name(dir, base);
    try {
      // 'wx': O_CREAT | O_EXCL — fails on any existing entry, a dangling symlink included. 0600 until the
      // old file's mode is applied, so no one else can open it in between.
      return { fd: openSync(temp, 'wx', 0o600), temp };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
}

function keepOwnership(fd: number, previous: Stats): void {
  try {
    fchownSync(fd, previous.uid, previous.gid);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EINVAL' && code !== 'ENOSYS') throw error;
  }
  // After chown: changing the owner may clear setuid/setgid bits, and a database should not carry them anyway.
  fchmodSync(fd, previous.mode & 0o777);
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems (and Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
