import type * as Pg from 'pg';
import type {
  AggregateRequest,
  AggregateResult,
  Capabilities,
  CellValue,
  CountRequest,
  DatasourceSession,
  DatasourceWriter,
  ReadRowsRequest,
  RowChange,
  RowCount,
  RowKey,
  RowPage,
  RowValues,
  StatementPreview,
  TableInfo,
  TableRef,
  TableSchema,
} from '../../api';
import { datasourceError } from '../kit/errors';
import { acquirePooled, withRetries } from '../kit/pooledSession';
import { listTables } from './introspection';
import { fromPgError, isConnectionError, isDatabaseError, type MapOptions } from './pgErrors';
import { PostgresTables, type Runner } from './tableOperations';

/** What the session needs of the `pg` module (loaded lazily by the plugin). */
export interface PgModule {
  Pool: typeof Pg.Pool;
  Client: typeof Pg.Client;
}
type ClientConfig = Pg.ClientConfig;

const cancelled = (cause?: unknown, message = 'Cancelled.') => datasourceError('cancelled', message, cause === undefined ? {} : { cause });
/** Undefined column or table: the cached schema is older than the database's. */
const isStaleSchema = (error: unknown) => isDatabaseError(error) && (error.code === '42703' || error.code === '42P01');
/** The driver's error under a mapped one. */
const causeOf = (error: unknown) => (error instanceof Error && error.cause !== undefined ? error.cause : error);

/** A cancel is repeated every CANCEL_RETRY_MS until the query stops; after CANCEL_ATTEMPTS its connection is closed. */
const CANCEL_RETRY_MS = 100;
const CANCEL_ATTEMPTS = 50;

/**
 * One client of the pool, for the length of one operation. Queries run with a signal are cancelled on the server
 * when it aborts: pg_cancel_backend() from a separate connection, repeated until the query has stopped (the first
 * attempt can arrive before the query does). A connection that had a cancel sent to it is closed afterwards rather
 * than reused, so a late cancel can never stop someone else's query.
 */
class ClientRunner implements Runner {
  cancelSent = false;
  aborted = false;
  /** Set when the connection must not go back to the pool (a failed ROLLBACK, say). */
  broken = false;

  constructor(
    readonly client: Pg.PoolClient,
    private readonly signal: AbortSignal | undefined,
    private readonly cancelBackend: (pid: number, done: () => boolean) => Promise<boolean>,
  ) {}

