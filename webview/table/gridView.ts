// Over 400 lines (540) and still one file: painting, scrolling and pointer handling all work on the same pooled
// row and cell elements, column geometry and virtual scroll offset, so a split would only hand those across a file
// boundary; the pure parts (viewport, scroll scaling, selection) are already in model/.
import type { ColumnSchema, ForeignKey, SortKey } from '../../api';
import { lockTime } from '../../shared/rowLocks';
import { codicon, el } from '../shared/dom';
import { formatCell, isNumericColumn } from '../shared/model/cellFormat';
import { markPainted } from '../shared/paintMarks';
import type { DisplayRow } from './model/displayRows';
import { clamp, VerticalScroll } from './model/scrollScaling';
import { type CellPos, contains, type Move, moveTo, rangeOf, type Selection, single, step } from './model/selection';
import { ColumnGeometry, rowsPerPage, scrollToReveal, visibleRows } from './model/viewport';

// The virtualized grid. A scroll container holds only a spacer (capped in height, see scrollScaling.ts) and
// provides the native scrollbars; an overlay layer of the container's client size paints the header and the
// rows in view, positioned from the virtual scroll offset. Row and cell elements are pooled and repainted, so
// the DOM stays a few hundred nodes at any table size.

export interface GridColumn {
  schema: ColumnSchema;
  /** Index of the column in the schema (and in row values). */
  schemaIndex: number;
  width: number;
}

export interface GridHost {
  rowCount(): number;
  /** True once the row count will not grow any more (exact count or end of table seen). */
  rowCountFinal(): boolean;
  row(displayRow: number): DisplayRow | undefined;
  /** Text shown in a new row's cell that the database will fill (default or generated). */
  placeholder(schemaIndex: number): string;
  sort(): readonly SortKey[];
  isFiltered(column: string): boolean;
  viewportChanged(first: number, end: number): void;
  headerClicked(col: number, additive: boolean): void;
  headerMenu(col: number, anchor: DOMRect): void;
  cellMenu(cell: CellPos, anchor: { x: number; y: number }): void;
  columnResized(col: number, width: number, done: boolean): void;
  selectionChanged(): void;
  editRequested(cell: CellPos): void;
  scrolled(): void;
  /** Someone else's advisory lock on the row (they are editing it in a form), shown as a lock in the gutter. */
  lockOf?(row: DisplayRow): { owner: string; since: string } | undefined;
}

interface RowElement {
  element: HTMLDivElement;
  gutter: HTMLDivElement;
  cells: HTMLDivElement[];
}

export const ROW_HEIGHT = 24;
const HEADER_HEIGHT = 44;
const OVERSCAN_ROWS = 6;

export class GridView {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly emptyNote: HTMLDivElement;
  private columns: GridColumn[] = [];
  private geometry = new ColumnGeometry([]);
  private readonly scroll = new VerticalScroll();
  private scrollLeft = 0;
  private selectionState: Selection = single(0, 0);
  /** Set by Ctrl+End while the row count is not final: the selection moves to the last row when it is. */
  private followEnd: { extend: boolean } | false = false;
  private rows: RowElement[] = [];
  private headerSignature = '';
  private frame = 0;
  private layoutKey = '';
  private viewportWidth = 0;
  private viewportHeight = 0;
  private gutterWidth = 56;
  private dragging: 'cells' | 'rows' | undefined;
  private pendingScroll: { top: number; left: number } | undefined;
  private empty = '';
  /** Foreign keys of the table, for the header markers. */
  foreignKeys: ForeignKey[] = [];

