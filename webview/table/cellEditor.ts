import type { CellValue, ColumnSchema } from '../../api';
import { el } from '../shared/dom';
import { valueText } from '../shared/model/cellFormat';
import { parseInput } from '../shared/model/valueInput';
import { select } from '../shared/select';

// The in-place editor, chosen by column kind: a text field (numbers, dates and times validated as typed), a
// tri-state select for booleans (true / false / NULL), a select for enum values the database declares, and a
// larger text area for JSON (validated) and multi-line text. Every editor offers an explicit "Set NULL".

export type EditorMove = 'down' | 'up' | 'next' | 'previous' | 'stay';

/** `keep`: the text was not changed, so nothing is recorded (a new row's cell keeps its default). */
export type EditorOutcome = { kind: 'commit'; value: CellValue; move: EditorMove } | { kind: 'keep'; move: EditorMove } | { kind: 'cancel' };

export interface EditorBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

type Field = HTMLElement & { value: string; open?: boolean };

const NULL_OPTION = '\u0000null';

export class CellEditor {
  private box: HTMLDivElement | undefined;
  private field: Field | undefined;
  private column: ColumnSchema | undefined;
  private error: HTMLDivElement | undefined;
  private done: ((outcome: EditorOutcome) => void) | undefined;
  private initialText: string | undefined;

  constructor(private readonly container: HTMLElement) {}

  get isOpen(): boolean {
    return this.box !== undefined;
  }

  /**
   * Opens over `cell`. `typed` replaces the value (editing started by typing a character); `current` undefined
   * means a new row's cell that still has its default.
   */
  open(cell: EditorBox, column: ColumnSchema, current: CellValue | undefined, typed: string | undefined, done: (outcome: EditorOutcome) => void): void {
    this.close();
    this.column = column;
    this.done = done;
    const box = el('div', 'cell-editor');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', `Edit ${column.name}`);
    const text = typed ?? (current === undefined || current === null ? '' : valueText(current, column));
    const multiline = column.kind === 'json' || (typeof current === 'string' && (current.length > 80 || /[\r\n]/.test(current)));
    let field: Field;
    let initial = text;
    if (column.kind === 'boolean' || (column.kind === 'enum' && column.enumValues?.length)) {
      initial = current === null ? NULL_OPTION : current === undefined ? '' : valueText(current, column);
      field = this.valueSelect(column, initial);
      box.classList.add('select');
    } else if (multiline) {
      const area = document.createElement('vscode-textarea') as unknown as Field;
      area.value = text;
      area.setAttribute('rows', '8');
      area.setAttribute('resize', 'both');
      area.addEventListener('input', () => this.validate());
      field = area;
      box.classList.add('multiline');
    } else {
      const input = document.createElement('vscode-textfield') as unknown as Field;
      input.value = text;
      input.setAttribute('placeholder', placeholderFor(column));
      input.addEventListener('input', () => this.clearError());
      field = input;
    }
    field.classList.add('editor-field');
    const actions = el('div', 'editor-actions');
    if (column.nullable) {
      const setNull = document.createElement('vscode-button');
      setNull.setAttribute('secondary', '');
      setNull.textContent = 'Set NULL';
      setNull.title = 'Store NULL (no value), not an empty string';
      setNull.addEventListener('mousedown', (e) => e.preventDefault());
      setNull.addEventListener('click', () => this.finish({ kind: 'commit', value: null, move: 'stay' }));
      actions.append(setNull);
    }
    actions.append(el('span', 'editor-hint', multiline ? 'Ctrl+Enter to keep · Esc to cancel' : 'Enter to keep · Esc to cancel'));
    this.error = el('div', 'editor-error');
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    box.append(field, actions, this.error);
    box.style.left = `${Math.max(0, cell.left)}px`;
    box.style.top = `${Math.max(0, cell.top)}px`;
    box.style.minWidth = `${Math.max(cell.width, multiline ? 420 : 160)}px`;
    if (!multiline) field.style.height = `${cell.height}px`;
    box.addEventListener('keydown', (e) => this.onKey(e, multiline), true);
    box.addEventListener('focusout', (e) => {
      // Clicking elsewhere keeps what was typed, like a spreadsheet; invalid input stays open to be fixed.
      const next = e.relatedTarget as Node | null;
      if (next && box.contains(next)) return;
      setTimeout(() => {
        if (this.box === box && !box.contains(document.activeElement) && document.activeElement !== box) this.commit('stay');
      }, 0);
    });
    if (field.tagName.toLowerCase() === 'vscode-single-select') field.addEventListener('change', () => this.commit('stay'));
    this.box = box;
    this.field = field;
    this.initialText = typed === undefined ? initial : undefined;
    this.container.append(box);
    // The inner input exists once the element has rendered; keys typed before that are forwarded (forwardKey).
    void (field as unknown as { updateComplete?: Promise<unknown> }).updateComplete?.then(() => {
      if (this.field !== field) return;
      field.focus();
      // Focus selects the whole text; an edit started by typing continues after the typed characters.
      const inner = field.shadowRoot?.querySelector('input, textarea') as HTMLInputElement | HTMLTextAreaElement | null;
      if (typed !== undefined && inner) inner.setSelectionRange(inner.value.length, inner.value.length);
      if (field.tagName.toLowerCase() === 'vscode-single-select' && typed === undefined) field.open = true;
    });
    if (column.kind === 'json') this.validate();
  }

