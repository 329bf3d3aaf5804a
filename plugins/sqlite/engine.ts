import type { CellValue } from '../../api';
import { narrowBigint } from '../kit/numbers';

/** What the SQLite operations need from an engine; sql.js and node:sqlite each implement it in the worker. */
/** A result column of a prepared statement; `table`/`column`/`database`/`declaredType` where the engine says. */
export interface ResultColumn {
  name: string;
  table?: string;
  column?: string;
  database?: string;
  declaredType?: string;
}

/** What a statement prepared without running says about itself. */
export interface Prepared {
  columns: ResultColumn[];
  /** Whether the engine tells where result columns come from (node:sqlite does, sql.js does not). */
  reportsOrigins: boolean;
  /** The text after the first statement (SQLite stops preparing there); must hold no other statement. */
  tail: string;
}

export interface Engine {
  readonly name: 'sqljs' | 'node';
  /** Set when the engine can show the data but must not write it, with the reason for users. */
  readonly readOnlyReason?: string;
  all(sql: string, params?: CellValue[]): { columns: string[]; rows: CellValue[][] };
  run(sql: string, params?: CellValue[]): { changes: number; lastInsertRowid: number | bigint };
  /** Prepares the first statement of `sql` without running it. */
  prepare(sql: string): Prepared;
  /**
   * Runs one statement: up to `maxRows` rows, `more` when it had others. `complete`: step to the end even past
   * `maxRows` (a write must happen in full); otherwise stop there.
   */
  step(sql: string, params: CellValue[], maxRows: number, complete: boolean): { columns: string[]; rows: CellValue[][]; more: boolean };
  /** Called before any statement outside a transaction: picks up changes other programs made to the file. */
  refresh(): void;
  /** Called before the first write of a transaction: refuses if writing would clobber another program's changes. */
  checkWritable(): void;
  begin(): void;
  commit(): void;
  rollback(): void;
  close(): void;
}

/** Integers come back as bigint from both engines (so nothing beyond 2^53 is rounded); small ones become numbers. */
export function normalize(value: unknown): CellValue {
  if (typeof value === 'bigint') return narrowBigint(value);
  if (value === undefined) return null;
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return value as CellValue;
}

/** SQLite has no boolean type: bind true/false as 1/0. */
export function bindable(value: CellValue): CellValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
