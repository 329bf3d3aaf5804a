// A MySQL/MariaDB session: the pool, transactions, reads with their retries. One lent connection is mysqlLease.ts,
// what a transaction tracks is mysqlTransaction.ts, what differs on a Galera node is galera.ts.
import type {
  AggregateRequest,
  AggregateResult,
  Capabilities,
  CellValue,
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
  StatementPreview,
  TableInfo,
  TableRef,
  TableSchema,
} from '../../api';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2/promise';
import { datasourceError, isDatasourceError } from '../kit/errors';
import { acquirePooled, withRetries } from '../kit/pooledSession';
import type { TableDetails } from './introspection';
import { CONCURRENT_SAVE_MESSAGE, DEADLOCK_ERRNO, isGaleraNode, isNotInCluster, LOCK_WAIT_TIMEOUT_ERRNO, nodeIsReady, notInClusterError } from './galera';
import { fromMysqlError, serverErrno, type ErrorContext } from './mysqlErrors';
import { Lease, toParams, type LeaseOwner, type Mysql } from './mysqlLease';
import { RetryableAbort, TransactionState } from './mysqlTransaction';
import type { Runner, ServerInfo } from './runner';
import { executeStatement } from './queryExecute';
import { MysqlQueries } from './queryReads';
import { MysqlTables } from './tableOperations';

export interface MysqlSessionOptions {
  /** mysql2 options for the pool and for the side connection that stops queries. */
  connection: PoolOptions;
  description: string;
  /** "host:port" or the socket path, for messages. */
  where: string;
  defaultDatabase?: string;
  /** 0: no limit. */
  queryTimeoutSeconds: number;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

const POOL_SIZE = 5;

/** The SET statement every new connection runs first. */
interface SessionSettings {
  sql: string;
  params: CellValue[];
}


const noop = () => undefined;

/** A dead or unreachable connection (already mapped): worth one more try on a fresh one. */
const isConnectionFailure = (error: unknown) => isDatasourceError(error) && error.code === 'connection';


/**
 * A MySQL/MariaDB datasource session: a mysql2 pool (one connection per operation, one for a whole transaction),
 * prepared statements for everything that carries values, server-side cancellation and timeouts, and a retry of
 * read-only operations when a pooled connection turns out dead (e.g. after a server restart).
 *
 * Every connection gets `time_zone = '+00:00'`, so TIMESTAMP columns read and write in UTC whatever the server's
 * or the client's zone (DATETIME has no zone and is shown as stored), and a strict sql_mode (STRICT_ALL_TABLES,
 * backslash escapes on) so a value the column cannot hold is refused instead of silently truncated.
 */
export class MysqlSession implements DatasourceSession, LeaseOwner {
  readonly capabilities: Capabilities = { insert: true, update: true, delete: true, transactions: true, aggregate: true, schemas: true, cheapCount: false, query: true };
  readonly queryTimeoutMs: number;
  private readonly tables: MysqlTables;
  private readonly queries: MysqlQueries;
  private readonly initialized = new WeakSet<object>();
  private readonly warnedTables = new Set<string>();
  /** Server thread ids of the connections running a statement right now. */
  readonly running = new Set<number>();
  private closed = false;

  private constructor(
    readonly mysql: Mysql,
    private readonly pool: Pool,
    private readonly options: MysqlSessionOptions,
    readonly server: ServerInfo,
    private readonly sessionSettings: SessionSettings,
  ) {
    this.queryTimeoutMs = Math.round(options.queryTimeoutSeconds * 1000);
    this.tables = new MysqlTables(server, options.defaultDatabase);
    this.queries = new MysqlQueries(this.tables);
  }

  get description(): string {
    return this.options.description;
  }