  close(): void {
    this.box?.remove();
    this.box = undefined;
    this.field = undefined;
    this.done = undefined;
  }

  private valueSelect(column: ColumnSchema, selected: string): Field {
    const options: [string, string][] =
      column.kind === 'boolean'
        ? [
            ['true', 'true'],
            ['false', 'false'],
          ]
        : (column.enumValues ?? []).map((v) => [v, v]);
    if (column.nullable) options.push([NULL_OPTION, 'NULL']);
    return select(options, { selected });
  }

  /** A key that reached the grid while the editor was still opening: type it into the editor instead. */
  forwardKey(e: KeyboardEvent): void {
    const field = this.field;
    if (!field) return;
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && field.tagName.toLowerCase() !== 'vscode-single-select') {
      e.preventDefault();
      field.value += e.key;
      return;
    }
    this.onKey(e, this.box?.classList.contains('multiline') === true);
  }

  private onKey(e: KeyboardEvent, multiline: boolean): void {
    const field = this.field;
    if (!field) return;
    const isSelect = field.tagName.toLowerCase() === 'vscode-single-select';
    if (e.key === 'Escape') {
      if (isSelect && field.open) return;
      e.preventDefault();
      e.stopPropagation();
      this.finish({ kind: 'cancel' });
      return;
    }
    if (e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      this.commit(e.shiftKey ? 'previous' : 'next');
      return;
    }
    if (e.key === 'Enter') {
      if (isSelect && field.open) return;
      if (multiline && !(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      e.stopPropagation();
      this.commit(multiline ? 'stay' : e.shiftKey ? 'up' : 'down');
      return;
    }
    if (!multiline && !isSelect && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      e.stopPropagation();
      this.commit(e.key === 'ArrowUp' ? 'up' : 'down');
      return;
    }
    // Keep grid shortcuts (copy, paste, save) from acting on the grid while typing, except Ctrl+S.
    if (!((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's')) e.stopPropagation();
  }

  private commit(move: EditorMove): void {
    const field = this.field;
    const column = this.column;
    if (!field || !column) return;
    const raw = field.value;
    if (raw === this.initialText) {
      this.finish({ kind: 'keep', move });
      return;
    }
    const parsed = field.tagName.toLowerCase() === 'vscode-single-select' ? (raw === NULL_OPTION ? parseInput(null, column) : parseInput(raw, column)) : parseInput(raw, column);
    if (!parsed.ok) {
      this.showError(parsed.error);
      return;
    }
    this.finish({ kind: 'commit', value: parsed.value, move });
  }

  private finish(outcome: EditorOutcome): void {
    const done = this.done;
    this.close();
    done?.(outcome);
  }

  private validate(): void {
    if (!this.field || !this.column) return;
    const parsed = parseInput(this.field.value, this.column);
    if (parsed.ok) this.clearError();
    else this.showError(parsed.error);
  }

  private showError(message: string): void {
    if (!this.error) return;
    this.error.textContent = message;
    this.error.hidden = false;
    this.field?.setAttribute('invalid', '');
  }

  private clearError(): void {
    if (!this.error) return;
    this.error.hidden = true;
    this.field?.removeAttribute('invalid');
  }
}

function placeholderFor(column: ColumnSchema): string {
  switch (column.kind) {
    case 'date':
      return 'YYYY-MM-DD';
    case 'time':
      return 'HH:MM:SS';
    case 'datetime':
      return 'YYYY-MM-DD HH:MM:SS';
    case 'datetimetz':
      return 'YYYY-MM-DD HH:MM:SS+00:00';
    case 'blob':
      return '\\x hex bytes';
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    default:
      return column.nullable ? 'empty text (use Set NULL for NULL)' : '';
  }
}
