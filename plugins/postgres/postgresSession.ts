import type * as Pg from 'pg';
import type {
  AggregateRequest,
  AggregateResult,
  Capabilities,
  CountRequest,
  DatasourceSession,
  DatasourceWriter,
  ExecuteOptions,
  ExecuteResult,
  QueryText,
  ReadRowsRequest,
  RowChange,
  RowCount,
  RowKey,
  RowPage,
  RowValues,
  SessionStatus,
  StatementPreview,
  TableInfo,
  TableRef,
  TableSchema,
} from '../../api';
import { datasourceError } from '../kit/errors';
import { acquirePooled, withRetries } from '../kit/pooledSession';
import { sendCancelRequest, type CancelTarget } from './cancelRequest';
import { listTables } from './introspection';
import { fromPgError, isConnectionError, isDatabaseError } from './pgErrors';
import { REPLICA_STATUS_SQL, replicaSchema, replicaStatus, replicaWriteRefused } from './replica';
import { ClientRunner, cancelled } from './clientRunner';
import { executeStatement } from './queryExecute';
import { PostgresQueries } from './queryReads';
import { PostgresTables } from './tableOperations';

/** What the session needs of the `pg` module (loaded lazily by the plugin). */
export interface PgModule {
  Pool: typeof Pg.Pool;
  Client: typeof Pg.Client;
  Query: typeof Pg.Query;
}
type ClientConfig = Pg.ClientConfig;

/** Undefined column or table: the cached schema is older than the database's. */
const isStaleSchema = (error: unknown) => isDatabaseError(error) && (error.code === '42703' || error.code === '42P01');
/** The driver's error under a mapped one. */
const causeOf = (error: unknown) => (error instanceof Error && error.cause !== undefined ? error.cause : error);

/** A cancel is repeated every CANCEL_RETRY_MS until the query stops; after CANCEL_ATTEMPTS its connection is closed. */
const CANCEL_RETRY_MS = 100;
const CANCEL_ATTEMPTS = 50;
/** Attempts a read may spend learning which catalogue features this engine lacks (one per attempt at most). */
const ENGINE_FALLBACKS = 16;

