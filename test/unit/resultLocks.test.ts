import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TableLocator } from '../../api';
import { LockStore } from '../../src/core/locks/lockStore';
import { locksForResult, resultLocks } from '../../src/core/locks/resultLocks';
import { WindowLocks } from '../../src/core/locks/windowLocks';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import type { WireRowLock } from '../../shared/rowLocks';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const customer: TableLocator = { datasourceId: 'ds1', name: 'Customer' };
// SELECT CustomerId AS id, Company FROM Customer WHERE Country = 'Brazil'
const mapping = { toBase: new Map([['id', 'CustomerId'], ['Company', 'Company']]), toResult: new Map([['CustomerId', 'id'], ['Company', 'Company']]) };

describe("row locks of an editable query result are its base table's (src/core/locks/resultLocks)", () => {
  let dir: string;
  let store: MetadataFile;
  let window: WindowLocks;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-resultlocks-'));
    store = await MetadataFile.open({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    window = new WindowLocks(new LockStore(store, { owner: 'alice' }), { log: silent, heartbeatMs: 60_000, canBreak: () => ({ ok: true }) });
  });
  afterEach(() => {
    window.dispose();
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const attachResult = () => {
    const seen: WireRowLock[][] = [];
    const handle = resultLocks(window.attach(customer, (locks) => seen.push(locksForResult(locks, mapping))), mapping);
    return { handle, last: () => seen.at(-1) ?? [] };
  };
  const attachTable = () => {
    const seen: WireRowLock[][] = [];
    const handle = window.attach(customer, (locks) => seen.push(locks));
    return { handle, last: () => seen.at(-1) ?? [] };
  };

  it("a lock taken in the result is the table tab's lock on that row, named in each tab's own columns", async () => {
    const result = attachResult();
    const table = attachTable();
    assert.deepEqual(await result.handle.acquire({ id: 12 }), { ok: true });
    assert.deepEqual(table.last().map((l) => [l.rowKey, l.mine]), [['[["CustomerId",12]]', false]]);
    assert.deepEqual(result.handle.current().map((l) => [l.rowKey, l.mine]), [['[["id",12]]', true]]);
    const refused = await table.handle.acquire({ CustomerId: 12 });
    assert.equal(refused.ok, false, 'the table tab cannot take the row the result holds');
    await result.handle.release({ id: 12 });
    assert.deepEqual(table.last(), []);
  });

  it("a lock taken in the table's tab shows in the result, which cannot take the row, and can break it", async () => {
    const table = attachTable();
    const result = attachResult();
    assert.deepEqual(await table.handle.acquire({ CustomerId: 5 }), { ok: true });
    assert.deepEqual(result.last().map((l) => l.rowKey), ['[["id",5]]']);
    assert.equal((await result.handle.acquire({ id: 5 })).ok, false);
    assert.equal(await result.handle.breakLock({ id: 5 }), true);
    assert.deepEqual(table.handle.current(), []);
  });

  it('refuses a key that names a column outside the mapping instead of locking some other row', async () => {
    const result = attachResult();
    await assert.rejects(result.handle.acquire({ total: 1 }), /not a column of the result's table/);
  });
});
