// DatasourceSession.execute for MySQL/MariaDB: one statement, run once. Rows (SHOW, EXPLAIN, DESCRIBE, a SELECT)
// are streamed and kept up to maxRows; past that the statement is stopped on the server (KILL QUERY) and its
// connection dropped, so a huge result is never buffered. readOnly sets the session's transaction access mode, which
// the server applies to every statement, DDL included (START TRANSACTION READ ONLY would not hold DDL: it commits
// implicitly).
import type { CellValue, ExecuteOptions, ExecuteResult, QueryText } from '../../api';
import type { FieldPacket, ResultSetHeader } from 'mysql2/promise';
import { datasourceError } from '../kit/errors';
import { serverErrno } from './mysqlErrors';
import { toParams, type Lease, type LeaseOwner } from './mysqlLease';
import { withPosition } from './queryPositions';
import { oneStatement } from './queryReads';
import { readRows, type FieldMeta } from './typeKinds';
import { classifyStatement, topLevelWords } from '../kit/sql/sqlText';

/**
 * Whether the connection may go back to the pool afterwards. A statement that can change the session (BEGIN left
 * open, USE, SET, LOCK TABLES, a temporary table, a procedure doing any of these) would otherwise leak into whatever
 * operation gets the connection next, so its connection is dropped and the pool opens a fresh one.
 */
function leavesSessionAsItWas(text: string): boolean {
  const kind = classifyStatement(text, 'mysql');
  if (kind === 'query' || kind === 'rows') return true;
  return kind === 'write' && topLevelWords(text, 'mysql')[0]?.word !== 'CALL';
}

/** ER_UNSUPPORTED_PS: the statement has no prepared form (MySQL refuses a few, e.g. some SHOW variants). */
const UNSUPPORTED_PS_ERRNO = 1295;
const DEFAULT_MAX_ROWS = 10_000;

/** mysql2's low-level command: events per column list, row or OK packet. */
interface Command {
  on(event: 'fields', listener: (fields: FieldPacket[] | undefined) => void): this;
  on(event: 'result', listener: (row: unknown, resultIndex: number) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
}
interface CoreConnection {
  execute(options: object, values: unknown[]): Command;
  query(options: object): Command;
  pause(): void;
}

export async function executeStatement(owner: LeaseOwner, acquire: (signal?: AbortSignal) => Promise<Lease>, statement: QueryText, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const text = oneStatement(statement);
  const lease = await acquire(options.signal);
  if (!leavesSessionAsItWas(text)) lease.poisoned = true;
  try {
    if (options.readOnly) await lease.text('SET SESSION TRANSACTION READ ONLY');
    try {
      return await run(owner, lease, text, statement.params ?? [], options, false);
    } catch (error) {
      if (serverErrno(error) !== UNSUPPORTED_PS_ERRNO || (statement.params ?? []).length > 0) throw error;
      // Without values to bind, the text protocol runs it; multipleStatements stays off, so still one statement.
      return await run(owner, lease, text, [], options, true);
    } finally {
      if (options.readOnly && !lease.poisoned) {
        // A pooled connection must not stay read-only for the next operation: if restoring fails, it is dropped.
        await lease.text('SET SESSION TRANSACTION READ WRITE').catch(() => (lease.poisoned = true));
      }
    }
  } catch (error) {
    throw withPosition(owner.mapError(error), statement.text, 1);
  } finally {
    lease.release();
  }
}

function run(owner: LeaseOwner, lease: Lease, sql: string, params: readonly CellValue[], options: ExecuteOptions, asText: boolean): Promise<ExecuteResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(datasourceError('cancelled', 'Cancelled.'));
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const core = (lease.connection as unknown as { connection: CoreConnection }).connection;
  const threadId = lease.connection.threadId;
  return new Promise<ExecuteResult>((resolve, reject) => {
    let fields: FieldPacket[] | undefined;
    let header: ResultSetHeader | undefined;
    const rows: unknown[][] = [];
    let truncated = false;
    let done = false;
    let stopping = false;
    const result = (): ExecuteResult => {
      if (!fields) return header ? { rowsAffected: header.affectedRows } : {};
      return { columns: fields.map((f) => f.name), rows: readRows(rows, fields as unknown as FieldMeta[]), truncated };
    };
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      owner.running.delete(threadId);
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    // Stops the statement on the server and drops the connection, whose unread rows would otherwise still come.
    const stop = (settle: () => void) => {
      if (done || stopping) return;
      stopping = true;
      lease.poisoned = true;
      core.pause();
      void owner.killQuery(threadId).then(() => finish(settle));
    };
    const command = asText ? core.query({ sql, rowsAsArray: true }) : core.execute({ sql, rowsAsArray: true }, toParams(owner.mysql, params));
    owner.running.add(threadId);
    command.on('fields', (packet) => {
      if (fields === undefined && packet) fields = packet;
    });
    command.on('result', (row, resultIndex) => {
      if (resultIndex > 0 || done) return;
      if (!fields) header = row as ResultSetHeader;
      else if (rows.length < maxRows) rows.push(row as unknown[]);
      else if (!truncated) {
        truncated = true;
        stop(() => resolve(result()));
      }
    });
    // Once stopping, the server's "interrupted" error or the end is not the answer: the stop settles.
    command.on('error', (error) => !stopping && finish(() => reject(error)));
    command.on('end', () => !stopping && finish(() => resolve(result())));
    const onAbort = () => stop(() => reject(datasourceError('cancelled', 'Cancelled; the server stopped the statement.')));
    const timeoutMs = owner.queryTimeoutMs;
    const timer = timeoutMs > 0 ? setTimeout(() => stop(() => reject(datasourceError('timeout', `The statement ran longer than the query timeout (${timeoutMs / 1000} s) and was stopped on the server.`))), timeoutMs) : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
