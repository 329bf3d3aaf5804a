import * as assert from 'node:assert/strict';
import { describeChange } from '../../webview/table/model/changeDescription';
import { DisplayRows } from '../../webview/table/model/displayRows';
import { PendingChanges, rowIdOf } from '../../webview/shared/model/pendingChanges';
import { column, tableSchema } from '../support/fakePlugins';

const row = (id: number, name: string | null) => ({ key: { id }, values: { id, name } });

describe('grid pending changes (webview/shared/model/pendingChanges)', () => {
  it('keeps an update with the whole row read as expected, and drops it when set back', () => {
    const p = new PendingChanges();
    p.editRow(row(1, 'Ann'), 'name', 'Anna');
    assert.deepEqual(p.toChanges().changes, [{ kind: 'update', key: { id: 1 }, changes: { name: 'Anna' }, expected: { id: 1, name: 'Ann' } }]);
    assert.deepEqual(p.cell(rowIdOf({ id: 1 }), 'name'), { value: 'Anna' });
    p.editRow(row(1, 'Ann'), 'name', 'Ann');
    assert.ok(p.isEmpty);
  });

  it('distinguishes setting NULL from setting the empty string', () => {
    const p = new PendingChanges();
    p.editRow(row(1, ''), 'name', null);
    p.editRow(row(2, null), 'name', '');
    assert.deepEqual(p.toChanges().changes.map((c) => c.kind === 'update' && c.changes.name), [null, '']);
  });

  it('orders a batch as updates, inserts, deletes and knows the row of each change', () => {
    const p = new PendingChanges();
    p.delete([{ id: rowIdOf({ id: 3 }), ref: row(3, 'c') }]);
    const newId = p.insert({ name: 'new' });
    p.editRow(row(1, 'a'), 'name', 'b');
    const { changes, ids } = p.toChanges();
    assert.deepEqual(changes.map((c) => c.kind), ['update', 'insert', 'delete']);
    assert.deepEqual(ids, [rowIdOf({ id: 1 }), newId, rowIdOf({ id: 3 })]);
  });

  it('forgets a new row when it is deleted before saving, and an update when its row is deleted', () => {
    const p = new PendingChanges();
    const newId = p.insert();
    p.editRow(row(1, 'a'), 'name', 'b');
    p.delete([{ id: newId }, { id: rowIdOf({ id: 1 }), ref: row(1, 'a') }]);
    assert.deepEqual(p.toChanges().changes, [{ kind: 'delete', key: { id: 1 }, expected: { id: 1, name: 'a' } }]);
  });

  it('records a failure on its row and resolves conflicts by overwrite or reload', () => {
    const p = new PendingChanges();
    p.editRow(row(1, 'a'), 'name', 'mine');
    p.editRow(row(2, 'x'), 'name', 'y');
    const { ids } = p.toChanges();
    const id = p.recordFailure({ index: 0, code: 'conflict', message: 'Row changed since it was read', current: { id: 1, name: 'theirs' } }, ids);
    assert.equal(id, ids[0]);
    assert.equal(p.problem(ids[0])?.code, 'conflict');
    p.acceptCurrent(ids[0], { id: 1, name: 'theirs' });
    assert.deepEqual(p.toChanges().changes[0], { kind: 'update', key: { id: 1 }, changes: { name: 'mine' }, expected: { id: 1, name: 'theirs' } });
    assert.equal(p.problemCount, 0);
    p.revertRow(ids[1]);
    assert.equal(p.size, 1);
  });

  it('forgets the changes a non-transactional save already applied', () => {
    const p = new PendingChanges();
    p.editRow(row(1, 'a'), 'name', 'b');
    p.editRow(row(2, 'a'), 'name', 'b');
    const { ids } = p.toChanges();
    p.forgetApplied(ids, 1);
    assert.deepEqual(p.toChanges().ids, [ids[1]]);
  });

  it('restores from a saved batch exactly', () => {
    const p = new PendingChanges();
    p.editRow(row(1, 'a'), 'name', 'b');
    p.insert({ name: 'n', id: 2n ** 60n });
    p.delete([{ id: rowIdOf({ id: 5 }), ref: row(5, 'e') }]);
    const restored = PendingChanges.restore(p.toChanges().changes);
    assert.deepEqual(restored.toChanges().changes, p.toChanges().changes);
    assert.ok(restored.isDeleted(rowIdOf({ id: 5 })));
  });

  it('identifies rows by key regardless of key order and value encoding', () => {
    assert.equal(rowIdOf({ a: 1, b: 'x' }), rowIdOf({ b: 'x', a: 1 }));
    assert.notEqual(rowIdOf({ a: 1 }), rowIdOf({ a: '1' }));
    assert.notEqual(rowIdOf({ a: 1n }), rowIdOf({ a: 2n }));
  });
});

describe('grid change descriptions (webview/table/model/changeDescription)', () => {
  const columns = tableSchema({ columns: [column('id', { kind: 'integer' }), column('name'), column('photo', { kind: 'blob' })] }).columns;

  it('describes each kind of change readably, with NULL and defaults named', () => {
    assert.equal(describeChange({ kind: 'update', key: { id: 1 }, changes: { name: null }, expected: { id: 1, name: 'Ann' } }, columns), 'Update the row where id = 1: name "Ann" → NULL');
    assert.equal(describeChange({ kind: 'insert', values: {} }, columns), 'Insert a row with all default values');
    assert.equal(describeChange({ kind: 'insert', values: { name: 'x', photo: new Uint8Array([1, 2]) } }, columns), 'Insert a row with name = "x", photo = 2 B  01 02');
    assert.equal(describeChange({ kind: 'delete', key: { id: 2 }, expected: {} }, columns), 'Delete the row where id = 2');
  });
});

describe('grid display rows (webview/table/model/displayRows)', () => {
  const columns = [column('id', { kind: 'integer', primaryKeyPosition: 1 }), column('name')];
  const source = {
    row: (i: number) => (i < 3 ? { values: [i + 10, `n${i}`], key: { id: i + 10 } } : i === 3 ? { values: [null, 'no key'], key: null } : undefined),
  };

  it('shows new rows first, then table rows with pending edits laid over them', () => {
    const pending = new PendingChanges();
    pending.insert({ name: 'fresh' });
    pending.editRow({ key: { id: 11 }, values: { id: 11, name: 'n1' } }, 'name', 'edited');
    pending.delete([{ id: rowIdOf({ id: 12 }), ref: { key: { id: 12 }, values: { id: 12, name: 'n2' } } }]);
    const rows = new DisplayRows(columns, source, pending);
    assert.equal(rows.count(4), 5);
    const fresh = rows.get(0)!;
    assert.deepEqual([fresh.kind, fresh.label, fresh.values, [...fresh.dirty]], ['inserted', 'new', [undefined, 'fresh'], [1]]);
    const edited = rows.get(2)!;
    assert.deepEqual([edited.label, edited.values, [...edited.dirty], edited.ref?.values], ['2', [11, 'edited'], [1], { id: 11, name: 'n1' }]);
    assert.equal(rows.get(3)!.deleted, true);
    assert.equal(rows.get(4)!.id, undefined, 'a row without a key cannot be addressed');
    assert.equal(rows.get(5), undefined, 'not loaded yet');
    assert.equal(rows.tableIndex(0), undefined);
    assert.equal(rows.tableIndex(2), 1);
    assert.equal(rows.find(rowIdOf({ id: 12 }), 4), 3);
  });
});
