// Copy and paste in the grid: the selection as TSV (rows not loaded yet are read first), and pasted TSV as pending
// edits, with the view's confirmation before overwriting many existing cells.
import type { CellValue, ColumnSchema } from '../../api';
import { showDialog } from '../shared/dialogs';
import { messageOf } from '../shared/errorMessage';
import { parsePasted } from '../shared/model/valueInput';
import type { TableApp } from './app';
import { copyText, planPaste } from './model/clipboardModel';
import { overwrittenCells, pasteNeedsConfirmation } from './model/pasteGuard';
import { rangeOf } from './model/selection';

const MAX_COPY_ROWS = 10_000;

export class GridClipboard {
  constructor(private readonly app: TableApp) {}

  private selectionBlock(): { rows: (CellValue | undefined)[][]; columns: ColumnSchema[]; complete: boolean } {
    const range = rangeOf(this.app.grid.selection);
    const columns: ColumnSchema[] = [];
    const indexes: number[] = [];
    for (let c = range.left; c <= range.right; c++) {
      const column = this.app.visibleColumn(c);
      if (column) {
        columns.push(column.schema);
        indexes.push(column.schemaIndex);
      }
    }
    const rows: (CellValue | undefined)[][] = [];
    let complete = true;
    for (let r = range.top; r <= Math.min(range.bottom, range.top + MAX_COPY_ROWS - 1); r++) {
      const row = this.app.display.get(r);
      if (!row) complete = false;
      rows.push(indexes.map((i) => row?.values[i]));
    }
    return { rows, columns, complete };
  }

  /** Copies the selection; rows not loaded yet are read first and the text goes through the host's clipboard. */
  async copySelection(withHeaders: boolean, event?: ClipboardEvent): Promise<void> {
    const range = rangeOf(this.app.grid.selection);
    if (range.bottom - range.top + 1 > MAX_COPY_ROWS) this.app.strip.show('info', `Copied the first ${MAX_COPY_ROWS.toLocaleString('en-US')} rows; use Export for more.`);
    const block = this.selectionBlock();
    if (block.complete && event?.clipboardData) {
      event.clipboardData.setData('text/plain', copyText(block.rows, block.columns, withHeaders));
      event.preventDefault();
      return;
    }
    event?.preventDefault();
    if (!block.complete) {
      const inserted = this.app.display.insertedCount;
      const first = Math.max(0, range.top - inserted);
      const limit = Math.min(MAX_COPY_ROWS, range.bottom - inserted - first + 1);
      try {
        const page = await this.app.client.readRows({ ...this.app.query(), offset: first, limit });
        const order = block.columns.map((c) => page.columns.indexOf(c.name));
        page.rows.forEach((values, i) => {
          const r = first + inserted + i - range.top;
          if (r >= 0 && r < block.rows.length) block.rows[r] = order.map((j, k) => this.app.display.get(range.top + r)?.values[this.app.columns.indexOf(block.columns[k])] ?? (j < 0 ? null : values[j]));
        });
      } catch (error) {
        this.app.strip.show('error', `Copy failed: ${messageOf(error)}`);
        return;
      }
    }
    this.app.client.writeClipboard(copyText(block.rows, block.columns, withHeaders));
  }

  onCopy(e: ClipboardEvent): void {
    if (!this.app.keys.gridHasFocus()) return;
    void this.copySelection(false, e);
  }

  onPaste(e: ClipboardEvent): void {
    if (!this.app.keys.gridHasFocus()) return;
    const text = e.clipboardData?.getData('text/plain');
    if (text === undefined) return;
    e.preventDefault();
    this.paste(text);
  }

  private paste(text: string): void {
    if (this.app.readOnlyReason) {
      this.app.strip.show('info', this.app.readOnlyReason);
      return;
    }
    const { cells, clipped } = planPaste(text, rangeOf(this.app.grid.selection), this.app.grid.bounds());
    const overwritten = overwrittenCells(cells, (row) => {
      const shown = this.app.display.get(row);
      return shown !== undefined && shown.kind !== 'inserted';
    });
    if (pasteNeedsConfirmation(overwritten, this.app.client.init.confirm)) {
      showDialog(
        `Overwrite ${overwritten} cells?`,
        `This paste replaces ${overwritten} values in existing rows (more than ${this.app.client.init.confirm!.pasteOverCells}). They stay pending until you save; Discard brings them back.`,
        [
          { label: 'Paste', primary: true, run: () => this.applyPaste(cells, clipped) },
          { label: 'Cancel' },
        ],
      );
      return;
    }
    this.applyPaste(cells, clipped);
  }

  private applyPaste(cells: ReturnType<typeof planPaste>['cells'], clipped: number): void {
    const problems: string[] = [];
    let pasted = 0;
    for (const cell of cells) {
      const column = this.app.visibleColumn(cell.col)?.schema;
      if (!column) continue;
      const parsed = parsePasted(cell.text, column);
      if (!parsed.ok) {
        problems.push(`${column.name}: ${parsed.error}`);
        continue;
      }
      const problem = this.app.editing.editProblem({ row: cell.row, col: cell.col });
      if (problem) {
        problems.push(problem);
        continue;
      }
      if (this.app.editing.setCell({ row: cell.row, col: cell.col }, parsed.value, false)) pasted++;
    }
    this.app.pushPending();
    const notes = [...new Set(problems)];
    if (notes.length > 0 || clipped > 0) {
      this.app.strip.show('info', `Pasted ${pasted} value(s).${clipped > 0 ? ` ${clipped} fell outside the table.` : ''}${notes.length > 0 ? ` Skipped: ${notes.slice(0, 3).join(' ')}${notes.length > 3 ? ' …' : ''}` : ''}`);
    }
  }
}