  constructor(private readonly host: GridHost) {
    this.element = el('div', 'grid');
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', 'Table rows');
    this.scroller = el('div', 'grid-scroller');
    this.spacer = el('div', 'grid-spacer');
    this.scroller.append(this.spacer);
    this.layer = el('div', 'grid-layer');
    this.body = el('div', 'grid-body');
    this.header = el('div', 'grid-header');
    this.header.setAttribute('role', 'row');
    this.emptyNote = el('div', 'grid-empty');
    this.layer.append(this.body, this.header, this.emptyNote);
    this.element.append(this.scroller, this.layer);
    this.header.style.height = `${HEADER_HEIGHT}px`;
    this.body.style.top = `${HEADER_HEIGHT}px`;

    this.scroller.addEventListener('scroll', () => this.onNativeScroll());
    this.layer.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.layer.addEventListener('mousedown', (e) => this.onMouseDown(e));
    this.layer.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.layer.addEventListener('contextmenu', (e) => this.onContextMenu(e));
    window.addEventListener('mousemove', (e) => this.onMouseMove(e));
    window.addEventListener('mouseup', () => (this.dragging = undefined));
    new ResizeObserver(() => this.invalidate()).observe(this.element);
  }

  get selection(): Selection {
    return this.selectionState;
  }

  get visibleColumns(): readonly GridColumn[] {
    return this.columns;
  }

  get virtualTop(): number {
    return this.scroll.top;
  }

  get horizontalScroll(): number {
    return this.scrollLeft;
  }

  /** The row-number gutter's width, which the columns share the grid's width with. */
  get gutter(): number {
    return this.gutterWidth;
  }

  get pageRows(): number {
    return rowsPerPage(this.viewportHeight, ROW_HEIGHT);
  }

  setColumns(columns: GridColumn[]): void {
    this.columns = columns;
    this.geometry = new ColumnGeometry(columns.map((c) => c.width));
    this.headerSignature = '';
    this.layoutKey = '';
    this.clampSelection();
    this.invalidate();
  }

  /** Restores a saved scroll position once enough rows are known to scroll there. */
  restoreScroll(top: number, left: number): void {
    this.pendingScroll = { top, left };
    this.invalidate();
  }

  /** Shown in the body when there are no rows ("No rows match the filters."), empty to hide. */
  setEmptyMessage(text: string): void {
    if (this.empty === text) return;
    this.empty = text;
    this.emptyNote.textContent = text;
    this.emptyNote.hidden = text === '';
  }

  setSelection(selection: Selection, reveal = true): void {
    this.followEnd = false;
    this.selectionState = selection;
    this.clampSelection();
    if (reveal) this.reveal(this.selectionState.focus);
    this.host.selectionChanged();
    this.invalidate();
  }

  move(move: Move, extend: boolean): void {
    const bounds = this.bounds();
    if (bounds.rows === 0 || bounds.cols === 0) return;
    this.setSelection(moveTo(this.selectionState, step(this.selectionState.focus, move, bounds, this.pageRows), bounds, extend));
    // Ctrl+End while the count is still capped ("10,000+") means the table's end, not the 10,000th row: go there
    // when the exact count arrives, unless the user has moved elsewhere by then.
    if (move === 'last' && !this.host.rowCountFinal()) this.followEnd = { extend };
  }

  bounds(): { rows: number; cols: number } {
    return { rows: this.host.rowCount(), cols: this.columns.length };
  }

  focus(): void {
    this.element.focus({ preventScroll: true });
  }

  /** Scrolls so that `cell` is fully visible. */
  reveal(cell: CellPos): void {
    const top = scrollToReveal(cell.row, this.scroll.top, this.viewportHeight, ROW_HEIGHT);
    if (top !== undefined) this.scroller.scrollTop = this.scroll.scrollTo(top);
    if (cell.col >= 0 && cell.col < this.columns.length) {
      const left = this.geometry.reveal(cell.col, this.scrollLeft, this.viewportWidth - this.gutterWidth);
      if (left !== undefined) {
        this.scrollLeft = left;
        this.scroller.scrollLeft = left;
      }
    }
    this.host.scrolled();
    this.invalidate();
  }

  /** The cell's box relative to the grid element, for placing an editor over it. */
  cellBox(cell: CellPos): { left: number; top: number; width: number; height: number } {
    return {
      left: this.gutterWidth + this.geometry.offsets[cell.col] - this.scrollLeft,
      top: HEADER_HEIGHT + cell.row * ROW_HEIGHT - this.scroll.top,
      width: this.geometry.widths[cell.col],
      height: ROW_HEIGHT,
    };
  }

