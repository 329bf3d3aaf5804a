// One pooled connection lent to one operation of a MySQL session (mysqlSession.ts): statements as prepared
// statements with typed parameters, stopped on the server (KILL QUERY) when cancelled or over the query timeout.
import type { CellValue } from '../../api';
import type { FieldPacket, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { datasourceError, isDatasourceError } from '../kit/errors';
import type { ResultField, Runner } from './runner';
import { readRows, type FieldMeta } from './typeKinds';

export type Mysql = typeof import('mysql2/promise');

/** What a lease needs from its session. */
export interface LeaseOwner {
  readonly mysql: Mysql;
  readonly queryTimeoutMs: number;
  /** Server thread ids of the connections running a statement right now. */
  readonly running: Set<number>;
  mapError(error: unknown): Error;
  killQuery(threadId: number): Promise<void>;
}

const noop = () => undefined;

/** How long a stopped statement may take to report back before its connection is dropped anyway. */
const KILL_GRACE_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Binds JavaScript values with explicit protocol types where inference would lose something: integers as BIGINT
 * (exact, and what LIMIT needs), bigints beyond BIGINT as DECIMAL, bytes as BLOB.
 */
export function toParams(mysql: Mysql, values: readonly CellValue[]): unknown[] {
  const typed = mysql.TypedParameter;
  return values.map((value) => {
    if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0) ? typed.LONGLONG(value) : value;
    if (typeof value === 'bigint') {
      if (value >= -(2n ** 63n) && value < 2n ** 63n) return typed.LONGLONG(value);
      if (value >= 0n && value < 2n ** 64n) return typed.LONGLONG.unsigned(value);
      return typed.DECIMAL(value.toString());
    }
    if (typeof value === 'boolean') return typed.TINY(value ? 1 : 0);
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return value;
  });
}

/** Spatial values come as their stored bytes; mysql2 would otherwise parse them into objects. */
const typeCast = (field: { type: string; buffer(): Buffer | null }, next: () => unknown) => (field.type === 'GEOMETRY' ? field.buffer() : next());

/** One pooled connection lent to one operation. A connection whose statement was stopped is dropped, not reused. */
export class Lease {
  poisoned = false;

  constructor(
    private readonly session: LeaseOwner,
    readonly connection: PoolConnection,
  ) {}

  runner(signal?: AbortSignal): Runner {
    return {
      query: async (sql, params = [], options = {}) => {
        const [rows, fields] = (await this.execute(sql, params, signal, options.spatial !== false)) as [unknown[][], FieldPacket[]];
        return readRows(rows, fields as unknown as FieldMeta[]);
      },
      write: async (sql, params = []) => {
        const [header] = (await this.execute(sql, params, signal)) as [ResultSetHeader, unknown];
        return { affectedRows: header.affectedRows, insertId: BigInt(header.insertId ?? 0) };
      },
      describe: async (sql) => {
        try {
          const prepared = await this.connection.prepare(sql);
          const fields = (prepared as unknown as { statement: { columns?: ResultField[] } }).statement.columns ?? [];
          await prepared.close();
          return fields;
        } catch (error) {
          throw this.fail(error);
        }
      },
    };
  }

  /** A statement that cannot be prepared or needs no parameters (transaction control). */
  async text(sql: string): Promise<void> {
    try {
      await this.connection.query(sql);
    } catch (error) {
      throw this.fail(error);
    }
  }

  release(): void {
    if (this.poisoned) this.connection.destroy();
    else this.connection.release();
  }

  private fail(error: unknown): Error {
    const mapped = this.session.mapError(error);
    if (isDatasourceError(mapped) && mapped.code === 'connection') this.poisoned = true;
    return mapped;
  }

  private execute(sql: string, params: readonly CellValue[], signal?: AbortSignal, spatial = true): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(datasourceError('cancelled', 'Cancelled.'));
    const threadId = this.connection.threadId;
    this.session.running.add(threadId);
    // A typeCast function makes mysql2 build a field wrapper for every value, so it is only passed where needed.
    const pending = this.connection.execute({ sql, rowsAsArray: true, ...(spatial ? { typeCast } : {}) } as never, toParams(this.session.mysql, params) as never);
    pending.then(
      () => this.session.running.delete(threadId),
      () => this.session.running.delete(threadId),
    );
    const timeoutMs = this.session.queryTimeoutMs;
    if (!signal && timeoutMs === 0) return pending.catch((error) => Promise.reject(this.fail(error)));
    return new Promise((resolve, reject) => {
      let settled = false;
      const onAbort = () => interrupt('cancelled');
      const timer = timeoutMs > 0 ? setTimeout(() => interrupt('timeout'), timeoutMs) : undefined;
      const finish = () => {
        settled = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      pending.then(
        (result) => {
          if (settled) return;
          finish();
          resolve(result);
        },
        (error) => {
          if (settled) return;
          finish();
          reject(this.fail(error));
        },
      );
      // The statement is stopped on the server (KILL QUERY from a side connection), not just abandoned: the
      // promise settles once the server has let go of it, or after a grace period with the connection dropped.
      const interrupt = (why: 'cancelled' | 'timeout') => {
        if (settled) return;
        finish();
        this.poisoned = true;
        void (async () => {
          await this.session.killQuery(threadId);
          await Promise.race([pending.then(noop, noop), sleep(KILL_GRACE_MS)]);
          reject(
            why === 'cancelled'
              ? datasourceError('cancelled', 'Cancelled; the server stopped the query.')
              : datasourceError('timeout', `The query ran longer than the query timeout (${timeoutMs / 1000} s) and was stopped on the server.`),
          );
        })();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
