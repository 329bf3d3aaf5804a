// API 1.2 of the view client: the query a tab hands to the next view, a focused row, view configs, opening other
// views, read-only access to related tables, the table list and file saves, on both sides of the protocol.
import * as assert from 'node:assert/strict';
import type { CountRequest, ReadRowsRequest, RowKey, TableLocator } from '../../api';
import type { ViewQuery, ViewThemeKind } from '../../api/webview';
import type { PendingChange } from '../../src/core/tableService';
import { dialogFilters, fileBytes, safeFileName } from '../../src/host/panels/fileContent';
import { QueryTracker } from '../../src/host/panels/queryTracker';
import { handleRequest, type RequestContext, type TableAccess } from '../../src/host/panels/requestHandler';
import { MAX_VIEW_CONFIG_CHARS, parseFromWebview, type RequestMessage, type RequestParams, type WireViewInit } from '../../shared/protocol';
import { RpcClient } from '../../shared/rpcClient';
import { createViewClient, Listeners } from '../../webview/client/client';
import { tableSchema } from '../support/fakePlugins';

const own: TableLocator = { datasourceId: 'ds1', name: 'orders' };
const request = (method: string, params: unknown, id = 7) => ({ type: 'request', id, method, params });
const accepted = (raw: unknown) => {
  const result = parseFromWebview(raw);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.message;
};
const rejected = (raw: unknown) => {
  const result = parseFromWebview(raw);
  assert.ok(!result.ok, `accepted ${JSON.stringify(raw)}`);
  return result.error;
};

describe('protocol 1.2 validation (shared/protocol)', () => {
  it('accepts the new requests and commands', () => {
    accepted(request('related/schema', { table: { schema: 'public', name: 'customers' } }));
    accepted(request('related/read', { table: { name: 'customers' }, request: { limit: 20, filters: [{ column: 'id', op: 'eq', value: 3 }] } }));
    accepted(request('related/count', { table: { name: 'invoice' }, request: { filters: [{ column: 'customer_id', op: 'eq', value: { $bigint: '1' } }] } }));
    accepted(request('tables/list', {}));
    accepted(request('file/save', { suggestedName: 'chart.svg', filters: { SVG: ['svg'] }, data: '<svg/>' }));
    accepted(request('file/save', { suggestedName: 'chart.png', data: { $bytes: 'iVBORw==' } }));
    accepted({ type: 'view/config', config: { mark: 'bar', encoding: { x: { field: 'd' } }, layers: [1, 'a', null, true] } });
    accepted({ type: 'view/open' });
    accepted({ type: 'view/open', viewId: 'nocoflo.form', table: { name: 'customers' }, key: { id: { $bigint: '9007199254740993' } }, query: { filters: [{ column: 'a', op: 'isnull' }] } });
  });

  it('never lets a view name another datasource or smuggle SQL into a related read', () => {
    assert.match(rejected(request('related/read', { table: { datasourceId: 'other', name: 'users' }, request: { limit: 1 } })), /datasourceId is not allowed/);
    assert.match(rejected({ type: 'view/open', table: { datasourceId: 'other', name: 'users' } }), /datasourceId is not allowed/);
    rejected(request('related/read', { table: { name: 'users' }, request: { limit: 1, where: '1=1' } }));
    rejected(request('related/count', { table: { name: 'users' }, request: { filters: [{ column: 'a', op: 'raw', value: 'x' }] } }));
    rejected(request('related/schema', { table: { name: 5 } }));
    rejected(request('related/read', { table: { name: 'users' } }));
  });

  it('keeps view configs to plain JSON of bounded size', () => {
    assert.match(rejected({ type: 'view/config', config: { when: new Date(0) } }), /plain JSON/);
    assert.match(rejected({ type: 'view/config', config: { n: Number.NaN } }), /finite/);
    assert.match(rejected({ type: 'view/config', config: { big: 'x'.repeat(MAX_VIEW_CONFIG_CHARS) } }), /larger than/);
    assert.match(rejected({ type: 'view/config', config: JSON.parse('['.repeat(80) + ']'.repeat(80)) }), /nested too deeply/);
    rejected({ type: 'view/config' });
  });

  it('checks file saves: a name, text or base64 bytes, and dialog filters as lists of extensions', () => {
    rejected(request('file/save', { suggestedName: '   ', data: 'x' }));
    rejected(request('file/save', { suggestedName: 'a.png', data: new Uint8Array([1]) }));
    rejected(request('file/save', { suggestedName: 'a.png', data: { $bytes: 'AA==', extra: 1 } }));
    rejected(request('file/save', { suggestedName: 'a.png', data: 'x', filters: { PNG: 'png' } }));
    rejected(request('file/save', { suggestedName: 'x'.repeat(300), data: 'x' }));
  });
});