  invalidate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Paints now (tests of the real page wait for frames; the app calls this after bulk changes). */
  render(): void {
    this.layout();
    // Only once the count is final: following every page that loads would walk a table page by page to its end.
    // After layout: revealing the last row needs the scrollbar sized for the new count.
    if (this.followEnd && this.host.rowCountFinal()) {
      const { extend } = this.followEnd;
      const bounds = this.bounds();
      if (bounds.rows > 0 && bounds.cols > 0) this.setSelection(moveTo(this.selectionState, step(this.selectionState.focus, 'last', bounds, this.pageRows), bounds, extend));
      this.followEnd = false;
    }
    const rowCount = this.host.rowCount();
    const rows = visibleRows(this.scroll.top, this.viewportHeight, ROW_HEIGHT, rowCount, OVERSCAN_ROWS);
    const cols = this.geometry.visible(this.scrollLeft, this.viewportWidth - this.gutterWidth, 1);
    this.host.viewportChanged(rows.first, Math.max(rows.end, Math.min(rows.first + this.pageRows + OVERSCAN_ROWS, rowCount + this.pageRows)));
    this.paintHeader(cols.first, cols.end);
    this.paintRows(rows.first, rows.end, cols.first, cols.end);
  }

  private layout(): void {
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    const rowCount = this.host.rowCount();
    const digits = String(Math.max(1, rowCount)).length;
    this.gutterWidth = Math.max(48, 28 + digits * 8);
    const key = `${width}x${height}:${rowCount}:${this.geometry.total}:${this.gutterWidth}`;
    if (key === this.layoutKey) return;
    this.layoutKey = key;
    this.viewportWidth = width;
    this.viewportHeight = Math.max(0, height - HEADER_HEIGHT);
    this.layer.style.width = `${width}px`;
    this.layer.style.height = `${height}px`;
    const physicalTop = this.scroll.resize(rowCount * ROW_HEIGHT, this.viewportHeight);
    this.spacer.style.height = `${HEADER_HEIGHT + this.scroll.physicalHeight}px`;
    this.spacer.style.width = `${this.gutterWidth + this.geometry.total}px`;
    if (this.pendingScroll) {
      const { top, left } = this.pendingScroll;
      this.scroller.scrollTop = this.scroll.scrollTo(top);
      this.scrollLeft = clamp(left, 0, Math.max(0, this.geometry.total + this.gutterWidth - width));
      this.scroller.scrollLeft = this.scrollLeft;
      // Keep trying while rows are still arriving; stop once the position is reachable or the count is final.
      if (this.scroll.top >= top || this.host.rowCountFinal()) this.pendingScroll = undefined;
    } else if (Math.abs(this.scroller.scrollTop - physicalTop) > 1) {
      this.scroller.scrollTop = physicalTop;
    }
    this.header.style.width = `${width}px`;
  }

