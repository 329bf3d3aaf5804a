import type { ColumnSchema, FilterOperator } from '../../api';
import { codicon, debounce, el, iconButton } from '../shared/dom';
import { select } from '../shared/select';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import { defaultOperator, type FilterDraft, listedValues, OPERATOR_LABELS, operandInput, operatorHint, operatorsFor } from '../shared/model/filterModel';

type Select = HTMLElement & { value: string };

/**
 * One line per column filter: column, operator, operand. Every change is applied on the server (structured
 * filters, never SQL); operands that do not fit the column are marked with the reason.
 */
export class FilterBar {
  readonly element: HTMLDivElement;
  private drafts: FilterDraft[] = [];
  private readonly emit: ((drafts: FilterDraft[]) => void) & { flush(): void };

  constructor(
    private readonly columns: readonly ColumnSchema[],
    onChange: (drafts: FilterDraft[]) => void,
  ) {
    this.element = el('div', 'filter-bar');
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Column filters');
    this.emit = debounce(400, (drafts: FilterDraft[]) => onChange(drafts.map((d) => ({ ...d }))));
  }

  set(drafts: FilterDraft[], problems: { index: number; message: string }[] = []): void {
    this.drafts = drafts.map((d) => ({ ...d }));
    this.render(problems);
  }

  showProblems(problems: { index: number; message: string }[]): void {
    this.element.querySelectorAll('.filter-row').forEach((row, index) => {
      const problem = problems.find((p) => p.index === index);
      const field = row.querySelector('.filter-value');
      field?.toggleAttribute('invalid', problem !== undefined);
      const note = row.querySelector('.filter-problem');
      if (note) note.textContent = problem?.message ?? '';
    });
  }

  /** Adds a filter for `column` (the first column by default) and puts the cursor in its operand. */
  add(column?: string): void {
    const target = this.columns.find((c) => c.name === column) ?? this.columns[0];
    if (!target) return;
    this.drafts.push({ column: target.name, op: defaultOperator(target), text: '' });
    this.render([]);
    this.focusLast();
  }

  focusLast(): void {
    const rows = this.element.querySelectorAll<HTMLElement>('.filter-row');
    const last = rows[rows.length - 1];
    requestAnimationFrame(() => ((last?.querySelector('.filter-value:not([hidden])') ?? last?.querySelector('.filter-op')) as HTMLElement | null)?.focus());
  }

  /**
   * The operand's input for the draft's operator (filterModel `operandInput`): a text field, a list to pick one
   * value from, or one to pick several. On a change of operator, text that is not one of the values is dropped (it
   * was typed for "contains"); a restored filter keeps it, shown as what it is, since it is what the rows obey.
   */
  private operand(draft: FilterDraft, column: ColumnSchema, operatorChanged = false): HTMLElement {
    const input = operandInput(column, draft.op);
    const options: readonly string[] = 'options' in input ? input.options : [];
    const unknown = (v: string) => v !== '' && !options.includes(v);
    if (input.kind === 'choice') {
      if (operatorChanged && unknown(draft.text)) draft.text = '';
      const extra = unknown(draft.text) ? [[draft.text, `${draft.text} (not a value of ${column.name})`] as const] : [];
      const node = select([['', 'pick a value…'], ...extra, ...input.options.map((o) => [o, o] as const)], { selected: draft.text, label: `Value for ${draft.column}` });
      node.classList.add('filter-value');
      node.addEventListener('change', () => {
        draft.text = node.value;
        this.changed(true);
      });
      return node;
    }
    if (input.kind === 'choices') {
      if (operatorChanged) draft.text = listedValues(draft.text).filter((v) => !unknown(v)).join(', ');
      const picked = listedValues(draft.text);
      const node = document.createElement('vscode-multi-select') as unknown as HTMLElement & { value: string[] };
      node.setAttribute('aria-label', `Values for ${draft.column}`);
      for (const option of [...picked.filter(unknown), ...input.options]) {
        const item = document.createElement('vscode-option');
        item.setAttribute('value', option);
        item.textContent = unknown(option) ? `${option} (not a value of ${column.name})` : option;
        if (picked.includes(option)) item.setAttribute('selected', '');
        node.append(item);
      }
      node.classList.add('filter-value');
      node.addEventListener('change', () => {
        draft.text = node.value.join(', ');
        this.changed(true);
      });
      return node;
    }
    const value = document.createElement('vscode-textfield') as unknown as Select;
    value.classList.add('filter-value');
    value.value = draft.text;
    value.setAttribute('aria-label', `Value for ${draft.column}`);
    value.hidden = input.kind === 'none';
    if (input.kind === 'text') value.setAttribute('placeholder', input.placeholder);
    value.addEventListener('input', () => {
      draft.text = value.value;
      this.changed(false);
    });
    value.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.changed(true);
    });
    return value;
  }

  private changed(immediate: boolean): void {
    this.emit(this.drafts);
    if (immediate) this.emit.flush();
  }

  private render(problems: { index: number; message: string }[]): void {
    const rows = this.drafts.map((draft, index) => {
      const row = el('div', 'filter-row');
      const column = this.columns.find((c) => c.name === draft.column) ?? this.columns[0];
      const columnSelect = select(
        this.columns.map((c) => [c.name, c.name]),
        { selected: draft.column, label: 'Column' },
      );
      columnSelect.classList.add('filter-column');
      columnSelect.addEventListener('change', () => {
        const next = this.columns.find((c) => c.name === columnSelect.value);
        if (!next) return;
        draft.column = next.name;
        if (!operatorsFor(next).includes(draft.op)) draft.op = defaultOperator(next);
        this.render([]);
        this.changed(true);
      });
      const opSelect = select(
        operatorsFor(column).map((op) => [op, OPERATOR_LABELS[op]]),
        { selected: draft.op, label: 'Operator' },
      );
      opSelect.classList.add('filter-op');
      const hint = () => {
        const text = operatorHint(draft.op, column);
        if (text) opSelect.setAttribute('title', text);
        else opSelect.removeAttribute('title');
      };
      hint();
      let value = this.operand(draft, column);
      opSelect.addEventListener('change', () => {
        draft.op = opSelect.value as FilterOperator;
        const next = this.operand(draft, column, true);
        value.replaceWith(next);
        value = next;
        hint();
        this.changed(true);
      });
      const remove = iconButton('Remove this filter', 'close', () => {
        this.drafts.splice(index, 1);
        this.render([]);
        this.changed(true);
      });
      const problem = el('span', 'filter-problem', problems.find((p) => p.index === index)?.message ?? '');
      problem.setAttribute('role', 'status');
      row.append(columnSelect, opSelect, value, remove, problem);
      return row;
    });
    const add = document.createElement('vscode-button');
    add.setAttribute('secondary', '');
    add.setAttribute('icon', 'add');
    add.textContent = 'Add filter';
    add.addEventListener('click', () => this.add());
    const footer = el('div', 'filter-row filter-footer');
    footer.append(add);
    if (this.drafts.length === 0) footer.append(el('span', 'filter-hint', 'Filters run in the database; Ctrl+F searches text columns.'));
    else {
      const clear = document.createElement('vscode-button');
      clear.setAttribute('secondary', '');
      clear.textContent = 'Clear all';
      clear.addEventListener('click', () => {
        this.drafts = [];
        this.render([]);
        this.changed(true);
      });
      footer.append(clear);
    }
    footer.prepend(codicon('filter'));
    this.element.replaceChildren(...rows, footer);
    if (problems.length > 0) this.showProblems(problems);
  }

}
