import type { AggregateOp, ColumnSchema, TimeUnit } from '../../api';
import { el } from '../shared/dom';
import { type Select, select } from '../shared/select';
import { AGGREGATE_LABELS, AGGREGATE_OPS, type ChartConfig, type ChartMark, isGroupable, isNumeric, isTemporal, MARK_LABELS, MARKS, TIME_UNITS } from './model/chartConfig';

type Checkbox = HTMLElement & { checked: boolean };
type TextField = HTMLElement & { value: string };

const NONE = '__none__';

/**
 * The chart builder: mark, x (with binning for numbers and a time unit for dates), aggregate, y and colour, as
 * vscode-elements selects like the table view's toolbar. Every change hands a complete config to `onChange`;
 * choices that make no sense for the columns are not offered (y lists numeric columns only, colour never repeats
 * x, pies have no colour).
 */
export class ChartBuilder {
  readonly element: HTMLDivElement;
  private config!: ChartConfig;

  constructor(
    private readonly columns: readonly ColumnSchema[],
    private readonly onChange: (config: ChartConfig) => void,
  ) {
    this.element = el('div', 'chart-builder');
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Chart builder');
  }

  set(config: ChartConfig): void {
    this.config = { ...config };
    this.render();
  }

  private change(patch: Partial<ChartConfig>, remove: (keyof ChartConfig)[] = []): void {
    const next: ChartConfig = { ...this.config, ...patch };
    for (const key of remove) delete next[key];
    this.config = next;
    this.render();
    this.onChange({ ...next });
  }

  private render(): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest?.('[data-control]')?.getAttribute('data-control');
    const c = this.config;
    const groupable = this.columns.filter(isGroupable);
    const xColumn = this.columns.find((col) => col.name === c.x);
    const fields: HTMLElement[] = [];

    fields.push(
      this.field('Mark', 'mark', this.select(MARKS.map((m) => [m, MARK_LABELS[m]]), c.mark, (value) => {
        const mark = value as ChartMark;
        this.change({ mark }, mark === 'arc' ? ['color'] : []);
      })),
    );
    fields.push(
      this.field(c.mark === 'arc' ? 'Slices' : 'X', 'x', this.select(groupable.map((col) => [col.name, col.name]), c.x, (value) => {
        const next = this.columns.find((col) => col.name === value);
        if (!next) return;
        // Binning belongs to numbers and time units to dates: drop what no longer fits, offer what now does.
        const remove: (keyof ChartConfig)[] = ['bin', 'binStep', 'timeUnit'];
        if (c.color === next.name) remove.push('color');
        const patch: Partial<ChartConfig> = { x: next.name };
        if (isTemporal(next)) patch.timeUnit = 'month';
        this.change(patch, remove.filter((k) => !(k in patch)));
      })),
    );
    if (xColumn && isNumeric(xColumn)) {
      const bin = document.createElement('vscode-checkbox') as unknown as Checkbox;
      bin.setAttribute('label', 'Bin');
      bin.toggleAttribute('checked', c.bin === true);
      bin.setAttribute('data-control', 'bin');
      bin.addEventListener('change', () => (bin.checked ? this.change({ bin: true }) : this.change({}, ['bin', 'binStep'])));
      fields.push(bin);
      if (c.bin) fields.push(this.field('Step', 'binStep', this.stepField(c.binStep)));
    }
    if (xColumn && isTemporal(xColumn)) {
      fields.push(
        this.field('Time unit', 'timeUnit', this.select([[NONE, 'none'], ...TIME_UNITS.map((u): [string, string] => [u, u])], c.timeUnit ?? NONE, (value) =>
          value === NONE ? this.change({}, ['timeUnit']) : this.change({ timeUnit: value as TimeUnit }),
        )),
      );
    }
    const numbers = this.columns.filter(isNumeric);
    fields.push(
      this.field(c.mark === 'rect' ? 'Colour by' : c.mark === 'arc' ? 'Size by' : 'Y', 'aggregate', this.select(AGGREGATE_OPS.map((op) => [op, AGGREGATE_LABELS[op]]), c.aggregate, (value) => {
        const op = value as AggregateOp;
        if (op === 'count') this.change({ aggregate: op }, ['y']);
        else this.change({ aggregate: op, y: c.y ?? numbers[0]?.name });
      })),
    );
    if (c.aggregate !== 'count') {
      fields.push(this.field('of', 'y', this.select(numbers.map((col) => [col.name, col.name]), c.y ?? '', (value) => this.change({ y: value }))));
    }
    if (c.mark !== 'arc') {
      const options: [string, string][] = [[NONE, 'none'], ...groupable.filter((col) => col.name !== c.x).map((col): [string, string] => [col.name, col.name])];
      fields.push(
        this.field(c.mark === 'rect' ? 'Rows' : 'Colour', 'color', this.select(options, c.color ?? NONE, (value) => (value === NONE ? this.change({}, ['color']) : this.change({ color: value })))),
      );
    }
    this.element.replaceChildren(...fields);
    if (focused) (this.element.querySelector(`[data-control="${focused}"]`) as HTMLElement | null)?.focus();
  }

  private field(label: string, control: string, input: HTMLElement): HTMLElement {
    const wrapper = el('label', `builder-field builder-${control}`);
    input.setAttribute('data-control', control);
    input.setAttribute('aria-label', label);
    wrapper.append(el('span', 'builder-label', label), input);
    return wrapper;
  }

  private stepField(step: number | undefined): HTMLElement {
    const field = document.createElement('vscode-textfield') as unknown as TextField;
    field.classList.add('bin-step');
    field.setAttribute('placeholder', 'auto');
    field.setAttribute('aria-label', 'Bin step');
    field.value = step === undefined ? '' : String(step);
    const problem = el('span', 'builder-problem');
    problem.setAttribute('role', 'status');
    const apply = () => {
      const text = field.value.trim();
      if (text === '') {
        field.removeAttribute('invalid');
        problem.textContent = '';
        if (this.config.binStep !== undefined) this.change({}, ['binStep']);
        return;
      }
      const n = Number(text);
      if (!Number.isFinite(n) || n <= 0) {
        // The chart keeps its last good step; the field says why this one was not taken.
        field.setAttribute('invalid', '');
        problem.textContent = 'A bin step is a number above 0.';
        return;
      }
      field.removeAttribute('invalid');
      problem.textContent = '';
      if (n !== this.config.binStep) this.change({ binStep: n });
    };
    field.addEventListener('change', apply);
    field.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') apply();
    });
    const wrapper = el('span', 'bin-step-wrapper');
    wrapper.append(field, problem);
    return wrapper;
  }

  /** A dropdown that reports a change only when its value differs from the one it was drawn with. */
  private select(options: [string, string][], selected: string, onSelect: (value: string) => void): Select {
    return select(options, {
      selected,
      onChange: (value) => {
        if (value !== selected) onSelect(value);
      },
    });
  }
}
