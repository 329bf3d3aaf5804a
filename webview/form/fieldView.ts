import type { CellValue, ColumnSchema, ForeignKey } from '../../api';
import { codicon, el } from '../shared/dom';
import { formatBytes, hex, valueText } from '../shared/model/cellFormat';
import { select } from '../shared/select';

// One field of the form: a label that tells the column's type, nullability, default and key roles, an editor
// chosen by column kind, and a line for its validation or database message. The field only reports what the user
// entered; the app decides what it means (parse, validate, record as a pending edit).

/** What the user did to a field: typed text, picked a value, or asked for NULL / the database default. */
export type FieldInput = { kind: 'text'; text: string } | { kind: 'value'; value: CellValue } | { kind: 'null' } | { kind: 'default' };

export interface FieldDisplay {
  /** The value shown: pending edit or value read; undefined is "not given" on a new record (the default applies). */
  value: CellValue | undefined;
  /** Text the user typed that is not valid yet, shown instead of the value. */
  draft?: string;
  error?: string;
  dirty: boolean;
  /** Why the field cannot be edited, or undefined when it can. */
  readOnly?: string;
  inserted: boolean;
  /** Shown in an empty field: "DEFAULT 0", "(auto)", "NULL". */
  placeholder: string;
}

type Editable = HTMLElement & { value: string; readonly?: boolean; disabled?: boolean };

const NULL_OPTION = '\u0000null';
const TEXT_LIMIT = 80;

export class FieldView {
  readonly element: HTMLDivElement;
  private readonly editorHost: HTMLDivElement;
  private readonly actions: HTMLDivElement;
  private readonly message: HTMLDivElement;
  private readonly nullMark: HTMLSpanElement;
  /** The foreign key line (display value, picker, link) under the editor; filled by the app. */
  readonly reference: HTMLDivElement;
  private editor: Editable | undefined;
  /** The text editor whose placeholder says NULL, when the field has one; `hint` is its placeholder otherwise. */
  private textField: Editable | undefined;
  private hint = '';
  private display: FieldDisplay | undefined;

  constructor(
    readonly column: ColumnSchema,
    readonly foreignKey: ForeignKey | undefined,
    private readonly changed: (input: FieldInput) => void,
  ) {
    this.element = el('div', 'field');
    this.element.dataset.column = column.name;
    const label = el('div', 'field-label');
    const name = el('label', 'field-name', column.name);
    const id = `field-${cssSafe(column.name)}`;
    name.htmlFor = id;
    label.append(name);
    if (column.primaryKeyPosition !== undefined) label.append(badge('key', 'PK', 'Primary key column'));
    if (foreignKey) label.append(badge('link', 'FK', `References ${foreignKey.references.name}(${foreignKey.referencedColumns.join(', ')})`));
    const meta = [column.declaredType || column.kind, column.nullable ? 'nullable' : 'NOT NULL'];
    if (column.defaultValue !== undefined) meta.push(`DEFAULT ${column.defaultValue}`);
    if (column.autoIncrement) meta.push('auto-increment');
    if (column.generated) meta.push('generated');
    else if (column.readOnly) meta.push('read-only');
    label.append(el('span', 'field-meta', meta.join(' · ')));
    this.nullMark = el('span', 'null-mark', 'NULL');
    this.nullMark.hidden = true;
    label.append(this.nullMark);
    if (column.comment) label.title = column.comment;
    this.editorHost = el('div', 'field-editor');
    this.editorHost.dataset.for = id;
    this.actions = el('div', 'field-actions');
    this.reference = el('div', 'field-reference');
    this.reference.hidden = true;
    this.message = el('div', 'field-message');
    this.message.setAttribute('role', 'alert');
    this.message.hidden = true;
    const body = el('div', 'field-body');
    const row = el('div', 'field-row');
    row.append(this.editorHost, this.actions);
    body.append(row, this.reference, this.message);
    this.element.append(label, body);
  }

  /** Shows a record's value; rebuilds the editor (a new record, or after save/discard). */
  show(display: FieldDisplay): void {
    this.display = display;
    this.editor = this.buildEditor(display);
    this.editorHost.replaceChildren(this.editor);
    this.buildActions(display);
    this.setStatus({ dirty: display.dirty, error: display.error, value: display.value, draft: display.draft });
  }

  /** Updates the marks (and what the field holds) without touching the editor, so typing is never interrupted. */
  setStatus(status: { dirty: boolean; error: string | undefined; value: CellValue | undefined; draft: string | undefined }): void {
    if (this.display) {
      this.display.dirty = status.dirty;
      this.display.value = status.value;
      if (status.error === undefined) delete this.display.error;
      else this.display.error = status.error;
      if (status.draft === undefined) delete this.display.draft;
      else this.display.draft = status.draft;
    }
    this.element.classList.toggle('dirty', status.dirty);
    this.element.classList.toggle('invalid', status.error !== undefined);
    this.message.textContent = status.error ?? '';
    this.message.hidden = status.error === undefined;
    this.editor?.toggleAttribute('invalid', status.error !== undefined);
    const isNull = this.display?.value === null && this.display.draft === undefined;
    // NULL is said once: by the editor where it can say it (a text field's placeholder, the NULL option, the BLOB
    // box), by the mark next to the label only where it cannot (a set's checkboxes look the same for '' and NULL).
    if (this.textField) this.textField.setAttribute('placeholder', isNull ? 'NULL' : this.hint);
    this.nullMark.hidden = !isNull || this.column.kind !== 'set' || !this.column.enumValues?.length;
    this.element.classList.toggle('is-null', isNull);
  }

