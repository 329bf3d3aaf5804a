// The grid's menus and the dialogs they open: export, a column header's menu, a cell's context menu, showing and
// hiding columns, and "Open row in form".
import type { RowKey } from '../../api';
import { showDialog } from '../shared/dialogs';
import { el } from '../shared/dom';
import type { TableApp } from './app';
import { type MenuEntry, showMenu } from './menus';
import type { CellPos } from './model/selection';

/** The built-in form view (plugins/form-view); "Open row in form" is offered only when it can show this table. */
const FORM_VIEW_ID = 'nocoflo.form';

export class GridMenus {
  constructor(private readonly app: TableApp) {}

  private hideColumn(name: string): void {
    if (this.app.state.hidden.length + 1 >= this.app.columns.length) {
      this.app.strip.show('info', 'At least one column stays visible.');
      return;
    }
    this.app.state.hidden = [...this.app.state.hidden, name];
    this.app.fitColumns();
    this.app.persist();
  }

  columnsDialog(): void {
    const list = el('div', 'column-list');
    const boxes = this.app.columns.map((column) => {
      const box = document.createElement('vscode-checkbox');
      box.setAttribute('label', `${column.name}  (${column.declaredType || column.kind})`);
      box.toggleAttribute('checked', !this.app.state.hidden.includes(column.name));
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
          if (hidden.length === this.app.columns.length) return false;
          this.app.state.hidden = hidden;
          this.app.fitColumns();
          this.app.persist();
          return true;
        },
      },
    ]);
  }

  exportMenu(anchor: DOMRect): void {
    const run = (format: 'csv' | 'json') => {
      const query = this.app.query();
      this.app.client.exportRows({ format, columns: this.app.grid.visibleColumns.map((c) => c.schema.name), ...query });
    };
    showMenu({ x: anchor.left, y: anchor.bottom }, [
      { label: 'Export as CSV…', run: () => run('csv') },
      { label: 'Export as JSON…', run: () => run('json') },
    ]);
  }

  headerMenu(col: number, anchor: DOMRect): void {
    const column = this.app.visibleColumn(col);
    if (!column) return;
    const name = column.schema.name;
    const sortBy = (direction: 'asc' | 'desc') => {
      this.app.state.sort = [{ column: name, direction }];
      this.app.requery();
    };
    showMenu({ x: anchor.left, y: anchor.bottom }, [
      { label: 'Sort ascending', run: () => sortBy('asc') },
      { label: 'Sort descending', run: () => sortBy('desc') },
      ...(this.app.state.sort.length > 0 ? [{ label: 'Clear sort', run: () => ((this.app.state.sort = []), this.app.requery()) }] : []),
      'separator',
      {
        label: 'Filter this column…',
        run: () => {
          this.app.toggleFilters(true);
          this.app.filterBar.add(name);
        },
      },
      { label: 'Hide column', run: () => this.hideColumn(name) },
      { label: 'Show or hide columns…', run: () => this.columnsDialog() },
      { label: 'Reset width', run: () => (delete this.app.state.widths[name], this.app.fitColumns(), this.app.persist()) },
    ]);
  }

  cellMenu(cell: CellPos, at: { x: number; y: number }): void {
    const editable = this.app.editing.editProblem(cell) === undefined;
    const entries: MenuEntry[] = [
      { label: 'Copy', keybinding: 'Ctrl+C', run: () => void this.app.clipboard.copySelection(false) },
      { label: 'Copy with headers', keybinding: 'Ctrl+Shift+C', run: () => void this.app.clipboard.copySelection(true) },
      { label: 'View full value', keybinding: 'Shift+Enter', run: () => this.app.viewer.viewValue(cell) },
    ];
    const key = this.app.display.get(cell.row)?.ref?.key;
    if (key && this.canOpenForm()) entries.push('separator', { label: 'Open row in form', keybinding: 'Ctrl+Shift+Enter', run: () => this.openInForm(key) });
    if (!this.app.readOnlyReason) {
      entries.push('separator');
      if (editable) entries.push({ label: 'Edit cell', keybinding: 'F2', run: () => this.app.editing.startEdit(cell) });
      if (editable && this.app.visibleColumn(cell.col)?.schema.nullable) entries.push({ label: 'Set NULL', run: () => this.app.editing.setNull() });
      if (this.app.capabilities.insert) entries.push({ label: 'Insert row', run: () => this.app.editing.insertRow() }, { label: 'Duplicate rows', run: () => this.app.editing.duplicateRows() });
      if (this.app.capabilities.delete) entries.push({ label: 'Delete rows', keybinding: 'Delete', run: () => this.app.editing.deleteRows() });
      const problem = this.app.display.get(cell.row)?.problem;
      if (problem?.code === 'conflict') entries.push({ label: 'Resolve conflict…', run: () => this.app.saver.openConflict(this.app.display.get(cell.row)!.id!) });
    }
    showMenu(at, entries, () => this.app.grid.focus());
  }

  /** "Open row in form" needs the form view to be available for this table and a client that can open views. */
  canOpenForm(): boolean {
    return typeof this.app.client.openView === 'function' && (this.app.client.init.views ?? []).some((v) => v.id === FORM_VIEW_ID);
  }

  openInForm(key: RowKey): void {
    this.app.client.openView?.({ viewId: FORM_VIEW_ID, key, query: this.app.query() });
  }
}
