import type { DatasourceError } from '../../api';
import { datasourceError } from '../kit/errors';
import { positionOf } from '../kit/sql/sqlText';
import { fromSqliteError } from './sqliteErrors';

// SQLite's messages name the token or identifier at fault but no offset (sqlite3_error_offset is exposed by neither
// engine). The position is given only when that name occurs exactly once in the statement: pointing at the wrong
// place would be worse than pointing nowhere.

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An identifier as it may be written: bare or in any of SQLite's quotes, case-insensitively. */
function identifierPattern(name: string): string {
  const part = (p: string) => `(?:${escape(p)}|"${escape(p.replace(/"/g, '""'))}"|\`${escape(p)}\`|\\[${escape(p)}\\])`;
  return name
    .split('.')
    .map(part)
    .join('\\s*\\.\\s*');
}

function onlyMatch(text: string, pattern: RegExp): number | undefined {
  const matches = [...text.matchAll(pattern)];
  return matches.length === 1 ? matches[0]!.index : undefined;
}

/** Where in `text` SQLite's `message` points, when that is unambiguous. */
export function errorOffset(text: string, message: string): number | undefined {
  const near = /near "((?:[^"]|"")*)": syntax error/.exec(message);
  if (near) {
    const token = near[1]!.replace(/""/g, '"');
    const bounded = /^\w/.test(token) ? `(?<![\\w$])${escape(token)}(?![\\w$])` : escape(token);
    return onlyMatch(text, new RegExp(bounded, 'gi'));
  }
  const missing = /no such (?:column|table|function): (\S+)/.exec(message);
  if (missing) {
    const name = missing[1]!.replace(/^main\./, '');
    // A qualified column (t.x) is written with its qualifier; an unqualified one may also appear after a qualifier.
    return onlyMatch(text, new RegExp(`(?<![\\w$."\`\\]])${identifierPattern(name)}(?![\\w$])`, 'gi'));
  }
  return undefined;
}

/** SQLite's error for a statement the user wrote, with the contract's code and, where unambiguous, its position. */
export function statementError(error: unknown, text: string): unknown {
  if (!(error instanceof Error)) return error;
  // Checked before fromSqliteError, whose "no such column" blames a view: here the user's own text is at fault.
  const textError = error.name !== 'DatasourceError' && /syntax error|no such (table|column|function)|incomplete input|unrecognized token/i.test(error.message);
  const mapped = textError ? error : fromSqliteError(error);
  if (!(mapped instanceof Error)) return mapped;
  const offset = errorOffset(text, mapped.message);
  // Any other failure of the statement itself (misuse of an aggregate, a wrong argument count) is about its text too.
  const result: DatasourceError = mapped.name === 'DatasourceError' ? (mapped as DatasourceError) : datasourceError('invalid_value', mapped.message, { cause: error });
  if (offset !== undefined) result.position = positionOf(text, offset);
  return result;
}
