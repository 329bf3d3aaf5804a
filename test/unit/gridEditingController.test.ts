import * as assert from 'node:assert/strict';
import type { RowValues, TableSchema } from '../../api';
import type { ViewApplyResult, ViewChange } from '../../api/webview';
import type { TableApp } from '../../webview/table/app';
import { column, tableSchema } from '../support/fakePlugins';
import { startViewHost, type ViewHost, type ViewHostOptions } from '../support/viewHost';
import { fire, giveSize, press, settle, useWebviewDom } from '../support/webviewDom';

// The table view's editing (webview/table/editing.ts, keyMap.ts, app.ts, the shared save flow) driven as a user
// would, on a happy-dom page: keys on the grid, the real cell editor and toolbar, the rows the grid paints. The
// host is the in-memory one of test/support/viewHost.ts, behind the real view client and protocol.

type Field = HTMLElement & { value: string };

const schema: TableSchema = tableSchema({
  columns: [
    column('id', { kind: 'integer', declaredType: 'INTEGER', primaryKeyPosition: 1, nullable: false, autoIncrement: true }),
    column('name'),
    column('qty', { kind: 'integer', declaredType: 'INTEGER', nullable: false }),
    column('total', { kind: 'integer', generated: true }),
  ],
});
const rows: RowValues[] = [
  { id: 1, name: 'Ann', qty: 1, total: 10 },
  { id: 2, name: 'Bob', qty: 2, total: 20 },
  { id: 3, name: 'Cid', qty: 3, total: 30 },
];
const expected = (i: number) => rows[i];

