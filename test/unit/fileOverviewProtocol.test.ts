import * as assert from 'node:assert/strict';
import { parseFromFileOverview } from '../../shared/fileOverviewProtocol';

describe('file overview messages (shared/fileOverviewProtocol)', () => {
  it('accepts ready, a table to open (with or without schema) and keep', () => {
    assert.equal(parseFromFileOverview({ type: 'ready' }).ok, true);
    assert.equal(parseFromFileOverview({ type: 'request', id: 1, method: 'openTable', params: { name: 'Invoice' } }).ok, true);
    assert.equal(parseFromFileOverview({ type: 'request', id: 2, method: 'openTable', params: { name: 'orders', schema: 'main' } }).ok, true);
    assert.equal(parseFromFileOverview({ type: 'request', id: 3, method: 'keep', params: {} }).ok, true);
  });

  it('refuses what it does not know, naming the problem and keeping the id to answer', () => {
    const extra = parseFromFileOverview({ type: 'request', id: 4, method: 'openTable', params: { name: 'Invoice', sql: 'drop table x' } });
    assert.deepEqual(extra, { ok: false, error: 'openTable: params.sql is not allowed', id: 4 });
    const wrongType = parseFromFileOverview({ type: 'request', id: 5, method: 'openTable', params: { name: 42 } });
    assert.equal(wrongType.ok, false);
    assert.equal(parseFromFileOverview({ type: 'request', id: 6, method: 'deleteFile', params: {} }).ok, false);
    assert.equal(parseFromFileOverview({ type: 'ready', extra: true }).ok, false);
    assert.equal(parseFromFileOverview('ready').ok, false);
  });
});
