import { Worker } from 'node:worker_threads';
import type {
  AggregateRequest,
  AggregateResult,
  Capabilities,
  CountRequest,
  DatasourceSession,
  DatasourceWriter,
  ReadRowsRequest,
  RowCount,
  RowKey,
  RowPage,
  RowChange,
  RowValues,
  StatementPreview,
  TableInfo,
  TableRef,
  TableSchema,
} from '../../api';
import { datasourceError } from '../kit/errors';
import type { WorkerError, WorkerMethod, WorkerOptions, WorkerRequest, WorkerResponse } from './workerProtocol';

function fromWorkerError(error: WorkerError): Error {
  if (error.code) {
    return datasourceError(error.code, error.message, {
      ...('current' in error ? { current: error.current ?? null } : {}),
      ...(error.column ? { column: error.column } : {}),
    });
  }
  return new Error(error.message);
}

/**
 * A SQLite datasource session: the engine lives in a worker thread and this side forwards each call. A transaction
 * holds the worker exclusively, so a read from another tab never lands in the middle of someone's save.
 */
export class SqliteSession implements DatasourceSession {
  readonly capabilities: Capabilities = { insert: true, update: true, delete: true, transactions: true, aggregate: true, schemas: false, cheapCount: false };
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private exclusive: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    readonly description: string,
    readonly engine: 'sqljs' | 'node',
    readonly sqliteVersion: string,
  ) {
    worker.on('message', (message: WorkerResponse) => {
      if (message.id === 0) return;
      const waiter = this.pending.get(message.id);
      if (!waiter || !('ok' in message)) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(fromWorkerError(message.error));
    });
    const failAll = (error: Error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => failAll(datasourceError('connection', `The SQLite worker stopped: ${error.message}`)));
    worker.on('exit', (code) => {
      this.closed = true;
      if (code !== 0) failAll(datasourceError('connection', `The SQLite worker exited with code ${code}.`));
    });
  }

  static open(workerPath: string, options: WorkerOptions): Promise<SqliteSession> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerPath, { workerData: options });
      const onMessage = (message: WorkerResponse) => {
        if (message.id !== 0 || !('ready' in message)) return;
        worker.off('message', onMessage);
        if (message.ready) resolve(new SqliteSession(worker, options.file, message.engine, message.sqliteVersion));
        else {
          void worker.terminate();
          reject(fromWorkerError(message.error));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (error) => reject(datasourceError('connection', `The SQLite worker failed to start: ${error.message}`)));
    });
  }

  listTables(): Promise<TableInfo[]> {
    return this.call('listTables', []);
  }

  getSchema(table: TableRef): Promise<TableSchema> {
    return this.call('getSchema', [table]);
  }

  readRows(table: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    const { signal, ...rest } = request;
    return this.call('readRows', [table, rest], signal);
  }

  countRows(table: TableRef, request: CountRequest = {}): Promise<RowCount> {
    const { signal, ...rest } = request;
    return this.call('countRows', [table, rest], signal);
  }

  aggregate(table: TableRef, request: AggregateRequest): Promise<AggregateResult> {
    const { signal, ...rest } = request;
    return this.call('aggregate', [table, rest], signal);
  }

  insertRow(table: TableRef, values: RowValues): Promise<{ key: RowKey | null; row?: RowValues }> {
    return this.call('insertRow', [table, values]);
  }

  updateRow(table: TableRef, key: RowKey, changes: RowValues, expected: RowValues): Promise<{ row?: RowValues }> {
    return this.call('updateRow', [table, key, changes, expected]);
  }

  deleteRow(table: TableRef, key: RowKey, expected: RowValues): Promise<void> {
    return this.call('deleteRow', [table, key, expected]);
  }

  previewChanges(table: TableRef, changes: RowChange[]): Promise<StatementPreview[]> {
    return this.call('previewChanges', [table, changes]);
  }

  async transaction<T>(work: (tx: DatasourceWriter) => Promise<T>): Promise<T> {
    const previous = this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise<void>((r) => (release = r));
    await previous;
    try {
      await this.send('begin', []);
      const tx: DatasourceWriter = {
        insertRow: (table, values) => this.send('insertRow', [table, values]),
        updateRow: (table, key, changes, expected) => this.send('updateRow', [table, key, changes, expected]),
        deleteRow: (table, key, expected) => this.send('deleteRow', [table, key, expected]),
      };
      let result: T;
      try {
        result = await work(tx);
      } catch (error) {
        await this.send('rollback', []).catch(() => undefined);
        throw error;
      }
      await this.send('commit', []);
      return result;
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive;
    try {
      await this.send('close', []);
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  /** Calls outside a transaction wait until any running transaction has finished. */
  private async call<T>(method: WorkerMethod, args: unknown[], signal?: AbortSignal): Promise<T> {
    // Re-check after waking: another transaction may have started while we waited for the previous one.
    let gate: Promise<void>;
    do {
      gate = this.exclusive;
      await gate;
    } while (gate !== this.exclusive);
    return this.send(method, args, signal);
  }

  private send<T>(method: WorkerMethod | 'close', args: unknown[], signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(datasourceError('connection', 'This SQLite session is closed.'));
    if (signal?.aborted) return Promise.reject(datasourceError('cancelled', 'Cancelled.'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // The caller hears at once. The worker drops the request if it has not started it, or stops it at its next
      // chunk if it can (an exact aggregate); its late answer finds no one waiting.
      const onAbort = () => {
        this.pending.delete(id);
        reject(datasourceError('cancelled', 'Cancelled.'));
        if (!this.closed) this.worker.postMessage({ id: this.nextId++, method: 'cancel', args: [id] } satisfies WorkerRequest);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      this.worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });
  }
}
