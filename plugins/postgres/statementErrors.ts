// Errors of a user's own statement (a query reference or execute): every error the server reports about it is the
// user's to read (not a plugin failure), with PostgreSQL's message and where it points, mapped back into the text
// as the user wrote it.
import type { DatasourceError } from '../../api';
import { datasourceError } from '../kit/errors';
import { positionOf } from '../kit/sql/sqlText';

export const ONE_STATEMENT = 'Run one statement at a time';

/** Where a user's text sits in the SQL sent: `offset` is the UTF-16 index of `text.trimStart()` in it. */
export interface UserText {
  text: string;
  offset: number;
}

interface ServerError extends Error {
  code: string;
  detail?: string;
  hint?: string;
  position?: string;
}

/** PostgreSQL's `position` (1-based, in characters of the SQL sent) as line and column within the user's text. */
export function positionInText(sql: string, position: number, user: UserText): { line: number; column: number } | undefined {
  if (!Number.isSafeInteger(position) || position < 1) return undefined;
  // Characters, not UTF-16 units: an emoji before the error counts once for the server.
  const index = Array.from(sql).slice(0, position - 1).join('').length;
  const leading = user.text.length - user.text.trimStart().length;
  const inText = index - user.offset;
  if (inText < 0 || inText > user.text.trimStart().length) return undefined;
  return positionOf(user.text, inText + leading);
}

/** The error of a user's statement as a DatasourceError; `mapped` is what the general mapping made of it. */
export function statementError(error: ServerError, mapped: unknown, sql: string, user: UserText): DatasourceError {
  const text = (parts: (string | undefined)[]) => parts.filter((p): p is string => !!p).map((p) => p.trim().replace(/\.$/, '')).join('. ') + '.';
  let result: DatasourceError;
  if (error.code === '42601' && /multiple commands/.test(error.message)) {
    // The extended protocol's Parse refuses a text with several statements as a whole: none of them ran.
    result = datasourceError('invalid_value', `${ONE_STATEMENT}: PostgreSQL refused the text as a whole ("${error.message}"); nothing ran.`, { cause: error });
  } else if (error.code === '42P01' || error.code === '42703') {
    result = datasourceError('not_found', text([error.message, error.hint]), { cause: error });
  } else if (mapped instanceof Error && 'code' in mapped && mapped.name === 'DatasourceError') {
    result = mapped as DatasourceError;
  } else {
    result = datasourceError('invalid_value', text([error.message, error.detail, error.hint]), { cause: error });
  }
  const at = error.position === undefined ? undefined : positionInText(sql, Number(error.position), user);
  if (at) result.position = at;
  return result;
}
