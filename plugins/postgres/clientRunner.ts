import type * as Pg from 'pg';
import type { CellValue } from '../../api';
import { datasourceError } from '../kit/errors';
import { fromPgError, type MapOptions } from './pgErrors';
import type { QueryResult, RunOptions, Runner } from './tableOperations';

export const cancelled = (cause?: unknown, message = 'Cancelled.') => datasourceError('cancelled', message, cause === undefined ? {} : { cause });

/** What of pg's Query a row-limited run replaces (pg/lib/query.js): the row handler and the PortalSuspended one. */
interface LimitedQuery {
  handleDataRow(msg: unknown): void;
  handlePortalSuspended(connection: unknown): void;
  handleCommandComplete(msg: unknown, connection: unknown): void;
  handleError(error: unknown, connection: unknown): void;
  _getRows(connection: unknown, rows: number): void;
}

/** Rows fetched per Execute while a write's RETURNING rows beyond `maxRows` are read past to reach its row count. */
const DRAIN_BATCH = 1_000;

/**
 * One client of the pool, for the length of one operation. Queries run with a signal are cancelled on the server
 * when it aborts: a CancelRequest with the connection's key (cancelRequest.ts), repeated until the query has stopped
 * (the first attempt can arrive before the query does). A connection that had a cancel sent to it is closed
 * afterwards rather than reused, so a late cancel can never stop someone else's query.
 */
export class ClientRunner implements Runner {
  cancelSent = false;
  aborted = false;
  /** Set when the connection must not go back to the pool (a failed ROLLBACK, say). */
  broken = false;

  constructor(
    readonly client: Pg.PoolClient,
    private readonly signal: AbortSignal | undefined,
    private readonly cancelBackend: (key: { processId: number; secretKey: number }, done: () => boolean) => Promise<boolean>,
    private readonly Query: typeof Pg.Query,
  ) {}

  async query(sql: string, params: CellValue[] = [], options: RunOptions = {}): Promise<QueryResult> {
    const signal = this.signal;
    if (signal?.aborted) {
      this.aborted = true;
      throw cancelled();
    }
    let truncated = false;
    const running = options.maxRows !== undefined ? this.limited(sql, params, options.maxRows, options.drain === true, () => (truncated = true)) : this.client.query(this.config(sql, params, options));
    let settled = false;
    const onAbort = () => {
      this.aborted = true;
      // pg keeps the BackendKeyData of the connection here.
      const { processID, secretKey } = this.client as unknown as { processID?: number; secretKey?: number };
      if (typeof processID !== 'number' || typeof secretKey !== 'number') return;
      this.cancelSent = true;
      void this.cancelBackend({ processId: processID, secretKey }, () => settled).then((stopped) => {
        // The server could not be asked: close the connection, which fails the query here.
        if (!stopped && !settled) void (this.client as unknown as Pg.Client).end().catch(() => undefined);
      });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await running;
      if (this.aborted) throw cancelled();
      return { rows: result.rows as CellValue[][], rowCount: result.rowCount ?? 0, fields: result.fields, ...(result.command ? { command: result.command } : {}), ...(truncated ? { truncated } : {}) };
    } catch (error) {
      if (this.aborted) throw cancelled(error, this.cancelSent ? 'Cancelled: the query was stopped on the server.' : 'Cancelled.');
      throw fromPgError(error, { ...options, sql } satisfies MapOptions);
    } finally {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Statements holding a user's text go through the extended query protocol even without values: its Parse message
   * takes exactly one statement, so `SELECT 1; DROP TABLE x` is refused by the server as a whole (pg would otherwise
   * send a value-less query in the simple protocol, which runs every statement in it).
   */
  private config(sql: string, params: CellValue[], options: RunOptions): Pg.QueryConfig & { queryMode?: 'extended'; rowMode: 'array' } {
    return { text: sql, values: params as unknown[], rowMode: 'array', ...(options.userText ? { queryMode: 'extended' as const } : {}) };
  }

  /**
   * Runs a statement with Execute's row limit: the server stops after maxRows + 1 rows (PortalSuspended) and the rest
   * are never produced nor sent; the portal closes with the operation's transaction. With `drain` (a write's
   * RETURNING rows: the write has run in full anyway), the rest are read past, unkept, so the row count is known.
   */
  private limited(sql: string, params: CellValue[], maxRows: number, drain: boolean, onTruncated: () => void): Promise<Pg.QueryArrayResult> {
    return new Promise((resolve, reject) => {
      const query = new this.Query({ ...this.config(sql, params, { userText: { text: sql, offset: 0 } }), rows: maxRows + 1 } as Pg.QueryConfig, undefined, ((error: Error | null, result: Pg.QueryArrayResult) => {
        if (error) reject(error);
        // A portal run by several Executes tags only the last one's rows; a write's RETURNING rows are its rows.
        else resolve(suspended && drain ? { ...result, rowCount: seen } : result);
      }) as never) as unknown as LimitedQuery;
      let seen = 0;
      let suspended = false;
      const keepRow = query.handleDataRow.bind(query);
      query.handleDataRow = (msg) => {
        seen++;
        if (seen <= maxRows) keepRow(msg);
        else onTruncated();
      };
      // With a row limit pg sends Flush, not Sync, after Execute, and syncs itself only at CommandComplete; the
      // server skips everything after an error until a Sync, so the error has to send it (as pg-cursor does).
      let synced = false;
      const sync = (connection: unknown) => {
        synced = true;
        (connection as { sync(): void }).sync();
      };
      query.handlePortalSuspended = (connection) => {
        suspended = true;
        onTruncated();
        if (drain) query._getRows(connection, DRAIN_BATCH);
        else sync(connection);
      };
      const complete = query.handleCommandComplete.bind(query);
      query.handleCommandComplete = (msg, connection) => {
        synced = true;
        complete(msg, connection);
      };
      const failed = query.handleError.bind(query);
      query.handleError = (error, connection) => {
        if (!synced) sync(connection);
        failed(error, connection);
      };
      this.client.query(query as never);
    });
  }
}
