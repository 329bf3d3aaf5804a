// Every statement run through the QueryRunner, per connection (table `query_history`, metadata migration 4).
// Only the text is kept: run requests carry no bound values, so no parameter (which could be a secret) is stored.
import type { SqlValue } from 'sql.js';
import type { MetadataAccess } from '../metadata/metadataAccess';

export type HistoryOutcome = 'result' | 'executed' | 'cancelled' | 'failed';

/** What the runner reports after a run (the shape of QueryRun in src/host/queries/queryRunner.ts). */
export interface HistoryRun {
  datasourceId: string;
  text: string;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  outcome: HistoryOutcome;
  rowsAffected?: number;
  error?: string;
}

export interface HistoryEntry {
  id: number;
  datasourceId: string;
  text: string;
  /** The text was longer than the history keeps: it is shown cut and cannot be re-run from here. */
  truncated: boolean;
  /** ISO time. */
  startedAt: string;
  durationMs: number;
  outcome: HistoryOutcome;
  rowsAffected?: number;
  error?: string;
}

/** The metadata file is rewritten on every change, so one pasted 10 MB script must not be copied into it each run. */
export const HISTORY_TEXT_LIMIT = 64 * 1024;
const ERROR_LIMIT = 2000;
export const DEFAULT_HISTORY_MAX_ENTRIES = 1000;

function toEntry(r: Record<string, SqlValue>): HistoryEntry {
  return {
    id: Number(r.id),
    datasourceId: String(r.datasource_id),
    text: String(r.text),
    truncated: Number(r.text_truncated) !== 0,
    startedAt: String(r.started_at),
    durationMs: Number(r.duration_ms),
    outcome: String(r.outcome) as HistoryOutcome,
    ...(r.rows_affected !== null && r.rows_affected !== undefined ? { rowsAffected: Number(r.rows_affected) } : {}),
    ...(typeof r.error === 'string' ? { error: r.error } : {}),
  };
}

const COLUMNS = 'id, datasource_id, text, text_truncated, started_at, duration_ms, outcome, rows_affected, error';

export class QueryHistory {
  constructor(private readonly metadata: MetadataAccess) {}

  /**
   * Appends a run, then drops that connection's oldest runs beyond `maxEntries` (0: no limit). The bound is per
   * connection so that a busy connection never pushes a quiet one's history out.
   */
  async record(run: HistoryRun, maxEntries: number): Promise<void> {
    const truncated = run.text.length > HISTORY_TEXT_LIMIT;
    await this.metadata.write((db) => {
      db.run(
        'INSERT INTO query_history (datasource_id, text, text_truncated, started_at, duration_ms, outcome, rows_affected, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          run.datasourceId,
          truncated ? run.text.slice(0, HISTORY_TEXT_LIMIT) : run.text,
          truncated ? 1 : 0,
          new Date(run.startedAt).toISOString(),
          Math.max(0, Math.round(run.durationMs)),
          run.outcome,
          run.rowsAffected ?? null,
          run.error === undefined ? null : run.error.slice(0, ERROR_LIMIT),
        ],
      );
      if (maxEntries > 0) {
        db.run('DELETE FROM query_history WHERE datasource_id = ? AND id <= (SELECT id FROM query_history WHERE datasource_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)', [
          run.datasourceId,
          run.datasourceId,
          Math.trunc(maxEntries),
        ]);
      }
    });
  }

  /** Newest first; one connection's runs, or every connection's. */
  list(datasourceId?: string, limit = DEFAULT_HISTORY_MAX_ENTRIES): HistoryEntry[] {
    const rows =
      datasourceId === undefined
        ? this.metadata.rows(`SELECT ${COLUMNS} FROM query_history ORDER BY id DESC LIMIT ?`, [limit])
        : this.metadata.rows(`SELECT ${COLUMNS} FROM query_history WHERE datasource_id = ? ORDER BY id DESC LIMIT ?`, [datasourceId, limit]);
    return rows.map(toEntry);
  }

  count(datasourceId?: string): number {
    const row = datasourceId === undefined ? this.metadata.rows('SELECT count(*) AS n FROM query_history')[0] : this.metadata.rows('SELECT count(*) AS n FROM query_history WHERE datasource_id = ?', [datasourceId])[0];
    return Number(row?.n ?? 0);
  }

  /** Forgets one connection's runs, or every run. */
  async clear(datasourceId?: string): Promise<void> {
    await this.metadata.write((db) => (datasourceId === undefined ? db.run('DELETE FROM query_history') : db.run('DELETE FROM query_history WHERE datasource_id = ?', [datasourceId])));
  }
}