  focus(): void {
    this.editor?.focus();
  }

  private buildEditor(display: FieldDisplay): Editable {
    const column = this.column;
    const value = display.value;
    const editable = display.readOnly === undefined;
    const id = this.editorHost.dataset.for!;
    this.textField = undefined;
    if (column.kind === 'blob') {
      const box = el('div', 'blob-value') as unknown as Editable;
      box.id = id;
      box.textContent = value instanceof Uint8Array ? `${formatBytes(value.length)}  ${hex(value, 32).replace(/(..)(?!$)/g, '$1 ')}${value.length > 32 ? ' …' : ''}` : value === null ? 'NULL' : value === undefined ? display.placeholder : String(value);
      box.title = 'Binary values are shown, not edited, in the form.';
      return box;
    }
    if (column.kind === 'boolean' || (column.kind === 'enum' && column.enumValues?.length)) {
      const options: [string, string][] = column.kind === 'boolean' ? [['true', 'true'], ['false', 'false']] : (column.enumValues ?? []).map((v) => [v, v]);
      if (column.nullable || value === null) options.push([NULL_OPTION, 'NULL']);
      if (value === undefined) options.unshift(['', display.placeholder]);
      const selected = value === null ? NULL_OPTION : value === undefined ? '' : valueText(value, column);
      const dropdown: Editable = select(options, {
        selected,
        onChange: (v) => {
          if (v === NULL_OPTION) this.changed({ kind: 'null' });
          else if (v === '') this.changed({ kind: 'default' });
          else this.changed({ kind: 'text', text: v });
        },
      });
      dropdown.id = id;
      if (!editable) dropdown.toggleAttribute('disabled', true);
      return dropdown;
    }
    if (column.kind === 'set' && column.enumValues?.length) {
      const group = el('div', 'set-editor') as unknown as Editable;
      group.id = id;
      const members = new Set(typeof value === 'string' && value !== '' ? value.split(',') : []);
      const boxes = column.enumValues.map((member) => {
        const box = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
        box.setAttribute('label', member);
        box.toggleAttribute('checked', members.has(member));
        if (!editable) box.toggleAttribute('disabled', true);
        box.addEventListener('change', () => this.changed({ kind: 'text', text: boxes.filter((b) => b.box.checked).map((b) => b.member).join(',') }));
        group.append(box);
        return { member, box };
      });
      return group;
    }
    const text = display.draft ?? (value === undefined || value === null ? '' : valueText(value, column));
    const long = column.kind === 'json' || (typeof value === 'string' && (value.length > TEXT_LIMIT || /[\r\n]/.test(value))) || (display.draft !== undefined && /[\r\n]/.test(display.draft));
    const field = document.createElement(long ? 'vscode-textarea' : 'vscode-textfield') as unknown as Editable;
    field.value = text;
    field.id = id;
    if (long) {
      field.setAttribute('rows', column.kind === 'json' ? '6' : '4');
      field.setAttribute('resize', 'vertical');
    }
    this.hint = display.placeholder || formatHint(column);
    this.textField = field;
    if (column.kind === 'integer' || column.kind === 'float' || column.kind === 'decimal') field.classList.add('numeric');
    if (!editable) field.toggleAttribute('readonly', true);
    field.setAttribute('aria-label', column.name);
    field.addEventListener('input', () => this.changed({ kind: 'text', text: field.value }));
    return field;
  }

  private buildActions(display: FieldDisplay): void {
    this.actions.replaceChildren();
    if (display.readOnly !== undefined) {
      const lock = codicon('lock', 'field-lock');
      lock.title = display.readOnly;
      this.actions.append(lock);
      return;
    }
    if (this.column.nullable && this.column.kind !== 'blob') this.actions.append(smallButton('Set NULL', 'Store NULL (no value), not an empty string', () => this.changed({ kind: 'null' })));
    if (display.inserted && (this.column.defaultValue !== undefined || this.column.autoIncrement)) this.actions.append(smallButton('Default', 'Leave it to the database default', () => this.changed({ kind: 'default' })));
  }
}

function badge(icon: string, text: string, title: string): HTMLSpanElement {
  const span = el('span', `field-badge badge-${text.toLowerCase()}`);
  span.append(codicon(icon), el('span', undefined, text));
  span.title = title;
  return span;
}

function smallButton(label: string, title: string, run: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('secondary', '');
  b.textContent = label;
  b.title = title;
  b.addEventListener('click', run);
  return b;
}

function formatHint(column: ColumnSchema): string {
  switch (column.kind) {
    case 'date':
      return 'YYYY-MM-DD';
    case 'time':
      return 'HH:MM:SS';
    case 'datetime':
      return 'YYYY-MM-DD HH:MM:SS';
    case 'datetimetz':
      return 'YYYY-MM-DD HH:MM:SS+00:00';
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    case 'json':
      return '{ "json": true }';
    default:
      return '';
  }
}

const cssSafe = (name: string): string => Array.from(name, (ch) => (/[\w-]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}`)).join('');
