import * as assert from 'node:assert/strict';
import { RequestError, RpcClient } from '../../shared/rpcClient';

function setup(timeoutMs = 1_000) {
  const sent: { type: string; id: number; method?: string }[] = [];
  const rpc = new RpcClient((m) => sent.push(m as { type: string; id: number }), timeoutMs);
  return { rpc, sent };
}

describe('request/response by id (shared/rpcClient)', () => {
  it('numbers requests and resolves each with its own response, in any order', async () => {
    const { rpc, sent } = setup();
    const a = rpc.request('rows/count', {});
    const b = rpc.request('schema/refresh', {});
    assert.deepEqual(sent.map((m) => [m.type, m.id, m.method]), [['request', 1, 'rows/count'], ['request', 2, 'schema/refresh']]);
    rpc.handleResponse({ type: 'response', id: 2, ok: true, result: 'second' });
    rpc.handleResponse({ type: 'response', id: 1, ok: true, result: { count: 3, exact: true } });
    assert.deepEqual(await a, { count: 3, exact: true });
    assert.equal(await b, 'second');
    assert.equal(rpc.pendingCount, 0);
  });

  it('rejects with the host error code and message', async () => {
    const { rpc } = setup();
    const p = rpc.request('rows/read', { limit: 1 });
    rpc.handleResponse({ type: 'response', id: 1, ok: false, error: { code: 'constraint', message: 'UNIQUE constraint failed: t.email' } });
    await assert.rejects(p, (e: RequestError) => e.code === 'constraint' && e.message === 'UNIQUE constraint failed: t.email');
  });

  it('times out, cancels the work on the host, and ignores the late answer', async () => {
    const { rpc, sent } = setup(20);
    const p = rpc.request('rows/count', {});
    await assert.rejects(p, (e: RequestError) => e.code === 'timeout');
    assert.deepEqual(sent[1], { type: 'cancel', id: 1 });
    rpc.handleResponse({ type: 'response', id: 1, ok: true, result: 1 });
    assert.equal(rpc.pendingCount, 0);
  });

  it('cancels through an AbortSignal, before or after sending', async () => {
    const { rpc, sent } = setup();
    const controller = new AbortController();
    const p = rpc.request('rows/read', { limit: 5 }, { signal: controller.signal });
    controller.abort();
    await assert.rejects(p, (e: RequestError) => e.code === 'cancelled');
    assert.deepEqual(sent[1], { type: 'cancel', id: 1 });
    await assert.rejects(rpc.request('rows/read', { limit: 5 }, { signal: controller.signal }), (e: RequestError) => e.code === 'cancelled');
    assert.equal(sent.length, 2, 'an already-aborted request is never sent');
  });
});
