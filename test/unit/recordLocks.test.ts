import * as assert from 'node:assert/strict';
import type { RowKey } from '../../api';
import type { RowLockInfo, RowLockResult } from '../../api/webview';
import { lockTime, rowKeyText } from '../../shared/rowLocks';
import { RecordLocks } from '../../webview/form/recordLocks';
import type { FormClient } from '../../webview/form/formClient';

/** The lock members of the view client, recording calls; `taken` decides who else holds which row. */
function fakeClient(takenByOthers: Map<string, { owner: string; since: string }>) {
  const calls: string[] = [];
  let listener: ((locks: RowLockInfo[]) => void) | undefined;
  const client = {
    lockRow: async (key: RowKey): Promise<RowLockResult> => {
      calls.push(`lock ${rowKeyText(key)}`);
      const other = takenByOthers.get(rowKeyText(key));
      return other ? { ok: false, ...other } : { ok: true };
    },
    unlockRow: async (key: RowKey) => void calls.push(`unlock ${rowKeyText(key)}`),
    breakLock: async (key: RowKey) => (calls.push(`break ${rowKeyText(key)}`), true),
    onLocks: (l: (locks: RowLockInfo[]) => void) => {
      listener = l;
      l([]);
      return { dispose: () => (listener = undefined) };
    },
  } as unknown as FormClient;
  return { client, calls, send: (locks: RowLockInfo[]) => listener?.(locks) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RecordLocks (the form holds the locks of the records it has unsaved edits for)', () => {
  it('takes the lock of a record when it gets an edit and releases it once its edits are saved or discarded', async () => {
    const { client, calls } = fakeClient(new Map());
    const events: string[] = [];
    const locks = new RecordLocks(client, { changed: () => events.push('changed'), refused: () => events.push('refused'), failed: (m) => events.push(m) });
    locks.sync([{ id: 1 }]);
    locks.sync([{ id: 1 }]); // more edits of the same record: no second request
    locks.sync([{ id: 1 }, { id: 2 }]);
    locks.sync([]);
    await tick();
    assert.deepEqual(calls, ['lock [["id",1]]', 'lock [["id",2]]', 'unlock [["id",1]]', 'unlock [["id",2]]']);
    assert.deepEqual(events, ['changed'], 'the initial (empty) set of locks');
  });

  it('says who holds a record it could not lock, and tries again on the next edit', async () => {
    const taken = new Map([[rowKeyText({ id: 5 }), { owner: 'bob', since: '2026-03-01T14:02:00.000Z' }]]);
    const { client, calls } = fakeClient(taken);
    const refused: string[] = [];
    const locks = new RecordLocks(client, { changed: () => undefined, refused: (owner, since) => refused.push(`${owner} ${since}`), failed: () => undefined });
    locks.sync([{ id: 5 }]);
    await tick();
    assert.deepEqual(refused, ['bob 2026-03-01T14:02:00.000Z']);
    taken.clear();
    locks.sync([{ id: 5 }]);
    await tick();
    assert.deepEqual(calls, ['lock [["id",5]]', 'lock [["id",5]]'], 'not counted as held after a refusal');
  });

  it('knows which records others are editing (its own locks aside)', () => {
    const { client, send } = fakeClient(new Map());
    let changes = 0;
    const locks = new RecordLocks(client, { changed: () => changes++, refused: () => undefined, failed: () => undefined });
    send([
      { key: { id: 1 }, owner: 'alice', since: '2026-03-01T14:02:00.000Z', mine: false },
      { key: { id: 2 }, owner: 'me', since: '2026-03-01T14:03:00.000Z', mine: true },
    ]);
    assert.equal(locks.heldByOther({ id: 1 })?.owner, 'alice');
    assert.equal(locks.heldByOther({ id: 2 }), undefined);
    assert.equal(locks.heldByOther({ id: '1' }), undefined, 'keys keep their type');
    assert.equal(changes, 2);
    assert.equal(locks.canTryBreak, true);
  });

  it('writes the time of a lock as HH:MM today, with the date on another day', () => {
    const since = new Date(2026, 2, 1, 14, 2).toISOString();
    assert.equal(lockTime(since, new Date(2026, 2, 1, 18, 0)), '14:02');
    assert.equal(lockTime(since, new Date(2026, 2, 2, 9, 0)), '2026-03-01 14:02');
    assert.equal(lockTime('not a date'), 'not a date');
  });
});
