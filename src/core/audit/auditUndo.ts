// Undo from the audit log: the inverse of one entry, or of a whole Save in reverse order, applied through
// TableService like any other write, so roles refuse it where they refuse an edit and the audit records it
// (with `undo_of`, which also marks the undone entries).
import type { TableLocator } from '../../../api';
import { auditKeyText, type AuditEntry, type UndoOutcome, type UndoTarget } from '../../../shared/auditProtocol';
import { boundRecord, DEFAULT_AUDIT_LIMITS } from './auditValues';
import type { PendingChange, TableService } from '../tableService';
import type { AuditStore } from './auditStore';
import { inverseOf } from './inverse';

export const UNDO_SOURCE = 'nocoflo.audit';

export interface UndoDeps {
  store: AuditStore;
  tables: Pick<TableService, 'apply'>;
  /** The datasource's display name, or undefined when it no longer exists. */
  datasourceName(id: string): string | undefined;
}

export async function undoAudit(deps: UndoDeps, target: UndoTarget): Promise<UndoOutcome & { datasourceId?: string }> {
  let entries: AuditEntry[];
  if ('entryId' in target) {
    const entry = deps.store.entry(target.entryId);
    if (!entry) return { ok: false, reason: `Audit entry #${target.entryId} no longer exists (removed by the retention setting?).` };
    entries = [entry];
  } else {
    const all = deps.store.batch(target.batchId);
    if (all.length === 0) return { ok: false, reason: 'This batch is no longer in the audit log (removed by the retention setting?).' };
    entries = all.filter((e) => e.undoneBy === undefined);
    if (entries.length === 0) return { ok: false, reason: `Every change of this batch was already undone (by ${all.map((e) => `#${e.undoneBy}`).join(', ')}).` };
    // The last change first: a later change may depend on an earlier one (an update of a row inserted before).
    entries.reverse();
  }
  const first = entries[0]!;
  if (entries.some((e) => e.datasourceId !== first.datasourceId || e.table !== first.table || (e.schema ?? '') !== (first.schema ?? ''))) {
    return { ok: false, reason: 'The changes of this batch belong to different tables; undo them one by one.' };
  }
  if (deps.datasourceName(first.datasourceId) === undefined) {
    return { ok: false, reason: `The datasource of this change (${first.datasourceId}) no longer exists, so the change cannot be undone.` };
  }
  const changes: PendingChange[] = [];
  for (const entry of entries) {
    const inverse = inverseOf(entry);
    if (!inverse.ok) return { ok: false, reason: inverse.reason };
    changes.push(inverse.change);
  }
  const table: TableLocator = first.schema === undefined ? { datasourceId: first.datasourceId, name: first.table } : { datasourceId: first.datasourceId, schema: first.schema, name: first.table };
  let result: Awaited<ReturnType<TableService['apply']>>;
  try {
    result = await deps.tables.apply(table, changes, { source: UNDO_SOURCE, undoOf: entries.map((e) => e.id) });
  } catch (error) {
    return { ok: false, reason: `Undo failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const ids = entries.map((e) => e.id);
  if (result.ok) {
    const what = ids.length === 1 ? `change #${ids[0]}` : `${ids.length} changes`;
    return { ok: true, undone: ids, message: `Undid ${what} in ${first.table}.`, datasourceId: first.datasourceId };
  }
  const failed = entries[result.failure.index];
  const failedChange = changes[result.failure.index];
  const row = failed ? auditKeyText(failed.key) : 'a row';
  const kept = result.rolledBack ? 'Nothing was undone.' : `The first ${result.failure.index} of ${ids.length} were undone.`;
  if (result.failure.code === 'conflict') {
    // The columns the undo checked, each shortened: enough to see what someone else wrote.
    const checked = failedChange && failedChange.kind !== 'insert' ? Object.keys(failedChange.expected) : [];
    const current = result.failure.current;
    const shown = current ? Object.fromEntries(Object.entries(current).filter(([c]) => checked.length === 0 || checked.includes(c))) : undefined;
    const now = current === null ? 'it was deleted' : shown ? `it now holds ${auditKeyText(boundRecord(shown, DEFAULT_AUDIT_LIMITS).record)}` : 'its values differ';
    return { ok: false, reason: `Row ${row} of ${first.table} changed since change #${failed?.id} (${now}). ${kept}` };
  }
  return { ok: false, reason: `Undo of change #${failed?.id} (${row}) failed: ${result.failure.message} ${kept}` };
}
