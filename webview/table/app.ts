// Over 400 lines (921) until issue 14 splits the grid controller by responsibility (editing, clipboard, menus, key
// map, status line, saving) on the shared webview library; this change only touched its save-failure message.
import type { CellValue, ColumnSchema, RowKey, TableSchema } from '../../api';
import type { NocofloViewClient, RowLockInfo } from '../../api/webview';
import { decodeChange, encodeChange, type Query } from '../../shared/protocolCodec';
import { rowCountText } from '../../shared/rowCountText';
import { rowKeyText } from '../../shared/rowLocks';
import { formatStatements } from '../../shared/statementPreview';
import { CellEditor, type EditorMove } from './cellEditor';
import { showConflict } from '../shared/conflictDialog';
import { showDialog } from '../shared/dialogs';
import { codicon, debounce, el, isPrintableKey, primaryModifier } from '../shared/dom';
import { messageOf } from '../shared/errorMessage';
import { FilterBar } from './filterBar';
import { type GridColumn, type GridHost, GridView } from './gridView';
import { closeMenu, type MenuEntry, showMenu } from './menus';
import { fullText, hex } from '../shared/model/cellFormat';
import { describeChange } from './model/changeDescription';
import { copyText, planPaste } from './model/clipboardModel';
import { overwrittenCells, pasteNeedsConfirmation } from './model/pasteGuard';
import { DisplayRows } from './model/displayRows';
import { buildFilters, type FilterDraft, searchColumns } from '../shared/model/filterModel';
import { defaultWidth, type GridState, MAX_WIDTH, MIN_WIDTH, restoreState } from './model/gridState';
import { stateFromQuery } from './model/handedQuery';
import { PendingChanges, type RowRef } from '../shared/model/pendingChanges';
import { SaveController } from '../shared/saveController';
import { RowSource } from '../shared/model/rowSource';
import { type CellPos, type Move, rangeOf, tabStep } from './model/selection';
import { toggleSort } from './model/sortModel';
import { parsePasted } from '../shared/model/valueInput';
import { Toolbar } from './toolbar';
import { MessageStrip } from '../shared/messageStrip';
import { noticeText, withoutNotices } from '../shared/model/schemaNotices';

/** The built-in form view (plugins/form-view); "Open row in form" is offered only when it can show this table. */
const FORM_VIEW_ID = 'nocoflo.form';

const MAX_COPY_ROWS = 10_000;

/**
 * The table view: wires the grid, toolbar, filters, editor and status line to the view client. Everything it
 * reads or writes goes through `client` (api/webview.d.ts), the same door a third-party view uses.
 */
export class TableApp {
  private schema: TableSchema;
  private columns: ColumnSchema[];
  private readOnlyReason: string | undefined;
  private state: GridState;
  private source!: RowSource;
  private pending: PendingChanges;
  private display!: DisplayRows;
  private readonly grid: GridView;
  /** Other tabs' and windows' row locks on this table, by row key text. */
  private rowLocks = new Map<string, RowLockInfo>();
  private readonly editor: CellEditor;
  private readonly toolbar: Toolbar;
  private filterBar!: FilterBar;
  private readonly filterHost: HTMLDivElement;
  private readonly banner: HTMLDivElement;
  private readonly strip = new MessageStrip();
  private readonly status: { count: HTMLSpanElement; selection: HTMLSpanElement; pending: HTMLSpanElement; query: HTMLSpanElement; note: HTMLSpanElement };
  private readonly saver: SaveController;
  private selectionRestored = false;
  private readonly persist = debounce(250, () => this.saveState());

