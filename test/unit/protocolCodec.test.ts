import * as assert from 'node:assert/strict';
import type { AggregateRequest, AggregateResult, Capabilities, RowPage } from '../../api';
import {
  decodeAggregateRequest,
  decodeAggregateResult,
  decodeCountRequest,
  decodeFilter,
  decodeQuery,
  decodeReadRowsRequest,
  decodeRowPage,
  encodeAggregateRequest,
  encodeAggregateResult,
  encodeCountRequest,
  encodeFilter,
  encodeQuery,
  encodeReadRowsRequest,
  encodeRowPage,
  readOnlyReasonFor,
} from '../../shared/protocolCodec';
import { tableSchema } from '../support/fakePlugins';

// shared/protocolCodec field by field. The wire shapes are compared whole with deepStrictEqual, which tells an
// absent key from one set to undefined: an optional field that is not given must not appear on the wire, and one
// that is given must arrive. Values JSON cannot carry (bigint, bytes) are tagged on the wire and come back as such.
const overJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('protocol codec (shared/protocolCodec)', () => {
  it('filters: a value is tagged when given, an array value item by item, and no value key when there is none', () => {
    assert.deepEqual(encodeFilter({ column: 'a', op: 'isnull' }), { column: 'a', op: 'isnull' });
    assert.deepEqual(encodeFilter({ column: 'a', op: 'eq', value: 5n }), { column: 'a', op: 'eq', value: { $bigint: '5' } });
    assert.deepEqual(encodeFilter({ column: 'a', op: 'in', value: [1n, 'x'] }), { column: 'a', op: 'in', value: [{ $bigint: '1' }, 'x'] });
    assert.deepEqual(encodeFilter({ column: 'a', op: 'eq', value: null }), { column: 'a', op: 'eq', value: null });
    assert.deepEqual(decodeFilter({ column: 'a', op: 'notnull' }), { column: 'a', op: 'notnull' });
    assert.deepEqual(decodeFilter({ column: 'a', op: 'eq', value: { $bigint: '5' } }), { column: 'a', op: 'eq', value: 5n });
    assert.deepEqual(decodeFilter({ column: 'a', op: 'in', value: [{ $bytes: 'AQI=' }, 2] }), { column: 'a', op: 'in', value: [new Uint8Array([1, 2]), 2] });
  });

  it('queries: empty sorts, filters and search texts are left off the wire; the rest round-trips', () => {
    assert.deepEqual(encodeQuery({}), {});
    assert.deepEqual(encodeQuery({ sort: [], filters: [], search: { text: '' } }), {});
    assert.deepEqual(encodeQuery({ search: { text: '', columns: ['a'] } }), {});
    const full = { sort: [{ column: 'a', direction: 'desc' as const }], filters: [{ column: 'b', op: 'gt' as const, value: 2 }], search: { text: 'x', columns: ['c'] } };
    assert.deepEqual(encodeQuery(full), full);
    assert.deepEqual(encodeQuery({ search: { text: 'x' } }), { search: { text: 'x' } });
    assert.deepEqual(decodeQuery({}), {});
    assert.deepEqual(decodeQuery(overJson(encodeQuery(full))), full);
    assert.deepEqual(decodeQuery({ search: { text: 'x' } }), { search: { text: 'x' } });
    // the search columns are copied, not shared with the caller
    const columns = ['c'];
    const encoded = encodeQuery({ search: { text: 'x', columns } });
    columns.push('d');
    assert.deepEqual(encoded, { search: { text: 'x', columns: ['c'] } });
  });

  it('read requests: after and offset travel only when given', () => {
    assert.deepEqual(encodeReadRowsRequest({ limit: 10 }), { limit: 10 });
    assert.deepEqual(encodeReadRowsRequest({ limit: 10, after: 'c1', offset: 20 }), { limit: 10, after: 'c1', offset: 20 });
    assert.deepEqual(encodeReadRowsRequest({ limit: 10, offset: 0 }), { limit: 10, offset: 0 });
    assert.deepEqual(decodeReadRowsRequest({ limit: 10 }), { limit: 10 });
    assert.deepEqual(decodeReadRowsRequest({ limit: 10, after: 'c1', offset: 20, sort: [{ column: 'a', direction: 'asc' }] }), {
      limit: 10,
      after: 'c1',
      offset: 20,
      sort: [{ column: 'a', direction: 'asc' }],
    });
  });

  it('count requests: no sort on the wire; cap and estimate only when given', () => {
    assert.deepEqual(encodeCountRequest({}), {});
    assert.deepEqual(encodeCountRequest({ sort: [{ column: 'a', direction: 'asc' }], cap: 0, estimate: false } as never), { cap: 0, estimate: false });
    assert.deepEqual(encodeCountRequest({ filters: [{ column: 'a', op: 'eq', value: 1n }], cap: 1000, estimate: true }), {
      filters: [{ column: 'a', op: 'eq', value: { $bigint: '1' } }],
      cap: 1000,
      estimate: true,
    });
    assert.deepEqual(decodeCountRequest({}), {});
    assert.deepEqual(decodeCountRequest({ search: { text: 'x' }, cap: 0, estimate: false }), { search: { text: 'x' }, cap: 0, estimate: false });
  });

  it('aggregate requests: filters, limit and sample only when given', () => {
    const bare: AggregateRequest = { groupBy: [{ column: 'g', bin: { step: 5 } }], measures: [{ op: 'count', as: 'n' }] };
    assert.deepEqual(encodeAggregateRequest(bare), bare);
    assert.deepEqual(encodeAggregateRequest({ ...bare, filters: [] }), bare);
    const full: AggregateRequest = { ...bare, filters: [{ column: 'a', op: 'eq', value: 3n }], limit: 0, sample: { rows: 5000 } };
    const wire = encodeAggregateRequest(full);
    assert.deepEqual(wire, { ...bare, filters: [{ column: 'a', op: 'eq', value: { $bigint: '3' } }], limit: 0, sample: { rows: 5000 } });
    assert.deepEqual(decodeAggregateRequest(overJson(wire)), full);
    assert.deepEqual(decodeAggregateRequest(overJson(encodeAggregateRequest(bare))), bare);
  });

  it('row pages: next, offset and note only when given; null keys stay null', () => {
    const bare: RowPage = { columns: ['id'], rows: [[1n]], keys: [null] };
    assert.deepEqual(encodeRowPage(bare), { columns: ['id'], rows: [[{ $bigint: '1' }]], keys: [null] });
    assert.deepEqual(decodeRowPage(overJson(encodeRowPage(bare))), bare);
    const full: RowPage = { columns: ['id'], rows: [[1]], keys: [{ id: 1n }], next: 'n', offset: 0, note: 'sorted here' };
    assert.deepEqual(encodeRowPage(full), { columns: ['id'], rows: [[1]], keys: [{ id: { $bigint: '1' } }], next: 'n', offset: 0, note: 'sorted here' });
    assert.deepEqual(decodeRowPage(overJson(encodeRowPage(full))), full);
  });

  it('aggregate results: truncated only when true, sample only when given', () => {
    const bare: AggregateResult = { columns: ['g', 'n'], rows: [['a', 2n]] };
    assert.deepEqual(encodeAggregateResult(bare), { columns: ['g', 'n'], rows: [['a', { $bigint: '2' }]] });
    assert.deepEqual(encodeAggregateResult({ ...bare, truncated: false }), { columns: ['g', 'n'], rows: [['a', { $bigint: '2' }]] });
    assert.deepEqual(decodeAggregateResult(overJson(encodeAggregateResult(bare))), bare);
    const full: AggregateResult = { ...bare, truncated: true, sample: { fraction: 0.25, rows: 100, method: '64 rowid ranges' } };
    assert.deepEqual(encodeAggregateResult(full), { columns: ['g', 'n'], rows: [['a', { $bigint: '2' }]], truncated: true, sample: { fraction: 0.25, rows: 100, method: '64 rowid ranges' } });
    assert.deepEqual(decodeAggregateResult(overJson(encodeAggregateResult(full))), full);
    assert.deepEqual(decodeAggregateResult({ columns: ['n'], rows: [[1]], truncated: false } as never), { columns: ['n'], rows: [[1]] });
  });

  it('read-only reasons in words, and any one write capability makes a keyed table editable', () => {
    const none: Capabilities = { insert: false, update: false, delete: false, transactions: false, aggregate: false, schemas: false };
    const all: Capabilities = { ...none, insert: true, update: true, delete: true };
    assert.equal(readOnlyReasonFor(tableSchema({ kind: 'view' }), all), '"t" is a view: its rows cannot be edited here.');
    assert.equal(readOnlyReasonFor(tableSchema({ kind: 'materialized-view' }), all), '"t" is a view: its rows cannot be edited here.');
    const noKey = '"t" has no primary key, so its rows cannot be identified reliably: it opens read-only.';
    assert.equal(readOnlyReasonFor(tableSchema({ primaryKey: [] }), all), noKey, 'a row key without a primary key');
    assert.equal(readOnlyReasonFor(tableSchema({ rowKey: undefined }), all), noKey, 'a primary key without a row key');
    assert.equal(readOnlyReasonFor(tableSchema({ rowKey: { columns: [] } }), all), noKey, 'an empty row key');
    assert.equal(readOnlyReasonFor(tableSchema(), none), 'This datasource is read-only.');
    assert.equal(readOnlyReasonFor(tableSchema(), { ...none, insert: true }), undefined);
    assert.equal(readOnlyReasonFor(tableSchema(), { ...none, update: true }), undefined);
    assert.equal(readOnlyReasonFor(tableSchema(), { ...none, delete: true }), undefined);
    assert.equal(readOnlyReasonFor(tableSchema({ kind: 'view', readOnlyReason: 'Opened read-only.' }), all), 'Opened read-only.');
  });
});