describe('grid editing (webview/table: editing, key map, save flow)', () => {
  useWebviewDom();
  let Table: typeof TableApp;
  before(async () => {
    await import('../../webview/shared/elements');
    ({ TableApp: Table } = await import('../../webview/table/app'));
  });

  /** Settles until `check` holds: rows arrive over a few message round trips and frames. */
  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 50 && !check(); i++) await settle();
    assert.ok(check(), `never happened: ${what}`);
  }

  /** A table tab on the page with its rows painted. */
  async function openTable(options: Partial<ViewHostOptions> = {}) {
    const host = startViewHost({ schema, rows: rows.map((r) => ({ ...r })), capabilities: { transactions: false }, ...options });
    const root = document.getElementById('nocoflo-root')!;
    const app = new Table(host.client, root);
    giveSize(root.querySelector('.grid-scroller')!, 900, 400);
    app.grid.invalidate();
    const t = tab(host, app, root);
    await until(() => Boolean(t.rowElement(2)?.querySelector('.row-number')), 'the rows are painted');
    return t;
  }

  function tab(host: ViewHost, app: TableApp, root: HTMLElement) {
    const grid = app.grid.element;
    const rowElement = (r: number) => root.querySelector(`.grid-row[aria-rowindex="${r + 2}"]`) as HTMLElement | null;
    const cell = (r: number, c: number) => rowElement(r)!.querySelectorAll('.cell')[c] as HTMLElement;
    const editorField = () => grid.querySelector('.cell-editor .editor-field') as Field | null;
    const strip = () => root.querySelector('.message-strip') as HTMLElement;
    const button = (label: string) => [...root.querySelectorAll('.toolbar vscode-button')].find((b) => b.getAttribute('aria-label') === label) as HTMLElement;
    const select = (row: number, col: number) => app.grid.setSelection({ anchor: { row, col }, focus: { row, col } });
    /** Types `text` into the cell at `row`, `col` the way a user does: select it, type, Enter. */
    const editCell = async (row: number, col: number, text: string) => {
      select(row, col);
      grid.focus();
      press(grid, text[0]);
      const field = editorField();
      assert.ok(field, 'an editor opened');
      field.value = text;
      fire(field, 'input');
      press(field, 'Enter');
      await settle();
    };
    const save = async () => {
      press(grid, 's', { ctrlKey: true });
      await until(() => !app.saver.saving, 'the save ended');
      await settle();
    };
    return { host, app, root, grid, rowElement, cell, editorField, strip, button, select, editCell, save };
  }

  it('records a typed cell as a pending update with the row as read, paints it changed, and moves down', async () => {
    const t = await openTable();
    await t.editCell(0, 1, 'Anna');
    assert.deepEqual(t.host.pending(), [{ kind: 'update', key: { id: 1 }, changes: { name: 'Anna' }, expected: expected(0) }]);
    assert.equal(t.cell(0, 1).textContent, 'Anna');
    assert.ok(t.cell(0, 1).classList.contains('dirty'));
    assert.equal(t.rowElement(0)!.querySelector('.row-gutter')!.getAttribute('title'), 'Changed, saved on Save');
    assert.deepEqual(t.app.grid.selection.focus, { row: 1, col: 1 });
    assert.equal(t.button('Save').querySelector('.button-label')!.textContent, 'Save (1)');
    assert.ok(t.root.classList.contains('dirty'));
  });

  it('forgets the edit when the cell is set back to the value read, and Discard drops every edit and re-reads', async () => {
    const t = await openTable();
    await t.editCell(0, 1, 'Anna');
    await t.editCell(0, 1, 'Ann');
    assert.deepEqual(t.host.pending(), []);
    assert.ok(!t.cell(0, 1).classList.contains('dirty'));
    await t.editCell(1, 2, '7');
    assert.deepEqual(t.host.pending(), [{ kind: 'update', key: { id: 2 }, changes: { qty: 7 }, expected: expected(1) }]);
    const reads = t.host.requests('rows/read').length;
    t.button('Discard').click();
    await settle();
    assert.deepEqual(t.host.pending(), []);
    assert.ok(t.host.requests('rows/read').length > reads, 'the rows are read again');
    assert.equal(t.cell(1, 2).textContent, '2');
  });

  it('keeps the old value when the typed text is invalid: the editor says why and nothing is pending', async () => {
    const t = await openTable();
    t.select(0, 2);
    t.grid.focus();
    press(t.grid, 'x');
    press(t.editorField()!, 'Enter');
    assert.equal(t.grid.querySelector('.cell-editor .editor-error')!.textContent, '"x" is not a whole number.');
    press(t.editorField()!, 'Escape');
    await settle();
    assert.equal(t.editorField(), null);
    assert.deepEqual(t.host.pending(), [], 'nothing pending since the tab opened');
    assert.equal(t.cell(0, 2).textContent, '1');
  });

  it('refuses to edit a generated column or a read-only table, and says why', async () => {
    const t = await openTable();
    t.select(0, 3);
    t.grid.focus();
    press(t.grid, 'Enter');
    assert.equal(t.editorField(), null);
    assert.equal(t.strip().hidden, false);
    assert.equal(t.strip().querySelector('.strip-text')!.textContent, '"total" is generated by the database.');

    const readOnly = await openTable({ readOnlyReason: 'the connection is read-only' });
    readOnly.select(0, 1);
    readOnly.grid.focus();
    press(readOnly.grid, 'a');
    assert.equal(readOnly.editorField(), null);
    assert.equal(readOnly.strip().querySelector('.strip-text')!.textContent, 'the connection is read-only');
    assert.ok(readOnly.button('Save').hidden, 'no editing buttons on a read-only table');
  });

  it('inserts a new row on top whose typed cells become the insert, and forgets it when deleted before saving', async () => {
    const t = await openTable();
    t.button('Insert').click();
    await settle();
    assert.equal(t.rowElement(0)!.querySelector('.row-gutter')!.getAttribute('title'), 'New row, inserted on save');
    assert.equal(t.cell(0, 0).textContent, '(auto)');
    assert.equal(t.cell(0, 3).textContent, '(generated)');
    assert.deepEqual(t.app.grid.selection.focus, { row: 0, col: 1 }, 'the cursor is on the first column the user fills');
    await t.editCell(0, 1, 'Dee');
    await t.editCell(0, 2, '4');
    assert.deepEqual(t.host.pending(), [{ kind: 'insert', values: { name: 'Dee', qty: 4 } }]);
    assert.equal(t.cell(1, 1).textContent, 'Ann', 'the table rows move down');
    t.select(0, 1);
    press(t.grid, 'Delete');
    await settle();
    assert.deepEqual(t.host.pending(), []);
    assert.equal(t.cell(0, 1).textContent, 'Ann');
  });

  it('marks selected rows for deletion with the row as read, and Delete again takes the mark back', async () => {
    const t = await openTable();
    t.app.grid.setSelection({ anchor: { row: 1, col: 0 }, focus: { row: 2, col: 0 } });
    t.grid.focus();
    press(t.grid, 'Delete');
    await settle();
    assert.deepEqual(t.host.pending(), [
      { kind: 'delete', key: { id: 2 }, expected: expected(1) },
      { kind: 'delete', key: { id: 3 }, expected: expected(2) },
    ]);
    assert.ok(t.rowElement(1)!.classList.contains('deleted'));
    assert.equal(t.rowElement(2)!.querySelector('.row-gutter')!.getAttribute('title'), 'Will be deleted on save');
    t.select(1, 1);
    press(t.grid, 'a');
    assert.equal(t.editorField(), null, 'a row marked for deletion is not edited');
    assert.equal(t.strip().querySelector('.strip-text')!.textContent, 'This row will be deleted on save.');
    t.app.grid.setSelection({ anchor: { row: 1, col: 0 }, focus: { row: 2, col: 0 } });
    press(t.grid, 'Delete');
    await settle();
    assert.deepEqual(t.host.pending(), []);
    assert.ok(!t.rowElement(1)!.classList.contains('deleted'));
  });

  it('says why Delete does nothing when the role leaves it out', async () => {
    const t = await openTable({ capabilities: { delete: false, transactions: false }, unavailable: { delete: 'Editors cannot delete rows.' } });
    t.select(0, 0);
    t.grid.focus();
    press(t.grid, 'Delete');
    assert.equal(t.strip().querySelector('.strip-text')!.textContent, 'Editors cannot delete rows.');
    assert.deepEqual(t.host.pending(), []);
    assert.equal(t.button('Delete').title, 'Editors cannot delete rows.');
  });

  it('sets NULL where the column allows it and names the columns that do not', async () => {
    const t = await openTable();
    t.app.grid.setSelection({ anchor: { row: 0, col: 1 }, focus: { row: 0, col: 2 } });
    t.button('Set NULL').click();
    await settle();
    assert.deepEqual(t.host.pending(), [{ kind: 'update', key: { id: 1 }, changes: { name: null }, expected: expected(0) }]);
    assert.equal(t.cell(0, 1).textContent, 'NULL');
    assert.equal(t.strip().querySelector('.strip-text')!.textContent, '"qty" cannot be NULL.');
  });

  it('saves every pending change in one request and clears them', async () => {
    const t = await openTable();
    await t.editCell(0, 1, 'Anna');
    t.button('Insert').click();
    await settle();
    await t.editCell(0, 2, '9');
    await t.save();
    const [apply] = t.host.requests('changes/apply') as { changes: unknown[] }[];
    assert.equal(apply.changes.length, 2);
    assert.deepEqual(t.host.pending(), []);
    assert.equal(t.strip().querySelector('.strip-text')!.textContent, 'Saved 2 changes.');
    assert.equal(t.button('Save').querySelector('.button-label')!.textContent, 'Save');
  });

  it('on a partial save keeps the refused change with its error and the ones after it, and clears the ones applied', async () => {
    let outcome: (changes: ViewChange[]) => ViewApplyResult = () => ({ ok: false, rolledBack: false, failure: { index: 1, code: 'constraint', message: 'CHECK constraint failed: qty > 0', column: 'qty' } });
    const t = await openTable({ apply: (changes) => outcome(changes) });
    await t.editCell(0, 2, '5');
    await t.editCell(1, 2, '-1');
    await t.editCell(2, 2, '6');
    const reads = t.host.requests('rows/read').length;
    await t.save();
    assert.deepEqual(t.host.pending(), [
      { kind: 'update', key: { id: 2 }, changes: { qty: -1 }, expected: expected(1) },
      { kind: 'update', key: { id: 3 }, changes: { qty: 6 }, expected: expected(2) },
    ]);
    assert.equal(t.strip().querySelector('.strip-text')!.textContent, 'CHECK constraint failed: qty > 0. 1 change(s) before it were saved.');
    assert.ok(t.host.requests('rows/read').length > reads, 'rows are re-read, since some were written');
    const refused = t.rowElement(1)!;
    assert.ok(refused.classList.contains('has-problem'));
    assert.equal(refused.querySelector('.row-gutter')!.getAttribute('title'), 'CHECK constraint failed: qty > 0');
    assert.ok(t.cell(1, 2).classList.contains('problem'));
    assert.ok(!t.rowElement(2)!.classList.contains('has-problem'), 'the change after it was not tried');
    assert.ok(!t.cell(0, 2).classList.contains('dirty'), 'the applied change is no longer pending');
    assert.equal(t.app.grid.selection.focus.row, 1, 'the grid moves to the refused row, though its rows are re-read');
    t.select(0, 0);
    ([...t.strip().querySelectorAll('vscode-button')].find((b) => b.textContent === 'Show row') as HTMLElement).click();
    assert.deepEqual(t.app.grid.selection.focus, { row: 1, col: 0 });

    outcome = (changes) => ({ ok: true, results: changes.map(() => ({ key: null })) });
    await t.editCell(1, 2, '1');
    await t.save();
    const second = (t.host.requests('changes/apply') as { changes: unknown[] }[])[1];
    assert.equal(second.changes.length, 2);
    assert.deepEqual(t.host.pending(), []);
    assert.ok(!t.rowElement(1)!.classList.contains('has-problem'));
  });

  it('keeps everything pending when a transaction rolled back', async () => {
    const t = await openTable({ capabilities: { transactions: true }, apply: () => ({ ok: false, rolledBack: true, failure: { index: 1, code: 'constraint', message: 'UNIQUE constraint failed: t.name' } }) });
    await t.editCell(0, 1, 'Bob');
    await t.editCell(1, 1, 'Bob');
    await t.editCell(2, 1, 'Bob');
    await t.save();
    assert.equal(t.host.pending()!.length, 2, 'row 2 already says Bob, so two changes');
    assert.equal(t.strip().querySelector('.strip-text')!.textContent, 'UNIQUE constraint failed: t.name. Nothing was saved.');
    assert.ok(t.rowElement(2)!.classList.contains('has-problem'));
    assert.ok(t.cell(0, 1).classList.contains('dirty'));
    assert.equal(t.app.grid.selection.focus.row, 2, 'the grid moves to the refused row');
    t.select(0, 0);
    ([...t.strip().querySelectorAll('vscode-button')].find((b) => b.textContent === 'Show row') as HTMLElement).click();
    assert.deepEqual(t.app.grid.selection.focus, { row: 2, col: 0 });
  });

  it('opens the conflict dialog for a row changed elsewhere; "Overwrite with mine" saves again against the stored row', async () => {
    const applied: ViewChange[][] = [];
    const t = await openTable({
      apply: (changes) => {
        applied.push(changes);
        return applied.length === 1
          ? { ok: false, rolledBack: true, failure: { index: 0, code: 'conflict', message: 'Row changed since it was read', current: { id: 1, name: 'Anne', qty: 1, total: 10 } } }
          : { ok: true, results: [{ key: { id: 1 } }] };
      },
    });
    await t.editCell(0, 1, 'Anna');
    await t.save();
    const dialog = document.querySelector('.dialog') as HTMLElement;
    assert.equal(dialog.getAttribute('aria-label'), 'Conflict: the row changed since you read it');
    assert.deepEqual(
      [...dialog.querySelectorAll('tr.changed-there td')].map((td) => td.textContent),
      ['name', 'Ann', 'Anne', 'Anna'],
    );
    assert.equal(t.rowElement(0)!.querySelector('.row-problem')!.classList.contains('codicon-git-compare'), true);
    ([...dialog.querySelectorAll('vscode-button')].find((b) => b.textContent === 'Overwrite with mine') as HTMLElement).click();
    await until(() => applied.length === 2 && !t.app.saver.saving, 'the second save');
    await settle();
    assert.deepEqual(applied[1], [{ kind: 'update', key: { id: 1 }, changes: { name: 'Anna' }, expected: { id: 1, name: 'Anne', qty: 1, total: 10 } }]);
    assert.deepEqual(t.host.pending(), []);
    assert.equal(document.querySelector('.dialog'), null);
  });

  it('turns the filter bar into the filters of the next read', async () => {
    const t = await openTable();
    t.app.toggleFilters(true);
    await settle();
    const bar = t.root.querySelector('.filter-bar')!;
    const columnSelect = bar.querySelector('.filter-column') as Field;
    columnSelect.value = 'qty';
    fire(columnSelect, 'change');
    await settle();
    const op = bar.querySelector('.filter-op') as Field;
    op.value = 'gt';
    fire(op, 'change');
    await settle();
    const operand = bar.querySelector('.filter-value') as Field;
    operand.value = '1';
    fire(operand, 'input');
    press(operand, 'Enter');
    await until(() => t.host.requests('rows/read').some((r) => (r as { filters?: unknown }).filters !== undefined), 'a filtered read');
    const read = t.host.requests('rows/read').find((r) => (r as { filters?: unknown }).filters !== undefined) as { filters: unknown };
    assert.deepEqual(read.filters, [{ column: 'qty', op: 'gt', value: 1 }]);
    await until(() => Boolean(t.rowElement(1)?.querySelector('.row-number')) && t.rowElement(2) === null, 'the filtered rows are painted');
    assert.equal(t.cell(0, 1).textContent, 'Bob');
    assert.equal(t.button('Save').hidden, false);
  });
});