  async query(sql: string, params: CellValue[] = [], map: MapOptions = {}): Promise<{ rows: CellValue[][]; rowCount: number }> {
    const signal = this.signal;
    if (signal?.aborted) {
      this.aborted = true;
      throw cancelled();
    }
    const running = this.client.query({ text: sql, values: params as unknown[], rowMode: 'array' });
    let settled = false;
    const onAbort = () => {
      this.aborted = true;
      const pid = (this.client as unknown as { processID?: number }).processID;
      if (typeof pid !== 'number') return;
      this.cancelSent = true;
      void this.cancelBackend(pid, () => settled).then((stopped) => {
        // The server could not be asked: close the connection, which fails the query here.
        if (!stopped && !settled) void (this.client as unknown as Pg.Client).end().catch(() => undefined);
      });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await running;
      if (this.aborted) throw cancelled();
      return { rows: result.rows as CellValue[][], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      if (this.aborted) throw cancelled(error, this.cancelSent ? 'Cancelled: the query was stopped on the server.' : 'Cancelled.');
      throw fromPgError(error, map);
    } finally {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

export interface SessionOptions {
  config: ClientConfig;
  description: string;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export class PostgresSession implements DatasourceSession {
  readonly capabilities: Capabilities = { insert: true, update: true, delete: true, transactions: true, aggregate: true, schemas: true, cheapCount: false };
  readonly description: string;
  private readonly pool: Pg.Pool;
  private readonly tables: PostgresTables;
  private closed = false;
  /** Aborted by close(): running queries are cancelled on the server instead of holding close() up. */
  private readonly closing = new AbortController();

  private constructor(
    private readonly pg: PgModule,
    private readonly options: SessionOptions,
  ) {
    this.description = options.description;
    // The pool makes its clients with the module's Client, like the side connection that cancels queries, so one
    // policy (e.g. refusing cleartext passwords, see cleartextGuard.ts) covers both.
    this.pool = new pg.Pool({ ...options.config, Client: pg.Client, max: 5, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
    // An idle client whose server went away: the pool drops it; without a listener Node would crash the host.
    this.pool.on('error', (error) => options.log('warn', `An idle connection to ${this.description} was closed: ${error.message}`));
    this.tables = new PostgresTables();
  }

  /** Opens the pool and proves the connection works, so connect() fails with the server's real error. */
  static async open(pg: PgModule, options: SessionOptions): Promise<{ session: PostgresSession; version: string }> {
    const session = new PostgresSession(pg, options);
    try {
      // No retry here: connecting is what is being tested.
      const version = await session.withClient(undefined, async (runner) => {
        const { rows } = await runner.query("SELECT current_setting('server_version')");
        return String(rows[0]?.[0] ?? '?');
      });
      return { session, version };
    } catch (error) {
      await session.close().catch(() => undefined);
      throw error;
    }
  }

  listTables(options: { signal?: AbortSignal } = {}): Promise<TableInfo[]> {
    return this.read(options.signal, (runner) => listTables((sql, params) => runner.query(sql, params).then((r) => r.rows)));
  }

  getSchema(table: TableRef): Promise<TableSchema> {
    return this.read(undefined, async (runner) => (await this.tables.refreshSchema(runner, table)).schema);
  }

  readRows(table: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    return this.read(request.signal, (runner) => this.tables.readRows(runner, table, request), table);
  }

  countRows(table: TableRef, request: CountRequest = {}): Promise<RowCount> {
    return this.read(request.signal, (runner) => this.tables.countRows(runner, table, request), table);
  }

  aggregate(table: TableRef, request: AggregateRequest): Promise<AggregateResult> {
    return this.read(request.signal, (runner) => this.tables.aggregate(runner, table, request), table);
  }

  previewChanges(table: TableRef, changes: RowChange[]): Promise<StatementPreview[]> {
    return this.read(undefined, (runner) => this.tables.previewChanges(runner, table, changes), table);
  }

  insertRow(table: TableRef, values: RowValues): Promise<{ key: RowKey | null; row?: RowValues }> {
    return this.write((runner) => this.tables.insertRow(runner, table, values), table);
  }

  updateRow(table: TableRef, key: RowKey, changes: RowValues, expected: RowValues): Promise<{ row?: RowValues }> {
    return this.write((runner) => this.tables.updateRow(runner, table, key, changes, expected), table);
  }

  deleteRow(table: TableRef, key: RowKey, expected: RowValues): Promise<void> {
    return this.write((runner) => this.tables.deleteRow(runner, table, key, expected), table);
  }

  /** BEGIN … COMMIT on one connection; any failure rolls everything back. */
  async transaction<T>(work: (tx: DatasourceWriter) => Promise<T>): Promise<T> {
    return this.withClient(undefined, async (runner) => {
      await runner.query('BEGIN');
      let open = true;
      const guard = <R>(fn: () => Promise<R>): Promise<R> => (open ? fn() : Promise.reject(datasourceError('unsupported', 'This transaction has already ended.')));
      const tx: DatasourceWriter = {
        insertRow: (table, values) => guard(() => this.tables.insertRow(runner, table, values)),
        updateRow: (table, key, changes, expected) => guard(() => this.tables.updateRow(runner, table, key, changes, expected)),
        deleteRow: (table, key, expected) => guard(() => this.tables.deleteRow(runner, table, key, expected)),
      };
      try {
        const result = await work(tx);
        open = false;
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        open = false;
        // After a failed COMMIT the server has already rolled back; ROLLBACK then only warns.
        await runner.query('ROLLBACK').catch(() => {
          runner.broken = true;
        });
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    await this.pool.end();
  }

  /** Read-only work: retried once on a fresh connection if the connection broke (e.g. the server restarted). */
  private read<T>(signal: AbortSignal | undefined, work: (runner: ClientRunner) => Promise<T>, table?: TableRef): Promise<T> {
    return this.withClient(signal, work, { retry: true, table });
  }

  /** Writes are never retried: the first attempt may have been applied. */
  private write<T>(work: (runner: ClientRunner) => Promise<T>, table: TableRef): Promise<T> {
    return this.withClient(undefined, work, { table });
  }

  private async withClient<T>(
    requestSignal: AbortSignal | undefined,
    work: (runner: ClientRunner) => Promise<T>,
    options: { retry?: boolean; table?: TableRef } = {},
  ): Promise<T> {
    if (this.closed) throw datasourceError('connection', `The session to ${this.description} is closed.`);
    const signal = requestSignal ? AbortSignal.any([requestSignal, this.closing.signal]) : this.closing.signal;
    // Let pending socket events run first (two turns: the first may come after this turn's poll phase), so the pool
    // has dropped idle connections the server already closed (after a restart, say) instead of handing one out.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    let acquired = false;
    const attempt = async (): Promise<T> => {
      acquired = false;
      let client: Pg.PoolClient;
      try {
        client = await acquirePooled(() => this.pool.connect(), (late) => late.release(), signal);
      } catch (error) {
        if (signal.aborted) throw cancelled(error);
        throw fromPgError(error);
      }
      acquired = true;
      const runner = new ClientRunner(client, signal, (pid, done) => this.cancelBackend(pid, done));
      // A checked-out client has no pool listener: without ours, a connection error between queries would crash.
      const onError = () => {
        runner.broken = true;
      };
      client.on('error', onError);
      let release: boolean | Error | undefined;
      try {
        return await work(runner);
      } catch (error) {
        // Errors from the runner are mapped already: 'connection' means the connection broke.
        if (runner.cancelSent || runner.broken || isConnectionError(error)) release = true;
        // A table or column that vanished under a cached schema: read the schema again.
        if (options.table && isStaleSchema(causeOf(error))) this.tables.forget(options.table);
        throw error;
      } finally {
        client.off('error', onError);
        client.release(release || runner.broken || undefined);
      }
    };
    return withRetries<T, 'connect' | 'connection' | 'schema'>(
      attempt,
      {
        // A refused or reset connection may be a restarting server; a timeout or a wrong password will not change.
        reasonToRetry: (error) => {
          if (isConnectionError(error)) return acquired ? 'connection' : 'connect';
          return options.table && isStaleSchema(causeOf(error)) ? 'schema' : undefined;
        },
        // Read-only work gets one retry, whatever the reason.
        retries: options.retry ? { connect: 1, connection: 1, schema: 1 } : {},
        maxRetries: 1,
        mayRetry: () => !signal.aborted && !this.closed,
        onRetry: (reason, error) => {
          if (reason === 'connection') this.options.log('info', `The connection to ${this.description} was lost (${error instanceof Error ? error.message : String(error)}); trying again on a new one.`);
        },
      },
      signal,
    );
  }

  /** Asks the server to cancel `pid`'s query until `done()`; false when the server could not be asked. */
  private async cancelBackend(pid: number, done: () => boolean): Promise<boolean> {
    const side = new this.pg.Client({ ...this.options.config, statement_timeout: 0 } as ClientConfig);
    side.on('error', () => undefined);
    try {
      await side.connect();
      for (let i = 0; i < CANCEL_ATTEMPTS && !done(); i++) {
        await side.query('SELECT pg_cancel_backend($1)', [pid]);
        await new Promise((r) => setTimeout(r, CANCEL_RETRY_MS));
      }
      return done();
    } catch (error) {
      this.options.log('warn', `Could not cancel a query on ${this.description}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      await side.end().catch(() => undefined);
    }
  }
}

