// The change that takes an audit entry back, with the conflict check built in: the inverse carries, as `expected`,
// the values the entry wrote, so a row that changed since makes the datasource raise a conflict instead of
// silently overwriting someone else's work.
import type { AuditEntry } from '../../../shared/auditProtocol';
import { auditKeyText } from '../../../shared/auditProtocol';
import type { PendingChange } from '../tableService';
import { restoreRecord, truncatedColumns } from './auditValues';

export type InverseResult = { ok: true; change: PendingChange } | { ok: false; reason: string };

const quoted = (columns: string[]) => columns.map((c) => `"${c}"`).join(', ');

export function inverseOf(entry: AuditEntry): InverseResult {
  const where = `#${entry.id} (${entry.operation} of ${auditKeyText(entry.key)} in ${entry.table})`;
  if (entry.undoneBy !== undefined) return { ok: false, reason: `Change ${where} was already undone by #${entry.undoneBy}.` };
  const cut = [...truncatedColumns(entry.key), ...truncatedColumns(entry.oldValues), ...truncatedColumns(entry.newValues)];
  if (entry.truncated || cut.length > 0) {
    return { ok: false, reason: `Change ${where} cannot be undone: the value${cut.length === 1 ? '' : 's'} of ${cut.length ? quoted([...new Set(cut)]) : 'some columns'} ${cut.length === 1 ? 'was' : 'were'} too large to keep in the audit log.` };
  }
  switch (entry.operation) {
    case 'statement':
      return { ok: false, reason: `Statement #${entry.id} cannot be undone: Nocoflo does not know which rows it changed. Run a statement that reverses it.` };
    case 'insert': {
      if (!entry.key) return { ok: false, reason: `Change ${where} cannot be undone: the datasource did not report the key of the inserted row.` };
      return { ok: true, change: { kind: 'delete', key: restoreRecord(entry.key), expected: restoreRecord(entry.newValues ?? {}) } };
    }
    case 'update': {
      if (!entry.key || !entry.oldValues || !entry.newValues) return { ok: false, reason: `Change ${where} cannot be undone: its old values were not recorded.` };
      const old = restoreRecord(entry.oldValues);
      const written = restoreRecord(entry.newValues);
      const unknown = Object.keys(written).filter((c) => !(c in old));
      if (unknown.length > 0) return { ok: false, reason: `Change ${where} cannot be undone: the old value of ${quoted(unknown)} was not recorded.` };
      // The changed columns go back; `expected` holds what this change wrote to them.
      const changes = Object.fromEntries(Object.keys(written).map((c) => [c, old[c]!]));
      // A change to a key column moved the row: it is found under the key it was given.
      const key = restoreRecord(entry.key);
      for (const column of Object.keys(key)) if (column in written) key[column] = written[column]!;
      return { ok: true, change: { kind: 'update', key, changes, expected: written } };
    }
    case 'delete': {
      if (!entry.oldValues) return { ok: false, reason: `Change ${where} cannot be undone: the deleted row was not recorded.` };
      return { ok: true, change: { kind: 'insert', values: restoreRecord(entry.oldValues) } };
    }
  }
}
