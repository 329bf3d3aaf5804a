import type { ColumnSchema, TableSchema } from '../../api';
import type { NocofloViewClient, RowLockInfo } from '../../api/webview';
import { decodeChange, encodeChange, type Query } from '../../shared/protocolCodec';
import { rowKeyText } from '../../shared/rowLocks';
import { showConflict } from '../shared/conflictDialog';
import { codicon, throttle, el, focusWhenShown } from '../shared/dom';
import { messageOf } from '../shared/errorMessage';
import { MessageStrip } from '../shared/messageStrip';
import { buildFilters, type FilterDraft, searchColumns } from '../shared/model/filterModel';
import { PendingChanges } from '../shared/model/pendingChanges';
import { RowSource } from '../shared/model/rowSource';
import { noticeText, withoutNotices } from '../shared/model/schemaNotices';
import { SaveController } from '../shared/saveController';
import { CellEditor } from './cellEditor';
import { ColumnSizer } from './columnSizer';
import { showPreview } from './changesPreview';
import { GridClipboard } from './clipboard';
import { GridEditing } from './editing';
import { FilterBar } from './filterBar';
import { GridMenus } from './gridMenus';
import { type GridColumn, type GridHost, GridView, ROW_HEIGHT } from './gridView';
import { GridKeyMap } from './keyMap';
import { DisplayRows } from './model/displayRows';
import { defaultWidth, type GridState, MAX_WIDTH, MIN_WIDTH, restoreState } from './model/gridState';
import { stateFromQuery } from './model/handedQuery';
import { toggleSort } from './model/sortModel';
import { StatusLine } from './statusLine';
import { Toolbar } from './toolbar';
import { ValueViewer } from './valueViewer';

/**
 * The table view: wires the grid, toolbar, filters, editor and status line to the view client, and owns the schema,
 * query, rows, columns and saved state. Editing, the clipboard, menus, the key map, the status line and the value
 * viewer are parts in their own files that reach this state through it. Everything it reads or writes goes
 * through `client` (api/webview.d.ts), the same door a third-party view uses.
 */
export class TableApp {
  private schema: TableSchema;
  columns: ColumnSchema[];
  readOnlyReason: string | undefined;
  state: GridState;
  source!: RowSource;
  readonly pending: PendingChanges;
  display!: DisplayRows;
  readonly grid: GridView;
  private readonly sizer: ColumnSizer;
  /** Start widths from the headers and the first rows (columnSizer.ts), for columns the user has not resized. */
  private autoWidths = new Map<string, number>();
  /** Other tabs' and windows' row locks on this table, by row key text. */
  private rowLocks = new Map<string, RowLockInfo>();
  readonly editor: CellEditor;
  readonly toolbar: Toolbar;
  filterBar!: FilterBar;
  private readonly filterHost: HTMLDivElement;
  private readonly banner: HTMLDivElement;
  readonly strip = new MessageStrip();
  private readonly statusLine = new StatusLine(this);
  readonly saver: SaveController;
  readonly editing = new GridEditing(this);
  readonly clipboard = new GridClipboard(this);
  readonly menus = new GridMenus(this);
  readonly keys = new GridKeyMap(this);
  readonly viewer = new ValueViewer(this);
  private selectionRestored = false;
  readonly persist = throttle(250, () => this.saveState());

