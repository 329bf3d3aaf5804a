// The audit side of TableService's governance: the `applied` hook turns every change that reached the database
// into an audit entry. Whatever happens here, the save has already succeeded, so failures are logged, never thrown.
import { randomUUID } from 'node:crypto';
import type { CellValue, RowKey, RowValues, TableLocator, TableSchema } from '../../../api';
import { Emitter } from '../events';
import { errorMessage, type Logger } from '../log';
import type { ChangeOrigin, PendingChange, WriteGovernance } from '../tableService';
import type { AuditStore, NewAuditEntry, Retention } from './auditStore';
import { boundRecord, DEFAULT_AUDIT_LIMITS, type AuditLimits } from './auditValues';

export interface AuditRecorderOptions {
  store: AuditStore;
  /** The configured user name or the OS user, asked at each write. */
  user(): string;
  retention(): Retention;
  log: Logger;
  limits?: AuditLimits;
  now?(): Date;
  newBatchId?(): string;
}

type Result = { key: RowKey | null; row?: RowValues };

/** The new values of an update: the datasource's stored form of the changed columns where it returned the row. */
function writtenValues(changes: RowValues, row: RowValues | undefined): RowValues {
  const out: RowValues = {};
  for (const [column, value] of Object.entries(changes)) out[column] = row && column in row ? row[column]! : value;
  return out;
}

const pick = (values: RowValues, columns: string[]): RowValues => Object.fromEntries(columns.filter((c) => c in values).map((c) => [c, values[c]!]));

/** Pure: the entries for one applied batch. */
export function auditEntriesFor(
  table: TableLocator,
  changes: readonly PendingChange[],
  results: readonly Result[],
  origin: ChangeOrigin,
  meta: { user: string; at: string; batchId: string; limits?: AuditLimits },
): NewAuditEntry[] {
  const limits = meta.limits ?? DEFAULT_AUDIT_LIMITS;
  return changes.map((change, index) => {
    const result = results[index];
    const key = change.kind === 'insert' ? (result?.key ?? null) : change.key;
    // An update's old values are those read for the changed columns (views send the whole row as `expected`).
    const oldValues = change.kind === 'insert' ? null : change.kind === 'update' ? pick(change.expected, Object.keys(change.changes)) : change.expected;
    const newValues = change.kind === 'insert' ? (result?.row ?? change.values) : change.kind === 'update' ? writtenValues(change.changes, result?.row) : null;
    const boundKey = key ? boundRecord(key, limits) : undefined;
    const boundOld = oldValues ? boundRecord(oldValues, limits) : undefined;
    const boundNew = newValues ? boundRecord(newValues, limits) : undefined;
    const undoOf = origin.undoOf?.[index];
    return {
      batchId: meta.batchId,
      at: meta.at,
      user: meta.user,
      datasourceId: table.datasourceId,
      ...(table.schema !== undefined ? { schema: table.schema } : {}),
      table: table.name,
      operation: change.kind,
      key: boundKey?.record ?? null,
      oldValues: boundOld?.record ?? null,
      newValues: boundNew?.record ?? null,
      truncated: [boundKey, boundOld, boundNew].some((b) => (b?.truncated.length ?? 0) > 0),
      source: origin.source,
      ...(undoOf !== undefined ? { undoOf } : {}),
    };
  });
}

/** Records applied batches; `onDidRecord` tells open Audit Log views to reload. */
export class AuditRecorder {
  private readonly recorded = new Emitter<void>();
  readonly onDidRecord = this.recorded.event;

  constructor(private readonly options: AuditRecorderOptions) {}

  /** The `applied` hook for TableService. */
  readonly applied: NonNullable<WriteGovernance['applied']> = async (table, changes, results, origin, _schema: TableSchema) => {
    try {
      const now = this.options.now?.() ?? new Date();
      const entries = auditEntriesFor(table, changes, results, origin, {
        user: this.options.user(),
        at: now.toISOString(),
        batchId: this.options.newBatchId?.() ?? randomUUID(),
        ...(this.options.limits ? { limits: this.options.limits } : {}),
      });
      await this.options.store.record(entries, this.options.retention(), now);
      this.recorded.fire();
    } catch (error) {
      this.options.log.error(`Audit: ${changes.length} change(s) to ${table.name} were saved but could not be recorded in the audit log: ${errorMessage(error)}`);
    }
  };

  /**
   * A statement run from a SQL editor that may have written: its text, bound values and the rows the database says
   * it affected. Nocoflo cannot know which rows those were, so the entry is never undoable.
   */
  async statement(entry: { datasourceId: string; text: string; params: readonly CellValue[]; rowsAffected?: number; source: string }): Promise<void> {
    try {
      const now = this.options.now?.() ?? new Date();
      const values: RowValues = { statement: entry.text };
      entry.params.forEach((value, i) => (values[`parameter ${i + 1}`] = value));
      if (entry.rowsAffected !== undefined) values.rowsAffected = entry.rowsAffected;
      const bound = boundRecord(values, this.options.limits ?? DEFAULT_AUDIT_LIMITS);
      const recorded: NewAuditEntry = {
        batchId: this.options.newBatchId?.() ?? randomUUID(),
        at: now.toISOString(),
        user: this.options.user(),
        datasourceId: entry.datasourceId,
        table: '',
        operation: 'statement',
        key: null,
        oldValues: null,
        newValues: bound.record,
        truncated: bound.truncated.length > 0,
        source: entry.source,
      };
      await this.options.store.record([recorded], this.options.retention(), now);
      this.recorded.fire();
    } catch (error) {
      this.options.log.error(`Audit: a statement on ${entry.datasourceId} ran but could not be recorded in the audit log: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    this.recorded.dispose();
  }
}
