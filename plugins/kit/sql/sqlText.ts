// Reads SQL text the way the engines do at the top level: strings, quoted identifiers, comments and dollar quotes
// are skipped whole, parentheses counted. Nocoflo never decides what a statement may do from this (the database
// enforces read-only); it only finds where statements start and end, which ones can be paged as a result, and
// whether a statement orders its own rows.

export type SqlFlavour = 'sqlite' | 'postgres' | 'mysql';

export interface SqlWord {
  /** Upper-cased keyword or bare identifier. */
  word: string;
  start: number;
  /** Parenthesis depth it is at (0 = top level). */
  depth: number;
}

export interface StatementSpan {
  /** Offsets into the scanned text: `text.slice(start, end)` is the statement without its `;`. */
  start: number;
  end: number;
  text: string;
}

/** What a statement is, by its first words: which flow runs it, never what it is allowed to do. */
export type StatementClass =
  /** Rows that can be paged: SELECT, VALUES, TABLE, WITH … SELECT. */
  | 'query'
  /** Rows that can only be read once: SHOW, PRAGMA, EXPLAIN, DESCRIBE. */
  | 'rows'
  /** Data changes: INSERT, UPDATE, DELETE, MERGE, REPLACE, UPSERT, COPY, CALL, WITH … DELETE. */
  | 'write'
  /** Schema and privilege changes: CREATE, ALTER, DROP, TRUNCATE, RENAME, COMMENT, GRANT, REVOKE. */
  | 'schema'
  /** Anything else (BEGIN, SET, VACUUM, ANALYZE, …), treated like a write. */
  | 'other';

interface Scan {
  words: SqlWord[];
  /** Offsets of top-level `;`. */
  semicolons: number[];
}

const WORD_START = /[A-Za-z_]/;
const WORD_CHAR = /[A-Za-z0-9_$]/;

/** Skips from `i` (at an opening quote `q`) past its closing quote; a doubled quote stays inside. */
function skipQuoted(text: string, i: number, q: string, backslashes: boolean): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (backslashes && c === '\\') j += 2;
    else if (c === q) {
      if (text[j + 1] === q) j += 2;
      else return j + 1;
    } else j++;
  }
  return text.length;
}

/** Skips a block comment from `i` (at its opening); PostgreSQL nests them, the others end at the first close. */
function skipBlockComment(text: string, i: number, nests: boolean): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    if (text[j] === '/' && text[j + 1] === '*') {
      depth++;
      j += 2;
      if (!nests && depth > 1) depth = 1;
    } else if (text[j] === '*' && text[j + 1] === '/') {
      j += 2;
      if (--depth === 0) return j;
    } else j++;
  }
  return text.length;
}

function scan(text: string, flavour: SqlFlavour): Scan {
  const words: SqlWord[] = [];
  const semicolons: number[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-' && (flavour !== 'mysql' || /[\s]/.test(text[i + 2] ?? ' '))) {
      // MySQL reads `--` as a comment only when whitespace follows (`1--1` is 1 minus -1).
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '#' && flavour === 'mysql') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(text, i, flavour === 'postgres');
    } else if (c === "'") {
      // MySQL reads backslash escapes in strings by default; PostgreSQL only in E'…' strings.
      const escaped = flavour === 'mysql' || (flavour === 'postgres' && /[eE]/.test(text[i - 1] ?? '') && !WORD_CHAR.test(text[i - 2] ?? ''));
      i = skipQuoted(text, i, "'", escaped);
    } else if (c === '"' || c === '`') {
      i = skipQuoted(text, i, c, flavour === 'mysql' && c === '"');
    } else if (c === '[' && flavour === 'sqlite') {
      const close = text.indexOf(']', i + 1);
      i = close < 0 ? text.length : close + 1;
    } else if (c === '$' && flavour === 'postgres' && !WORD_CHAR.test(text[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? text.length : close + tag[0].length;
      } else i++;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === ';' && depth === 0) {
      semicolons.push(i);
      i++;
    } else if (WORD_START.test(c) && !WORD_CHAR.test(text[i - 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && WORD_CHAR.test(text[j])) j++;
      words.push({ word: text.slice(i, j).toUpperCase(), start: i, depth });
      i = j;
    } else i++;
  }
  return { words, semicolons };
}

/** The top-level words of a statement, in order. */
export function topLevelWords(text: string, flavour: SqlFlavour): SqlWord[] {
  return scan(text, flavour).words.filter((w) => w.depth === 0);
}

/**
 * The statements of a script, split at top-level semicolons. A trigger or routine body (CREATE TRIGGER … BEGIN …
 * END, BEGIN ATOMIC) keeps its inner semicolons. Spans without any words (blank, only comments) are left out.
 */