  private paintHeader(first: number, end: number): void {
    const sort = this.host.sort();
    const signature = `${first}:${end}:${this.scrollLeft}:${this.gutterWidth}:${JSON.stringify(sort)}:${this.columns.map((c) => `${c.schema.name}/${c.width}/${this.host.isFiltered(c.schema.name)}`).join('|')}:${rangeOf(this.selectionState).left}-${rangeOf(this.selectionState).right}`;
    if (signature === this.headerSignature) return;
    this.headerSignature = signature;
    const cells: HTMLElement[] = [];
    const corner = el('div', 'header-corner');
    corner.style.width = `${this.gutterWidth}px`;
    const range = rangeOf(this.selectionState);
    for (let c = first; c < end; c++) {
      const column = this.columns[c];
      const cell = el('div', 'header-cell');
      cell.setAttribute('role', 'columnheader');
      cell.dataset.col = String(c);
      if (c >= range.left && c <= range.right) cell.classList.add('in-selection');
      if (isNumericColumn(column.schema)) cell.classList.add('numeric');
      cell.style.width = `${column.width}px`;
      cell.style.transform = `translateX(${this.gutterWidth + this.geometry.offsets[c] - this.scrollLeft}px)`;
      const name = el('div', 'header-name');
      const schema = column.schema;
      if (schema.primaryKeyPosition !== undefined) {
        const key = codicon('key', 'marker pk');
        key.title = `Primary key${schema.primaryKeyPosition > 1 ? ` (position ${schema.primaryKeyPosition})` : ''}`;
        name.append(key);
      }
      const fk = this.foreignKeys.find((f) => f.columns.includes(schema.name));
      if (fk) {
        const link = codicon('references', 'marker fk');
        link.title = `Foreign key → ${fk.references.schema ? `${fk.references.schema}.` : ''}${fk.references.name}(${fk.referencedColumns.join(', ')})`;
        name.append(link);
      }
      name.append(el('span', 'header-label', schema.name));
      const sortIndex = sort.findIndex((s) => s.column === schema.name);
      if (sortIndex >= 0) {
        const arrow = codicon(sort[sortIndex].direction === 'asc' ? 'arrow-up' : 'arrow-down', 'sort-indicator');
        arrow.title = `Sorted ${sort[sortIndex].direction === 'asc' ? 'ascending' : 'descending'}`;
        name.append(arrow);
        if (sort.length > 1) name.append(el('span', 'sort-order', String(sortIndex + 1)));
        cell.setAttribute('aria-sort', sort[sortIndex].direction === 'asc' ? 'ascending' : 'descending');
      }
      if (this.host.isFiltered(schema.name)) name.append(codicon('filter-filled', 'filter-indicator'));
      const type = el('div', 'header-type', `${schema.declaredType || schema.kind}${schema.nullable ? '' : ' · NOT NULL'}`);
      type.title = [schema.declaredType, schema.defaultValue !== undefined ? `default ${schema.defaultValue}` : '', schema.generated ? 'generated' : '', schema.comment ?? ''].filter(Boolean).join(' · ');
      const menu = el('div', 'header-menu');
      menu.append(codicon('chevron-down'));
      menu.title = 'Column actions';
      menu.dataset.col = String(c);
      const handle = el('div', 'resize-handle');
      handle.dataset.col = String(c);
      handle.title = 'Drag to resize';
      cell.append(name, type, menu, handle);
      cell.title = `${schema.name}: click to sort, Shift+click to add to the sort`;
      cells.push(cell);
    }
    this.header.replaceChildren(...cells, corner);
  }

