// The audit log's table in the metadata store (`audit_log`, metadata migration 2): recording, filtered pages,
// the undo marks and retention. Built on the metadata file's generic `rows` / `write`, so every window sees one log.
import type { Database, SqlValue } from 'sql.js';
import type { AuditEntry, AuditFilter, AuditOperation, AuditPage, AuditRecord } from '../../../shared/auditProtocol';
import type { MetadataAccess } from '../metadata/metadataAccess';

// The host's wiring (src/host/audit) names the access type through this module.
export type { MetadataAccess };

/** An entry about to be written: everything but its id and undone mark, which the store assigns. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'undoneBy'>;

export interface Retention {
  /** Entries older than this many days are deleted; 0 keeps them regardless of age. */
  days: number;
  /** At most this many entries are kept (the newest); 0 means no limit. */
  maxEntries: number;
}

const COLUMNS = 'id, batch_id, at, user_name, datasource_id, schema_name, table_name, operation, row_key, old_values, new_values, truncated, source, undo_of, undone_by';

function parseRecord(text: SqlValue | undefined): AuditRecord | null {
  if (typeof text !== 'string') return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as AuditRecord) : null;
  } catch {
    return null;
  }
}

function toEntry(r: Record<string, SqlValue>): AuditEntry {
  return {
    id: Number(r.id),
    batchId: String(r.batch_id),
    at: String(r.at),
    user: String(r.user_name),
    datasourceId: String(r.datasource_id),
    ...(r.schema_name ? { schema: String(r.schema_name) } : {}),
    table: String(r.table_name),
    operation: String(r.operation) as AuditOperation,
    key: parseRecord(r.row_key),
    oldValues: parseRecord(r.old_values),
    newValues: parseRecord(r.new_values),
    truncated: Number(r.truncated) !== 0,
    source: String(r.source),
    ...(r.undo_of !== null && r.undo_of !== undefined ? { undoOf: Number(r.undo_of) } : {}),
    ...(r.undone_by !== null && r.undone_by !== undefined ? { undoneBy: Number(r.undone_by) } : {}),
  };
}

/**
 * A bound as stored times are written (`2026-12-01T09:30:12.345Z`, compared as text), so a bound given to the day,
 * minute or second covers that whole day, minute or second: a "from" starts at its first millisecond and a "to" ends
 * at its last. Without the padding "…T09:30" or "…T09:30Z" compared as text would cut that minute out of the range.
 */
export function auditTimeBound(text: string, end: boolean): string {
  const plain = text.endsWith('Z') ? text.slice(0, -1) : text;
  // What each precision lacks: "2026-12-01" (10), "…T09:30" (16), "…T09:30:12" (19), "…T09:30:12.3" (21, 22).
  const rest = plain.length === 10 ? (end ? 'T23:59:59.999' : 'T00:00:00.000') : plain.length === 16 ? (end ? ':59.999' : ':00.000') : plain.length === 19 ? (end ? '.999' : '.000') : (end ? '9' : '0').repeat(Math.max(0, 23 - plain.length));
  return `${plain}${rest}Z`;
}

function where(filter: AuditFilter): { sql: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, value: SqlValue) => {
    clauses.push(clause);
    params.push(value);
  };
  if (filter.datasourceId !== undefined) add('datasource_id = ?', filter.datasourceId);
  if (filter.schema !== undefined) add('schema_name = ?', filter.schema);
  if (filter.table !== undefined && filter.table !== '') add('table_name = ?', filter.table);
  if (filter.user !== undefined && filter.user !== '') add('user_name = ?', filter.user);
  if (filter.operation !== undefined) add('operation = ?', filter.operation);
  if (filter.from !== undefined) add('at >= ?', auditTimeBound(filter.from, false));
  if (filter.to !== undefined) add('at <= ?', auditTimeBound(filter.to, true));
  if (filter.batchId !== undefined) add('batch_id = ?', filter.batchId);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export class AuditStore {
  constructor(private readonly metadata: MetadataAccess) {}

  /**
   * Appends entries (one write: one lock, one file replace), marks the entries they undo, then prunes to the
   * retention. Returns the new ids in order.
   */
  async record(entries: readonly NewAuditEntry[], retention: Retention, now: Date = new Date()): Promise<number[]> {
    if (entries.length === 0) return [];
    return this.metadata.write((db) => {
      const ids: number[] = [];
      for (const e of entries) {
        db.run(
          `INSERT INTO audit_log (batch_id, at, user_name, datasource_id, schema_name, table_name, operation, row_key, old_values, new_values, truncated, source, undo_of)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            e.batchId,
            e.at,
            e.user,
            e.datasourceId,
            e.schema ?? '',
            e.table,
            e.operation,
            e.key ? JSON.stringify(e.key) : null,
            e.oldValues ? JSON.stringify(e.oldValues) : null,
            e.newValues ? JSON.stringify(e.newValues) : null,
            e.truncated ? 1 : 0,
            e.source,
            e.undoOf ?? null,
          ],
        );
        const id = Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]);
        ids.push(id);
        if (e.undoOf !== undefined) db.run('UPDATE audit_log SET undone_by = ? WHERE id = ?', [id, e.undoOf]);
      }
      prune(db, retention, now);
      return ids;
    });
  }

  /** Applies the retention without recording anything (e.g. after the settings changed). */
  async prune(retention: Retention, now: Date = new Date()): Promise<void> {
    await this.metadata.write((db) => prune(db, retention, now));
  }

  /** Newest first; `total` counts every matching entry. */
  query(filter: AuditFilter, offset: number, limit: number): AuditPage {
    const w = where(filter);
    const total = Number(this.metadata.rows(`SELECT count(*) AS n FROM audit_log ${w.sql}`, w.params)[0]?.n ?? 0);
    const entries = this.metadata.rows(`SELECT ${COLUMNS} FROM audit_log ${w.sql} ORDER BY id DESC LIMIT ? OFFSET ?`, [...w.params, limit, offset]).map(toEntry);
    return { entries, total, offset };
  }

  entry(id: number): AuditEntry | undefined {
    const row = this.metadata.rows(`SELECT ${COLUMNS} FROM audit_log WHERE id = ?`, [id])[0];
    return row ? toEntry(row) : undefined;
  }

  /** The entries of one Save, in the order they were applied. */
  batch(batchId: string): AuditEntry[] {
    return this.metadata.rows(`SELECT ${COLUMNS} FROM audit_log WHERE batch_id = ? ORDER BY id`, [batchId]).map(toEntry);
  }

  /** Everyone who appears in the log, for the view's user filter. */
  users(): string[] {
    return this.metadata.rows('SELECT DISTINCT user_name FROM audit_log ORDER BY user_name').map((r) => String(r.user_name));
  }

  count(): number {
    return Number(this.metadata.rows('SELECT count(*) AS n FROM audit_log')[0]?.n ?? 0);
  }
}

function prune(db: Database, retention: Retention, now: Date): void {
  if (retention.days > 0) {
    const cutoff = new Date(now.getTime() - retention.days * 86_400_000).toISOString();
    db.run('DELETE FROM audit_log WHERE at < ?', [cutoff]);
  }
  if (retention.maxEntries > 0) {
    db.run('DELETE FROM audit_log WHERE id <= (SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?)', [Math.trunc(retention.maxEntries)]);
  }
}
