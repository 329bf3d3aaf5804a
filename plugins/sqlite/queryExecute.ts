import type { ExecuteOptions, ExecuteResult, QueryText } from '../../api';
import { datasourceError } from '../kit/errors';
import { classifyStatement } from '../kit/sql/sqlText';
import type { Engine } from './engine';
import { statementError } from './queryErrors';
import { prepareOne, queryOnly } from './queryReads';

/** Rows an executed statement returns when the caller names no limit. */
const DEFAULT_MAX_ROWS = 1_000;

/**
 * Runs one statement once. A write runs in its own transaction (sql.js saves the file when it commits); `readOnly`
 * (or a datasource that may not write) runs it under query_only instead, so SQLite refuses any write itself.
 * Stopping is the worker's: an aborted statement has its worker terminated (supervisedWorker.ts), which undoes it.
 */
export function executeStatement(engine: Engine, statement: QueryText, options: Omit<ExecuteOptions, 'signal'>, inTransaction: boolean): ExecuteResult {
  const text = statement.text;
  const params = statement.params ?? [];
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 0) throw datasourceError('invalid_value', 'maxRows must be a whole number of rows.');
  prepareOne(engine, text);
  // Reads stop at maxRows; anything else runs to its end, even past the rows returned (a DELETE … RETURNING
  // must delete every row it matches).
  const reads = ['query', 'rows'].includes(classifyStatement(text, 'sqlite'));
  const run = () => {
    const before = totalChanges(engine);
    const result = engine.step(text, params, maxRows, !reads);
    const changed = totalChanges(engine) !== before;
    // changes() counts the last statement's rows only (not those its triggers changed); it is stale after a read.
    const rowsAffected = changed ? Number(engine.all('SELECT changes()').rows[0]?.[0] ?? 0) : 0;
    return {
      rowsAffected,
      ...(result.columns.length > 0 ? { columns: result.columns, rows: result.rows } : {}),
      ...(result.more ? { truncated: true } : {}),
    };
  };
  try {
    if (options.readOnly || !mayWrite(engine)) return queryOnly(engine, run);
    if (inTransaction) return run();
    engine.begin();
    try {
      const result = run();
      engine.commit();
      return result;
    } catch (error) {
      try {
        engine.rollback();
      } catch {
        // SQLite already ended the transaction.
      }
      throw error;
    }
  } catch (error) {
    throw statementError(error, text);
  }
}

function totalChanges(engine: Engine): number {
  return Number(engine.all('SELECT total_changes()').rows[0]?.[0] ?? 0);
}

/** A datasource added read-only (or a sql.js file it must not write) still runs reads; SQLite refuses the rest. */
function mayWrite(engine: Engine): boolean {
  try {
    engine.checkWritable();
    return true;
  } catch {
    return false;
  }
}
