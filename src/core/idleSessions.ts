/**
 * Gives a datasource's session back once nothing has used it for a while: a SQLite file's worker (and the whole
 * engine heap it holds), a server's connection pool. Users and tabs come and go; a session left open for the rest
 * of the window would keep that memory and those server connections for nothing.
 *
 * Who keeps a session alive:
 * - holders: an open tab, an open file overview. A tab with unsaved edits is a tab, so its session stays.
 * - calls in flight: a count, an export, another extension's read through the data API.
 * - recent use: any call in the last `idleMs`, so a tree expanded a moment ago does not reconnect on the next click.
 *
 * No `vscode` here; the clock is injected so tests decide when time passes.
 */

export interface IdleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A pending close must not keep a test process (or the extension host on shutdown) alive.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Usage {
  holders: number;
  inFlight: number;
  lastUsed: number;
  timer?: unknown;
}

export interface IdleSessionsOptions {
  /** How long a session may sit unused before it is closed; 0 or less keeps sessions open. Read at each check. */
  idleMs(): number;
  /** Closes the session of `id` (the manager forgets it first, so the next use connects again). */
  close(id: string): void;
  clock?: IdleClock;
}

export class IdleSessions {
  private readonly usage = new Map<string, Usage>();
  private readonly clock: IdleClock;

  constructor(private readonly options: IdleSessionsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Keeps the session of `id` open until the returned function is called (once; later calls do nothing). */
  hold(id: string): () => void {
    return this.claim(id, 'holders');
  }

  /** A call on the session starts; the returned function ends it. */
  begin(id: string): () => void {
    return this.claim(id, 'inFlight');
  }

  /** The session was asked for (about to be called): counts as use. Starts the idle wait of a fresh session too. */
  used(id: string): void {
    this.touch(id);
    this.schedule(id);
  }

  /** The session is gone (closed, removed, reconfigured): forget its timer; holders re-register on the next use. */
  forget(id: string): void {
    const usage = this.usage.get(id);
    if (usage?.timer !== undefined) this.clock.clearTimeout(usage.timer);
    if (usage) usage.timer = undefined;
    if (usage && usage.holders === 0 && usage.inFlight === 0) this.usage.delete(id);
  }

  /** Whether `id` would be closed now if its timer fired: for tests and the log. */
  isIdle(id: string): boolean {
    const usage = this.usage.get(id);
    if (!usage) return true;
    const idleMs = this.options.idleMs();
    return idleMs > 0 && usage.holders === 0 && usage.inFlight === 0 && this.clock.now() - usage.lastUsed >= idleMs;
  }

  holders(id: string): number {
    return this.usage.get(id)?.holders ?? 0;
  }

  dispose(): void {
    for (const id of [...this.usage.keys()]) this.forget(id);
    this.usage.clear();
  }

  /** Counts one holder or call until the returned function is called; a second call of it does nothing. */
  private claim(id: string, what: 'holders' | 'inFlight'): () => void {
    this.touch(id)[what]++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = this.usage.get(id);
      if (!current) return;
      current[what]--;
      this.touch(id);
      this.schedule(id);
    };
  }

  private touch(id: string): Usage {
    let usage = this.usage.get(id);
    if (!usage) {
      usage = { holders: 0, inFlight: 0, lastUsed: this.clock.now() };
      this.usage.set(id, usage);
    }
    usage.lastUsed = this.clock.now();
    if (usage.timer !== undefined) {
      this.clock.clearTimeout(usage.timer);
      usage.timer = undefined;
    }
    return usage;
  }

  private schedule(id: string): void {
    const usage = this.usage.get(id);
    const idleMs = this.options.idleMs();
    if (!usage || idleMs <= 0 || usage.holders > 0 || usage.inFlight > 0 || usage.timer !== undefined) return;
    const wait = Math.max(0, usage.lastUsed + idleMs - this.clock.now());
    usage.timer = this.clock.setTimeout(() => {
      usage.timer = undefined;
      if (this.usage.get(id) !== usage) return;
      // Used again since the timer was set (a call that began and ended re-armed it; this is the stale one).
      if (!this.isIdle(id)) return this.schedule(id);
      this.usage.delete(id);
      this.options.close(id);
    }, wait);
  }
}