  static async open(mysql: Mysql, options: MysqlSessionOptions): Promise<MysqlSession> {
    const context: ErrorContext = { where: options.where };
    const pool = mysql.createPool({ ...options.connection, connectionLimit: POOL_SIZE, maxIdle: 2, idleTimeout: 60_000, waitForConnections: true, queueLimit: 0 });
    let connection: PoolConnection | undefined;
    try {
      connection = await pool.getConnection();
      (connection as unknown as { connection: NodeJS.EventEmitter }).connection.on('error', noop);
      const [[row]] = (await connection.query({ sql: 'SELECT VERSION(), @@SESSION.sql_mode', rowsAsArray: true })) as unknown as [[string, string][]];
      const version = String(row[0]);
      const mariadb = /mariadb/i.test(version);
      // Strict for every engine; backslash escapes on, because LIKE patterns escape with a backslash.
      const modes = String(row[1])
        .split(',')
        .filter((m) => m !== '' && m !== 'NO_BACKSLASH_ESCAPES');
      if (!modes.includes('STRICT_ALL_TABLES')) modes.push('STRICT_ALL_TABLES');
      const timeout = options.queryTimeoutSeconds;
      const settings: SessionSettings = { sql: "SET time_zone = '+00:00', sql_mode = ?", params: [modes.join(',')] };
      // The server-side limit stops a statement even if this client is gone; the client timer reports it.
      if (timeout > 0) {
        settings.sql += mariadb ? ', max_statement_time = ?' : ', max_execution_time = ?';
        settings.params.push(mariadb ? timeout : Math.round(timeout * 1000));
      }
      // A Galera node reads causally: it first applies what the cluster committed before the read (galera.ts).
      const galera = await isGaleraNode(connection);
      if (galera) settings.sql += ', wsrep_sync_wait = 1';
      const session = new MysqlSession(mysql, pool, options, { mariadb, version, galera }, settings);
      await session.initialize(connection);
      connection.release();
      connection = undefined;
      return session;
    } catch (error) {
      connection?.destroy();
      await pool.end().catch(noop);
      throw fromMysqlError(error, context);
    }
  }

  mapError(error: unknown): Error {
    return fromMysqlError(error, { where: this.options.where });
  }

  listTables(options: { signal?: AbortSignal } = {}): Promise<TableInfo[]> {
    return this.read(options.signal, undefined, (runner) => this.tables.listTables(runner));
  }

  // A query reference (queryReads.ts) is read in a read-only transaction: the server refuses its writes.
  getSchema(table: TableRef): Promise<TableSchema> {
    if (table.query) return this.read(undefined, undefined, (runner) => this.queries.getSchema(runner, table), true);
    return this.read(undefined, undefined, (runner) => this.tables.getSchema(runner, table));
  }

  readRows(table: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    if (table.query) return this.read(request.signal, undefined, (runner) => this.queries.readRows(runner, table, request), true);
    return this.read(request.signal, table, (runner) => this.tables.readRows(runner, table, request));
  }

  countRows(table: TableRef, request: CountRequest = {}): Promise<RowCount> {
    if (table.query) return this.read(request.signal, undefined, (runner) => this.queries.countRows(runner, table, request), true);
    return this.read(request.signal, table, (runner) => this.tables.countRows(runner, table, request));
  }

  aggregate(table: TableRef, request: AggregateRequest): Promise<AggregateResult> {
    if (table.query) return this.read(request.signal, undefined, (runner) => this.queries.aggregate(runner, table, request), true);
    return this.read(request.signal, table, (runner) => this.tables.aggregate(runner, table, request));
  }

  execute(statement: QueryText, options?: ExecuteOptions): Promise<ExecuteResult> {
    return executeStatement(this, (signal) => this.acquire(signal), statement, options);
  }

  previewChanges(table: TableRef, changes: RowChange[]): Promise<StatementPreview[]> {
    return this.read(undefined, table, (runner) => this.tables.previewChanges(runner, table, changes));
  }

  insertRow(table: TableRef, values: RowValues): Promise<{ key: RowKey | null; row?: RowValues }> {
    return this.transaction((tx) => tx.insertRow(table, values));
  }

  updateRow(table: TableRef, key: RowKey, changes: RowValues, expected: RowValues): Promise<{ row?: RowValues }> {
    return this.transaction((tx) => tx.updateRow(table, key, changes, expected));
  }

  deleteRow(table: TableRef, key: RowKey, expected: RowValues): Promise<void> {
    return this.transaction((tx) => tx.deleteRow(table, key, expected));
  }