describe('query tracking (src/host/panels/queryTracker)', () => {
  const req = (method: string, params: unknown) => accepted(request(method, params)) as RequestMessage;
  const filter = { column: 'price', op: 'gt' as const, value: 10 };

  it('starts with the handed-over query and follows what the view reads', () => {
    const tracker = new QueryTracker({ filters: [filter] });
    assert.deepEqual(tracker.current, { filters: [filter] });
    tracker.observeRequest(req('rows/read', { limit: 200, sort: [{ column: 'id', direction: 'desc' }], filters: [filter], search: { text: 'ann' } }));
    assert.deepEqual(tracker.current, { sort: [{ column: 'id', direction: 'desc' }], filters: [filter], search: { text: 'ann' } });
    // A read without filters means the view dropped them.
    tracker.observeRequest(req('rows/read', { limit: 200 }));
    assert.deepEqual(tracker.current, {});
  });

  it('keeps the sort through counts, and the sort but not the search through aggregates', () => {
    const tracker = new QueryTracker();
    tracker.observeRequest(req('rows/read', { limit: 10, sort: [{ column: 'id', direction: 'asc' }], search: { text: 'x' } }));
    tracker.observeRequest(req('rows/count', { filters: [filter], search: { text: 'x' }, cap: 10_000 }));
    assert.deepEqual(tracker.current, { sort: [{ column: 'id', direction: 'asc' }], filters: [filter], search: { text: 'x' } });
    tracker.observeRequest(req('rows/aggregate', { groupBy: [{ column: 'd' }], measures: [{ op: 'count', as: 'n' }], filters: [filter] }));
    assert.deepEqual(tracker.current, { sort: [{ column: 'id', direction: 'asc' }], filters: [filter] });
  });

  it('ignores reads of related tables and other requests, follows exports, and copies what it hands out', () => {
    const tracker = new QueryTracker({ filters: [filter] });
    tracker.observeRequest(req('related/read', { table: { name: 'customers' }, request: { limit: 5 } }));
    tracker.observeRequest(req('schema/refresh', {}));
    assert.deepEqual(tracker.current, { filters: [filter] });
    tracker.observeExport({ sort: [{ column: 'a', direction: 'desc' }], search: { text: '' } });
    const out = tracker.current;
    assert.deepEqual(out, { sort: [{ column: 'a', direction: 'desc' }] });
    out.sort!.push({ column: 'b', direction: 'asc' });
    assert.deepEqual(tracker.current, { sort: [{ column: 'a', direction: 'desc' }] });
  });
});