  constructor(
    private readonly client: NocofloViewClient,
    private readonly root: HTMLElement,
  ) {
    const init = client.init;
    this.schema = init.schema;
    this.columns = init.schema.columns;
    this.readOnlyReason = init.readOnlyReason;
    const saved = client.getState();
    // A tab switched from another view starts with that view's query (API 1.2); the grid's own state wins.
    this.state = saved === undefined ? stateFromQuery(restoreState(undefined, this.columns), init.query, this.columns) : restoreState(saved, this.columns);
    const restored = init.pending ?? (this.state.pending ?? []).map(decodeChange);
    this.pending = PendingChanges.restore(restored);
    this.saver = new SaveController(client, this.pending, this.strip, showConflict, {
      columns: () => this.columns,
      savingChanged: () => this.updateChrome(),
      pendingChanged: () => this.pushPending(),
      reloadRows: () => this.source.reload(),
      locate: (id) => {
        const row = id === undefined ? undefined : this.display.find(id, this.source.totalRows);
        if (row === undefined) return { actions: [] };
        const select = () => this.grid.setSelection({ anchor: { row, col: 0 }, focus: { row, col: 0 } });
        return { actions: [{ label: 'Show row', run: select }], select };
      },
      retry: () => void this.save(),
      reloadAfterConflict: () => this.source.reload(),
    });

    root.classList.add('view-app', 'table-app');
    this.banner = el('div', 'readonly-banner');
    this.banner.setAttribute('role', 'note');
    this.toolbar = new Toolbar(
      {
        refresh: () => void this.refresh(),
        toggleFilters: () => this.toggleFilters(),
        search: (text) => this.setSearch(text),
        insert: () => this.insertRow(),
        duplicate: () => this.duplicateRows(),
        deleteRows: () => this.deleteRows(),
        setNull: () => this.setNull(),
        viewValue: () => this.viewValue(),
        discard: () => this.discard(),
        preview: () => void this.preview(),
        save: () => void this.save(),
        exportMenu: (anchor) => this.exportMenu(anchor),
        columnsMenu: () => this.columnsDialog(),
      },
      this.state.search,
    );
    this.filterHost = el('div', 'filter-host');
    this.grid = new GridView(this.gridHost());
    this.editor = new CellEditor(this.grid.element);
    const statusBar = el('div', 'status-bar');
    this.status = {
      count: el('span', 'status-count'),
      query: el('span', 'status-query'),
      note: el('span', 'status-note'),
      selection: el('span', 'status-selection'),
      pending: el('span', 'status-pending'),
    };
    statusBar.append(this.status.count, this.status.query, this.status.note, this.status.selection, this.status.pending);
    root.replaceChildren(this.banner, this.toolbar.element, this.filterHost, this.strip.element, this.grid.element, statusBar);

    this.applySchema(init.schema, init.readOnlyReason);
    this.showNotices();
    this.grid.restoreScroll(this.state.scrollTop, this.state.scrollLeft);
    this.grid.element.addEventListener('keydown', (e) => this.onKey(e));
    document.addEventListener('copy', (e) => this.onCopy(e));
    document.addEventListener('paste', (e) => this.onPaste(e));
    document.addEventListener('keydown', (e) => this.onDocumentKey(e));
    client.onRefresh(() => this.source.reload());
    client.onTheme(() => this.grid.invalidate());
    // Rows someone else is editing in a form (advisory locks) get a lock in the gutter.
    client.onLocks?.((locks) => {
      this.rowLocks = new Map(locks.filter((l) => !l.mine).map((l) => [rowKeyText(l.key), l]));
      this.grid.invalidate();
    });
    window.addEventListener('beforeunload', () => this.persist.flush());
    this.pushPending();
    this.grid.focus();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Schema, query and rows
  // ------------------------------------------------------------------------------------------------------------

  private applySchema(schema: TableSchema, readOnlyReason: string | undefined): void {
    this.schema = schema;
    this.columns = schema.columns;
    this.readOnlyReason = readOnlyReason;
    this.state = restoreState(this.state, this.columns);
    this.source?.dispose();
    this.source = new RowSource(
      this.client,
      this.columns.map((c) => c.name),
      {
        changed: () => this.rowsChanged(),
        failed: (message) => this.strip.show('error', `Could not read rows: ${message}`, [{ label: 'Retry', run: () => this.source.retry() }]),
      },
    );
    this.display = new DisplayRows(this.columns, this.source, this.pending);
    this.filterBar = new FilterBar(this.columns, (drafts) => this.setFilters(drafts));
    this.filterHost.replaceChildren(this.filterBar.element);
    this.filterBar.set(this.state.filters);
    this.filterHost.hidden = !this.state.showFilters;
    this.grid.foreignKeys = schema.foreignKeys;
    this.updateColumns();
    this.banner.replaceChildren();
    this.banner.hidden = readOnlyReason === undefined;
    if (readOnlyReason !== undefined) this.banner.append(codicon('lock'), el('span', 'readonly-text', `Read-only: ${readOnlyReason}`));
    this.source.setQuery(this.query());
    this.updateChrome();
  }

  private query(): Query {
    const { filters, problems } = buildFilters(this.state.filters, this.columns);
    this.filterBar.showProblems(problems);
    const query: Query = {};
    if (this.state.sort.length > 0) query.sort = this.state.sort;
    if (filters.length > 0) query.filters = filters;
    const search = this.state.search.trim();
    if (search !== '') query.search = { text: search, columns: searchColumns(this.columns) };
    return query;
  }

  private requery(): void {
    this.source.setQuery(this.query());
    this.grid.setSelection({ anchor: { row: 0, col: this.grid.selection.focus.col }, focus: { row: 0, col: this.grid.selection.focus.col } });
    this.grid.restoreScroll(0, this.grid.horizontalScroll);
    this.persist();
    this.updateChrome();
  }

  private setFilters(drafts: FilterDraft[]): void {
    this.state.filters = drafts;
    this.requery();
  }

  private setSearch(text: string): void {
    this.state.search = text;
    this.requery();
  }

  private toggleFilters(show = !this.state.showFilters): void {
    this.state.showFilters = show;
    this.filterHost.hidden = !show;
    if (show && this.state.filters.length === 0) this.filterBar.add(this.columns[this.visibleColumn(this.grid.selection.focus.col)?.schemaIndex ?? 0]?.name);
    else if (show) this.filterBar.focusLast();
    this.persist();
    this.updateChrome();
  }

  private async refresh(): Promise<void> {
    try {
      const { schema, readOnlyReason } = await this.client.refreshSchema();
      // Notices are recounted on every refresh; a new count alone must not rebuild the grid (and lose its place).
      const same = JSON.stringify(withoutNotices(schema)) === JSON.stringify(withoutNotices(this.schema)) && readOnlyReason === this.readOnlyReason;
      if (same) {
        this.schema = schema;
        this.source.reload();
      } else this.applySchema(schema, readOnlyReason);
      this.strip.hide();
      this.showNotices();
    } catch (error) {
      this.strip.show('error', `Refresh failed: ${messageOf(error)}`);
    }
  }

  /** The datasource's warnings about this table's data (TableSchema.notices), shown when it opens or refreshes. */
  private showNotices(): void {
    const text = noticeText(this.schema);
    if (text !== undefined) this.strip.show('warning', text);
  }

  private rowsChanged(): void {
    if (!this.selectionRestored && this.source.started) {
      this.selectionRestored = true;
      if (this.state.selection) this.grid.setSelection(this.state.selection, false);
    }
    const total = this.display.count(this.source.totalRows);
    this.grid.setEmptyMessage(this.source.started && total === 0 ? (this.state.filters.length > 0 || this.state.search ? 'No rows match the filters.' : 'This table has no rows.') : '');
    this.grid.invalidate();
    this.updateChrome();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Columns
  // ------------------------------------------------------------------------------------------------------------

  private updateColumns(): void {
    const hidden = new Set(this.state.hidden);
    const columns: GridColumn[] = [];
    this.columns.forEach((schema, schemaIndex) => {
      if (!hidden.has(schema.name)) columns.push({ schema, schemaIndex, width: this.state.widths[schema.name] ?? defaultWidth(schema) });
    });
    this.grid.setColumns(columns);
  }

  private visibleColumn(col: number): GridColumn | undefined {
    return this.grid.visibleColumns[col];
  }

  private hideColumn(name: string): void {
    if (this.state.hidden.length + 1 >= this.columns.length) {
      this.strip.show('info', 'At least one column stays visible.');
      return;
    }
    this.state.hidden = [...this.state.hidden, name];
    this.updateColumns();
    this.persist();
  }

  private columnsDialog(): void {
    const list = el('div', 'column-list');
    const boxes = this.columns.map((column) => {
      const box = document.createElement('vscode-checkbox');
      box.setAttribute('label', `${column.name}  (${column.declaredType || column.kind})`);
      box.toggleAttribute('checked', !this.state.hidden.includes(column.name));
      list.append(box);
      return { column, box };
    });
    showDialog('Columns', list, [
      { label: 'Cancel' },
      {
        label: 'Apply',
        primary: true,
        run: () => {
          const hidden = boxes.filter(({ box }) => !(box as unknown as { checked: boolean }).checked).map(({ column }) => column.name);
          if (hidden.length === this.columns.length) return false;
          this.state.hidden = hidden;
          this.updateColumns();
          this.persist();
          return true;
        },
      },
    ]);
  }

  // ------------------------------------------------------------------------------------------------------------
  // The grid's view of the data
  // ------------------------------------------------------------------------------------------------------------

  private gridHost(): GridHost {
    return {
      rowCount: () => this.display.count(this.source.totalRows),
      rowCountFinal: () => this.source.cache.knownEnd !== undefined || (this.source.displayCount?.exact === true && !this.source.displayCount.capped),
      row: (r) => this.display.get(r),
      lockOf: (row) => (row.ref ? this.rowLocks.get(rowKeyText(row.ref.key)) : undefined),
      placeholder: (i) => this.placeholder(this.columns[i]),
      sort: () => this.state.sort,
      isFiltered: (name) => this.state.filters.some((f) => f.column === name),
      viewportChanged: (first, end) => {
        const inserted = this.display.insertedCount;
        this.source.want(Math.max(0, first - inserted), Math.max(0, end - inserted));
      },
      headerClicked: (col, additive) => {
        const column = this.visibleColumn(col);
        if (!column) return;
        this.state.sort = toggleSort(this.state.sort, column.schema.name, additive);
        this.requery();
      },
      headerMenu: (col, anchor) => this.headerMenu(col, anchor),
      cellMenu: (cell, at) => this.cellMenu(cell, at),
      columnResized: (col, width, done) => {
        const column = this.visibleColumn(col);
        if (!column) return;
        this.state.widths[column.schema.name] = Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)));
        this.updateColumns();
        if (done) this.persist();
      },
      selectionChanged: () => {
        this.persist();
        this.updateChrome();
      },
      // On a cell that cannot be edited, a double-click shows the whole value instead.
      editRequested: (cell) => (this.editProblem(cell) === undefined ? this.startEdit(cell) : this.viewValue(cell)),
      scrolled: () => {
        this.editor.close();
        this.persist();
      },
    };
  }

  private placeholder(column: ColumnSchema): string {
    if (column.generated) return '(generated)';
    if (column.autoIncrement || (column.primaryKeyPosition !== undefined && column.kind === 'integer' && this.schema.primaryKey.length === 1)) return '(auto)';
    if (column.defaultValue !== undefined) return `DEFAULT ${column.defaultValue}`;
    return column.nullable ? 'NULL' : '(required)';
  }

  // ------------------------------------------------------------------------------------------------------------
  // Editing
  // ------------------------------------------------------------------------------------------------------------

  private get capabilities() {
    return this.client.init.capabilities;
  }

  /** Why a cell cannot be edited, or undefined when it can. */
  private editProblem(cell: CellPos): string | undefined {
    if (this.readOnlyReason) return this.readOnlyReason;
    const row = this.display.get(cell.row);
    const column = this.visibleColumn(cell.col)?.schema;
    if (!row || !column) return 'The row is still loading.';
    if (column.generated) return `"${column.name}" is generated by the database.`;
    if (column.readOnly) return `"${column.name}" is read-only.`;
    if (row.kind === 'inserted') return this.capabilities.insert ? undefined : 'This datasource cannot insert rows.';
    if (!row.ref) return 'This row cannot be addressed, so it cannot be changed.';
    if (row.deleted) return 'This row will be deleted on save.';
    return this.capabilities.update ? undefined : 'This datasource cannot update rows.';
  }

  private startEdit(cell: CellPos, typed?: string): void {
    const problem = this.editProblem(cell);
    if (problem) {
      this.strip.show('info', problem);
      return;
    }
    const row = this.display.get(cell.row)!;
    const column = this.visibleColumn(cell.col)!;
    this.grid.setSelection({ anchor: cell, focus: cell });
    this.grid.render();
    this.editor.open(this.grid.cellBox(cell), column.schema, row.values[column.schemaIndex], typed, (outcome) => {
      if (outcome.kind === 'commit') this.setCell(cell, outcome.value);
      if (outcome.kind !== 'cancel') this.moveAfterEdit(cell, outcome.move);
      this.grid.focus();
    });
  }

  private moveAfterEdit(cell: CellPos, move: EditorMove): void {
    const bounds = this.grid.bounds();
    const target =
      move === 'down' ? { row: Math.min(bounds.rows - 1, cell.row + 1), col: cell.col } : move === 'up' ? { row: Math.max(0, cell.row - 1), col: cell.col } : move === 'stay' ? cell : tabStep(cell, move === 'previous', bounds);
    this.grid.setSelection({ anchor: target, focus: target });
  }

  /** Records a cell value as a pending edit. Returns false (with no change) when the cell is not editable. */
  private setCell(cell: CellPos, value: CellValue, report = true): boolean {
    const problem = this.editProblem(cell);
    if (problem) {
      if (report) this.strip.show('info', problem);
      return false;
    }
    const row = this.display.get(cell.row)!;
    const column = this.visibleColumn(cell.col)!.schema;
    if (row.kind === 'inserted') this.pending.editInserted(row.id!, column.name, value);
    else this.pending.editRow(row.ref as RowRef, column.name, value);
    if (report) this.pushPending();
    return true;
  }

  private insertRow(): void {
    if (this.readOnlyReason || !this.capabilities.insert) return;
    this.pending.insert();
    this.afterInsert(1);
  }

  private duplicateRows(): void {
    if (this.readOnlyReason || !this.capabilities.insert) return;
    const range = rangeOf(this.grid.selection);
    let added = 0;
    for (let r = range.top; r <= range.bottom && added < 1_000; r++) {
      const row = this.display.get(r);
      if (!row) continue;
      const values: Record<string, CellValue> = {};
      this.columns.forEach((c, i) => {
        const value = row.values[i];
        // Keys and database-filled columns are left to the database, or the copy would collide with its source.
        if (value !== undefined && c.primaryKeyPosition === undefined && !c.generated && !c.autoIncrement && !c.readOnly) values[c.name] = value;
      });
      this.pending.insert(values);
      added++;
    }
    if (added > 0) this.afterInsert(added);
  }

  private afterInsert(added: number): void {
    this.pushPending();
    const first = this.display.insertedCount - added;
    const col = Math.max(0, this.grid.visibleColumns.findIndex((c) => !c.schema.generated && !c.schema.autoIncrement && !c.schema.readOnly));
    this.grid.setSelection({ anchor: { row: first, col }, focus: { row: this.display.insertedCount - 1, col } });
    this.grid.focus();
  }

  private deleteRows(): void {
    // The Delete key reaches here even when the button is disabled: say why instead of doing nothing.
    const roleReason = this.client.init.unavailable?.delete;
    if (!this.readOnlyReason && roleReason !== undefined) this.strip.show('info', roleReason);
    if (this.readOnlyReason || !this.capabilities.delete) return;
    const range = rangeOf(this.grid.selection);
    const rows = [];
    for (let r = range.top; r <= range.bottom; r++) {
      const row = this.display.get(r);
      if (row?.id !== undefined) rows.push(row);
    }
    if (rows.length === 0) return;
    // Delete on rows already marked for deletion takes the mark back.
    if (rows.every((row) => row.deleted)) for (const row of rows) this.pending.undelete(row.id!);
    else this.pending.delete(rows.map((row) => ({ id: row.id!, ...(row.ref ? { ref: row.ref } : {}) })));
    this.pushPending();
  }

  private setNull(): void {
    const range = rangeOf(this.grid.selection);
    const problems = new Set<string>();
    let changed = 0;
    for (let r = range.top; r <= range.bottom; r++) {
      for (let c = range.left; c <= range.right; c++) {
        const column = this.visibleColumn(c)?.schema;
        if (!column) continue;
        if (!column.nullable) {
          problems.add(`"${column.name}" cannot be NULL.`);
          continue;
        }
        const problem = this.editProblem({ row: r, col: c });
        if (problem) problems.add(problem);
        else if (this.setCell({ row: r, col: c }, null, false)) changed++;
      }
    }
    if (changed > 0) this.pushPending();
    if (problems.size > 0) this.strip.show('info', [...problems].slice(0, 3).join(' '));
  }

  private discard(): void {
    this.pending.discard();
    this.pushPending();
    this.strip.hide();
    this.source.reload();
  }

  /** Shows the exact statements Save will run when the datasource can tell, else a description of each change. */
  private async preview(): Promise<void> {
    const { changes } = this.pending.toChanges();
    const transactional = this.capabilities.transactions;
    const body = el('div');
    const count = changes.length === 1 ? '1 change' : `${changes.length} changes`;
    body.append(el('p', 'dialog-note', `Save applies ${changes.length === 1 ? 'this change' : `these ${count}`}${transactional ? ' in one transaction: all of it or none' : ' one by one, stopping at the first failure'}.`));
    let statements: Awaited<ReturnType<typeof this.client.previewChanges>> = null;
    try {
      statements = await this.client.previewChanges(changes);
    } catch (error) {
      body.append(el('p', 'dialog-note preview-problem', `Nocoflo could not preview these changes: ${messageOf(error)}`));
    }
    if (statements) {
      body.append(el('pre', 'dialog-text sql-preview', formatStatements(statements, transactional)));
    } else {
      const list = el('ol', 'change-list');
      for (const change of changes) list.append(el('li', `change-${change.kind}`, describeChange(change, this.columns)));
      body.append(list);
    }
    const copy = statements ? [{ label: 'Copy SQL', run: () => this.client.writeClipboard(formatStatements(statements, transactional)) }] : [];
    showDialog(statements ? `Preview SQL (${count})` : `Pending changes (${count})`, body, [
      { label: 'Close' },
      ...copy,
      { label: 'Save', primary: true, run: () => void this.save() },
    ]);
  }

  private save(): Promise<void> {
    return this.saver.save(() => this.source.reload());
  }

  /** Tells the host (dirty title, close prompt) and the saved state about the pending edits. */
  private pushPending(): void {
    const { changes } = this.pending.toChanges();
    this.client.setPendingChanges(changes);
    this.persist();
    this.rowsChanged();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Viewing, copying, pasting, exporting
  // ------------------------------------------------------------------------------------------------------------

  private viewValue(cell: CellPos = this.grid.selection.focus): void {
    const row = this.display.get(cell.row);
    const column = this.visibleColumn(cell.col)?.schema;
    if (!row || !column) return;
    const value = row.values[this.columns.indexOf(column)];
    let text: string;
    if (value === undefined) text = this.placeholder(column);
    else if (value === null) text = 'NULL';
    else if (value instanceof Uint8Array) text = hexDump(value);
    else text = fullText(value, column);
    const body = el('div');
    body.append(el('div', 'dialog-note', `${column.name} · ${column.declaredType || column.kind}${value === '' ? ' · empty string' : typeof value === 'string' ? ` · ${value.length.toLocaleString('en-US')} characters` : ''}`), el('pre', 'dialog-text', text));
    showDialog(`Row ${row.label} · ${column.name}`, body, [
      { label: 'Copy', run: () => (this.client.writeClipboard(value === undefined || value === null ? '' : value instanceof Uint8Array ? `\\x${hex(value)}` : String(value)), true) },
      { label: 'Close', primary: true },
    ]);
  }

  private selectionBlock(): { rows: (CellValue | undefined)[][]; columns: ColumnSchema[]; complete: boolean } {
    const range = rangeOf(this.grid.selection);
    const columns: ColumnSchema[] = [];
    const indexes: number[] = [];
    for (let c = range.left; c <= range.right; c++) {
      const column = this.visibleColumn(c);
      if (column) {
        columns.push(column.schema);
        indexes.push(column.schemaIndex);
      }
    }
    const rows: (CellValue | undefined)[][] = [];
    let complete = true;
    for (let r = range.top; r <= Math.min(range.bottom, range.top + MAX_COPY_ROWS - 1); r++) {
      const row = this.display.get(r);
      if (!row) complete = false;
      rows.push(indexes.map((i) => row?.values[i]));
    }
    return { rows, columns, complete };
  }

  /** Copies the selection; rows not loaded yet are read first and the text goes through the host's clipboard. */
  private async copySelection(withHeaders: boolean, event?: ClipboardEvent): Promise<void> {
    const range = rangeOf(this.grid.selection);
    if (range.bottom - range.top + 1 > MAX_COPY_ROWS) this.strip.show('info', `Copied the first ${MAX_COPY_ROWS.toLocaleString('en-US')} rows; use Export for more.`);
    const block = this.selectionBlock();
    if (block.complete && event?.clipboardData) {
      event.clipboardData.setData('text/plain', copyText(block.rows, block.columns, withHeaders));
      event.preventDefault();
      return;
    }
    event?.preventDefault();
    if (!block.complete) {
      const inserted = this.display.insertedCount;
      const first = Math.max(0, range.top - inserted);
      const limit = Math.min(MAX_COPY_ROWS, range.bottom - inserted - first + 1);
      try {
        const page = await this.client.readRows({ ...this.query(), offset: first, limit });
        const order = block.columns.map((c) => page.columns.indexOf(c.name));
        page.rows.forEach((values, i) => {
          const r = first + inserted + i - range.top;
          if (r >= 0 && r < block.rows.length) block.rows[r] = order.map((j, k) => this.display.get(range.top + r)?.values[this.columns.indexOf(block.columns[k])] ?? (j < 0 ? null : values[j]));
        });
      } catch (error) {
        this.strip.show('error', `Copy failed: ${messageOf(error)}`);
        return;
      }
    }
    this.client.writeClipboard(copyText(block.rows, block.columns, withHeaders));
  }

  private onCopy(e: ClipboardEvent): void {
    if (!this.gridHasFocus()) return;
    void this.copySelection(false, e);
  }

  private onPaste(e: ClipboardEvent): void {
    if (!this.gridHasFocus()) return;
    const text = e.clipboardData?.getData('text/plain');
    if (text === undefined) return;
    e.preventDefault();
    this.paste(text);
  }

  private paste(text: string): void {
    if (this.readOnlyReason) {
      this.strip.show('info', this.readOnlyReason);
      return;
    }
    const { cells, clipped } = planPaste(text, rangeOf(this.grid.selection), this.grid.bounds());
    const overwritten = overwrittenCells(cells, (row) => {
      const shown = this.display.get(row);
      return shown !== undefined && shown.kind !== 'inserted';
    });
    if (pasteNeedsConfirmation(overwritten, this.client.init.confirm)) {
      showDialog(
        `Overwrite ${overwritten} cells?`,
        `This paste replaces ${overwritten} values in existing rows (more than ${this.client.init.confirm!.pasteOverCells}). They stay pending until you save; Discard brings them back.`,
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
      const column = this.visibleColumn(cell.col)?.schema;
      if (!column) continue;
      const parsed = parsePasted(cell.text, column);
      if (!parsed.ok) {
        problems.push(`${column.name}: ${parsed.error}`);
        continue;
      }
      const problem = this.editProblem({ row: cell.row, col: cell.col });
      if (problem) {
        problems.push(problem);
        continue;
      }
      if (this.setCell({ row: cell.row, col: cell.col }, parsed.value, false)) pasted++;
    }
    this.pushPending();
    const notes = [...new Set(problems)];
    if (notes.length > 0 || clipped > 0) {
      this.strip.show('info', `Pasted ${pasted} value(s).${clipped > 0 ? ` ${clipped} fell outside the table.` : ''}${notes.length > 0 ? ` Skipped: ${notes.slice(0, 3).join(' ')}${notes.length > 3 ? ' …' : ''}` : ''}`);
    }
  }

  private exportMenu(anchor: DOMRect): void {
    const run = (format: 'csv' | 'json') => {
      const query = this.query();
      this.client.exportRows({ format, columns: this.grid.visibleColumns.map((c) => c.schema.name), ...query });
    };
    showMenu({ x: anchor.left, y: anchor.bottom }, [
      { label: 'Export as CSV…', run: () => run('csv') },
      { label: 'Export as JSON…', run: () => run('json') },
    ]);
  }

  private headerMenu(col: number, anchor: DOMRect): void {
    const column = this.visibleColumn(col);
    if (!column) return;
    const name = column.schema.name;
    const sortBy = (direction: 'asc' | 'desc') => {
      this.state.sort = [{ column: name, direction }];
      this.requery();
    };
    showMenu({ x: anchor.left, y: anchor.bottom }, [
      { label: 'Sort ascending', run: () => sortBy('asc') },
      { label: 'Sort descending', run: () => sortBy('desc') },
      ...(this.state.sort.length > 0 ? [{ label: 'Clear sort', run: () => ((this.state.sort = []), this.requery()) }] : []),
      'separator',
      {
        label: 'Filter this column…',
        run: () => {
          this.toggleFilters(true);
          this.filterBar.add(name);
        },
      },
      { label: 'Hide column', run: () => this.hideColumn(name) },
      { label: 'Show or hide columns…', run: () => this.columnsDialog() },
      { label: 'Reset width', run: () => (delete this.state.widths[name], this.updateColumns(), this.persist()) },
    ]);
  }

  private cellMenu(cell: CellPos, at: { x: number; y: number }): void {
    const editable = this.editProblem(cell) === undefined;
    const entries: MenuEntry[] = [
      { label: 'Copy', keybinding: 'Ctrl+C', run: () => void this.copySelection(false) },
      { label: 'Copy with headers', keybinding: 'Ctrl+Shift+C', run: () => void this.copySelection(true) },
      { label: 'View full value', keybinding: 'Shift+Enter', run: () => this.viewValue(cell) },
    ];
    const key = this.display.get(cell.row)?.ref?.key;
    if (key && this.canOpenForm()) entries.push('separator', { label: 'Open row in form', keybinding: 'Ctrl+Shift+Enter', run: () => this.openInForm(key) });
    if (!this.readOnlyReason) {
      entries.push('separator');
      if (editable) entries.push({ label: 'Edit cell', keybinding: 'F2', run: () => this.startEdit(cell) });
      if (editable && this.visibleColumn(cell.col)?.schema.nullable) entries.push({ label: 'Set NULL', run: () => this.setNull() });
      if (this.capabilities.insert) entries.push({ label: 'Insert row', run: () => this.insertRow() }, { label: 'Duplicate rows', run: () => this.duplicateRows() });
      if (this.capabilities.delete) entries.push({ label: 'Delete rows', keybinding: 'Delete', run: () => this.deleteRows() });
      const problem = this.display.get(cell.row)?.problem;
      if (problem?.code === 'conflict') entries.push({ label: 'Resolve conflict…', run: () => this.saver.openConflict(this.display.get(cell.row)!.id!) });
    }
    showMenu(at, entries, () => this.grid.focus());
  }

  /** "Open row in form" needs the form view to be available for this table and a client that can open views. */
  private canOpenForm(): boolean {
    return typeof this.client.openView === 'function' && (this.client.init.views ?? []).some((v) => v.id === FORM_VIEW_ID);
  }

  private openInForm(key: RowKey): void {
    this.client.openView?.({ viewId: FORM_VIEW_ID, key, query: this.query() });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Keyboard
  // ------------------------------------------------------------------------------------------------------------

  private gridHasFocus(): boolean {
    return !this.editor.isOpen && (document.activeElement === this.grid.element || this.grid.element.contains(document.activeElement));
  }

  /** Shortcuts that work anywhere in the view. */
  private onDocumentKey(e: KeyboardEvent): void {
    if (!primaryModifier(e)) return;
    const key = e.key.toLowerCase();
    if (key === 's') {
      e.preventDefault();
      if (this.editor.isOpen) return;
      void this.save();
    } else if (key === 'f') {
      e.preventDefault();
      if (!this.state.showFilters) this.toggleFilters(true);
      this.toolbar.focusSearch();
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target !== this.grid.element) return;
    if (this.editor.isOpen) {
      this.editor.forwardKey(e);
      return;
    }
    const mod = primaryModifier(e);
    const moves: Record<string, Move> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right', PageUp: 'pageUp', PageDown: 'pageDown', Home: mod ? 'first' : 'rowStart', End: mod ? 'last' : 'rowEnd' };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      this.grid.move(mod && e.key === 'ArrowUp' ? 'first' : mod && e.key === 'ArrowDown' ? 'last' : move, e.shiftKey);
      return;
    }
    const focus = this.grid.selection.focus;
    switch (e.key) {
      case 'Tab':
        e.preventDefault();
        this.grid.setSelection({ anchor: tabStep(focus, e.shiftKey, this.grid.bounds()), focus: tabStep(focus, e.shiftKey, this.grid.bounds()) });
        return;
      case 'Enter': {
        e.preventDefault();
        const key = mod && e.shiftKey ? this.display.get(focus.row)?.ref?.key : undefined;
        if (mod && e.shiftKey) {
          if (key && this.canOpenForm()) this.openInForm(key);
        } else if (e.shiftKey) this.viewValue();
        else this.startEdit(focus);
        return;
      }
      case 'F2':
        e.preventDefault();
        this.startEdit(focus);
        return;
      case 'Delete':
        e.preventDefault();
        this.deleteRows();
        return;
      case 'Escape':
        this.grid.setSelection({ anchor: focus, focus });
        this.strip.hide();
        closeMenu();
        return;
    }
    if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      const { rows, cols } = this.grid.bounds();
      this.grid.setSelection({ anchor: { row: 0, col: 0 }, focus: { row: Math.max(0, rows - 1), col: Math.max(0, cols - 1) } }, false);
      return;
    }
    if (mod && e.shiftKey && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      void this.copySelection(true);
      return;
    }
    if (isPrintableKey(e) && e.key !== ' ') {
      e.preventDefault();
      this.startEdit(focus, e.key);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Chrome: toolbar state, status line, message strip, persistence
  // ------------------------------------------------------------------------------------------------------------

  private updateChrome(): void {
    const readOnly = this.readOnlyReason !== undefined;
    const count = this.source.displayCount;
    const total = this.display.count(this.source.totalRows);
    this.toolbar.update({
      pending: this.pending.size,
      saving: this.saver.saving,
      readOnly,
      canInsert: !readOnly && this.capabilities.insert,
      canDelete: !readOnly && this.capabilities.delete,
      ...(this.client.init.unavailable?.delete !== undefined ? { deleteUnavailable: this.client.init.unavailable.delete } : {}),
      canSetNull: !readOnly && this.capabilities.update,
      hasRows: total > 0,
      filtersShown: this.state.showFilters,
      filterCount: buildFilters(this.state.filters, this.columns).filters.length,
    });
    this.status.count.textContent = count ? rowCountText(count) : this.source.error ? 'Rows unavailable' : 'Counting rows…';
    const filters = buildFilters(this.state.filters, this.columns).filters.length;
    const parts = [filters > 0 ? `${filters} filter${filters > 1 ? 's' : ''}` : '', this.state.search.trim() ? `search "${this.state.search.trim()}"` : '', this.state.sort.length > 0 ? `sorted by ${this.state.sort.map((s) => `${s.column} ${s.direction}`).join(', ')}` : ''].filter(Boolean);
    this.status.query.textContent = parts.join(' · ');
    this.status.note.textContent = this.source.note ?? '';
    const range = rangeOf(this.grid.selection);
    const cells = (range.bottom - range.top + 1) * (range.right - range.left + 1);
    const focusRow = this.display.get(this.grid.selection.focus.row);
    this.status.selection.textContent = total === 0 ? '' : cells > 1 ? `${range.bottom - range.top + 1} × ${range.right - range.left + 1} selected` : `Row ${focusRow?.label ?? '…'}, ${this.visibleColumn(this.grid.selection.focus.col)?.schema.name ?? ''}`;
    this.status.pending.textContent = this.pending.size > 0 ? `● ${this.pending.size} unsaved change${this.pending.size > 1 ? 's' : ''}` : '';
    this.root.classList.toggle('dirty', this.pending.size > 0);
  }

  private saveState(): void {
    const state: GridState = {
      ...this.state,
      scrollTop: this.grid.virtualTop,
      scrollLeft: this.grid.horizontalScroll,
      selection: this.grid.selection,
      pending: this.pending.toChanges().changes.map(encodeChange),
    };
    this.state = state;
    this.client.setState(state);
  }
}

function hexDump(bytes: Uint8Array, max = 4096): string {
  const lines: string[] = [];
  for (let offset = 0; offset < Math.min(bytes.length, max); offset += 16) {
    const chunk = bytes.subarray(offset, offset + 16);
    const hexPart = [...chunk].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...chunk].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hexPart.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${(bytes.length - max).toLocaleString('en-US')} more bytes`);
  return lines.join('\n');
}