  /**
   * BEGIN … COMMIT on one connection; any error rolls back and is rethrown. InnoDB (and every engine whose
   * information_schema.ENGINES.TRANSACTIONS is YES) applies all of it or nothing. MyISAM, Aria, MEMORY and the
   * like cannot roll back: their writes still work, a warning is logged the first time a table is written, and if
   * a later change of the same save fails, the error says which changes stayed written.
   */
  async transaction<T>(work: (tx: DatasourceWriter) => Promise<T>): Promise<T> {
    try {
      return await this.transactionOnce(work);
    } catch (caught) {
      const error = await this.explainGalera(caught);
      // A deadlock victim or a Galera certification failure: the server rolled the whole transaction back, so the
      // save runs once more from the start. Its checks against the values read then either pass (the concurrent
      // change touched nothing this save relies on) or report the conflict with the row as stored now. Only when
      // every write went to tables that roll back: a MyISAM write of the first run stayed written.
      if (!(error instanceof RetryableAbort)) throw error;
      this.options.log('info', `A save on ${this.options.where} was rolled back by a concurrent change (${error.cause.message}); running it once more.`);
      try {
        return await this.transactionOnce(work);
      } catch (again) {
        if (again instanceof RetryableAbort) throw datasourceError('conflict', CONCURRENT_SAVE_MESSAGE, { cause: again.cause });
        throw await this.explainGalera(again);
      }
    }
  }

  private async transactionOnce<T>(work: (tx: DatasourceWriter) => Promise<T>): Promise<T> {
    const lease = await this.begin();
    const state = new TransactionState((details) => this.warnNonTransactional(details));
    const runner = lease.runner();
    // Once the transaction ends, its connection goes back to the pool: a writer kept by `work` past that point would
    // write on a connection another operation may hold, outside any transaction (autocommitted). It refuses instead,
    // as the PostgreSQL session's does.
    let open = true;
    const guard = <R>(fn: () => Promise<R>): Promise<R> => (open ? fn() : Promise.reject(datasourceError('unsupported', 'This transaction has already ended.')));
    const tx: DatasourceWriter = {
      insertRow: (table, values) => guard(() => this.tables.insertRow(runner, table, values, state)),
      updateRow: (table, key, changes, expected) => guard(() => this.tables.updateRow(runner, table, key, changes, expected, state)),
      deleteRow: (table, key, expected) => guard(() => this.tables.deleteRow(runner, table, key, expected, state)),
    };
    try {
      const result = await work(tx);
      open = false;
      await lease.text('COMMIT');
      return result;
    } catch (error) {
      open = false;
      try {
        await lease.text('ROLLBACK');
      } catch {
        // The connection is gone, and the server rolled back with it.
        lease.poisoned = true;
      }
      const mapped = error instanceof Error ? this.mapError(error) : new Error(String(error));
      if (serverErrno(mapped) === DEADLOCK_ERRNO && state.rollsBackEverything()) throw new RetryableAbort(mapped);
      throw state.explain(mapped);
    } finally {
      lease.release();
    }
  }

  /**
   * On a Galera node, a lock wait timeout can mean the node left its cluster (a causal read cannot start there):
   * the node is asked on a side connection, and if it is not ready the error says so (galera.ts).
   */
  private async explainGalera(error: unknown): Promise<unknown> {
    if (!this.server.galera || serverErrno(error) !== LOCK_WAIT_TIMEOUT_ERRNO) return error;
    let side: Awaited<ReturnType<Mysql['createConnection']>> | undefined;
    try {
      side = await this.mysql.createConnection(this.options.connection);
      (side as unknown as { connection: NodeJS.EventEmitter }).connection.on('error', noop);
      if (await nodeIsReady(side)) return error;
      return notInClusterError(this.options.where, 'wsrep_ready is OFF: it is not in the primary component', error);
    } catch {
      return error;
    } finally {
      side?.destroy();
    }
  }

  /** Stops what still runs on the server (a closed session leaves no query behind), then closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.running].map((threadId) => this.killQuery(threadId)));
    await this.pool.end().catch(noop);
  }

  /** Stops the statement running on another connection of this session (same user, so no privilege needed). */
  async killQuery(threadId: number): Promise<void> {
    if (!Number.isSafeInteger(threadId) || threadId <= 0) return;
    let killer: Awaited<ReturnType<Mysql['createConnection']>> | undefined;
    try {
      killer = await this.mysql.createConnection(this.options.connection);
      (killer as unknown as { connection: NodeJS.EventEmitter }).connection.on('error', noop);
      // KILL takes no placeholder; the id is a safe integer from the protocol handshake.
      await killer.query(`KILL QUERY ${threadId}`);
    } catch (error) {
      this.options.log('warn', `Could not stop query ${threadId} on ${this.options.where}: ${(this.mapError(error) as Error).message}`);
    } finally {
      killer?.destroy();
    }
  }