  private paintRows(first: number, end: number, colFirst: number, colEnd: number): void {
    const count = Math.max(0, end - first);
    while (this.rows.length < count) {
      const element = el('div', 'grid-row');
      element.setAttribute('role', 'row');
      const gutter = el('div', 'row-gutter');
      element.append(gutter);
      this.body.append(element);
      this.rows.push({ element, gutter, cells: [] });
    }
    while (this.rows.length > count) this.rows.pop()!.element.remove();
    const range = rangeOf(this.selectionState);
    const focus = this.selectionState.focus;
    const fullRows = range.left === 0 && range.right === this.columns.length - 1 && this.columns.length > 0;
    let painted = false;
    for (let i = 0; i < count; i++) {
      const r = first + i;
      const view = this.rows[i];
      const data = this.host.row(r);
      if (data) painted = true;
      view.element.style.transform = `translateY(${r * ROW_HEIGHT - this.scroll.top}px)`;
      view.element.className = 'grid-row';
      view.element.classList.toggle('odd', r % 2 === 1);
      view.element.classList.toggle('inserted', data?.kind === 'inserted');
      view.element.classList.toggle('deleted', data?.deleted === true);
      view.element.classList.toggle('has-problem', data?.problem !== undefined);
      view.element.classList.toggle('loading', data === undefined);
      view.element.setAttribute('aria-rowindex', String(r + 2));
      view.gutter.style.width = `${this.gutterWidth}px`;
      view.gutter.className = 'row-gutter';
      view.gutter.classList.toggle('in-selection', r >= range.top && r <= range.bottom);
      view.gutter.classList.toggle('full', fullRows && r >= range.top && r <= range.bottom);
      view.gutter.replaceChildren();
      if (data) {
        if (data.problem) {
          const icon = codicon(data.problem.code === 'conflict' ? 'git-compare' : 'error', 'row-problem');
          view.gutter.append(icon);
          view.gutter.title = data.problem.message;
        } else if (data.deleted) {
          view.gutter.append(codicon('trash', 'row-state'));
          view.gutter.title = 'Will be deleted on save';
        } else if (data.kind === 'inserted') {
          view.gutter.append(codicon('add', 'row-state'));
          view.gutter.title = 'New row, inserted on save';
        } else if (data.dirty.size > 0) {
          view.gutter.append(codicon('circle-filled', 'row-state'));
          view.gutter.title = 'Changed, saved on Save';
        } else {
          const lock = this.host.lockOf?.(data);
          if (lock) {
            view.gutter.append(codicon('lock', 'row-state row-lock'));
            view.gutter.title = `Locked by ${lock.owner} since ${lockTime(lock.since)}: being edited in another tab or window`;
          } else view.gutter.removeAttribute('title');
        }
        if (data.kind === 'table') view.gutter.append(el('span', 'row-number', data.label));
      }
      const cellCount = Math.max(0, colEnd - colFirst);
      while (view.cells.length < cellCount) {
        const cell = el('div', 'cell');
        cell.setAttribute('role', 'gridcell');
        view.element.insertBefore(cell, view.gutter);
        view.cells.push(cell);
      }
      while (view.cells.length > cellCount) view.cells.pop()!.remove();
      for (let j = 0; j < cellCount; j++) {
        const c = colFirst + j;
        const column = this.columns[c];
        const cell = view.cells[j];
        cell.style.width = `${column.width}px`;
        cell.style.transform = `translateX(${this.gutterWidth + this.geometry.offsets[c] - this.scrollLeft}px)`;
        let className = 'cell';
        if (isNumericColumn(column.schema)) className += ' numeric';
        if (contains(range, r, c)) className += ' selected';
        if (focus.row === r && focus.col === c) className += ' focused';
        if (!data) {
          cell.textContent = '';
          cell.className = `${className} pending`;
          continue;
        }
        const value = data.values[column.schemaIndex];
        if (data.dirty.has(column.schemaIndex)) className += ' dirty';
        if (data.problem?.column === column.schema.name) className += ' problem';
        if (value === undefined) {
          cell.textContent = this.host.placeholder(column.schemaIndex);
          cell.className = `${className} look-default`;
          continue;
        }
        const formatted = formatCell(value, column.schema);
        cell.textContent = formatted.text;
        className += ` look-${formatted.look}`;
        if (formatted.look === 'number') className += ' numeric';
        if (formatted.truncated) className += ' truncated';
        cell.className = className;
      }
    }
    if (painted) markPainted('first-rows');
  }

  private onNativeScroll(): void {
    const movedVertically = this.scroll.onScroll(this.scroller.scrollTop);
    const left = this.scroller.scrollLeft;
    if (!movedVertically && left === this.scrollLeft) return;
    this.scrollLeft = left;
    this.host.scrolled();
    this.invalidate();
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? ROW_HEIGHT : e.deltaMode === 2 ? this.viewportHeight : 1;
    let dx = e.deltaX * unit;
    let dy = e.deltaY * unit;
    if (e.shiftKey && dx === 0) [dx, dy] = [dy, 0];
    if (dy !== 0) this.scroller.scrollTop = this.scroll.scrollBy(dy);
    if (dx !== 0) {
      this.scrollLeft = clamp(this.scrollLeft + dx, 0, Math.max(0, this.gutterWidth + this.geometry.total - this.viewportWidth));
      this.scroller.scrollLeft = this.scrollLeft;
    }
    this.host.scrolled();
    this.invalidate();
  }

