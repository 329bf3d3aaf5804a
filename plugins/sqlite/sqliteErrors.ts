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
  return error;
}