  /** A connection from the pool; waiting for one (all busy) ends as soon as `signal` aborts. */
  private async acquire(signal?: AbortSignal): Promise<Lease> {
    if (this.closed) throw datasourceError('connection', 'This MySQL session is closed.');
    let connection: PoolConnection;
    try {
      connection = await acquirePooled(() => this.pool.getConnection(), (late) => late.release(), signal);
    } catch (error) {
      throw this.mapError(error);
    }
    const lease = new Lease(this, connection);
    const core = (connection as unknown as { connection: object }).connection;
    if (!this.initialized.has(core)) {
      try {
        await this.initialize(connection);
      } catch (error) {
        connection.destroy();
        throw this.mapError(error);
      }
    }
    return lease;
  }

  private async initialize(connection: PoolConnection): Promise<void> {
    const core = (connection as unknown as { connection: NodeJS.EventEmitter }).connection;
    // An idle pooled connection that loses its server reports an error nobody waits for.
    core.on('error', noop);
    await connection.execute(this.sessionSettings.sql, toParams(this.mysql, this.sessionSettings.params) as never);
    this.initialized.add(core);
  }

  /** A connection with an open transaction; a dead pooled connection is replaced once, since nothing ran yet. */
  private async begin(): Promise<Lease> {
    let leased = false;
    return withRetries(
      async () => {
        leased = false;
        const lease = await this.acquire();
        leased = true;
        try {
          await lease.text('START TRANSACTION');
          return lease;
        } catch (error) {
          lease.release();
          throw error;
        }
      },
      {
        // Only a connection that failed its START TRANSACTION is replaced; failing to get one is final here.
        reasonToRetry: (error) => (leased && isConnectionFailure(error) ? 'connection' : undefined),
        retries: { connection: 1 },
        mayRetry: () => !this.closed,
      },
    );
  }

  /**
   * Runs a read-only operation. Retried once when the connection was dead (a restarted server) and once when the
   * table's cached schema turned out stale (a column or the table itself is gone).
   */
  private read<T>(signal: AbortSignal | undefined, table: TableRef | undefined, operation: (runner: Runner) => Promise<T>, readOnly = false): Promise<T> {
    return withRetries<T, 'connection' | 'schema'>(
      async () => {
        try {
          const lease = await this.acquire(signal);
          try {
            if (readOnly) await lease.text('START TRANSACTION READ ONLY');
            return await operation(lease.runner(signal));
          } finally {
            // Nothing was written; an open transaction must not go back to the pool (if ROLLBACK fails, it is dropped).
            if (readOnly && !lease.poisoned) await lease.text('ROLLBACK').catch(() => (lease.poisoned = true));
            lease.release();
          }
        } catch (error) {
          throw await this.explainGalera(this.mapError(error));
        }
      },
      {
        reasonToRetry: (error) => {
          // A node outside its Galera cluster answers, but refuses data until it rejoins: no point asking again.
          if (isConnectionFailure(error) && !isNotInCluster(error)) return 'connection';
          const errno = serverErrno(error);
          return table && (errno === 1054 || errno === 1146) ? 'schema' : undefined;
        },
        retries: { connection: 1, schema: 1 },
        // A stale schema is re-read even when cancelled: the next attempt then ends as cancelled anyway.
        mayRetry: (reason) => reason === 'schema' || (!this.closed && !signal?.aborted),
        onRetry: (reason, error) => {
          if (reason === 'connection') this.options.log('info', `Reconnecting to ${this.options.where} (${(error as Error).message}).`);
          else if (table) this.tables.forget(table);
        },
      },
      signal,
    );
  }

  private warnNonTransactional(details: TableDetails): void {
    const id = `${details.database}.${details.schema.table.name}`;
    if (this.warnedTables.has(id)) return;
    this.warnedTables.add(id);
    this.options.log(
      'warn',
      `\`${details.database}\`.\`${details.schema.table.name}\` uses the ${details.engine ?? 'a non-transactional'} engine, which cannot roll back: if one change of a save fails, the changes before it stay written.`,
    );
  }
}
