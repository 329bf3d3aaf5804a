// Where in a query's text the server says an error is. MySQL and MariaDB give no offset: a syntax error says
// "near '…' at line N" (N counts lines of the SQL sent, wrapper included) and an unknown column names the column.
// Both are mapped back to a 1-based line and column within the QueryText as the user gave it.
import type { DatasourceError } from '../../api';
import { datasourceError, isDatasourceError } from '../kit/errors';
import { positionOf, trimStatement } from '../kit/sql/sqlText';
import { serverErrno } from './mysqlErrors';

const SYNTAX_ERRNO = 1064;
const UNKNOWN_COLUMN_ERRNO = 1054;

/** A position in the trimmed statement (what was sent) → the same place in the text as given. */
function inOriginal(text: string, line: number, column: number): { line: number; column: number } {
  const lead = /^\s*/.exec(text)![0].length;
  const start = positionOf(text, lead);
  return line === 1 ? { line: start.line, column: start.column + column - 1 } : { line: start.line + line - 1, column };
}

function syntaxPosition(statement: string, message: string, firstLine: number): { line: number; column: number } | undefined {
  const match = /near '([\s\S]*)' at line (\d+)\s*$/.exec(message);
  if (!match) return undefined;
  const lines = statement.split('\n');
  const line = Number(match[2]) - firstLine + 1;
  if (line < 1 || line > lines.length) {
    // Past the statement: it ended too early (the server reached the wrapper's closing parenthesis).
    return line > lines.length ? { line: lines.length, column: lines[lines.length - 1].length + 1 } : undefined;
  }
  const near = match[1];
  if (near === '') return { line, column: lines[line - 1].length + 1 };
  // The near text is the rest of the SQL sent from the error on (cut at 80 characters by the server, and running
  // into the wrapper after the statement): the place on the line where the statement's rest and it agree.
  const lineStart = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  for (let column = 0; column <= lines[line - 1].length; column++) {
    const rest = statement.slice(lineStart + column);
    if (rest !== '' && (near.startsWith(rest) || rest.startsWith(near))) return { line, column: column + 1 };
  }
  return { line, column: 1 };
}

/** The one place the unknown column is written, if it is written exactly once. */
function columnPosition(statement: string, message: string): { line: number; column: number } | undefined {
  const match = /^Unknown column '([^']+)'/.exec(message);
  if (!match) return undefined;
  const name = match[1].split('.').pop()!;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = [...statement.matchAll(new RegExp(`(?<![\\w$])\`?${escaped}\`?(?![\\w$])`, 'gi'))];
  if (found.length !== 1) return undefined;
  return positionOf(statement, found[0].index!);
}

/**
 * `error` with `position` when the server's message locates it in `text`. `firstLine`: the line of the sent SQL on
 * which the statement starts (1 when sent alone, 2 inside the kit's `WITH … AS (` wrapper). A syntax error the
 * session does not otherwise classify becomes 'invalid_value', so it reaches the user as the statement's fault.
 */
export function withPosition(error: unknown, text: string, firstLine: number): unknown {
  const errno = serverErrno(error);
  if (errno === undefined || !(error instanceof Error)) return error;
  const statement = trimStatement(text);
  const message = (error as { sqlMessage?: string }).sqlMessage ?? error.message;
  const found = errno === SYNTAX_ERRNO ? syntaxPosition(statement, message, firstLine) : errno === UNKNOWN_COLUMN_ERRNO ? columnPosition(statement, message) : undefined;
  const mapped: DatasourceError = isDatasourceError(error) ? error : datasourceError('invalid_value', message, { cause: error });
  if (found) mapped.position = inOriginal(text, found.line, found.column);
  return mapped;
}
