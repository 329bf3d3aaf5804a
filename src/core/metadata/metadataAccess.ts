// What a repository needs of the metadata file, and the two readings every repository does: rows as objects and
// JSON columns that may hold anything an older or newer Nocoflo (or a hand edit) left there.
import type { Database, SqlValue } from 'sql.js';

/** The metadata file as repositories see it (MetadataFile, or a fake in a test). */
export interface MetadataAccess {
  /** Rows of a read-only query against the latest committed state, as objects. */
  rows(sql: string, params?: SqlValue[]): Record<string, SqlValue>[];
  /** Runs `mutate` in one transaction under the cross-window lock; nothing changes if it throws. */
  write<T>(mutate: (db: Database) => T): Promise<T>;
}

export function rowsOf(db: Database, sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const statement = db.prepare(sql, params);
  try {
    const rows: Record<string, SqlValue>[] = [];
    while (statement.step()) rows.push(statement.getAsObject());
    return rows;
  } finally {
    statement.free();
  }
}

/** A stored JSON column, or `fallback` when it is absent or unreadable. */
export function parseStoredJson(text: SqlValue | undefined, fallback: unknown): unknown {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

export const timestamp = () => new Date().toISOString();
