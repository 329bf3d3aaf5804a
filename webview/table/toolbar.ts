import { button, codicon, debounce, el, iconButton, setDisabled } from '../shared/dom';

export interface ToolbarActions {
  refresh(): void;
  toggleFilters(): void;
  search(text: string): void;
  insert(): void;
  duplicate(): void;
  deleteRows(): void;
  setNull(): void;
  viewValue(): void;
  discard(): void;
  preview(): void;
  save(): void;
  exportMenu(anchor: DOMRect): void;
  columnsMenu(anchor: DOMRect): void;
}

export interface ToolbarState {
  pending: number;
  saving: boolean;
  readOnly: boolean;
  canInsert: boolean;
  canDelete: boolean;
  /** Why Delete is unavailable although the datasource could (the user's role): the disabled button's tooltip. */
  deleteUnavailable?: string;
  canSetNull: boolean;
  hasRows: boolean;
  filtersShown: boolean;
  filterCount: number;
}

const DELETE_TITLE = 'Delete the selected rows on save (Delete on selected rows)';

/** Grid actions, built from vscode-elements buttons so they look and behave like VS Code's own. */
export class Toolbar {
  readonly element: HTMLDivElement;
  private readonly search: HTMLElement & { value: string; wrappedElement?: HTMLInputElement };
  private readonly filterToggle: HTMLElement;
  private readonly editing: Record<'insert' | 'duplicate' | 'delete' | 'setNull' | 'discard' | 'preview' | 'save', HTMLElement>;
  private readonly saveLabel: HTMLElement;

  constructor(actions: ToolbarActions, initialSearch: string) {
    this.element = el('div', 'toolbar');
    this.element.setAttribute('role', 'toolbar');
    const left = el('div', 'toolbar-group');
    left.append(iconButton('Refresh (re-read rows and schema)', 'refresh', () => actions.refresh()));
    this.filterToggle = iconButton('Filters', 'filter', () => actions.toggleFilters());
    this.filterToggle.setAttribute('toggleable', '');
    left.append(this.filterToggle);
    this.search = document.createElement('vscode-textfield') as unknown as HTMLElement & { value: string; wrappedElement?: HTMLInputElement };
    this.search.classList.add('quick-search');
    this.search.setAttribute('placeholder', 'Search text columns');
    this.search.setAttribute('aria-label', 'Search text columns');
    this.search.value = initialSearch;
    const searchIcon = codicon('search');
    searchIcon.setAttribute('slot', 'content-before');
    this.search.append(searchIcon);
    const emit = debounce(300, (text: string) => actions.search(text));
    this.search.addEventListener('input', () => emit(this.search.value));
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') emit.flush();
      if (e.key === 'Escape' && this.search.value !== '') {
        this.search.value = '';
        emit('');
        emit.flush();
      }
    });
    left.append(this.search);

    const edit = el('div', 'toolbar-group');
    this.editing = {
      insert: button('Insert', 'add', () => actions.insert(), { title: 'Insert a new row (defaults shown until you set values)' }),
      duplicate: button('Duplicate', 'copy', () => actions.duplicate(), { title: 'Duplicate the selected rows as new rows' }),
      delete: button('Delete', 'trash', () => actions.deleteRows(), { title: DELETE_TITLE }),
      setNull: button('Set NULL', 'circle-slash', () => actions.setNull(), { title: 'Set the selected cells to NULL' }),
      discard: button('Discard', 'discard', () => actions.discard(), { title: 'Discard all unsaved changes' }),
      preview: button('Preview', 'eye', () => actions.preview(), { title: 'Preview SQL: the exact statements Save will run' }),
      save: button('Save', 'save', () => actions.save(), { secondary: false, title: 'Save all changes in one transaction (Ctrl+S)' }),
    };
    this.saveLabel = this.editing.save;
    edit.append(...Object.values(this.editing));

    const right = el('div', 'toolbar-group toolbar-end');
    right.append(
      iconButton('View full value (Shift+Enter)', 'open-preview', () => actions.viewValue()),
      iconButton('Show or hide columns', 'list-selection', (e) => actions.columnsMenu((e.currentTarget as HTMLElement).getBoundingClientRect())),
      iconButton('Export the filtered rows to CSV or JSON', 'export', (e) => actions.exportMenu((e.currentTarget as HTMLElement).getBoundingClientRect())),
    );
    this.element.append(left, edit, right);
  }

  update(state: ToolbarState): void {
    const e = this.editing;
    for (const b of Object.values(e)) b.hidden = state.readOnly;
    setDisabled(e.insert, !state.canInsert || state.saving);
    setDisabled(e.duplicate, !state.canInsert || !state.hasRows || state.saving);
    setDisabled(e.delete, !state.canDelete || !state.hasRows || state.saving);
    e.delete.title = state.deleteUnavailable ?? DELETE_TITLE;
    setDisabled(e.setNull, !state.canSetNull || state.saving);
    setDisabled(e.discard, state.pending === 0 || state.saving);
    setDisabled(e.preview, state.pending === 0);
    setDisabled(e.save, state.pending === 0 || state.saving);
    const label = this.saveLabel.querySelector('.button-label');
    if (label) label.textContent = state.saving ? 'Saving…' : state.pending > 0 ? `Save (${state.pending})` : 'Save';
    this.filterToggle.toggleAttribute('checked', state.filtersShown);
    this.filterToggle.title = state.filterCount > 0 ? `Filters: ${state.filterCount} active` : 'Filters';
  }

  /** Ctrl+F: focus the search with its text selected, so typing replaces it. */
  focusSearch(): void {
    this.search.focus();
    this.search.wrappedElement?.select();
  }

  setSearch(text: string): void {
    this.search.value = text;
  }
}
