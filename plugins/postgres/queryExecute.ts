import type { ExecuteOptions, ExecuteResult, QueryText } from '../../api';
import { datasourceError } from '../kit/errors';
import { classifyStatement } from '../kit/sql/sqlText';
import type { Runner } from './tableOperations';

/** Rows an execute returns when the caller names no limit. */
export const DEFAULT_EXECUTE_ROWS = 10_000;
const MAX_EXECUTE_ROWS = 100_000;
/** Command tags whose row count is rows written (CREATE TABLE AS reports SELECT n, with no result rows). */
const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'SELECT']);

/**
 * Runs a user's statement once, as sent (one statement: the extended protocol refuses more, clientRunner.ts), in
 * the operation's own transaction. Rows come through Execute's row limit, so a huge SELECT stops on the server
 * after maxRows + 1 rows; a write's RETURNING rows past the limit are read and dropped, because the statement has
 * already run in full and its row count (for the audit) comes only at the end.
 */
export async function executeStatement(runner: Runner, statement: QueryText, options: ExecuteOptions): Promise<ExecuteResult> {
  const maxRows = options.maxRows ?? DEFAULT_EXECUTE_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 0 || maxRows > MAX_EXECUTE_ROWS) throw datasourceError('invalid_value', `maxRows must be an integer from 0 to ${MAX_EXECUTE_ROWS}.`);
  const text = statement.text;
  const drain = classifyStatement(text, 'postgres') === 'write';
  const leading = text.length - text.trimStart().length;
  const result = await runner.query(text, statement.params ?? [], { userText: { text, offset: leading }, maxRows, drain });
  const returnsRows = (result.fields?.length ?? 0) > 0;
  const counted = !result.truncated || drain;
  const affected = counted && result.command !== undefined && WRITES.has(result.command) && !(result.command === 'SELECT' && returnsRows);
  return {
    ...(affected ? { rowsAffected: result.rowCount } : {}),
    ...(returnsRows ? { columns: result.fields!.map((f) => f.name), rows: result.rows, truncated: result.truncated === true } : {}),
  };
}
