import type { TableRef } from '../../api';
import { datasourceError } from '../kit/errors';
import { openChannel, type WorkerChannel } from './workerChannel';
import type { WorkerError, WorkerMethod, WorkerOptions, WorkerRequest, WorkerResponse } from './workerProtocol';

/**
 * How long each kind of request may run in the worker before the watchdog stops it, in milliseconds, plus how long
 * a cancelled or closing worker gets to answer before it is terminated anyway.
 */
export interface WorkerBudgets {
  methods: Record<WorkerMethod, number>;
  /** After the host cancels a running request that cannot stop part-way: then the worker is restarted. */
  cancelGraceMs: number;
  /**
   * The same for an aggregate, which stops by itself between chunks: a restart costs more than a slow chunk (sql.js
   * reloads the whole file), so it is only for a chunk that is stuck (or a single-statement aggregate).
   */
  aggregateCancelGraceMs: number;
  /** close() waits this long for a running transaction, then as long again for the worker's answer. */
  closeGraceMs: number;
}

export type WorkerBudgetOptions = { methods?: Partial<Record<WorkerMethod, number>>; cancelGraceMs?: number; aggregateCancelGraceMs?: number; closeGraceMs?: number };

const READ = 30_000;
export const DEFAULT_BUDGETS: WorkerBudgets = {
  methods: {
    listTables: READ,
    getSchema: READ,
    readRows: READ,
    // The tree asks with its own, much shorter budget (an AbortSignal); an open grid's count gets a read's.
    countRows: READ,
    // Exact aggregates of big tables run in chunks and are cancellable; give them longer.
    aggregate: 120_000,
    previewChanges: READ,
    // The host stops statements at the connection's statement timeout (an AbortSignal); this is the last resort.
    execute: 600_000,
    insertRow: READ,
    updateRow: READ,
    deleteRow: READ,
    begin: READ,
    // sql.js writes the whole file on commit: hundreds of MB take a while on a slow disk.
    commit: 120_000,
    rollback: READ,
  },
  cancelGraceMs: 2_000,
  aggregateCancelGraceMs: 10_000,
  closeGraceMs: 2_000,
};

export function budgetsWith(options: WorkerBudgetOptions = {}): WorkerBudgets {
  return {
    methods: { ...DEFAULT_BUDGETS.methods, ...options.methods },
    cancelGraceMs: options.cancelGraceMs ?? DEFAULT_BUDGETS.cancelGraceMs,
    aggregateCancelGraceMs: options.aggregateCancelGraceMs ?? DEFAULT_BUDGETS.aggregateCancelGraceMs,
    closeGraceMs: options.closeGraceMs ?? DEFAULT_BUDGETS.closeGraceMs,
  };
}

/** Reads can be sent again to a fresh worker; a write is never repeated, since it may already have run once. */
const REPLAYABLE = new Set<WorkerMethod>(['listTables', 'getSchema', 'readRows', 'countRows', 'aggregate', 'previewChanges']);

export function fromWorkerError(error: WorkerError): Error {
  if (error.code) {
    const result = datasourceError(error.code, error.message, {
      ...('current' in error ? { current: error.current ?? null } : {}),
      ...(error.column ? { column: error.column } : {}),
    });
    if (error.position) result.position = error.position;
    return result;
  }
  return new Error(error.message);
}

