import type {
  AggregateRequest,
  AggregateResult,
  Capabilities,
  CountRequest,
  DatasourceSession,
  ExecuteOptions,
  ExecuteResult,
  QueryText,
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
import { budgetsWith, SupervisedWorker, type WorkerBudgetOptions } from './supervisedWorker';
import type { WorkerMethod, WorkerOptions } from './workerProtocol';

/**
 * A SQLite datasource session: the engine lives in a worker thread and this side forwards each call. A transaction
 * holds the worker exclusively, so a read from another tab never lands in the middle of someone's save.
 */
export class SqliteSession implements DatasourceSession {
  readonly capabilities: Capabilities = { insert: true, update: true, delete: true, transactions: true, aggregate: true, schemas: false, cheapCount: false, query: true };
  private exclusive: Promise<void> = Promise.resolve();

  private constructor(
    private readonly worker: SupervisedWorker,
    readonly description: string,
    readonly engine: 'sqljs' | 'node',
    readonly sqliteVersion: string,
  ) {}

  /** Each request runs within its budget (see supervisedWorker.ts); `budgets` overrides the defaults. */
  static async open(workerPath: string, options: WorkerOptions, budgets?: WorkerBudgetOptions): Promise<SqliteSession> {
    const { supervisor, engine, sqliteVersion } = await SupervisedWorker.start(workerPath, options, budgetsWith(budgets));
    return new SqliteSession(supervisor, options.file, engine, sqliteVersion);
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

  /** Stopped by `signal` like a read: the worker is terminated, which undoes the statement (supervisedWorker.ts). */
  execute(statement: QueryText, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const { signal, ...rest } = options;
    return this.call('execute', [statement, rest], signal);
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
      await this.worker.request('begin', []);
      // Every statement of the transaction must reach the worker that began it: after a restart they fail instead.
      const generation = this.worker.generation;
      const send = <R>(method: WorkerMethod, args: unknown[]) => this.worker.request<R>(method, args, { generation });
      const tx: DatasourceWriter = {
        insertRow: (table, values) => send('insertRow', [table, values]),
        updateRow: (table, key, changes, expected) => send('updateRow', [table, key, changes, expected]),
        deleteRow: (table, key, expected) => send('deleteRow', [table, key, expected]),
      };
      let result: T;
      try {
        result = await work(tx);
      } catch (error) {
        await send('rollback', []).catch(() => undefined);
        throw error;
      }
      await send('commit', []);
      return result;
    } finally {
      release();
    }
  }

  /**
   * Never hangs: a running transaction gets the close grace period to finish, the worker as long again to answer,
   * then it is terminated (safe mid-write, see supervisedWorker.ts).
   */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exclusive, new Promise<void>((r) => (timer = setTimeout(r, this.worker.budgets.closeGraceMs)))]);
    clearTimeout(timer);
    await this.worker.close();
  }

  /** Calls outside a transaction wait until any running transaction has finished. */
  private async call<T>(method: WorkerMethod, args: unknown[], signal?: AbortSignal): Promise<T> {
    // Re-check after waking: another transaction may have started while we waited for the previous one.
    let gate: Promise<void>;
    do {
      gate = this.exclusive;
      await gate;
    } while (gate !== this.exclusive);
    return this.worker.request<T>(method, args, signal ? { signal } : {});
  }
}
