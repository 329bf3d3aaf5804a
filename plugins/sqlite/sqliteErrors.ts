import type { DatasourceError } from '../../api';
import { datasourceError } from '../kit/errors';

/** Turns SQLite's errors into the contract's codes, keeping SQLite's own message for the user. */
export function fromSqliteError(error: unknown): DatasourceError | unknown {
  if (!(error instanceof Error) || error.name === 'DatasourceError') return error;
  const message = error.message;
  if (/constraint failed|UNIQUE|NOT NULL|FOREIGN KEY|CHECK/i.test(message) && /constraint/i.test(message)) return datasourceError('constraint', message, { cause: error });
  if (/cannot store .* value in .* column|datatype mismatch/i.test(message)) return datasourceError('invalid_value', message, { cause: error });
  if (/database is locked|SQLITE_BUSY/i.test(message)) return datasourceError('timeout', `${message} (another program is writing to this database; try again)`, { cause: error });
  if (/readonly database|attempt to write a readonly/i.test(message)) return datasourceError('read_only', message, { cause: error });
  if (/file is not a database|file is encrypted|malformed/i.test(message)) return datasourceError('bad_response', `This file is not a readable SQLite database: ${message}`, { cause: error });
  if (/unable to open database/i.test(message)) return datasourceError('not_found', message, { cause: error });
  // A SUM (or arithmetic) past 64 bits: the value is what is wrong, not the plugin, so it is that operation's error.
  if (/integer overflow/i.test(message)) return datasourceError('invalid_value', `${message}: the result does not fit in SQLite's 64-bit integers.`, { cause: error });
  // Raised when a statement is prepared, mostly through a view whose table or column was dropped or renamed since:
  // the file is fine and its other tables still work, so only this operation fails.
  if (/no such (table|column)/i.test(message)) return datasourceError('not_found', `${message} (a view may still refer to a table or column that was dropped or renamed).`, { cause: error });
  return error;
}
