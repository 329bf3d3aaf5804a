import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TableLocator } from '../../api';
import { LockStore, rowKeyText } from '../../src/core/locks/lockStore';
import { rowKeyFromText } from '../../shared/rowLocks';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');
const orders: TableLocator = { datasourceId: 'ds1', schema: 'public', name: 'orders' };
const T0 = Date.parse('2026-03-01T14:02:00.000Z');

describe('LockStore (advisory row locks in the metadata file)', () => {
  let dir: string;
  let file: string;
  let stores: MetadataFile[];
  let clock: number;
  const open = async (owner: string) => {
    const store = await MetadataFile.open({ path: file, wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    stores.push(store);
    return new LockStore(store, { owner, ttlMs: 120_000, now: () => clock });
  };
  const key = rowKeyText({ id: 7 });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-locks-'));
    file = path.join(dir, 'nocoflo.sqlite');
    stores = [];
    clock = T0;
  });
  afterEach(() => {
    for (const s of stores) s.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spells a row key the same whatever the column order and value types, and reads it back', () => {
    const key = { b: 'x', a: 12345678901234567890n, c: new Uint8Array([1, 255]), d: null };
    assert.deepEqual(rowKeyFromText(rowKeyText(key)), key);
    assert.throws(() => rowKeyFromText('{"id":1}'), /list of \[column, value\] pairs/);
    assert.equal(rowKeyText({ a: 1, b: 'x' }), rowKeyText({ b: 'x', a: 1 }));
    assert.notEqual(rowKeyText({ id: 1 }), rowKeyText({ id: '1' }));
    assert.notEqual(rowKeyText({ id: 1n }), rowKeyText({ id: '1' }));
    assert.equal(rowKeyText({ id: new Uint8Array([1, 255]) }), '[["id",{"$bytes":"Af8="}]]');
  });

  it('a lock taken in one window is seen and refused in another (two stores on one file), until released', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    const taken = await alice.acquire(orders, key, 'winA:panel1');
    assert.equal(taken.ok, true);
    const seen = bob.locksOn(orders);
    assert.equal(seen.length, 1);
    assert.deepEqual({ owner: seen[0]!.owner, since: seen[0]!.acquiredAt, table: seen[0]!.table }, { owner: 'alice', since: '2026-03-01T14:02:00.000Z', table: orders });
    const refused = await bob.acquire(orders, key, 'winB:panel1');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.heldBy.owner, 'alice');
    // Another row, or the same row in another table, is free.
    assert.equal((await bob.acquire(orders, rowKeyText({ id: 8 }), 'winB:panel1')).ok, true);
    assert.equal((await bob.acquire({ ...orders, name: 'customers' }, key, 'winB:panel1')).ok, true);
    // Releasing someone else's lock does nothing; the holder's release frees it.
    await bob.release(orders, key, 'winB:panel1');
    assert.equal((await bob.acquire(orders, key, 'winB:panel1')).ok, false);
    await alice.release(orders, key, 'winA:panel1');
    assert.deepEqual(bob.locksOn(orders).map((l) => l.owner), ['bob'], 'only bob\'s lock on row 8 is left');
    assert.equal((await bob.acquire(orders, key, 'winB:panel1')).ok, true);
  });

  it('two panels of one window are different holders; the same holder re-acquiring keeps its start time', async () => {
    const alice = await open('alice');
    await alice.acquire(orders, key, 'winA:panel1');
    assert.equal((await alice.acquire(orders, key, 'winA:panel2')).ok, false);
    clock += 30_000;
    const again = await alice.acquire(orders, key, 'winA:panel1');
    assert.ok(again.ok);
    assert.equal(again.lock.acquiredAt, new Date(T0).toISOString());
    assert.equal(again.lock.expiresAt, new Date(T0 + 150_000).toISOString());
  });

  it('a lock not renewed for two minutes is stale: not listed, and anyone may take it', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    await alice.acquire(orders, key, 'winA:panel1');
    clock = T0 + 119_000;
    assert.equal((await bob.acquire(orders, key, 'winB:panel1')).ok, false);
    clock = T0 + 120_000;
    assert.deepEqual(bob.locksOn(orders), []);
    const taken = await bob.acquire(orders, key, 'winB:panel1');
    assert.ok(taken.ok);
    assert.equal(taken.lock.owner, 'bob');
    assert.deepEqual(alice.heldBy(['winA:panel1']), [], 'alice can tell her lock is gone');
  });

  it('the heartbeat keeps a lock alive past the first two minutes', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    await alice.acquire(orders, key, 'winA:panel1');
    clock = T0 + 100_000;
    await alice.renew(['winA:panel1']);
    clock = T0 + 200_000;
    assert.equal((await bob.acquire(orders, key, 'winB:panel1')).ok, false);
    assert.equal(bob.locksOn(orders)[0]?.expiresAt, new Date(T0 + 220_000).toISOString());
  });

  it('an admin breaks a lock; the holder notices and its renewals do not bring it back', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    await alice.acquire(orders, key, 'winA:panel1');
    const broken = await bob.breakLock(orders, key);
    assert.equal(broken?.owner, 'alice');
    assert.deepEqual(alice.heldBy(['winA:panel1']), []);
    await alice.renew(['winA:panel1']);
    assert.deepEqual(bob.locksOn(orders), []);
    assert.equal(await bob.breakLock(orders, key), undefined, 'nothing to break');
  });

  it('releaseAll frees a closed panel\'s locks, and expireStale removes crashed windows\' leftovers', async () => {
    const alice = await open('alice');
    await alice.acquire(orders, key, 'winA:panel1');
    await alice.acquire(orders, rowKeyText({ id: 8 }), 'winA:panel1');
    await alice.acquire(orders, rowKeyText({ id: 9 }), 'winA:panel2');
    await alice.releaseAll(['winA:panel1']);
    assert.deepEqual(alice.locksOn(orders).map((l) => l.rowKey), [rowKeyText({ id: 9 })]);
    clock = T0 + 121_000;
    assert.equal(await alice.expireStale(), 1);
    assert.deepEqual(stores[0]!.rows('SELECT count(*) AS n FROM row_locks'), [{ n: 0 }]);
  });

  it('the other window hears about a change through the store\'s change event', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    let heard = 0;
    bob.onDidChange(() => heard++);
    await alice.acquire(orders, key, 'winA:panel1');
    stores[1]!.refreshIfChanged();
    assert.equal(heard, 1);
  });
});