interface Inflight {
  id: number;
  method: WorkerMethod | 'close';
  args: unknown[];
  /** Absent once the caller has been answered (cancelled): the worker's late answer then finds no one. */
  settle?: { resolve(value: unknown): void; reject(error: Error): void };
  sent: boolean;
  /** When the worker started on it, as far as the host can tell: when the request before it was answered. */
  deadline?: number;
  cancelledAt?: number;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} seconds` : `${(ms / 1000).toFixed(1)} seconds`);

function timeoutError(method: WorkerMethod | 'close', args: unknown[], budgetMs: number): Error {
  const table = (args[0] as TableRef | undefined)?.name;
  const what: Record<WorkerMethod | 'close', string> = {
    listTables: 'Listing the tables',
    getSchema: `Reading the columns of "${table}"`,
    readRows: `Reading rows of "${table}"`,
    countRows: `Counting the rows of "${table}"`,
    aggregate: `Summarising "${table}"`,
    previewChanges: `Preparing the changes to "${table}"`,
    insertRow: `Adding a row to "${table}"`,
    updateRow: `Saving a row of "${table}"`,
    deleteRow: `Deleting a row of "${table}"`,
    begin: 'Starting the save',
    commit: 'Writing the save to the file',
    rollback: 'Undoing the save',
    execute: 'Running the statement',
    close: 'Closing the file',
  };
  const isWrite = !REPLAYABLE.has(method as WorkerMethod);
  const advice = method === 'execute'
    ? 'SQLite undid whatever it had changed.'
    : isWrite
    ? method === 'commit'
      ? 'The file holds either this whole save or none of it: refresh to see which, then save again if needed.'
      : 'Nothing of this save was written: try again, or save fewer rows at once.'
    : 'The table may be very large, or a view\'s query may never finish (a recursive view, for one). Add a filter, or open another table: the rest of this file still works.';
  return datasourceError('timeout', `${what[method]} took longer than ${seconds(budgetMs)}, so Nocoflo stopped it and restarted its SQLite engine. ${advice}`);
}

/**
 * The worker thread of one SQLite session, with a watchdog. The worker runs requests one at a time, in the order
 * sent, and cannot read a cancel while a statement runs; so the host times the request at the head of the line and,
 * when it overruns its budget, terminates the thread and starts a fresh one for the requests behind it.
 *
 * Why killing the worker cannot leave a half-applied change: with sql.js every change is made in the worker's
 * in-memory copy of the file, and the file is only replaced on commit, as a whole, by an atomic rename — so a
 * killed worker takes its unsaved changes with it, and the file holds the last save or this one, never a mix. With
 * node:sqlite, an unfinished transaction is rolled back by SQLite itself (the connection closes with the thread, or
 * the next connection rolls back the hot journal). Requests that belonged to the killed transaction fail rather
 * than reach the fresh worker, where they would run outside any transaction (see `generation`).
 */
export class SupervisedWorker {
  /** Counts restarts: a transaction remembers the generation it began in and refuses to continue in another. */
  generation = 0;
  private worker: WorkerChannel | undefined;
  /** The worker being started, until it says ready. */
  private starting: WorkerChannel | undefined;
  private readonly inflight = new Map<number, Inflight>();
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly workerPath: string,
    private readonly options: WorkerOptions,
    readonly budgets: WorkerBudgets,
  ) {}

  /** Starts the first worker; fails as the worker's engine does (not a database, too large, …). */
  static async start(workerPath: string, options: WorkerOptions, budgets: WorkerBudgets): Promise<{ supervisor: SupervisedWorker; engine: 'sqljs' | 'node'; sqliteVersion: string }> {
    const supervisor = new SupervisedWorker(workerPath, options, budgets);
    const ready = await supervisor.spawn();
    return { supervisor, ...ready };
  }

  request<T>(method: WorkerMethod | 'close', args: unknown[], options: { signal?: AbortSignal; generation?: number } = {}): Promise<T> {
    if (this.closed && method !== 'close') return Promise.reject(datasourceError('connection', 'This SQLite session is closed.'));
    if (options.signal?.aborted) return Promise.reject(datasourceError('cancelled', 'Cancelled.'));
    if (options.generation !== undefined && options.generation !== this.generation) {
      return Promise.reject(datasourceError('connection', 'The SQLite engine was restarted during this save, which undid it: nothing of it was written. Save again.'));
    }
    const id = this.nextId++;
    const { signal } = options;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const entry = this.inflight.get(id);
        if (!entry?.settle) return;
        entry.settle = undefined;
        reject(datasourceError('cancelled', 'Cancelled.'));
        if (!entry.sent) {
          this.inflight.delete(id);
          return;
        }
        // Queued in the worker: it answers 'cancelled' at once. Running: it stops at its next chunk if it can
        // (an exact aggregate); otherwise the watchdog restarts it after the grace period.
        entry.cancelledAt = Date.now();
        this.worker?.post({ id: this.nextId++, method: 'cancel', args: [id] } satisfies WorkerRequest);
        this.arm();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.inflight.set(id, {
        id,
        method,
        args,
        sent: false,
        settle: {
          resolve: (value) => (done(), resolve(value as T)),
          reject: (error) => (done(), reject(error)),
        },
      });
      this.flush();
    });
  }

  /** Asks the worker to close the file; terminates it if it does not answer within the grace period. */
  async close(): Promise<void> {
    if (this.closed) return;
    const closing = this.worker ? this.request('close', []).catch(() => undefined) : Promise.resolve();
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closing, new Promise<void>((r) => (timer = setTimeout(r, this.budgets.closeGraceMs)))]);
    clearTimeout(timer);
    this.failAll(() => datasourceError('connection', 'This SQLite session was closed.'));
    if (this.worker) this.worker.kill();
    this.worker = undefined;
  }

  /** Sends what is waiting, starting a worker first if the last one was killed. */
  private flush(): void {
    if (!this.worker) {
      if (!this.starting && !this.closed && this.inflight.size > 0) {
        this.spawn().catch((error: Error) => this.failAll(() => error));
      }
      return;
    }
    for (const entry of this.inflight.values()) {
      if (entry.sent) continue;
      entry.sent = true;
      this.worker.post({ id: entry.id, method: entry.method, args: entry.args } as WorkerRequest);
    }
    this.arm();
  }

  private spawn(): Promise<{ engine: 'sqljs' | 'node'; sqliteVersion: string }> {
    return new Promise((resolve, reject) => {
      const worker = openChannel(this.workerPath, this.options);
      this.starting = worker;
      let ready = false;
      const failed = (error: Error) => {
        if (this.starting === worker) this.starting = undefined;
        reject(error);
      };
      worker.onMessage((message) => {
        if (message.id === 0 && 'ready' in message) {
          if (!message.ready || this.closed) {
            worker.kill();
            failed(message.ready ? datasourceError('connection', 'This SQLite session was closed.') : fromWorkerError(message.error));
            return;
          }
          if (this.starting === worker) this.starting = undefined;
          ready = true;
          this.worker = worker;
          resolve({ engine: message.engine, sqliteVersion: message.sqliteVersion });
          this.flush();
          return;
        }
        if (worker === this.worker) this.answer(message);
      });
      worker.onError((error) => {
        if (!ready) failed(datasourceError('connection', `The SQLite worker failed to start: ${error.message}`));
        else if (worker === this.worker) this.lost(datasourceError('connection', `The SQLite worker stopped: ${error.message}`));
      });
      worker.onExit((code) => {
        if (!ready) failed(datasourceError('connection', `The SQLite worker exited with code ${code} before it opened the file.`));
        if (worker === this.worker && !this.closed) this.lost(datasourceError('connection', `The SQLite worker exited with code ${code}.`));
      });
    });
  }

  private answer(message: WorkerResponse): void {
    if (!('ok' in message)) return;
    const entry = this.inflight.get(message.id);
    if (!entry) return;
    this.inflight.delete(message.id);
    if (message.ok) entry.settle?.resolve(message.value);
    else entry.settle?.reject(fromWorkerError(message.error));
    this.arm();
  }

  /** Times the request at the head of the line: the one the worker is running now. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.inflight.values().next().value as Inflight | undefined;
    if (!head?.sent || head.method === 'close') return;
    const now = Date.now();
    head.deadline ??= now + this.budgets.methods[head.method];
    // A query reference's aggregate is one statement, not chunks that could stop part-way.
    const chunked = head.method === 'aggregate' && !(head.args[0] as { query?: unknown } | undefined)?.query;
    const grace = chunked ? this.budgets.aggregateCancelGraceMs : this.budgets.cancelGraceMs;
    const deadline = head.cancelledAt === undefined ? head.deadline : Math.min(head.deadline, head.cancelledAt + grace);
    this.timer = setTimeout(() => this.overran(head), Math.max(0, deadline - now));
  }

  private overran(head: Inflight): void {
    if (this.inflight.values().next().value !== head || !this.worker) return;
    const method = head.method as WorkerMethod;
    this.inflight.delete(head.id);
    head.settle?.reject(timeoutError(method, head.args, this.budgets.methods[method]));
    this.restart(datasourceError('connection', 'The SQLite engine was restarted because an earlier request took too long, before this change was confirmed. Refresh to see whether it was saved.'));
  }

  /** The worker died on its own: what it held fails; the next request starts a fresh one. */
  private lost(error: Error): void {
    for (const entry of this.inflight.values()) entry.settle?.reject(error);
    this.inflight.clear();
    this.restart(error);
  }

  /**
   * Drops the current worker. Reads waiting behind the request that overran go to the fresh worker; writes fail,
   * since one may already have started (and a transaction's statements must not outlive their transaction).
   */
  private restart(writeError: Error): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.worker) this.worker.kill();
    this.worker = undefined;
    this.generation++;
    for (const entry of [...this.inflight.values()]) {
      if (entry.settle && entry.method !== 'close' && REPLAYABLE.has(entry.method)) {
        entry.sent = false;
        entry.deadline = undefined;
        entry.cancelledAt = undefined;
      } else {
        this.inflight.delete(entry.id);
        entry.settle?.reject(writeError);
      }
    }
    this.flush();
  }

  private failAll(error: () => Error): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const entry of this.inflight.values()) entry.settle?.reject(error());
    this.inflight.clear();
  }
}