describe('host handling of related tables, table lists and file saves (src/host/panels/requestHandler)', () => {
  function context(saved: RequestParams<'file/save'>[] = []) {
    const calls: { method: string; table: TableLocator; request?: ReadRowsRequest | CountRequest }[] = [];
    const tables = {
      schema: async (t: TableLocator) => {
        calls.push({ method: 'schema', table: t });
        return tableSchema({ table: { name: t.name } });
      },
      readRows: async (t: TableLocator, r: ReadRowsRequest) => {
        calls.push({ method: 'readRows', table: t, request: r });
        return { columns: ['id', 'name'], rows: [[2n ** 60n, 'Ann']], keys: [{ id: 2n ** 60n }] };
      },
      countRows: async (t: TableLocator, r?: CountRequest) => {
        calls.push({ method: 'countRows', table: t, request: r ?? {} });
        return { count: 3, exact: true };
      },
      listTables: async (datasourceId: string) => {
        calls.push({ method: 'listTables', table: { datasourceId, name: '' } });
        return [{ name: 'orders' }, { schema: 's', name: 'customers' }];
      },
      aggregate: async () => ({ columns: [], rows: [] }),
      apply: async (_t: TableLocator, _c: PendingChange[]) => ({ ok: true as const, results: [] }),
      preview: async () => null,
    } satisfies TableAccess;
    const ctx: RequestContext = {
      table: own,
      tables,
      capabilities: async () => ({ insert: true, update: true, delete: true, transactions: true, aggregate: false, schemas: false }),
      saveFile: async (params) => {
        saved.push(params);
        return params.suggestedName !== 'cancel.png';
      },
    };
    return { ctx, calls, saved };
  }
  const run = (ctx: RequestContext, raw: unknown) => handleRequest(accepted(raw) as RequestMessage, ctx, new AbortController().signal);

  it('reads another table of the same datasource with decoded operands and answers in wire form', async () => {
    const { ctx, calls } = context();
    const response = await run(ctx, request('related/read', { table: { schema: 's', name: 'customers' }, request: { limit: 5, filters: [{ column: 'id', op: 'eq', value: { $bigint: '9007199254740993' } }] } }));
    assert.ok(response.ok);
    assert.deepEqual(response.result, { columns: ['id', 'name'], rows: [[{ $bigint: '1152921504606846976' }, 'Ann']], keys: [{ id: { $bigint: '1152921504606846976' } }] });
    const read = calls.find((c) => c.method === 'readRows')!;
    assert.deepEqual(read.table, { datasourceId: 'ds1', schema: 's', name: 'customers' });
    assert.equal((read.request as ReadRowsRequest).filters![0].value, 9007199254740993n);
  });

  it('counts and describes related tables, and checks their search columns against their own schema', async () => {
    const { ctx, calls } = context();
    const count = await run(ctx, request('related/count', { table: { name: 'invoice' }, request: { filters: [{ column: 'id', op: 'gt', value: 1 }] } }));
    assert.deepEqual(count.ok && count.result, { count: 3, exact: true });
    assert.deepEqual(calls.find((c) => c.method === 'countRows')!.table, { datasourceId: 'ds1', name: 'invoice' });
    const schema = await run(ctx, request('related/schema', { table: { name: 'invoice' } }));
    assert.equal(schema.ok && (schema.result as { table: { name: string } }).table.name, 'invoice');
    const bad = await run(ctx, request('related/read', { table: { name: 'invoice' }, request: { limit: 5, search: { text: 'x', columns: ['secret'] } } }));
    assert.ok(!bad.ok && bad.error.code === 'invalid_value' && /secret/.test(bad.error.message));
    assert.equal(calls.filter((c) => c.method === 'readRows').length, 0);
  });

  it('lists the tables of the panel datasource', async () => {
    const { ctx, calls } = context();
    const response = await run(ctx, request('tables/list', {}));
    assert.deepEqual(response.ok && response.result, { tables: [{ name: 'orders' }, { schema: 's', name: 'customers' }] });
    assert.equal(calls[0].table.datasourceId, 'ds1');
  });

  it('hands file saves to the dialog and reports a cancel as saved: false', async () => {
    const { ctx, saved } = context();
    const ok = await run(ctx, request('file/save', { suggestedName: 'chart.svg', data: '<svg/>' }));
    assert.deepEqual(ok.ok && ok.result, { saved: true });
    const cancelled = await run(ctx, request('file/save', { suggestedName: 'cancel.png', data: { $bytes: 'AQI=' } }));
    assert.deepEqual(cancelled.ok && cancelled.result, { saved: false });
    assert.deepEqual(saved.map((s) => s.suggestedName), ['chart.svg', 'cancel.png']);
  });
});

describe('file content of a view save (src/host/panels/fileContent)', () => {
  it('keeps names to one file name, never a path', () => {
    assert.equal(safeFileName('orders.png'), 'orders.png');
    assert.equal(safeFileName('../../etc/passwd'), '__.._etc_passwd');
    assert.equal(safeFileName('a\\b:c*?.svg'), 'a_b_c__.svg');
    assert.equal(safeFileName('\u0000'), '_');
    assert.equal(safeFileName(''), 'export');
  });

  it('writes text as UTF-8 and bytes from base64, refusing broken base64', () => {
    assert.deepEqual(fileBytes('é'), new Uint8Array([0xc3, 0xa9]));
    assert.deepEqual(fileBytes({ $bytes: 'AQI=' }), new Uint8Array([1, 2]));
    assert.throws(() => fileBytes({ $bytes: 'not base64!' }), /base64/);
  });

  it('cleans dialog filters', () => {
    assert.deepEqual(dialogFilters({ PNG: ['.png'], Bad: ['', '..'], ' ': ['x'] }), { PNG: ['png'] });
    assert.equal(dialogFilters({ Bad: [''] }), undefined);
    assert.equal(dialogFilters(undefined), undefined);
  });
});

