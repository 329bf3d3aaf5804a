// Pure (no `vscode`): kept beside the host code because src/core may not import plugins/kit, whose SQL scanner this uses.
// What a SQL editor needs from its text, without VS Code: which statement Run Query sends, where a database's error
// position lands in the document, and which statements get a CodeLens. Offsets are UTF-16 offsets into the document
// text, as VS Code's `offsetAt` counts them.
import { splitStatements, statementAt, type SqlFlavour, type StatementSpan } from '../../../plugins/kit/sql/sqlText';

/** A statement to run and where its first character sits in the document. */
export interface StatementToRun {
  text: string;
  offset: number;
}

/**
 * The selection when one is made (without surrounding blanks and a trailing `;`), else the statement under the
 * cursor; undefined when the selection or the document holds no statement.
 */
export function statementToRun(document: string, flavour: SqlFlavour, selection: { start: number; end: number }, cursor: number): StatementToRun | undefined {
  if (selection.end > selection.start) {
    const selected = document.slice(selection.start, selection.end);
    const lead = selected.length - selected.replace(/^\s+/, '').length;
    const text = selected.slice(lead).replace(/[\s;]+$/, '');
    return text === '' ? undefined : { text, offset: selection.start + lead };
  }
  const span = statementAt(document, flavour, cursor);
  return span ? { text: span.text, offset: span.start } : undefined;
}

/**
 * The document offset of a database error position (1-based line and column within the statement's text as run),
 * for a statement that starts at `statementOffset`. Lines end at `\n` (a `\r` before it stays in the line it ends);
 * a position past the statement is clamped to its end.
 */
export function errorOffset(statement: StatementToRun, position: { line: number; column: number }): number {
  const lines = statement.text.split('\n');
  const line = Math.min(Math.max(1, position.line), lines.length);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  const own = lines[line - 1].replace(/\r$/, '');
  offset += Math.min(Math.max(0, position.column - 1), own.length);
  return statement.offset + offset;
}

/** Tab titles and progress messages: the statement's first words on one line. */
export function statementTitle(text: string, maxLength = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxLength) return flat;
  const cut = flat.slice(0, maxLength);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** At most this many "Run" lenses per document: a generated dump of 100k inserts gets lenses on its first ones only. */
export const MAX_STATEMENT_LENSES = 500;

/** The statements that get a "Run" lens, and whether some were left without one. */
export function lensStatements(document: string, flavour: SqlFlavour, cap = MAX_STATEMENT_LENSES): { spans: StatementSpan[]; capped: boolean } {
  const spans = splitStatements(document, flavour);
  return spans.length > cap ? { spans: spans.slice(0, cap), capped: true } : { spans, capped: false };
}
