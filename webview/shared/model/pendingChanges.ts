import type { CellValue, RowKey, RowValues } from '../../../api';
import type { ViewChange, ViewChangeFailure } from '../../../api/webview';
import { encodeRecord, sameValue } from '../../../shared/values';

// Unsaved edits of one table. Existing rows are identified by their key (so an edit survives re-sorting and
// re-paging); inserted rows get local ids. Updates and deletes keep the whole row as it was read, which becomes
// `expected` so the datasource can refuse to overwrite a row someone else changed.

export interface RowRef {
  key: RowKey;
  /** The row as read, by column name. */
  values: RowValues;
}

export interface RowProblem {
  code: string;
  message: string;
  column?: string;
  /** For conflicts: the row as stored now (null: deleted). */
  current?: RowValues | null;
}

interface Update {
  key: RowKey;
  original: RowValues;
  changes: RowValues;
}

interface Insert {
  id: string;
  values: RowValues;
}

export const rowIdOf = (key: RowKey): string => JSON.stringify(Object.entries(encodeRecord(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
export const isInsertedId = (id: string): boolean => id.startsWith('new:');

export class PendingChanges {
  private updates = new Map<string, Update>();
  private inserts: Insert[] = [];
  private deletes = new Map<string, RowRef>();
  private problems = new Map<string, RowProblem>();
  private nextInsert = 1;

  get size(): number {
    return this.updates.size + this.inserts.length + this.deletes.size;
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  get insertedRows(): readonly Readonly<Insert>[] {
    return this.inserts;
  }

  /** Sets a cell of an existing row; setting it back to the value read drops the edit. */
  editRow(row: RowRef, column: string, value: CellValue): void {
    const id = rowIdOf(row.key);
    const update = this.updates.get(id) ?? { key: row.key, original: row.values, changes: {} };
    if (sameValue(update.original[column] ?? null, value)) delete update.changes[column];
    else update.changes[column] = value;
    if (Object.keys(update.changes).length === 0) this.updates.delete(id);
    else this.updates.set(id, update);
    this.problems.delete(id);
  }

  editInserted(id: string, column: string, value: CellValue | undefined): void {
    const insert = this.inserts.find((i) => i.id === id);
    if (!insert) return;
    if (value === undefined) delete insert.values[column];
    else insert.values[column] = value;
    this.problems.delete(id);
  }

  /** Adds a new row (values omitted here get the database default); returns its id. */
  insert(values: RowValues = {}): string {
    const id = `new:${this.nextInsert++}`;
    this.inserts.push({ id, values: { ...values } });
    return id;
  }

  /** Marks rows for deletion; new rows that were never saved simply disappear. */
  delete(rows: { id: string; ref?: RowRef }[]): void {
    for (const { id, ref } of rows) {
      if (isInsertedId(id)) {
        this.inserts = this.inserts.filter((i) => i.id !== id);
      } else if (ref) {
        this.updates.delete(id);
        this.deletes.set(id, ref);
      }
      this.problems.delete(id);
    }
  }

  undelete(id: string): void {
    this.deletes.delete(id);
    this.problems.delete(id);
  }

  isDeleted(id: string): boolean {
    return this.deletes.has(id);
  }

  /** The pending value of a cell, or undefined when the cell is unchanged. */
  cell(id: string, column: string): { value: CellValue } | undefined {
    if (isInsertedId(id)) {
      const insert = this.inserts.find((i) => i.id === id);
      return insert && column in insert.values ? { value: insert.values[column] } : undefined;
    }
    const changes = this.updates.get(id)?.changes;
    return changes && column in changes ? { value: changes[column] } : undefined;
  }

  isDirty(id: string): boolean {
    return isInsertedId(id) || this.updates.has(id) || this.deletes.has(id);
  }

  problem(id: string): RowProblem | undefined {
    return this.problems.get(id);
  }

  get problemCount(): number {
    return this.problems.size;
  }

  /** Drops the edits of one row (after "Reload" on a conflict). */
  revertRow(id: string): void {
    this.updates.delete(id);
    this.deletes.delete(id);
    this.inserts = this.inserts.filter((i) => i.id !== id);
    this.problems.delete(id);
  }

  /** "Overwrite" on a conflict: the stored row becomes the expected one, the user's edits stay. */
  acceptCurrent(id: string, current: RowValues): void {
    const update = this.updates.get(id);
    if (update) update.original = { ...current };
    const deleted = this.deletes.get(id);
    if (deleted) this.deletes.set(id, { key: deleted.key, values: { ...current } });
    this.problems.delete(id);
  }

  discard(): void {
    this.updates.clear();
    this.inserts = [];
    this.deletes.clear();
    this.problems.clear();
  }

  /** The batch to apply, updates first, then inserts, then deletes; `ids[i]` is the row of `changes[i]`. */
  toChanges(): { changes: ViewChange[]; ids: string[] } {
    const changes: ViewChange[] = [];
    const ids: string[] = [];
    for (const [id, u] of this.updates) {
      changes.push({ kind: 'update', key: u.key, changes: { ...u.changes }, expected: { ...u.original } });
      ids.push(id);
    }
    for (const i of this.inserts) {
      changes.push({ kind: 'insert', values: { ...i.values } });
      ids.push(i.id);
    }
    for (const [id, d] of this.deletes) {
      changes.push({ kind: 'delete', key: d.key, expected: { ...d.values } });
      ids.push(id);
    }
    return { changes, ids };
  }

  /** Records why a save failed, on the row that failed. */
  recordFailure(failure: ViewChangeFailure, ids: readonly string[]): string | undefined {
    const id = ids[failure.index];
    if (id === undefined) return undefined;
    this.problems.set(id, {
      code: failure.code,
      message: failure.message,
      ...(failure.column !== undefined ? { column: failure.column } : {}),
      ...(failure.current !== undefined ? { current: failure.current } : {}),
    });
    return id;
  }

  /** After a non-transactional save stopped at `index`: the changes before it are stored, forget them. */
  forgetApplied(ids: readonly string[], count: number): void {
    for (const id of ids.slice(0, count)) {
      this.updates.delete(id);
      this.deletes.delete(id);
      this.inserts = this.inserts.filter((i) => i.id !== id);
    }
  }

  /** Rebuilds the model from a saved batch (window reload, or "Reopen" after closing with unsaved edits). */
  static restore(changes: readonly ViewChange[]): PendingChanges {
    const model = new PendingChanges();
    for (const change of changes) {
      switch (change.kind) {
        case 'update':
          model.updates.set(rowIdOf(change.key), { key: change.key, original: { ...change.expected }, changes: { ...change.changes } });
          break;
        case 'insert':
          model.insert(change.values);
          break;
        case 'delete':
          model.deletes.set(rowIdOf(change.key), { key: change.key, values: { ...change.expected } });
          break;
      }
    }
    return model;
  }
}