/** `set_config($1, $2, true), …, ` for `count` settings: SET LOCAL with the names and values bound. */
const settingsSql = (count: number) => Array.from({ length: count }, (_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true), `).join('');

export interface SessionOptions {
  config: ClientConfig;
  /** Set LOCAL at the start of every operation's transaction (connectionConfig.ts transactionSettings). */
  settings: [name: string, value: string][];
  description: string;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export class PostgresSession implements DatasourceSession {
  readonly capabilities: Capabilities = { insert: true, update: true, delete: true, transactions: true, aggregate: true, schemas: true, cheapCount: false, query: true };
  readonly description: string;
  private readonly pool: Pg.Pool;
  private readonly tables: PostgresTables;
  private readonly queries: PostgresQueries;
  private closed = false;
  /** Whether the server was in recovery (a hot standby) when the last operation began. */
  private inRecovery = false;
  /** Aborted by close(): running queries are cancelled on the server instead of holding close() up. */
  private readonly closing = new AbortController();

  private constructor(
    private readonly pg: PgModule,
    private readonly options: SessionOptions,
  ) {
    this.description = options.description;
    // The pool makes its clients with the module's Client, so its policy (e.g. refusing cleartext passwords, see
    // cleartextGuard.ts) covers every connection.
    this.pool = new pg.Pool({ ...options.config, Client: pg.Client, max: 5, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
    // An idle client whose server went away: the pool drops it; without a listener Node would crash the host.
    this.pool.on('error', (error) => options.log('warn', `An idle connection to ${this.description} was closed: ${error.message}`));
    this.tables = new PostgresTables();
    this.queries = new PostgresQueries(this.tables.fallbacks);
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
    return this.read(options.signal, (runner) => listTables((sql, params) => runner.query(sql, params).then((r) => r.rows), this.tables.fallbacks));
  }

  getSchema(table: TableRef): Promise<TableSchema> {
    if (table.query) return this.readQuery(undefined, (runner) => this.queries.describe(runner, table));
    return this.read(undefined, async (runner) => {
      const { schema } = await this.tables.refreshSchema(runner, table);
      return this.inRecovery ? replicaSchema(schema) : schema;
    });
  }

  status(options: { signal?: AbortSignal } = {}): Promise<SessionStatus | undefined> {
    return this.read(options.signal, async (runner) => replicaStatus((await runner.query(REPLICA_STATUS_SQL)).rows[0]));
  }

  readRows(table: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    if (table.query) return this.readQuery(request.signal, (runner) => this.queries.readRows(runner, table, request));
    return this.read(request.signal, (runner) => this.tables.readRows(runner, table, request), table);
  }

  countRows(table: TableRef, request: CountRequest = {}): Promise<RowCount> {
    if (table.query) return this.readQuery(request.signal, (runner) => this.queries.countRows(runner, table, request));
    return this.read(request.signal, (runner) => this.tables.countRows(runner, table, request), table);
  }

  aggregate(table: TableRef, request: AggregateRequest): Promise<AggregateResult> {
    if (table.query) return this.readQuery(request.signal, (runner) => this.queries.aggregate(runner, table, request));
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

  /**
   * A user's statement, once, in a transaction of its own (READ ONLY when asked: the server refuses any write). Never
   * retried. Its connection is closed afterwards instead of going back to the pool: whatever session state the
   * statement left (SET, temporary tables, prepared statements, advisory locks, LISTEN) must not reach later work.
   */
  execute(statement: QueryText, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    return this.withClient(options.signal, (runner) => executeStatement(runner, statement, options), { readOnly: options.readOnly === true, write: options.readOnly !== true, discard: true });
  }

  /** BEGIN … COMMIT on one connection; any failure rolls everything back. */
  async transaction<T>(work: (tx: DatasourceWriter) => Promise<T>): Promise<T> {
    return this.withClient(undefined, async (runner) => {
      // withClient runs every operation in a transaction of its own; this one holds all of `work`.
      let open = true;
      const guard = <R>(fn: () => Promise<R>): Promise<R> => (open ? fn() : Promise.reject(datasourceError('unsupported', 'This transaction has already ended.')));
      const tx: DatasourceWriter = {
        insertRow: (table, values) => guard(() => this.tables.insertRow(runner, table, values)),
        updateRow: (table, key, changes, expected) => guard(() => this.tables.updateRow(runner, table, key, changes, expected)),
        deleteRow: (table, key, expected) => guard(() => this.tables.deleteRow(runner, table, key, expected)),
      };
      try {
        return await work(tx);
      } finally {
        open = false;
      }
    }, { write: true });
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

  /** Reads of a query reference: in a READ ONLY transaction, so the server refuses a statement that writes. */
  private readQuery<T>(signal: AbortSignal | undefined, work: (runner: ClientRunner) => Promise<T>): Promise<T> {
    return this.withClient(signal, work, { retry: true, readOnly: true });
  }

  /** Writes are never retried: the first attempt may have been applied. */
  private write<T>(work: (runner: ClientRunner) => Promise<T>, table: TableRef): Promise<T> {
    return this.withClient(undefined, work, { table, write: true });
  }

  private async withClient<T>(
    requestSignal: AbortSignal | undefined,
    work: (runner: ClientRunner) => Promise<T>,
    options: { retry?: boolean; table?: TableRef; write?: boolean; readOnly?: boolean; discard?: boolean } = {},
  ): Promise<T> {
    if (this.closed) throw datasourceError('connection', `The session to ${this.description} is closed.`);
    const signal = requestSignal ? AbortSignal.any([requestSignal, this.closing.signal]) : this.closing.signal;
    // Let pending socket events run first (two turns: the first may come after this turn's poll phase), so the pool
    // has dropped idle connections the server already closed (after a restart, say) instead of handing one out.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    let acquired = false;
    // Whether the last attempt found a catalogue feature this engine lacks (engineFallback.ts): the failed statement
    // aborted the operation's transaction, so its fallback could not run there; the next attempt uses it from the start.
    let learnedFallback = false;
    const attempt = async (): Promise<T> => {
      acquired = false;
      const known = this.tables.fallbacks.taken.size;
      try {
        return await attemptOnce();
      } finally {
        learnedFallback = this.tables.fallbacks.taken.size > known;
      }
    };
    const attemptOnce = async (): Promise<T> => {
      let client: Pg.PoolClient;
      try {
        client = await acquirePooled(() => this.pool.connect(), (late) => late.release(), signal);
      } catch (error) {
        if (signal.aborted) throw cancelled(error);
        throw fromPgError(error);
      }
      acquired = true;
      const runner = new ClientRunner(client, signal, (key, done) => this.cancelBackend(key, done), this.pg.Query);
      // A checked-out client has no pool listener: without ours, a connection error between queries would crash.
      const onError = () => {
        runner.broken = true;
      };
      client.on('error', onError);
      let release: boolean | Error | undefined = options.discard;
      // Everything an operation does is one transaction, with its settings SET LOCAL: through a pooler in
      // transaction mode (PgBouncer) that is all that stays on one server connection, and nothing is left behind
      // for the next user of that connection.
      let transaction: 'none' | 'open' | 'ending' = 'none';
      try {
        await runner.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
        transaction = 'open';
        const { rows } = await runner.query(`SELECT ${settingsSql(this.options.settings.length)}pg_is_in_recovery()`, this.options.settings.flat());
        this.inRecovery = rows[0]?.[this.options.settings.length] === true;
        const result = await work(runner);
        transaction = 'ending';
        await runner.query('COMMIT');
        transaction = 'none';
        return result;
      } catch (error) {
        // Errors from the runner are mapped already: 'connection' means the connection broke.
        if (runner.cancelSent || runner.broken || isConnectionError(error)) release = true;
        // After a failed COMMIT the server has already rolled back; otherwise the transaction ends here.
        else if (transaction === 'open') {
          await runner.query('ROLLBACK').catch(() => {
            runner.broken = true;
          });
        }
        // A table or column that vanished under a cached schema: read the schema again.
        if (options.table && isStaleSchema(causeOf(error))) this.tables.forget(options.table);
        if (options.write && this.inRecovery && (error as { code?: string }).code === 'read_only') throw replicaWriteRefused(error);
        throw error;
      } finally {
        client.off('error', onError);
        client.release(release || runner.broken || undefined);
      }
    };
    const retried = () => withRetries<T, 'connect' | 'connection' | 'schema'>(
      attempt,
      {
        // A refused or reset connection may be a restarting server; a timeout or a wrong password will not change.
        reasonToRetry: (error) => {
          if (learnedFallback) return undefined;
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
    // Read-only work runs again for each catalogue feature it found missing (one per attempt at most; there are 14
    // named fallbacks, docs/compatibility.md); writes use no optional features.
    for (let learned = 0; ; learned++) {
      try {
        return await retried();
      } catch (error) {
        if (!options.retry || !learnedFallback || learned >= ENGINE_FALLBACKS || signal.aborted || this.closed) throw error;
      }
    }
  }

  /** Asks the server to cancel the query of the connection with `key` until `done()`; false when it could not be asked. */
  private async cancelBackend(key: { processId: number; secretKey: number }, done: () => boolean): Promise<boolean> {
    const config = this.options.config;
    const target: CancelTarget = { host: config.host ?? 'localhost', port: config.port ?? 5432, timeoutMillis: config.connectionTimeoutMillis || 10_000 };
    try {
      for (let i = 0; i < CANCEL_ATTEMPTS && !done(); i++) {
        await sendCancelRequest(target, key.processId, key.secretKey);
        await new Promise((r) => setTimeout(r, CANCEL_RETRY_MS));
      }
      return done();
    } catch (error) {
      this.options.log('warn', `Could not cancel a query on ${this.description}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }
}

