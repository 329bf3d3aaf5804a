import type { CellValue, ColumnSchema, RowKey, RowValues } from '../../../api';
import { isInsertedId, type PendingChanges, type RowProblem, type RowRef, rowIdOf } from '../../shared/model/pendingChanges';

// What the grid shows in each display row: unsaved new rows first, then the table's rows as read, with pending
// edits laid over them. DOM-free: the grid only paints what this returns.

export interface DisplayRow {
  /** Key-based id, "new:n" for unsaved rows, or undefined when the row cannot be addressed. */
  id: string | undefined;
  kind: 'table' | 'inserted';
  /** Values in schema column order, pending edits applied; undefined for a new row's unset (default) cells. */
  values: (CellValue | undefined)[];
  /** Schema indexes of cells with unsaved edits. */
  dirty: ReadonlySet<number>;
  deleted: boolean;
  problem?: RowProblem;
  /** Gutter text: the 1-based row number, or "new". */
  label: string;
  /** The row as read, for edits and conflict checks (table rows with a key only). */
  ref?: RowRef;
}

export interface RowLookup {
  row(index: number): { values: CellValue[]; key: RowKey | null } | undefined;
}

export class DisplayRows {
  constructor(
    private readonly columns: readonly ColumnSchema[],
    private readonly source: RowLookup,
    private readonly pending: PendingChanges,
  ) {}

  get insertedCount(): number {
    return this.pending.insertedRows.length;
  }

  /** Display rows: new rows plus the table rows in the scroll space. */
  count(tableRows: number): number {
    return this.insertedCount + tableRows;
  }

  /** The table row behind a display row, or undefined for new rows. */
  tableIndex(displayRow: number): number | undefined {
    const t = displayRow - this.insertedCount;
    return t >= 0 ? t : undefined;
  }

  get(displayRow: number): DisplayRow | undefined {
    const inserted = this.pending.insertedRows;
    if (displayRow < inserted.length) {
      const insert = inserted[displayRow];
      const dirty = new Set<number>();
      const values = this.columns.map((c, i) => {
        if (!(c.name in insert.values)) return undefined;
        dirty.add(i);
        return insert.values[c.name];
      });
      const problem = this.pending.problem(insert.id);
      return { id: insert.id, kind: 'inserted', values, dirty, deleted: false, label: 'new', ...(problem ? { problem } : {}) };
    }
    const index = displayRow - inserted.length;
    const loaded = this.source.row(index);
    if (!loaded) return undefined;
    const label = String(index + 1);
    if (!loaded.key) return { id: undefined, kind: 'table', values: loaded.values, dirty: new Set(), deleted: false, label };
    const id = rowIdOf(loaded.key);
    const read: RowValues = {};
    this.columns.forEach((c, i) => (read[c.name] = loaded.values[i]));
    const dirty = new Set<number>();
    const values = this.columns.map((c, i) => {
      const cell = this.pending.cell(id, c.name);
      if (!cell) return loaded.values[i];
      dirty.add(i);
      return cell.value;
    });
    const problem = this.pending.problem(id);
    return { id, kind: 'table', values, dirty, deleted: this.pending.isDeleted(id), label, ref: { key: loaded.key, values: read }, ...(problem ? { problem } : {}) };
  }

  /** Finds the display row of a row id among loaded rows (to scroll to a failed change). */
  find(id: string, tableRows: number, limit = 100_000): number | undefined {
    if (isInsertedId(id)) {
      const i = this.pending.insertedRows.findIndex((r) => r.id === id);
      return i >= 0 ? i : undefined;
    }
    for (let t = 0; t < Math.min(tableRows, limit); t++) {
      const loaded = this.source.row(t);
      if (loaded?.key && rowIdOf(loaded.key) === id) return t + this.insertedCount;
    }
    return undefined;
  }
}
