import * as assert from 'node:assert/strict';
import type { ColumnSchema } from '../../api';
import { buildFilters, type FilterDraft } from '../../webview/shared/model/filterModel';
import type { FilterBar } from '../../webview/table/filterBar';
import { encodeQuery } from '../../shared/protocolCodec';
import { column } from '../support/fakePlugins';
import { fire, press, settle, useWebviewDom } from '../support/webviewDom';

// The grid's filter bar (webview/table/filterBar.ts) on a happy-dom page with the real vscode-elements: its rows,
// the operand input each operator gets, and the drafts it hands the grid, which the real filter model and codec
// turn into the request's filters.

type Input = HTMLElement & { value: string };
type Multi = HTMLElement & { value: string[] };

const columns: ColumnSchema[] = [
  column('id', { kind: 'integer', declaredType: 'INTEGER', primaryKeyPosition: 1, nullable: false }),
  column('name'),
  column('size', { kind: 'enum', enumValues: ['S', 'M', 'L'] }),
  column('active', { kind: 'boolean' }),
  column('born', { kind: 'date' }),
  column('photo', { kind: 'blob' }),
];

describe('filter bar (webview/table/filterBar)', () => {
  useWebviewDom();
  let Bar: typeof FilterBar;
  before(async () => {
    await import('../../webview/shared/elements');
    ({ FilterBar: Bar } = await import('../../webview/table/filterBar'));
  });

  /** A bar in the page; `emitted` holds every list of drafts it handed on. */
  async function bar(drafts: FilterDraft[] = []) {
    const emitted: FilterDraft[][] = [];
    const filterBar = new Bar(columns, (d) => emitted.push(d));
    document.body.append(filterBar.element);
    filterBar.set(drafts);
    await settle();
    const rows = () => [...filterBar.element.querySelectorAll('.filter-row:not(.filter-footer)')] as HTMLElement[];
    const part = (row: number, selector: string) => rows()[row].querySelector(selector) as Input;
    const footerButton = (label: string) => [...filterBar.element.querySelectorAll('.filter-footer vscode-button')].find((b) => b.textContent === label) as HTMLElement;
    return { filterBar, emitted, rows, part, footerButton, last: () => emitted[emitted.length - 1] };
  }

  /** The filters of the grid's next read, as they cross to the host. */
  const request = (drafts: FilterDraft[]) => encodeQuery({ filters: buildFilters(drafts, columns).filters }).filters ?? [];

  it('starts empty with a hint, and Add filter adds a row for the first column with its first operator', async () => {
    const b = await bar();
    assert.equal(b.rows().length, 0);
    assert.match(b.filterBar.element.querySelector('.filter-hint')?.textContent ?? '', /Filters run in the database/);
    b.footerButton('Add filter').click();
    await settle();
    assert.equal(b.rows().length, 1);
    assert.equal(b.part(0, '.filter-column').value, 'id');
    assert.equal(b.part(0, '.filter-op').value, 'eq');
    assert.equal(b.filterBar.element.querySelector('.filter-hint'), null);
    assert.ok(b.footerButton('Clear all'));
    assert.deepEqual(b.emitted, [], 'an empty operand filters nothing yet');
  });

  it('hands on a typed operand at Enter, which becomes a typed filter in the request', async () => {
    const b = await bar();
    b.filterBar.add('id');
    await settle();
    const operand = b.part(0, '.filter-value');
    assert.equal(operand.tagName.toLowerCase(), 'vscode-textfield');
    operand.value = '42';
    fire(operand, 'input');
    press(operand, 'Enter');
    assert.deepEqual(b.last(), [{ column: 'id', op: 'eq', text: '42' }]);
    assert.deepEqual(request(b.last()), [{ column: 'id', op: 'eq', value: 42 }]);
  });

  it('gives text columns "contains" first and a date column its placeholder', async () => {
    const b = await bar();
    b.filterBar.add('name');
    b.filterBar.add('born');
    await settle();
    assert.equal(b.part(0, '.filter-op').value, 'contains');
    assert.equal(b.part(1, '.filter-value').getAttribute('placeholder'), 'YYYY-MM-DD');
    assert.deepEqual(
      [...b.rows()[0].querySelectorAll('.filter-op vscode-option')].map((o) => o.textContent),
      ['contains', '=', '≠', 'starts with', 'ends with', '<', '≤', '>', '≥', 'in (a, b, …)', 'is NULL', 'is not NULL'],
    );
  });

  it('hides the operand for "is NULL" and sends the filter without a value', async () => {
    const b = await bar([{ column: 'name', op: 'contains', text: 'x' }]);
    const op = b.part(0, '.filter-op');
    op.value = 'isnull';
    fire(op, 'change');
    await settle();
    assert.equal(b.part(0, '.filter-value').hidden, true);
    assert.deepEqual(request(b.last()), [{ column: 'name', op: 'isnull' }]);
  });

  it('offers a boolean true / false to pick, never to type', async () => {
    const b = await bar();
    b.filterBar.add('active');
    await settle();
    const operand = b.part(0, '.filter-value');
    assert.equal(operand.tagName.toLowerCase(), 'vscode-single-select');
    assert.deepEqual([...operand.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value')), ['', 'true', 'false']);
    operand.value = 'false';
    fire(operand, 'change');
    assert.deepEqual(request(b.last()), [{ column: 'active', op: 'eq', value: false }]);
    assert.deepEqual(
      [...b.rows()[0].querySelectorAll('.filter-op vscode-option')].map((o) => o.getAttribute('value')),
      ['eq', 'ne', 'isnull', 'notnull'],
    );
  });

  it('offers an enum its values for "=", and several to pick for "in"', async () => {
    const b = await bar();
    b.filterBar.add('size');
    await settle();
    const one = b.part(0, '.filter-value');
    assert.equal(one.tagName.toLowerCase(), 'vscode-single-select');
    one.value = 'M';
    fire(one, 'change');
    assert.deepEqual(request(b.last()), [{ column: 'size', op: 'eq', value: 'M' }]);

    const op = b.part(0, '.filter-op');
    op.value = 'in';
    fire(op, 'change');
    await settle();
    const several = b.part(0, '.filter-value') as unknown as Multi;
    assert.equal(several.tagName.toLowerCase(), 'vscode-multi-select');
    assert.deepEqual([...several.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value')), ['S', 'M', 'L']);
    assert.deepEqual([...several.querySelectorAll('vscode-option[selected]')].map((o) => o.getAttribute('value')), ['M'], 'the value picked for "=" stays picked');
    several.value = ['S', 'L'];
    fire(several, 'change');
    assert.deepEqual(b.last(), [{ column: 'size', op: 'in', text: 'S, L' }]);
    assert.deepEqual(request(b.last()), [{ column: 'size', op: 'in', value: ['S', 'L'] }]);
  });

  it('drops text typed for "contains" when the operator becomes a pick, but shows a restored unknown value as such', async () => {
    const b = await bar([{ column: 'size', op: 'contains', text: 'X' }]);
    const op = b.part(0, '.filter-op');
    op.value = 'eq';
    fire(op, 'change');
    await settle();
    assert.equal(b.part(0, '.filter-value').value, '');
    assert.deepEqual(b.last(), [{ column: 'size', op: 'eq', text: '' }]);
    assert.deepEqual(request(b.last()), [], 'nothing picked, nothing filtered');

    const restored = await bar([{ column: 'size', op: 'eq', text: 'XL' }]);
    const options = [...restored.part(0, '.filter-value').querySelectorAll('vscode-option')].map((o) => o.textContent);
    assert.ok(options.includes('XL (not a value of size)'), options.join(' | '));
  });

  it('resets the operator when the column changes to one it does not apply to', async () => {
    const b = await bar([{ column: 'name', op: 'contains', text: 'ann' }]);
    const columnSelect = b.part(0, '.filter-column');
    columnSelect.value = 'photo';
    fire(columnSelect, 'change');
    await settle();
    assert.deepEqual(b.last(), [{ column: 'photo', op: 'isnull', text: 'ann' }]);
    assert.equal(b.part(0, '.filter-op').value, 'isnull');
    assert.deepEqual(request(b.last()), [{ column: 'photo', op: 'isnull' }]);
  });

  it('removes one row with its close button and all with Clear all', async () => {
    const b = await bar([
      { column: 'id', op: 'gt', text: '1' },
      { column: 'name', op: 'contains', text: 'a' },
      { column: 'born', op: 'lt', text: '2000-01-01' },
    ]);
    (b.rows()[1].querySelector('vscode-toolbar-button') as HTMLElement).click();
    await settle();
    assert.equal(b.rows().length, 2);
    assert.deepEqual(request(b.last()), [
      { column: 'id', op: 'gt', value: 1 },
      { column: 'born', op: 'lt', value: '2000-01-01' },
    ]);
    b.footerButton('Clear all').click();
    await settle();
    assert.equal(b.rows().length, 0);
    assert.deepEqual(b.last(), []);
  });

  it('marks an operand the column cannot take, with the reason next to it', async () => {
    const drafts = [
      { column: 'id', op: 'eq', text: 'abc' },
      { column: 'name', op: 'contains', text: 'ok' },
    ] satisfies FilterDraft[];
    const b = await bar(drafts);
    const { problems } = buildFilters(drafts, columns);
    b.filterBar.showProblems(problems);
    assert.ok(b.part(0, '.filter-value').hasAttribute('invalid'));
    assert.equal(b.rows()[0].querySelector('.filter-problem')?.textContent, '"abc" is not a whole number.');
    assert.ok(!b.part(1, '.filter-value').hasAttribute('invalid'));
    assert.equal(b.rows()[1].querySelector('.filter-problem')?.textContent, '');
  });
});
