import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TableLocator } from '../../api';
import { LockStore } from '../../src/core/locks/lockStore';
import { WindowLocks } from '../../src/core/locks/windowLocks';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import { parseFromWebview } from '../../shared/protocol';
import type { WireRowLock } from '../../shared/rowLocks';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const orders: TableLocator = { datasourceId: 'ds1', name: 'orders' };

describe('WindowLocks (tabs of a window as lock holders)', () => {
  let dir: string;
  let stores: MetadataFile[];
  let windows: WindowLocks[];
  let mayBreak: boolean;
  const openWindow = async (owner: string, heartbeatMs = 60_000) => {
    const store = await MetadataFile.open({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    stores.push(store);
    const locks = new WindowLocks(new LockStore(store, { owner }), {
      log: silent,
      heartbeatMs,
      canBreak: () => (mayBreak ? { ok: true } : { ok: false, reason: 'Breaking a row lock needs the admin role on Shop.' }),
    });
    windows.push(locks);
    return { store, locks };
  };
  const tab = (window: WindowLocks, table = orders) => {
    const seen: WireRowLock[][] = [];
    const handle = window.attach(table, (locks) => seen.push(locks));
    return { handle, seen, last: () => seen.at(-1) ?? [] };
  };
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(condition(), 'condition not reached');
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-winlocks-'));
    stores = [];
    windows = [];
    mayBreak = true;
  });
  afterEach(() => {
    for (const w of windows) w.dispose();
    for (const s of stores) s.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second tab of the same window is told about the first tab\'s lock, as someone else\'s', async () => {
    const { locks } = await openWindow('alice');
    const form = tab(locks);
    const grid = tab(locks);
    assert.deepEqual(await form.handle.acquire({ id: 1 }), { ok: true });
    assert.equal(grid.last().length, 1);
    assert.deepEqual({ ...grid.last()[0], since: '' }, { rowKey: '[["id",1]]', owner: 'alice', since: '', mine: false });
    assert.equal(form.last()[0]?.mine, true, 'the holder sees its own lock as its own');
    const refused = await grid.handle.acquire({ id: 1 });
    assert.equal(refused.ok, false);
    await form.handle.release({ id: 1 });
    assert.deepEqual(grid.last(), []);
  });

  it('another window sees the lock after the file changed, and a closed tab\'s locks go', async () => {
    const a = await openWindow('alice');
    const b = await openWindow('bob');
    const form = tab(a.locks);
    const other = tab(b.locks);
    await form.handle.acquire({ id: 7 });
    b.store.refreshIfChanged(); // what the store's file polling does every 2 s
    assert.equal(other.last()[0]?.owner, 'alice');
    assert.equal((await other.handle.acquire({ id: 7 })).ok, false);
    form.handle.dispose();
    await until(() => a.store.rows('SELECT * FROM row_locks').length === 0);
    b.store.refreshIfChanged();
    assert.deepEqual(other.last(), []);
    assert.deepEqual(await other.handle.acquire({ id: 7 }), { ok: true });
  });

  it('breaking a lock needs permission, says why otherwise, and the holder\'s lock is gone after it', async () => {
    const a = await openWindow('alice');
    const b = await openWindow('bob');
    const form = tab(a.locks);
    const admin = tab(b.locks);
    await form.handle.acquire({ id: 3 });
    mayBreak = false;
    await assert.rejects(admin.handle.breakLock({ id: 3 }), (e: Error & { code?: string }) => e.code === 'permission' && /needs the admin role/.test(e.message));
    mayBreak = true;
    assert.equal(await admin.handle.breakLock({ id: 3 }), true);
    assert.equal(await admin.handle.breakLock({ id: 3 }), false);
    a.store.refreshIfChanged();
    assert.deepEqual(form.last(), [], 'the former holder is told');
  });

  it('the heartbeat renews held locks', async () => {
    const a = await openWindow('alice', 20);
    const form = tab(a.locks);
    await form.handle.acquire({ id: 1 });
    const before = String(a.store.rows('SELECT expires_at FROM row_locks')[0]!.expires_at);
    await until(() => String(a.store.rows('SELECT expires_at FROM row_locks')[0]!.expires_at) > before);
  });

  it('closing a window releases its locks before the metadata store is disposed right after (VS Code\'s deactivate order)', async () => {
    const a = await openWindow('alice');
    const form = tab(a.locks);
    await form.handle.acquire({ id: 1 });
    await form.handle.acquire({ id: 2 });
    void a.locks.close();
    a.store.dispose(); // synchronously after deactivate() was called, as VS Code does with the subscriptions
    stores.splice(stores.indexOf(a.store), 1);
    const b = await openWindow('bob');
    assert.deepEqual(b.store.rows('SELECT row_key FROM row_locks'), []);
  });

  it('the lock messages of a view are validated like every other message', () => {
    assert.equal(parseFromWebview({ type: 'request', id: 1, method: 'lock/acquire', params: { key: { id: 1 } } }).ok, true);
    assert.equal(parseFromWebview({ type: 'request', id: 2, method: 'lock/break', params: { key: { id: { $bigint: '9007199254740993' } } } }).ok, true);
    assert.deepEqual(parseFromWebview({ type: 'request', id: 3, method: 'lock/release', params: { key: 'id=1' } }), {
      ok: false,
      error: 'lock/release: params.key must be an object',
      id: 3,
    });
    assert.equal(parseFromWebview({ type: 'request', id: 4, method: 'lock/acquire', params: { key: { id: 1 }, table: 'customers' } }).ok, false, 'a view cannot name another table');
  });
});
