import * as assert from 'node:assert/strict';
import type { CellValue, ColumnSchema } from '../../api';
import type { CellEditor, EditorOutcome } from '../../webview/table/cellEditor';
import { column } from '../support/fakePlugins';
import { fire, press, settle, useWebviewDom } from '../support/webviewDom';

// The grid's in-place editor (webview/table/cellEditor.ts) on a happy-dom page with the real vscode-elements:
// what each column kind's editor offers, what a key does, and what value comes out.

type Field = HTMLElement & { value: string; open?: boolean };

describe('cell editor (webview/table/cellEditor)', () => {
  useWebviewDom();
  let Editor: typeof CellEditor;
  before(async () => {
    await import('../../webview/shared/elements');
    ({ CellEditor: Editor } = await import('../../webview/table/cellEditor'));
  });

  const box = { left: 10, top: 20, width: 120, height: 24 };

  /** Opens an editor over a cell of `schema` holding `current`; outcomes are collected in order. */
  async function open(schema: ColumnSchema, current: CellValue | undefined, typed?: string) {
    const container = document.createElement('div');
    document.body.append(container);
    const editor = new Editor(container);
    const outcomes: EditorOutcome[] = [];
    editor.open(box, schema, current, typed, (o) => outcomes.push(o));
    await settle();
    const root = container.querySelector('.cell-editor') as HTMLElement;
    const field = root.querySelector('.editor-field') as Field;
    const error = root.querySelector('.editor-error') as HTMLElement;
    return { editor, container, root, field, error, outcomes };
  }

  const type = (field: Field, text: string) => {
    field.value = text;
    fire(field, 'input');
  };

  it('opens a text field over the cell with the value as text, named for the column', async () => {
    const { root, field } = await open(column('name'), 'Ann');
    assert.equal(field.tagName.toLowerCase(), 'vscode-textfield');
    assert.equal(field.value, 'Ann');
    assert.equal(root.getAttribute('aria-label'), 'Edit name');
    assert.equal(root.style.left, '10px');
    assert.equal(root.style.minWidth, '160px');
  });

  it('commits a typed number as a number with Enter and moves down; Shift+Enter moves up, Tab next, Shift+Tab previous', async () => {
    const integer = column('qty', { kind: 'integer', declaredType: 'INTEGER' });
    const moves: [string, { shiftKey?: boolean }, string][] = [
      ['Enter', {}, 'down'],
      ['Enter', { shiftKey: true }, 'up'],
      ['Tab', {}, 'next'],
      ['Tab', { shiftKey: true }, 'previous'],
    ];
    for (const [key, modifiers, move] of moves) {
      const { field, outcomes, container } = await open(integer, 1);
      type(field, ' 42 ');
      press(field, key, modifiers);
      assert.deepEqual(outcomes, [{ kind: 'commit', value: 42, move }], `${key} ${JSON.stringify(modifiers)}`);
      assert.equal(container.querySelector('.cell-editor'), null, 'the editor closes');
    }
  });

  it('keeps an integer beyond 2^53 exact (bigint) and a decimal as typed', async () => {
    const big = await open(column('n', { kind: 'integer' }), 0);
    type(big.field, '9007199254740993');
    press(big.field, 'Enter');
    assert.deepEqual(big.outcomes, [{ kind: 'commit', value: 9007199254740993n, move: 'down' }]);
    const decimal = await open(column('price', { kind: 'decimal' }), '1.10');
    type(decimal.field, '0.10000000000000000001');
    press(decimal.field, 'Enter');
    assert.deepEqual(decimal.outcomes, [{ kind: 'commit', value: '0.10000000000000000001', move: 'down' }]);
  });

  it('refuses invalid input with a message and keeps the editor open with what was typed; fixing it commits', async () => {
    const { field, error, outcomes, container, root } = await open(column('qty', { kind: 'integer' }), 5);
    type(field, '12x');
    press(field, 'Enter');
    assert.deepEqual(outcomes, []);
    assert.equal(error.hidden, false);
    assert.equal(error.textContent, '"12x" is not a whole number.');
    assert.ok(field.hasAttribute('invalid'));
    assert.equal(container.querySelector('.cell-editor'), root, 'still open');
    assert.equal(field.value, '12x', 'nothing typed is lost');
    type(field, '12');
    assert.equal(error.hidden, true, 'typing clears the message');
    assert.ok(!field.hasAttribute('invalid'));
    press(field, 'Enter');
    assert.deepEqual(outcomes, [{ kind: 'commit', value: 12, move: 'down' }]);
  });

  it('tells NULL from the empty string: clearing the text stores "", Set NULL stores NULL', async () => {
    const cleared = await open(column('note'), 'old');
    assert.match(cleared.field.getAttribute('placeholder') ?? '', /Set NULL for NULL/);
    type(cleared.field, '');
    press(cleared.field, 'Enter');
    assert.deepEqual(cleared.outcomes, [{ kind: 'commit', value: '', move: 'down' }]);

    const nulled = await open(column('note'), 'old');
    const setNull = [...nulled.root.querySelectorAll('vscode-button')].find((b) => b.textContent === 'Set NULL') as HTMLElement;
    setNull.click();
    assert.deepEqual(nulled.outcomes, [{ kind: 'commit', value: null, move: 'stay' }]);

    const required = await open(column('title', { nullable: false }), 'x');
    assert.equal([...required.root.querySelectorAll('vscode-button')].find((b) => b.textContent === 'Set NULL'), undefined, 'no Set NULL on a NOT NULL column');
  });

  it('shows NULL as an empty field, and Enter on unchanged text records nothing (keep)', async () => {
    const { field, outcomes } = await open(column('note'), null);
    assert.equal(field.value, '');
    press(field, 'Enter');
    assert.deepEqual(outcomes, [{ kind: 'keep', move: 'down' }]);
  });

  it('cancels with Escape: nothing recorded, the editor gone', async () => {
    const { field, outcomes, container } = await open(column('name'), 'Ann');
    type(field, 'Bob');
    const key = press(field, 'Escape');
    assert.deepEqual(outcomes, [{ kind: 'cancel' }]);
    assert.ok(key.defaultPrevented);
    assert.equal(container.querySelector('.cell-editor'), null);
  });

  it('starts from the typed character when editing began by typing, and records it even if it equals the old value', async () => {
    const { field, outcomes } = await open(column('name'), 'a', 'a');
    assert.equal(field.value, 'a');
    press(field, 'Enter');
    assert.deepEqual(outcomes, [{ kind: 'commit', value: 'a', move: 'down' }]);
  });

  it('edits a boolean with a true / false / NULL select, committed on change', async () => {
    const { field, outcomes, root } = await open(column('active', { kind: 'boolean' }), true);
    assert.equal(field.tagName.toLowerCase(), 'vscode-single-select');
    assert.ok(root.classList.contains('select'));
    assert.deepEqual([...field.querySelectorAll('vscode-option')].map((o) => o.textContent), ['true', 'false', 'NULL']);
    assert.equal(field.value, 'true');
    field.value = 'false';
    fire(field, 'change');
    assert.deepEqual(outcomes, [{ kind: 'commit', value: false, move: 'stay' }]);

    const again = await open(column('active', { kind: 'boolean' }), false);
    again.field.value = '\u0000null';
    fire(again.field, 'change');
    assert.deepEqual(again.outcomes, [{ kind: 'commit', value: null, move: 'stay' }]);

    const required = await open(column('flag', { kind: 'boolean', nullable: false }), null);
    assert.deepEqual([...required.field.querySelectorAll('vscode-option')].map((o) => o.textContent), ['true', 'false']);
  });

  it('offers an enum column its declared values; Escape while the list is open closes only the list', async () => {
    const size = column('size', { kind: 'enum', enumValues: ['S', 'M', 'L'], nullable: false });
    const { field, outcomes } = await open(size, 'M');
    assert.deepEqual([...field.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value')), ['S', 'M', 'L']);
    assert.equal(field.value, 'M');
    field.open = true;
    press(field, 'Escape');
    assert.deepEqual(outcomes, [], 'the open list takes Escape');
    field.open = false;
    field.value = 'L';
    press(field, 'Enter');
    assert.deepEqual(outcomes, [{ kind: 'commit', value: 'L', move: 'down' }]);
  });

  it('edits JSON in a text area, checked as typed; Enter is a line break there and Ctrl+Enter commits', async () => {
    const { field, error, outcomes, root } = await open(column('doc', { kind: 'json' }), '{"a":1}');
    assert.equal(field.tagName.toLowerCase(), 'vscode-textarea');
    assert.ok(root.classList.contains('multiline'));
    assert.equal(error.hidden, true);
    field.value = '{"a":';
    fire(field, 'input');
    assert.equal(error.hidden, false);
    assert.match(error.textContent ?? '', /^Invalid JSON/);
    field.value = '{"a":2}';
    fire(field, 'input');
    assert.equal(error.hidden, true);
    press(field, 'Enter');
    assert.deepEqual(outcomes, [], 'plain Enter stays in the text');
    press(field, 'Enter', { ctrlKey: true });
    assert.deepEqual(outcomes, [{ kind: 'commit', value: '{"a":2}', move: 'stay' }]);
  });

  it('types keys that reached the grid while the editor opened into the field, and keeps grid shortcuts out', async () => {
    const { editor, field, outcomes, root } = await open(column('name'), 'x', 'a');
    const early = new (globalThis as unknown as { KeyboardEvent: typeof KeyboardEvent }).KeyboardEvent('keydown', { key: 'b', cancelable: true });
    editor.forwardKey(early);
    assert.equal(field.value, 'ab');
    assert.ok(early.defaultPrevented);
    let reachedGrid = 0;
    root.parentElement!.addEventListener('keydown', () => reachedGrid++);
    press(field, 'c', { ctrlKey: true });
    assert.equal(reachedGrid, 0, 'Ctrl+C stays in the editor');
    press(field, 's', { ctrlKey: true });
    assert.equal(reachedGrid, 1, 'Ctrl+S reaches the grid (save)');
    press(field, 'Enter');
    assert.deepEqual(outcomes, [{ kind: 'commit', value: 'ab', move: 'down' }]);
  });

  it('validates dates and UUIDs by kind and puts the expected form in the placeholder', async () => {
    const date = await open(column('born', { kind: 'date' }), null);
    assert.equal(date.field.getAttribute('placeholder'), 'YYYY-MM-DD');
    type(date.field, '2024-02-30');
    press(date.field, 'Enter');
    assert.equal(date.error.textContent, '"2024-02-30" is not a date (YYYY-MM-DD).');
    type(date.field, '2024-02-29');
    press(date.field, 'Enter');
    assert.deepEqual(date.outcomes, [{ kind: 'commit', value: '2024-02-29', move: 'down' }]);
    const uuid = await open(column('id', { kind: 'uuid' }), null);
    type(uuid.field, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11');
    press(uuid.field, 'Tab');
    assert.deepEqual(uuid.outcomes, [{ kind: 'commit', value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', move: 'next' }]);
  });
});
