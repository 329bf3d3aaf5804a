// The grid's status line: the row count, the query in words, the row source's note, the selection and the number of
// unsaved changes.
import { rowCountText } from '../../shared/rowCountText';
import { el } from '../shared/dom';
import { buildFilters } from '../shared/model/filterModel';
import type { TableApp } from './app';
import { rangeOf } from './model/selection';

export class StatusLine {
  readonly element = el('div', 'status-bar');
  private readonly count = el('span', 'status-count');
  private readonly query = el('span', 'status-query');
  private readonly note = el('span', 'status-note');
  private readonly selection = el('span', 'status-selection');
  private readonly pending = el('span', 'status-pending');

  constructor(private readonly app: TableApp) {
    this.element.append(this.count, this.query, this.note, this.selection, this.pending);
  }

  /** `total` is the number of rows the grid shows (pending inserts included). */
  update(total: number): void {
    const { source, state, grid, display, pending } = this.app;
    const count = source.displayCount;
    this.count.textContent = count ? rowCountText(count) : source.error ? 'Rows unavailable' : 'Counting rows…';
    const filters = buildFilters(state.filters, this.app.columns).filters.length;
    const parts = [filters > 0 ? `${filters} filter${filters > 1 ? 's' : ''}` : '', state.search.trim() ? `search "${state.search.trim()}"` : '', state.sort.length > 0 ? `sorted by ${state.sort.map((s) => `${s.column} ${s.direction}`).join(', ')}` : ''].filter(Boolean);
    this.query.textContent = parts.join(' · ');
    this.note.textContent = source.note ?? '';
    const range = rangeOf(grid.selection);
    const cells = (range.bottom - range.top + 1) * (range.right - range.left + 1);
    const focusRow = display.get(grid.selection.focus.row);
    this.selection.textContent = total === 0 ? '' : cells > 1 ? `${range.bottom - range.top + 1} × ${range.right - range.left + 1} selected` : `Row ${focusRow?.label ?? '…'}, ${this.app.visibleColumn(grid.selection.focus.col)?.schema.name ?? ''}`;
    this.pending.textContent = pending.size > 0 ? `● ${pending.size} unsaved change${pending.size > 1 ? 's' : ''}` : '';
  }
}