  /** Which cell, gutter row or header a point of the layer is on. */
  private hit(e: MouseEvent): { area: 'header' | 'gutter' | 'cell' | 'none'; row: number; col: number } {
    const box = this.layer.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    const col = x < this.gutterWidth ? -1 : this.geometry.columnAt(x - this.gutterWidth + this.scrollLeft);
    const withinColumns = x - this.gutterWidth + this.scrollLeft < this.geometry.total;
    if (y < HEADER_HEIGHT) return { area: 'header', row: -1, col: withinColumns ? col : -1 };
    const row = Math.floor((y - HEADER_HEIGHT + this.scroll.top) / ROW_HEIGHT);
    if (row >= this.host.rowCount()) return { area: 'none', row: -1, col: -1 };
    if (x < this.gutterWidth) return { area: 'gutter', row, col: -1 };
    return withinColumns ? { area: 'cell', row, col } : { area: 'none', row, col: -1 };
  }

  private onMouseDown(e: MouseEvent): void {
    if (e.button !== 0) return;
    const target = e.target as HTMLElement;
    const handle = target.closest<HTMLElement>('.resize-handle');
    if (handle) {
      e.preventDefault();
      this.startResize(Number(handle.dataset.col), e.clientX);
      return;
    }
    const menu = target.closest<HTMLElement>('.header-menu');
    if (menu) {
      e.preventDefault();
      this.host.headerMenu(Number(menu.dataset.col), menu.getBoundingClientRect());
      return;
    }
    const hit = this.hit(e);
    if (hit.area === 'header') {
      if (hit.col >= 0) this.host.headerClicked(hit.col, e.shiftKey);
      return;
    }
    e.preventDefault();
    this.focus();
    const cols = this.columns.length;
    if (hit.area === 'gutter' && cols > 0) {
      const anchor = e.shiftKey ? { row: this.selectionState.anchor.row, col: 0 } : { row: hit.row, col: 0 };
      this.setSelection({ anchor, focus: { row: hit.row, col: cols - 1 } }, false);
      this.dragging = 'rows';
    } else if (hit.area === 'cell') {
      this.setSelection(e.shiftKey ? { anchor: this.selectionState.anchor, focus: { row: hit.row, col: hit.col } } : single(hit.row, hit.col), false);
      this.dragging = 'cells';
    }
  }

  private onMouseMove(e: MouseEvent): void {
    if (!this.dragging || (e.buttons & 1) === 0) return;
    const hit = this.hit(e);
    if (hit.row < 0) return;
    const focus = this.dragging === 'rows' ? { row: hit.row, col: this.columns.length - 1 } : { row: hit.row, col: hit.col < 0 ? this.selectionState.focus.col : hit.col };
    if (focus.row !== this.selectionState.focus.row || focus.col !== this.selectionState.focus.col) this.setSelection({ anchor: this.selectionState.anchor, focus }, false);
  }

  private onDoubleClick(e: MouseEvent): void {
    const hit = this.hit(e);
    if (hit.area === 'cell') this.host.editRequested({ row: hit.row, col: hit.col });
  }

  private onContextMenu(e: MouseEvent): void {
    const hit = this.hit(e);
    if (hit.area === 'header' && hit.col >= 0) {
      e.preventDefault();
      this.host.headerMenu(hit.col, new DOMRect(e.clientX, e.clientY, 0, 0));
      return;
    }
    if (hit.area !== 'cell' && hit.area !== 'gutter') return;
    e.preventDefault();
    const col = hit.col < 0 ? 0 : hit.col;
    if (!contains(rangeOf(this.selectionState), hit.row, col)) this.setSelection(single(hit.row, col), false);
    this.host.cellMenu({ row: hit.row, col }, { x: e.clientX, y: e.clientY });
  }

  private startResize(col: number, startX: number): void {
    const startWidth = this.columns[col].width;
    document.body.classList.add('resizing');
    const move = (e: MouseEvent) => this.host.columnResized(col, startWidth + e.clientX - startX, false);
    const up = (e: MouseEvent) => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      document.body.classList.remove('resizing');
      this.host.columnResized(col, startWidth + e.clientX - startX, true);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }

  private clampSelection(): void {
    const { rows, cols } = this.bounds();
    const fix = (p: CellPos) => ({ row: clamp(p.row, 0, Math.max(0, rows - 1)), col: clamp(p.col, 0, Math.max(0, cols - 1)) });
    this.selectionState = { anchor: fix(this.selectionState.anchor), focus: fix(this.selectionState.focus) };
  }
}
