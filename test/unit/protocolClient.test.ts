import * as assert from 'node:assert/strict';
import type { RowKey } from '../../api';
import type { ViewQuery, ViewThemeKind } from '../../api/webview';
import { parseFromWebview, type RequestMessage, type WireViewInit } from '../../shared/protocol';
import { RpcClient } from '../../shared/rpcClient';
import { createViewClient, Listeners } from '../../webview/client/client';
import { tableSchema } from '../support/fakePlugins';

const init: WireViewInit = {
  protocolVersion: 1,
  table: { datasourceId: 'd1', name: 't' },
  displayName: { table: 't', datasource: 'shop' },
  viewId: 'acme.view',
  schema: tableSchema(),
  capabilities: { insert: true, update: true, delete: true, transactions: true, aggregate: false, schemas: false },
  theme: 'dark',
  pending: [{ kind: 'update', key: { id: { $bigint: '9007199254740993' } }, changes: { name: 'b' }, expected: { name: 'a' } }],
};

/** A view client wired to an in-memory host that validates every message exactly like the real one. */
function setup(answer: (m: RequestMessage) => unknown) {
  const sent: unknown[] = [];
  let state: unknown = { view: { kept: true } };
  const rpc: RpcClient = new RpcClient((message) => {
    const parsed = parseFromWebview(message);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    sent.push(parsed.message);
    if (parsed.message.type === 'request') {
      const m = parsed.message;
      queueMicrotask(() => rpc.handleResponse({ type: 'response', id: m.id, ok: true, result: answer(m) }));
    }
  });
  const client = createViewClient(init, {
    rpc,
    post: (m) => {
      const parsed = parseFromWebview(m);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      sent.push(parsed.message);
    },
    getState: () => state,
    setState: (s) => (state = s),
    refresh: new Listeners<'saved' | 'external'>(),
    theme: new Listeners<ViewThemeKind>(),
    focus: new Listeners<{ key?: RowKey; query?: ViewQuery }>(),
  });
  return { client, sent, state: () => state };
}

describe('view client (webview/client/client)', () => {
  it('records the panel identity in the saved state at once, keeping the view state', () => {
    const { state, client } = setup(() => undefined);
    assert.deepEqual(state(), { nocoflo: { table: init.table, viewId: 'acme.view', displayName: init.displayName }, view: { kept: true } });
    client.setState({ scroll: 5 });
    assert.deepEqual((state() as { view: unknown }).view, { scroll: 5 });
    assert.deepEqual(client.getState(), { scroll: 5 });
  });

  it('hands the view real values: bigint keys in restored edits, bytes in pages', async () => {
    const { client, sent } = setup((m) => (m.method === 'rows/read' ? { columns: ['id', 'photo'], rows: [[{ $bigint: '18446744073709551616' }, { $bytes: 'AQI=' }]], keys: [{ id: 1 }], next: 'c' } : null));
    const restored = client.init.pending![0];
    assert.ok(restored.kind === 'update');
    assert.equal(restored.key.id, 9007199254740993n);
    const page = await client.readRows({ limit: 10, filters: [{ column: 'id', op: 'gt', value: 2n ** 64n }] });
    assert.deepEqual(page.rows[0], [2n ** 64n, new Uint8Array([1, 2])]);
    const request = sent.find((m) => (m as RequestMessage).type === 'request') as RequestMessage;
    assert.deepEqual(request.params, { limit: 10, filters: [{ column: 'id', op: 'gt', value: { $bigint: '18446744073709551616' } }] });
  });

  it('decodes a failed save with the stored row of a conflict', async () => {
    const { client } = setup(() => ({ ok: false, rolledBack: true, failure: { index: 0, code: 'conflict', message: 'changed', current: { id: 1, photo: { $bytes: 'AA==' } } } }));
    const result = await client.applyChanges([{ kind: 'delete', key: { id: 1 }, expected: { id: 1 } }]);
    assert.deepEqual(result, { ok: false, rolledBack: true, failure: { index: 0, code: 'conflict', message: 'changed', current: { id: 1, photo: new Uint8Array([0]) } } });
  });

  it('sends commands the host accepts: pending edits, export, clipboard', () => {
    const { client, sent } = setup(() => undefined);
    client.setPendingChanges([{ kind: 'insert', values: { n: 1n } }]);
    client.exportRows({ format: 'csv', columns: ['id'], sort: [{ column: 'id', direction: 'desc' }], search: { text: 'x', columns: ['name'] } });
    client.writeClipboard('a\tb');
    assert.deepEqual(sent, [
      { type: 'pending/changed', changes: [{ kind: 'insert', values: { n: { $bigint: '1' } } }] },
      { type: 'export', format: 'csv', columns: ['id'], query: { sort: [{ column: 'id', direction: 'desc' }], search: { text: 'x', columns: ['name'] } } },
      { type: 'clipboard/write', text: 'a\tb' },
    ]);
  });
});