export function splitStatements(text: string, flavour: SqlFlavour): StatementSpan[] {
  const { words, semicolons } = scan(text, flavour);
  const spans: StatementSpan[] = [];
  let w = 0;
  const push = (end: number) => {
    const own: SqlWord[] = [];
    while (w < words.length && words[w].start < end) own.push(words[w++]);
    if (own.length > 0) {
      const from = own[0].start;
      const body = text.slice(from, end).replace(/\s+$/, '');
      spans.push({ start: from, end: from + body.length, text: body });
    }
  };
  let bodyDepth = 0;
  let statementWords: string[] = [];
  let wi = 0;
  for (const semi of semicolons) {
    // Track BEGIN … END blocks of the statement so far (only inside CREATE TRIGGER / routine bodies).
    while (wi < words.length && words[wi].start < semi) {
      const word = words[wi];
      if (word.depth === 0) {
        statementWords.push(word.word);
        const creating = statementWords[0] === 'CREATE';
        if (creating && word.word === 'BEGIN' && (statementWords.includes('TRIGGER') || statementWords.includes('ATOMIC') || statementWords.includes('FUNCTION') || statementWords.includes('PROCEDURE'))) bodyDepth++;
        else if (creating && bodyDepth > 0 && (word.word === 'CASE')) bodyDepth++;
        // MySQL's END IF / END LOOP / END WHILE / END REPEAT close blocks that were not counted; END CASE closes the
        // CASE that was, and its CASE opens nothing.
        else if (creating && bodyDepth > 0 && word.word === 'END') {
          const following = words[wi + 1];
          const closes = following && following.depth === 0 && following.start < semi ? following.word : '';
          if (!['IF', 'LOOP', 'WHILE', 'REPEAT'].includes(closes)) bodyDepth--;
          if (['IF', 'LOOP', 'WHILE', 'REPEAT', 'CASE'].includes(closes)) wi++;
        }
      }
      wi++;
    }
    if (bodyDepth > 0) continue;
    push(semi);
    statementWords = [];
  }
  push(text.length);
  return spans;
}

/** The statement at `offset` (a cursor position), or the nearest one before it when the cursor sits between two. */
export function statementAt(text: string, flavour: SqlFlavour, offset: number): StatementSpan | undefined {
  const spans = splitStatements(text, flavour);
  let best: StatementSpan | undefined;
  for (const span of spans) {
    if (span.start <= offset) best = span;
    if (offset <= span.end) return span.start <= offset ? span : best ?? span;
  }
  return best;
}

const CLASSES: Record<string, StatementClass> = {
  SELECT: 'query',
  VALUES: 'query',
  TABLE: 'query',
  SHOW: 'rows',
  PRAGMA: 'rows',
  EXPLAIN: 'rows',
  DESCRIBE: 'rows',
  DESC: 'rows',
  INSERT: 'write',
  UPDATE: 'write',
  DELETE: 'write',
  MERGE: 'write',
  REPLACE: 'write',
  UPSERT: 'write',
  COPY: 'write',
  CALL: 'write',
  LOAD: 'write',
  CREATE: 'schema',
  ALTER: 'schema',
  DROP: 'schema',
  TRUNCATE: 'schema',
  RENAME: 'schema',
  COMMENT: 'schema',
  GRANT: 'schema',
  REVOKE: 'schema',
  REINDEX: 'schema',
};

/**
 * Which flow runs a statement. `WITH` is a query unless a top-level data change follows its common table
 * expressions; a data change inside one (PostgreSQL's `WITH d AS (DELETE …) SELECT`) is still classed 'query', and
 * the database refuses it when the result is read, which always happens read-only. A PRAGMA that sets a value
 * (`PRAGMA x = 1`) is 'other'.
 */
export function classifyStatement(text: string, flavour: SqlFlavour): StatementClass {
  const words = topLevelWords(text, flavour);
  if (words.length === 0) return 'other';
  let first = words[0].word;
  if (first === 'WITH') {
    const main = words.slice(1).find((w) => ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'TABLE', 'REPLACE'].includes(w.word));
    first = main?.word ?? 'SELECT';
  }
  if (first === 'EXPLAIN' && words.some((w) => w.word === 'ANALYZE') && flavour === 'postgres') return 'other';
  if (first === 'PRAGMA' && /=/.test(text)) return 'other';
  if (first === 'SELECT' && words.some((w) => w.word === 'INTO') && flavour !== 'sqlite') {
    // SELECT … INTO creates a table (PostgreSQL) or writes variables/files (MySQL).
    return flavour === 'postgres' ? 'schema' : 'other';
  }
  return CLASSES[first] ?? 'other';
}

/** Whether the statement orders its own result at the top level (so pages keep that order). */
export function ordersItself(text: string, flavour: SqlFlavour): boolean {
  const words = topLevelWords(text, flavour);
  return words.some((w, i) => w.word === 'ORDER' && words[i + 1]?.word === 'BY');
}

/** Whether the statement limits its own result at the top level (LIMIT, FETCH FIRST, OFFSET). */
export function limitsItself(text: string, flavour: SqlFlavour): boolean {
  return topLevelWords(text, flavour).some((w) => w.word === 'LIMIT' || w.word === 'FETCH' || w.word === 'OFFSET');
}

/** The statement without leading whitespace, trailing semicolons and whitespace (see `trimStatementEnd`). */
export function trimStatement(text: string, flavour: SqlFlavour = 'postgres'): string {
  return trimStatementEnd(text, flavour).replace(/^\s+/, '');
}

/**
 * The statement without its end: trailing whitespace, and a top-level `;` with only comments and whitespace after
 * it (`SELECT 1; -- done`). A trailing line comment without a `;` before it stays (wrappers add a newline).
 */
export function trimStatementEnd(text: string, flavour: SqlFlavour = 'postgres'): string {
  const { semicolons } = scan(text, flavour);
  for (const semicolon of semicolons) {
    if (scan(text.slice(semicolon + 1), flavour).words.length === 0 && !/[^\s;]/.test(stripComments(text.slice(semicolon + 1), flavour))) {
      return text.slice(0, semicolon).replace(/[\s;]+$/, '');
    }
  }
  return text.replace(/[\s;]+$/, '');
}

/** Text with its comments blanked out (strings kept), to tell "only comments" from "something" after a `;`. */
function stripComments(text: string, flavour: SqlFlavour): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if ((c === '-' && next === '-') || (c === '#' && flavour === 'mysql')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** 1-based line and column of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