  constructor(
    readonly client: NocofloViewClient,
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
        const find = () => (id === undefined ? undefined : this.display.find(id, this.source.totalRows));
        const row = find();
        if (row === undefined) return { actions: [] };
        // Looked up again when used: rows re-read after a partial save may have moved (deletes saved above it).
        const select = () => {
          const at = find() ?? row;
          this.grid.setSelection({ anchor: { row: at, col: 0 }, focus: { row: at, col: 0 } });
        };
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
        insert: () => this.editing.insertRow(),
        duplicate: () => this.editing.duplicateRows(),
        deleteRows: () => this.editing.deleteRows(),
        setNull: () => this.editing.setNull(),
        viewValue: () => this.viewer.viewValue(),
        discard: () => this.editing.discard(),
        preview: () => void showPreview(this),
        save: () => void this.save(),
        exportMenu: (anchor) => this.menus.exportMenu(anchor),
        columnsMenu: () => this.menus.columnsDialog(),
      },
      this.state.search,
    );
    this.filterHost = el('div', 'filter-host');
    this.grid = new GridView(this.gridHost());
    this.editor = new CellEditor(this.grid.element);
    this.sizer = new ColumnSizer(this.grid.element);
    // A wider or narrower editor shares its room out again (user-resized columns keep their width).
    let gridWidth = 0;
    new ResizeObserver(() => {
      if (this.grid.element.clientWidth === gridWidth) return;
      gridWidth = this.grid.element.clientWidth;
      this.fitColumns();
    }).observe(this.grid.element);
    const gridArea = el('div', 'grid-area');
    gridArea.append(this.strip.element, this.grid.element);
    root.replaceChildren(this.banner, this.toolbar.element, this.filterHost, gridArea, this.statusLine.element);

    this.applySchema(init.schema, init.readOnlyReason);
    this.showNotices();
    this.grid.restoreScroll(this.state.scrollTop, this.state.scrollLeft);
    this.grid.element.addEventListener('keydown', (e) => this.keys.onKey(e));
    document.addEventListener('copy', (e) => this.clipboard.onCopy(e));
    document.addEventListener('paste', (e) => this.clipboard.onPaste(e));
    document.addEventListener('keydown', (e) => this.keys.onDocumentKey(e));
    client.onRefresh(() => this.source.reload());
    client.onTheme(() => this.grid.invalidate());
    // Rows someone else is editing in a form (advisory locks) get a lock in the gutter.
    client.onLocks?.((locks) => {
      this.rowLocks = new Map(locks.filter((l) => !l.mine).map((l) => [rowKeyText(l.key), l]));
      this.grid.invalidate();
    });
    window.addEventListener('beforeunload', () => this.persist.flush());
    this.pushPending();
    // Not from a tab restarted in the background (a role changed): a click on the tree just then was lost.
    focusWhenShown(this.grid);
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
    this.sizer.reset();
    this.sizer.measureHeaders(this.columns, schema.foreignKeys);
    this.fitColumns();
    this.banner.replaceChildren();
    this.banner.hidden = readOnlyReason === undefined;
    if (readOnlyReason !== undefined) this.banner.append(codicon('lock'), el('span', 'readonly-text', `Read-only: ${readOnlyReason}`));
    this.source.setQuery(this.query());
    this.updateChrome();
  }

  query(): Query {
    const { filters, problems } = buildFilters(this.state.filters, this.columns);
    this.filterBar.showProblems(problems);
    const query: Query = {};
    if (this.state.sort.length > 0) query.sort = this.state.sort;
    if (filters.length > 0) query.filters = filters;
    const search = this.state.search.trim();
    if (search !== '') query.search = { text: search, columns: searchColumns(this.columns) };
    return query;
  }

  requery(): void {
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

  toggleFilters(show = !this.state.showFilters): void {
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
    if (!this.sizer.sampled && this.source.started && this.sizer.sampleRows(this.columns, (r) => this.display.get(r)?.values, Math.floor(this.grid.virtualTop / ROW_HEIGHT), total)) this.fitColumns();
    this.grid.setEmptyMessage(this.source.started && total === 0 ? (this.state.filters.length > 0 || this.state.search ? 'No rows match the filters.' : 'This table has no rows.') : '');
    this.grid.invalidate();
    this.updateChrome();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Columns
  // ------------------------------------------------------------------------------------------------------------

  updateColumns(): void {
    const hidden = new Set(this.state.hidden);
    const columns: GridColumn[] = [];
    this.columns.forEach((schema, schemaIndex) => {
      if (!hidden.has(schema.name)) columns.push({ schema, schemaIndex, width: this.state.widths[schema.name] ?? this.autoWidths.get(schema.name) ?? defaultWidth(schema) });
    });
    this.grid.setColumns(columns);
  }

  /** Shares the grid's width out again (after the schema, the first rows, a resize, a shown/hidden/reset column). */
  fitColumns(): void {
    const hidden = new Set(this.state.hidden);
    this.autoWidths = this.sizer.fit(
      this.columns.filter((c) => !hidden.has(c.name)).map((c) => c.name),
      this.state.widths,
      this.grid.gutter,
    );
    this.updateColumns();
  }



  visibleColumn(col: number): GridColumn | undefined {
    return this.grid.visibleColumns[col];
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
      headerMenu: (col, anchor) => this.menus.headerMenu(col, anchor),
      cellMenu: (cell, at) => this.menus.cellMenu(cell, at),
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
      editRequested: (cell) => (this.editing.editProblem(cell) === undefined ? this.editing.startEdit(cell) : this.viewer.viewValue(cell)),
      scrolled: () => {
        this.editor.close();
        this.persist();
      },
    };
  }

  placeholder(column: ColumnSchema): string {
    if (column.generated) return '(generated)';
    if (column.autoIncrement || (column.primaryKeyPosition !== undefined && column.kind === 'integer' && this.schema.primaryKey.length === 1)) return '(auto)';
    if (column.defaultValue !== undefined) return `DEFAULT ${column.defaultValue}`;
    return column.nullable ? 'NULL' : '(required)';
  }

  // ------------------------------------------------------------------------------------------------------------
  // Pending changes and saving
  // ------------------------------------------------------------------------------------------------------------

  get capabilities() {
    return this.client.init.capabilities;
  }

  save(): Promise<void> {
    return this.saver.save((_result, _ids, changes) => this.source.reload({ updatesOnly: changes.every((c) => c.kind === 'update') }));
  }

  /** Tells the host (dirty title, close prompt) and the saved state about the pending edits. */
  pushPending(): void {
    const { changes } = this.pending.toChanges();
    this.client.setPendingChanges(changes);
    this.persist();
    this.rowsChanged();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Chrome: toolbar state, status line, message strip, persistence
  // ------------------------------------------------------------------------------------------------------------

  private updateChrome(): void {
    const readOnly = this.readOnlyReason !== undefined;
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
    this.statusLine.update(total);
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
