import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock older than this is considered abandoned even if its pid looks alive (pid reuse). */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock's owner is gone (dead pid, or older than staleMs). */
function isStale(lockPath: string, staleMs: number): boolean {
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(lockPath).mtimeMs;
  } catch {
    return false; // Released meanwhile: just try again.
  }
  try {
    const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown };
    if (typeof owner.pid === 'number') return !pidAlive(owner.pid) || ageMs > staleMs;
  } catch {
    // Empty or partial: its owner may be between creating the file and writing its pid.
  }
  // Content unknown: only age tells; an owner that died before writing its pid leaves such a file behind.
  return ageMs > 2_000;
}

/**
 * Runs `work` while holding an exclusive cross-process lock: a lock file created with O_EXCL that records the
 * owner's pid. Two VS Code windows (two extension hosts) serialize their metadata writes through it.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lockPath, staleMs)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`Nocoflo could not lock its settings file (${lockPath}) within ${timeoutMs / 1000} s; another VS Code window is holding it.`, { cause: error });
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 100);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
