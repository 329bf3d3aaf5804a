import * as assert from 'node:assert/strict';
import type { Capabilities } from '../../api';
import { parseFromWebview, parseSavedState } from '../../shared/protocol';
import { type ChangeRequest, decodeChange, decodeReadRowsRequest, decodeRowPage, encodeChange, encodeReadRowsRequest, encodeRowPage, readOnlyReasonFor } from '../../shared/protocolCodec';
import { tableSchema } from '../support/fakePlugins';

const request = (method: string, params: unknown, id = 7) => ({ type: 'request', id, method, params });
const accepted = (raw: unknown) => {
  const result = parseFromWebview(raw);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.message;
};
const rejected = (raw: unknown) => {
  const result = parseFromWebview(raw);
  assert.ok(!result.ok, `accepted ${JSON.stringify(raw)}`);
  return result;
};

describe('protocol validation (shared/protocol)', () => {
  it('accepts every well-formed request and command', () => {
    accepted({ type: 'ready' });
    accepted(request('rows/read', { limit: 200, sort: [{ column: 'id', direction: 'desc' }], filters: [{ column: 'price', op: 'gt', value: { $bigint: '10' } }], search: { text: 'ann', columns: ['name'] }, after: 'cursor' }));
    accepted(request('rows/read', { limit: 1, offset: 9_999_800, filters: [{ column: 'id', op: 'in', value: [1, 2, 3] }, { column: 'x', op: 'isnull' }] }));
    accepted(request('rows/count', { cap: 10_000, filters: [] }));
    accepted(request('rows/aggregate', { groupBy: [{ column: 'd', timeUnit: 'month' }], measures: [{ op: 'count', as: 'n' }] }));
    accepted(request('changes/apply', { changes: [{ kind: 'insert', values: { a: 1 } }, { kind: 'update', key: { id: 1 }, changes: { a: { $bytes: 'AQI=' } }, expected: { a: null } }, { kind: 'delete', key: { id: 2 }, expected: {} }] }));
    accepted(request('schema/refresh', {}));
    accepted({ type: 'cancel', id: 3 });
    accepted({ type: 'pending/changed', changes: [] });
    accepted({ type: 'export', format: 'csv', query: { sort: [{ column: 'a', direction: 'asc' }] }, columns: ['a'] });
    accepted({ type: 'clipboard/write', text: 'a\tb' });
    accepted({ type: 'log', level: 'warn', message: 'x' });
  });

  it('refuses anything that could smuggle SQL or change meaning: unknown fields, free-text operators', () => {
    rejected(request('rows/read', { limit: 10, where: '1=1; DROP TABLE t' }));
    rejected(request('rows/read', { limit: 10, filters: [{ column: 'a', op: 'raw', value: '1=1' }] }));
    rejected(request('rows/read', { limit: 10, sort: [{ column: 'a', direction: 'asc; DROP TABLE t' }] }));
    rejected(request('rows/read', { limit: 10, filters: [{ column: 'a', op: 'eq', value: '1', sql: 'x' }] }));
    rejected({ type: 'export', format: 'csv', query: { sql: 'SELECT 1' }, columns: [] });
  });

  it('checks operands against their operators', () => {
    rejected(request('rows/read', { limit: 10, filters: [{ column: 'a', op: 'in', value: 1 }] }));
    rejected(request('rows/read', { limit: 10, filters: [{ column: 'a', op: 'eq', value: [1] }] }));
    rejected(request('rows/read', { limit: 10, filters: [{ column: 'a', op: 'eq' }] }));
    rejected(request('rows/read', { limit: 10, filters: [{ column: 'a', op: 'eq', value: { nested: true } }] }));
  });

  it('checks limits, offsets and ids', () => {
    rejected(request('rows/read', { limit: 0 }));
    rejected(request('rows/read', { limit: 1e9 }));
    rejected(request('rows/read', { limit: 10, offset: -1 }));
    rejected(request('rows/read', { limit: 10.5 }));
    rejected(request('rows/read', { limit: 10 }, -1));
    rejected({ type: 'cancel', id: 'x' });
    // A sampled aggregate (1.3): a whole positive number of rows, nothing else.
    accepted(request('rows/aggregate', { groupBy: [{ column: 'k' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 100_000 } }));
    rejected(request('rows/aggregate', { groupBy: [{ column: 'k' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 0 } }));
    rejected(request('rows/aggregate', { groupBy: [{ column: 'k' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 'all' } }));
    rejected(request('rows/aggregate', { groupBy: [{ column: 'k' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 10, method: 'raw' } }));
    rejected(request('rows/aggregate', { groupBy: [{ column: 'k' }], measures: [{ op: 'count', as: 'n' }], sample: 0.5 }));
  });

  it('reports the id of a malformed request so it can be answered instead of timing out', () => {
    assert.equal(rejected(request('rows/read', { limit: 'all' }, 42)).id, 42);
    assert.equal(rejected(request('rows/drop', {}, 43)).id, 43);
    assert.equal(rejected({ type: 'nope' }).id, undefined);
  });

  it('refuses non-objects, unknown message types and malformed changes', () => {
    for (const raw of [null, 1, 'ready', [], { type: 'init' }, { type: 'response', id: 1 }]) rejected(raw);
    rejected(request('changes/apply', { changes: [{ kind: 'upsert', values: {} }] }));
    rejected(request('changes/apply', { changes: [{ kind: 'update', key: { id: 1 }, changes: {} }] }));
    rejected(request('changes/apply', { changes: [{ kind: 'insert', values: { a: undefined, b: () => 1 } }] }));
  });

  it('reads the panel identity back from saved state, and nothing else', () => {
    const identity = { table: { datasourceId: 'd1', name: 'orders' }, viewId: 'nocoflo.table', displayName: { table: 'orders', datasource: 'shop' } };
    assert.deepEqual(parseSavedState({ nocoflo: identity, view: { anything: true } }), identity);
    assert.equal(parseSavedState({ nocoflo: { ...identity, viewId: 3 } }), undefined);
    assert.equal(parseSavedState(undefined), undefined);
    assert.equal(parseSavedState({ view: {} }), undefined);
  });
});

describe('protocol codec (shared/protocolCodec)', () => {
  it('round-trips read requests with bigint and bytes operands through JSON', () => {
    const req = { limit: 50, sort: [{ column: 'a', direction: 'asc' as const }], filters: [{ column: 'id', op: 'in' as const, value: [1n, 2n ** 64n] }, { column: 'b', op: 'eq' as const, value: new Uint8Array([0, 255]) }], offset: 100 };
    assert.deepEqual(decodeReadRowsRequest(JSON.parse(JSON.stringify(encodeReadRowsRequest(req)))), req);
  });

  it('round-trips row pages and pending changes', () => {
    const page = { columns: ['id', 'blob'], rows: [[2n ** 60n, new Uint8Array([1])], [1, null]], keys: [{ id: 2n ** 60n }, null], next: 'c2', offset: 0 };
    assert.deepEqual(decodeRowPage(JSON.parse(JSON.stringify(encodeRowPage(page)))), page);
    const changes: ChangeRequest[] = [
      { kind: 'insert' as const, values: { a: 1n } },
      { kind: 'update' as const, key: { id: 1 }, changes: { a: 'x' }, expected: { a: null, id: 1 } },
      { kind: 'delete' as const, key: { id: 2 }, expected: { id: 2 } },
    ];
    assert.deepEqual(changes.map((c) => decodeChange(JSON.parse(JSON.stringify(encodeChange(c))))), changes);
  });

  it('explains why a table is read-only', () => {
    const caps: Capabilities = { insert: true, update: true, delete: true, transactions: true, aggregate: true, schemas: false };
    assert.equal(readOnlyReasonFor(tableSchema(), caps), undefined);
    assert.equal(readOnlyReasonFor(tableSchema({ readOnlyReason: 'Opened read-only.' }), caps), 'Opened read-only.');
    assert.match(readOnlyReasonFor(tableSchema({ kind: 'view' }), caps)!, /is a view/);
    assert.match(readOnlyReasonFor(tableSchema({ rowKey: undefined, primaryKey: [] }), caps)!, /no primary key/);
    assert.match(readOnlyReasonFor(tableSchema({ rowKey: { columns: ['rowid'], synthetic: true }, primaryKey: [] }), caps)!, /no primary key/, 'a rowid does not make a table editable');
    assert.match(readOnlyReasonFor(tableSchema(), { ...caps, insert: false, update: false, delete: false })!, /read-only/);
  });
});
