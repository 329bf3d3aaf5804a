import * as assert from 'node:assert/strict';
import type { CountRequest, ReadRowsRequest, RowCount, RowPage } from '../../api';
import { PageCache } from '../../webview/shared/model/pageCache';
import { RowSource } from '../../webview/shared/model/rowSource';

/** A fake table of `total` rows (id = index) that pages by keyset cursor "k<lastId>" or by offset. */
function fakeTable(total: number, options: { cursors?: boolean; count?: (r?: CountRequest) => RowCount } = {}) {
  const reads: ReadRowsRequest[] = [];
  const pending: (() => void)[] = [];
  let hold = false;
  const reader = {
    reads,
    hold(on: boolean) {
      hold = on;
      if (!on) for (const go of pending.splice(0)) go();
    },
    readRows: (r: ReadRowsRequest): Promise<RowPage> => {
      reads.push(r);
      const start = r.after !== undefined ? Number(r.after.slice(1)) + 1 : (r.offset ?? 0);
      const ids = Array.from({ length: Math.max(0, Math.min(r.limit, total - start)) }, (_, i) => start + i);
      const page: RowPage = { columns: ['name', 'id'], rows: ids.map((id) => [`row ${id}`, id]), keys: ids.map((id) => ({ id })) };
      if (options.cursors !== false && ids.length === r.limit) page.next = `k${ids[ids.length - 1]}`;
      return new Promise((resolve, reject) => {
        const go = () => (r.signal?.aborted ? reject(Object.assign(new Error('cancelled'), { code: 'cancelled' })) : resolve(page));
        if (hold) pending.push(go);
        else queueMicrotask(go);
      });
    },
    countRows: async (r?: CountRequest) => options.count?.(r) ?? { count: total, exact: true },
  };
  return reader;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('grid page cache (webview/shared/model/pageCache)', () => {
  it('continues with the keyset cursor after a full cached page, and jumps by offset otherwise', () => {
    const cache = new PageCache(100, 10);
    assert.deepEqual(cache.position(0), { offset: 0 });
    cache.store(0, { rows: Array.from({ length: 100 }, () => []), keys: [], next: 'c99' }, cache.generation);
    assert.deepEqual(cache.position(1), { after: 'c99' });
    assert.deepEqual(cache.position(50_000), { offset: 5_000_000 });
  });

  it('stays within its page budget, keeping the pages in view', () => {
    const cache = new PageCache(10, 3);
    const full = { rows: Array.from({ length: 10 }, () => []), keys: [] };
    for (let p = 0; p < 8; p++) cache.store(p, full, cache.generation, new Set([0]));
    assert.equal(cache.size, 3);
    assert.ok(cache.row(0), 'page 0 was kept because it is in view');
    assert.ok(cache.row(75));
    assert.equal(cache.row(35), undefined);
  });

  it('drops answers to requests made before it was cleared', () => {
    const cache = new PageCache(10, 3);
    const generation = cache.startLoading(0);
    cache.clear();
    assert.equal(cache.store(0, { rows: [[1]], keys: [] }, generation), false);
    assert.equal(cache.row(0), undefined);
  });

  it('learns the end of the table from a short page', () => {
    const cache = new PageCache(10, 5);
    cache.store(3, { rows: [[1], [2]], keys: [] }, cache.generation);
    assert.equal(cache.knownEnd, 32);
    assert.deepEqual(cache.missing(0, 100), [0, 1, 2]);
  });
});

describe('grid row source (webview/shared/model/rowSource)', () => {
  it('pages sequentially with cursors, jumps with offsets, and maps columns to the grid order', async () => {
    const reader = fakeTable(10_000_000);
    const source = new RowSource(reader, ['id', 'name'], { changed() {}, failed(m) { assert.fail(m); } }, { pageSize: 100, maxPages: 20 });
    source.setQuery({ sort: [{ column: 'id', direction: 'asc' }] });
    source.want(0, 40);
    await settle();
    source.want(80, 130);
    await settle();
    source.want(5_000_000, 5_000_030);
    await settle();
    source.want(5_000_080, 5_000_130);
    await settle();
    assert.deepEqual(reader.reads.map((r) => (r.after !== undefined ? `after ${r.after}` : `offset ${r.offset}`)), ['offset 0', 'after k99', 'offset 5000000', 'after k5000099']);
    assert.ok(reader.reads.every((r) => r.limit === 100 && r.sort?.[0].column === 'id'));
    assert.deepEqual(source.row(5_000_101)?.values, [5_000_101, 'row 5000101']);
    assert.deepEqual(source.row(5_000_101)?.key, { id: 5_000_101 });
    assert.equal(source.totalRows, 10_000_000);
  });

  it('falls back to offsets when the datasource has no cursor (no unique key)', async () => {
    const reader = fakeTable(1000, { cursors: false });
    const source = new RowSource(reader, ['id'], { changed() {}, failed() {} }, { pageSize: 100 });
    source.setQuery({});
    source.want(0, 150);
    await settle();
    assert.deepEqual(reader.reads.map((r) => r.offset), [0, 100]);
  });

  it('shows a capped count first, then the exact count', async () => {
    const counts: (CountRequest | undefined)[] = [];
    const reader = fakeTable(50_000, { count: (r) => (counts.push(r), r?.cap ? { count: r.cap, exact: true, capped: true } : { count: 50_000, exact: true }) });
    const seen: string[] = [];
    const source = new RowSource(reader, ['id'], { changed: () => seen.push(JSON.stringify(source.displayCount)), failed() {} }, { pageSize: 100, countCap: 10_000 });
    source.setQuery({ filters: [{ column: 'id', op: 'gt', value: 5 }] });
    await settle();
    assert.ok(seen.includes(JSON.stringify({ count: 10_000, exact: true, capped: true })));
    assert.deepEqual(source.displayCount, { count: 50_000, exact: true });
    assert.deepEqual(counts.map((c) => c?.cap), [10_000, undefined]);
    assert.ok(counts.every((c) => c?.filters?.[0].column === 'id'), 'counts use the same filters as reads');
  });

  it('keeps a finished count across a reload after updates alone, and counts again after inserts, deletes or under a filter', async () => {
    const counts: (CountRequest | undefined)[] = [];
    const reader = fakeTable(50_000, { count: (r) => (counts.push(r), r?.cap ? { count: r.cap, exact: true, capped: true } : { count: 50_000, exact: true }) });
    const source = new RowSource(reader, ['id'], { changed() {}, failed() {} }, { pageSize: 100, countCap: 10_000 });
    source.setQuery({});
    source.want(0, 40);
    await settle();
    assert.equal(counts.length, 2, 'capped, then exact');
    source.reload({ updatesOnly: true });
    await settle();
    assert.equal(counts.length, 2, 'updates alone: the exact count stands');
    assert.deepEqual(source.displayCount, { count: 50_000, exact: true });
    assert.ok(source.row(0), 'the rows were read again');
    source.reload();
    await settle();
    assert.equal(counts.length, 4, 'an insert or delete: counted again');
    source.setQuery({ search: { text: 'row' } });
    await settle();
    const before = counts.length;
    source.reload({ updatesOnly: true });
    await settle();
    assert.equal(counts.length, before + 2, 'under a search an update can move a row out: counted again');
  });

  it('counts again after updates when the exact count had not finished (the reset aborts it)', async () => {
    let exactCalls = 0;
    const reader = fakeTable(50_000, { count: (r) => (r?.cap ? { count: r.cap, exact: true, capped: true } : (exactCalls++, { count: 50_000, exact: true })) });
    const source = new RowSource(reader, ['id'], { changed() {}, failed() {} }, { pageSize: 100, countCap: 10_000 });
    source.setQuery({});
    // Reloaded before the capped count's answer was even in: nothing finished to keep.
    source.reload({ updatesOnly: true });
    await settle();
    assert.equal(exactCalls, 1);
    assert.deepEqual(source.displayCount, { count: 50_000, exact: true });
  });

  it('aborts and ignores pages of an old query when the sort changes', async () => {
    const reader = fakeTable(1000);
    const source = new RowSource(reader, ['id'], { changed() {}, failed() {} }, { pageSize: 100 });
    reader.hold(true);
    source.setQuery({ sort: [{ column: 'id', direction: 'asc' }] });
    source.want(0, 50);
    source.setQuery({ sort: [{ column: 'id', direction: 'desc' }] });
    reader.hold(false);
    await settle();
    assert.equal(reader.reads[0].signal?.aborted, true);
    assert.equal(reader.reads.at(-1)?.sort?.[0].direction, 'desc');
    assert.ok(source.row(0));
  });

  it('does not load pages scrolled past before their turn', async () => {
    const reader = fakeTable(1_000_000);
    const source = new RowSource(reader, ['id'], { changed() {}, failed() {} }, { pageSize: 100, maxConcurrent: 1 });
    reader.hold(true);
    source.setQuery({});
    source.want(0, 500);
    source.want(900_000, 900_050);
    reader.hold(false);
    await settle();
    const offsets = reader.reads.map((r) => r.offset ?? r.after);
    assert.ok(offsets.length <= 3, `loaded ${offsets.join(', ')}`);
    assert.ok(offsets.includes(900_000));
  });

  it('reports a read failure once and retries on demand', async () => {
    let fail = true;
    const reader = fakeTable(100);
    const failing = { ...reader, readRows: (r: ReadRowsRequest) => (fail ? Promise.reject(new Error('disk I/O error')) : reader.readRows(r)) };
    const failures: string[] = [];
    const source = new RowSource(failing, ['id'], { changed() {}, failed: (m) => failures.push(m) }, { pageSize: 10 });
    source.setQuery({});
    source.want(0, 30);
    await settle();
    assert.deepEqual(failures, ['disk I/O error']);
    fail = false;
    source.retry();
    await settle();
    assert.ok(source.row(25));
  });
});