describe('view client 1.2 (webview/client/client)', () => {
  const wire: WireViewInit = {
    protocolVersion: 1,
    table: own,
    displayName: { table: 'orders', datasource: 'shop' },
    viewId: 'nocoflo.form',
    schema: tableSchema(),
    capabilities: { insert: true, update: true, delete: true, transactions: true, aggregate: false, schemas: false },
    theme: 'dark',
    query: { filters: [{ column: 'id', op: 'gt', value: { $bigint: '9007199254740993' } }], sort: [{ column: 'id', direction: 'desc' }] },
    focusKey: { id: { $bigint: '9007199254740993' } },
    views: [{ id: 'nocoflo.table', displayName: 'Table', icon: 'table' }, { id: 'nocoflo.form', displayName: 'Form' }],
  };

  function setup(answer: (m: RequestMessage) => unknown, state: unknown = undefined) {
    const sent: unknown[] = [];
    let saved = state;
    const check = (message: unknown) => {
      const parsed = parseFromWebview(message);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      sent.push(parsed.message);
      return parsed.message;
    };
    const rpc: RpcClient = new RpcClient((message) => {
      const m = check(message);
      if (m.type === 'request') queueMicrotask(() => rpc.handleResponse({ type: 'response', id: m.id, ok: true, result: answer(m) }));
    });
    const focus = new Listeners<{ key?: RowKey; query?: ViewQuery }>();
    const client = createViewClient(wire, {
      rpc,
      post: check,
      getState: () => saved,
      setState: (s) => (saved = s),
      refresh: new Listeners<'saved' | 'external'>(),
      theme: new Listeners<ViewThemeKind>(),
      focus,
    });
    return { client, sent, focus, state: () => saved };
  }

  it('starts the view with the decoded query, focused row and available views', () => {
    const { client } = setup(() => undefined);
    assert.deepEqual(client.init.query, { filters: [{ column: 'id', op: 'gt', value: 9007199254740993n }], sort: [{ column: 'id', direction: 'desc' }] });
    assert.deepEqual(client.init.focusKey, { id: 9007199254740993n });
    assert.deepEqual(client.init.views?.map((v) => v.id), ['nocoflo.table', 'nocoflo.form']);
  });

  it('drops the state of the view it replaced in the same tab, keeps its own', () => {
    const other = { nocoflo: { table: own, viewId: 'nocoflo.table', displayName: wire.displayName }, view: { gridScroll: 9 } };
    assert.equal(setup(() => undefined, other).client.getState(), undefined);
    const mine = { nocoflo: { table: own, viewId: 'nocoflo.form', displayName: wire.displayName }, view: { page: 3 } };
    assert.deepEqual(setup(() => undefined, mine).client.getState(), { page: 3 });
  });

  it('sends view configs and openView in forms the host accepts', () => {
    const { client, sent } = setup(() => undefined);
    client.setViewConfig!({ mark: 'bar' });
    client.openView!({ viewId: 'nocoflo.form', table: { name: 'customers' }, key: { id: 2n ** 60n }, query: { filters: [{ column: 'a', op: 'isnull' }] } });
    client.openView!({});
    assert.deepEqual(sent, [
      { type: 'view/config', config: { mark: 'bar' } },
      { type: 'view/open', viewId: 'nocoflo.form', table: { name: 'customers' }, key: { id: { $bigint: '1152921504606846976' } }, query: { filters: [{ column: 'a', op: 'isnull' }] } },
      { type: 'view/open' },
    ]);
  });

  it('reads related tables with real values, lists tables and saves files', async () => {
    const { client, sent } = setup((m) => {
      if (m.method === 'related/read') return { columns: ['id'], rows: [[{ $bigint: '18446744073709551616' }]], keys: [null] };
      if (m.method === 'related/count') return { count: 4, exact: true };
      if (m.method === 'related/schema') return tableSchema({ table: { name: 'customers' } });
      if (m.method === 'tables/list') return { tables: [{ name: 'customers' }] };
      if (m.method === 'file/save') return { saved: true };
      return undefined;
    });
    const customers = client.related!({ name: 'customers' });
    assert.deepEqual((await customers.readRows({ limit: 1, filters: [{ column: 'id', op: 'eq', value: 2n ** 64n }] })).rows, [[2n ** 64n]]);
    assert.deepEqual(await customers.countRows(), { count: 4, exact: true });
    assert.equal((await customers.schema()).table.name, 'customers');
    assert.deepEqual(await client.listTables!(), [{ name: 'customers' }]);
    assert.equal(await client.saveFile!({ suggestedName: 'c.png', filters: { PNG: ['png'] }, data: new Uint8Array([1, 2]) }), true);
    const requests = sent.filter((m) => (m as RequestMessage).type === 'request') as RequestMessage[];
    assert.deepEqual(requests[0].params, { table: { name: 'customers' }, request: { limit: 1, filters: [{ column: 'id', op: 'eq', value: { $bigint: '18446744073709551616' } }] } });
    assert.deepEqual(requests.at(-1)!.params, { suggestedName: 'c.png', data: { $bytes: 'AQI=' }, filters: { PNG: ['png'] } });
  });

  it('passes focus requests for an open tab to the view', () => {
    const { client, focus } = setup(() => undefined);
    const seen: unknown[] = [];
    const subscription = client.onFocus!((target) => seen.push(target));
    focus.fire({ key: { id: 1 } }, (e) => assert.fail(String(e)));
    subscription.dispose();
    focus.fire({ key: { id: 2 } }, (e) => assert.fail(String(e)));
    assert.deepEqual(seen, [{ key: { id: 1 } }]);
  });
});
