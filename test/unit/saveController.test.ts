import * as assert from 'node:assert/strict';
import type { ViewApplyResult, ViewChange } from '../../api/webview';
import { PendingChanges } from '../../webview/shared/model/pendingChanges';
import { refusalText, SaveController, type SaveHooks, savedText } from '../../webview/shared/saveController';
import { column } from '../support/fakePlugins';

const row = (id: number, name: string | null) => ({ key: { id }, values: { id, name } });

/** A grid or form as the controller sees it: what it was told, in order. */
function rig(answer: (changes: ViewChange[]) => Promise<ViewApplyResult>, hooks: Partial<SaveHooks> = {}) {
  const events: string[] = [];
  const strip: { kind: string; text: string; actions: string[] }[] = [];
  const conflicts: { id: unknown; overwrite(current: Record<string, unknown>): void; reload(): void }[] = [];
  const sent: ViewChange[][] = [];
  const pending = new PendingChanges();
  const controller = new SaveController(
    {
      applyChanges: (changes) => {
        sent.push(changes);
        return answer(changes);
      },
    },
    pending,
    {
      show: (kind, text, actions = []) => void strip.push({ kind, text, actions: actions.map((a) => a.label) }),
      hide: () => void events.push('strip hidden'),
    },
    (change, _problem, _columns, actions) => void conflicts.push({ id: change.key.id, overwrite: (current) => actions.overwrite(current as never), reload: actions.reload }),
    {
      columns: () => [column('id', { kind: 'integer' }), column('name')],
      savingChanged: () => void events.push(`saving ${controller.saving}`),
      pendingChanged: () => void events.push(`pending ${pending.size}`),
      reloadRows: () => void events.push('rows reloaded'),
      locate: (id) => ({ actions: id === undefined ? [] : [{ label: 'Show row', run: () => undefined }], select: () => void events.push(`selected ${id}`) }),
      retry: () => void events.push('retry'),
      reloadAfterConflict: () => void events.push('reloaded after conflict'),
      ...hooks,
    },
  );
  return { controller, pending, events, strip, conflicts, sent };
}

describe('save flow shared by the grid and the form (webview/shared/saveController)', () => {
  it('sends every pending change once, clears them and says how many were saved', async () => {
    const r = rig(async () => ({ ok: true, results: [{ key: { id: 1 } }, { key: { id: 2 } }] }));
    r.pending.editRow(row(1, 'a'), 'name', 'b');
    r.pending.editRow(row(2, 'c'), 'name', 'd');
    let after: string[] | undefined;
    await r.controller.save((_result, ids) => (after = ids));
    assert.equal(r.sent.length, 1);
    assert.equal(r.sent[0].length, 2);
    assert.ok(r.pending.isEmpty);
    assert.deepEqual(r.events, ['strip hidden', 'saving true', 'pending 0', 'saving false']);
    assert.deepEqual(r.strip, [{ kind: 'success', text: 'Saved 2 changes.', actions: [] }]);
    assert.equal(after?.length, 2);
  });

  it('does nothing with no pending changes, and sends nothing twice while a save is running', async () => {
    let release!: (result: ViewApplyResult) => void;
    const r = rig(() => new Promise((resolve) => (release = resolve)));
    await r.controller.save();
    assert.equal(r.sent.length, 0);
    r.pending.editRow(row(1, 'a'), 'name', 'b');
    const first = r.controller.save();
    await r.controller.save();
    release({ ok: true, results: [{ key: { id: 1 } }] });
    await first;
    assert.equal(r.sent.length, 1);
    assert.equal(r.controller.saving, false);
  });

  it('keeps the changes and says so when the request itself fails', async () => {
    const r = rig(async () => {
      throw new Error('Request timed out');
    });
    r.pending.editRow(row(1, 'a'), 'name', 'b');
    await r.controller.save();
    assert.equal(r.pending.size, 1);
    assert.deepEqual(r.strip, [{ kind: 'error', text: 'Save failed: Request timed out. Your changes are still pending.', actions: [] }]);
    assert.equal(r.controller.saving, false);
  });

  it('after a rolled-back refusal keeps every change, marks the row and moves to it', async () => {
    const r = rig(async () => ({ ok: false, rolledBack: true, failure: { index: 1, code: 'constraint', message: 'NOT NULL constraint failed: t.name' } }));
    r.pending.editRow(row(1, 'a'), 'name', 'b');
    r.pending.editRow(row(2, 'c'), 'name', null);
    const { ids } = r.pending.toChanges();
    await r.controller.save();
    assert.equal(r.pending.size, 2);
    assert.equal(r.pending.problem(ids[1])?.code, 'constraint');
    assert.deepEqual(r.strip, [{ kind: 'error', text: 'NOT NULL constraint failed: t.name. Nothing was saved.', actions: ['Show row'] }]);
    assert.deepEqual(r.events.slice(2), ['pending 2', `selected ${ids[1]}`, 'saving false']);
  });

  it('after a refusal midway without a transaction forgets what was written and re-reads the rows', async () => {
    const r = rig(async () => ({ ok: false, rolledBack: false, failure: { index: 1, code: 'constraint', message: 'duplicate key' } }), { refused: () => 'name' });
    r.pending.editRow(row(1, 'a'), 'name', 'b');
    r.pending.editRow(row(2, 'c'), 'name', 'b');
    await r.controller.save();
    assert.equal(r.pending.size, 1);
    assert.ok(r.events.includes('rows reloaded'));
    assert.equal(r.strip[0].text, '"name": duplicate key. 1 change(s) before it were saved.');
  });

  it('opens the conflict dialog for a conflict; overwrite saves again, reload drops the row\'s edits', async () => {
    const r = rig(async () => ({ ok: false, rolledBack: true, failure: { index: 0, code: 'conflict', message: 'Row changed since it was read', current: { id: 1, name: 'theirs' } } }));
    r.pending.editRow(row(1, 'a'), 'name', 'mine');
    await r.controller.save();
    assert.equal(r.strip[0].text, 'Conflict: Row changed since it was read. Nothing was saved.');
    assert.ok(!r.events.some((e) => e.startsWith('selected')), 'a conflict opens its dialog instead of moving');
    assert.deepEqual(r.conflicts.map((c) => c.id), [1]);
    r.conflicts[0].overwrite({ id: 1, name: 'theirs' });
    assert.deepEqual(r.pending.toChanges().changes[0], { kind: 'update', key: { id: 1 }, changes: { name: 'mine' }, expected: { id: 1, name: 'theirs' } });
    assert.equal(r.events.at(-1), 'retry');
    r.conflicts[0].reload();
    assert.ok(r.pending.isEmpty);
    assert.deepEqual(r.events.slice(-3), ['pending 0', 'strip hidden', 'reloaded after conflict']);
  });

  it('words what was saved the same for both views', () => {
    assert.equal(savedText(1), 'Saved 1 change.');
    assert.equal(refusalText({ index: 2, code: 'constraint', message: 'FOREIGN KEY constraint failed' }, false, false), 'FOREIGN KEY constraint failed. 2 change(s) before it were saved.');
    assert.equal(refusalText({ index: 0, code: 'conflict', message: 'gone' }, true, true, 'name'), 'Conflict: gone. Nothing was saved.');
  });
});
