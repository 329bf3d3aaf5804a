import * as assert from 'node:assert/strict';
import type { CountRequest, ReadRowsRequest, RowPage, TableLocator } from '../../api';
import { nocofloError, PluginFailure } from '../../src/core/pluginErrors';
import type { ApplyResult, PendingChange } from '../../src/core/tableService';
import { ExportCancelled, csvRow, exportRows } from '../../src/host/panels/exportRows';
import { contentSecurityPolicy, renderPanelHtml } from '../../src/host/panels/panelHtml';
import { handleRequest, type TableAccess } from '../../src/host/panels/requestHandler';
import { parseFromWebview, type RequestMessage, type WireRowPage } from '../../shared/protocol';
import { tableSchema } from '../support/fakePlugins';

const table: TableLocator = { datasourceId: 'ds1', name: 't' };
const caps = async () => ({ insert: true, update: true, delete: true, transactions: true, aggregate: false, schemas: false });
const refuseSave = async (): Promise<boolean> => {
  throw new Error('these requests never save files');
};

function fakeTables(overrides: Partial<TableAccess> = {}): TableAccess & { reads: ReadRowsRequest[]; applied: PendingChange[][] } {
  const reads: ReadRowsRequest[] = [];
  const applied: PendingChange[][] = [];
  return {
    reads,
    applied,
    schema: async () => tableSchema(),
    readRows: async (_t: TableLocator, r: ReadRowsRequest) => {
      reads.push(r);
      return { columns: ['id', 'name'], rows: [[2n ** 60n, 'a']], keys: [{ id: 2n ** 60n }], next: 'n1' };
    },
    countRows: async (_t: TableLocator, _r?: CountRequest) => ({ count: 1, exact: true }),
    aggregate: async () => ({ columns: [], rows: [] }),
    apply: async (_t: TableLocator, changes: PendingChange[]): Promise<ApplyResult> => {
      applied.push(changes);
      return { ok: true, results: [] };
    },
    preview: async (_t: TableLocator, changes: PendingChange[]) => changes.map((c) => ({ text: `${c.kind.toUpperCase()} …`, params: [2n ** 60n, null] })),
    ...overrides,
  } as TableAccess & { reads: ReadRowsRequest[]; applied: PendingChange[][] };
}

const parse = (raw: unknown) => {
  const parsed = parseFromWebview(raw);
  assert.ok(parsed.ok);
  return parsed.message as RequestMessage;
};

describe('host request handling (src/host/panels/requestHandler)', () => {
  it('reads rows of the panel table with decoded operands and answers in wire form', async () => {
    const tables = fakeTables();
    const message = parse({ type: 'request', id: 5, method: 'rows/read', params: { limit: 10, filters: [{ column: 'id', op: 'gt', value: { $bigint: '9007199254740993' } }], after: 'c' } });
    const response = await handleRequest(message, { table, tables, capabilities: caps, saveFile: refuseSave }, new AbortController().signal);
    assert.equal(response.id, 5);
    assert.ok(response.ok);
    assert.deepEqual((response.result as WireRowPage).rows, [[{ $bigint: '1152921504606846976' }, 'a']]);
    assert.equal(tables.reads[0].filters![0].value, 9007199254740993n);
    assert.equal(tables.reads[0].after, 'c');
    assert.ok(tables.reads[0].signal, 'the datasource gets a signal so cancel reaches it');
  });

  it('applies changes and reports a conflict with the stored row', async () => {
    const tables = fakeTables({
      apply: async () => ({ ok: false, rolledBack: true, failure: { index: 1, code: 'conflict', message: 'Row changed', current: { id: 1, name: new Uint8Array([7]) } } }),
    });
    const message = parse({ type: 'request', id: 1, method: 'changes/apply', params: { changes: [{ kind: 'update', key: { id: 1 }, changes: { name: 'b' }, expected: { name: 'a' } }] } });
    const response = await handleRequest(message, { table, tables, capabilities: caps, saveFile: refuseSave }, new AbortController().signal);
    assert.ok(response.ok);
    assert.deepEqual(response.result, { ok: false, rolledBack: true, failure: { index: 1, code: 'conflict', message: 'Row changed', current: { id: 1, name: { $bytes: 'Bw==' } } } });
  });

  it('previews the statements of pending changes with bound values in wire form, or says it cannot', async () => {
    const message = parse({ type: 'request', id: 3, method: 'changes/preview', params: { changes: [{ kind: 'delete', key: { id: 1 }, expected: {} }] } });
    const response = await handleRequest(message, { table, tables: fakeTables(), capabilities: caps, saveFile: refuseSave }, new AbortController().signal);
    assert.ok(response.ok);
    assert.deepEqual(response.result, { statements: [{ text: 'DELETE …', params: [{ $bigint: '1152921504606846976' }, null] }] });
    const none = await handleRequest(message, { table, tables: fakeTables({ preview: async () => null }), capabilities: caps, saveFile: refuseSave }, new AbortController().signal);
    assert.deepEqual(none.ok && none.result, { statements: null });
    assert.equal(parseFromWebview({ type: 'request', id: 4, method: 'changes/preview', params: { changes: [{ kind: 'drop table' }] } }).ok, false);
  });

  it('passes contract errors through with their code and names plugin failures', async () => {
    const ctx = (error: Error) => ({ table, tables: fakeTables({ countRows: async () => { throw error; } }), capabilities: caps, saveFile: refuseSave });
    const count = parse({ type: 'request', id: 2, method: 'rows/count', params: {} });
    const signal = new AbortController().signal;
    assert.deepEqual(await handleRequest(count, ctx(nocofloError('connection', 'refused')), signal), { type: 'response', id: 2, ok: false, error: { code: 'connection', message: 'refused' } });
    const failed = await handleRequest(count, ctx(new PluginFailure('acme.csv', 'countRows', new Error('boom'))), signal);
    assert.ok(!failed.ok && failed.error.code === 'plugin_failed' && /acme\.csv/.test(failed.error.message));
    const internal = await handleRequest(count, ctx(new TypeError('x is undefined')), signal);
    assert.ok(!internal.ok && internal.error.code === 'internal');
  });

  it('refuses search columns the table does not have, before the datasource sees them', async () => {
    const tables = fakeTables();
    const message = parse({ type: 'request', id: 4, method: 'rows/read', params: { limit: 10, search: { text: 'x', columns: ['name', 'password_hash'] } } });
    const response = await handleRequest(message, { table, tables, capabilities: caps, saveFile: refuseSave }, new AbortController().signal);
    assert.ok(!response.ok && response.error.code === 'invalid_value' && /password_hash/.test(response.error.message));
    assert.equal(tables.reads.length, 0);
  });

  it('refreshes the schema together with the read-only reason', async () => {
    const tables = fakeTables({ schema: async () => tableSchema({ kind: 'view' }) });
    const response = await handleRequest(parse({ type: 'request', id: 3, method: 'schema/refresh', params: {} }), { table, tables, capabilities: caps, saveFile: refuseSave }, new AbortController().signal);
    assert.ok(response.ok);
    assert.match((response.result as { readOnlyReason: string }).readOnlyReason, /is a view/);
  });
});

describe('panel HTML (src/host/panels/panelHtml)', () => {
  const html = renderPanelHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abc123',
    title: '<orders> — shop',
    codiconCss: 'https://x/codicon.css',
    styles: ['https://x/table.css'],
    scripts: ['https://x/client.js', 'https://x/table.js'],
  });

  it('uses a strict policy: nothing inline, no eval, scripts only with the nonce', () => {
    const csp = contentSecurityPolicy('https://src', 'n0nce');
    assert.equal(csp, "default-src 'none'; style-src https://src; font-src https://src; img-src https://src data:; script-src 'nonce-n0nce'; form-action 'none'; base-uri 'none'");
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(html, /style="/);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 2);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, /nonce="abc123"/);
      assert.match(attrs, /type="module"/);
      assert.equal(body.trim(), '', 'no inline script');
    }
  });

  it('loads the client before the view script and escapes the title', () => {
    assert.ok(html.indexOf('client.js') < html.indexOf('table.js'));
    assert.match(html, /id="vscode-codicon-stylesheet"/);
    assert.match(html, /&lt;orders&gt; — shop/);
  });
});

describe('export (src/host/panels/exportRows)', () => {
  const pages: RowPage[] = [
    { columns: ['name', 'id'], rows: [['a,b', 1], ['', 2]], keys: [], next: 'k2' },
    { columns: ['name', 'id'], rows: [[null, 2n ** 64n], ['say "hi"\nbye', 4]], keys: [], next: 'k4' },
    { columns: ['name', 'id'], rows: [[new Uint8Array([0xde, 0xad]), 5]], keys: [] },
  ];

  async function run(format: 'csv' | 'json', source: RowPage[], signal = new AbortController().signal) {
    const positions: unknown[] = [];
    let out = '';
    const count = await exportRows({
      format,
      columns: ['id', 'name'],
      pageSize: 2,
      signal,
      readPage: async (position) => {
        positions.push(position);
        return source[positions.length - 1] ?? { columns: ['name', 'id'], rows: [], keys: [] };
      },
      write: async (chunk) => {
        out += chunk;
      },
    });
    return { count, out, positions };
  }

  it('streams every page as CSV in the requested column order, following keyset cursors', async () => {
    const { count, out, positions } = await run('csv', pages);
    assert.equal(count, 5);
    assert.deepEqual(positions, [{ offset: 0 }, { after: 'k2' }, { after: 'k4' }]);
    assert.equal(out, 'id,name\r\n1,"a,b"\r\n2,""\r\n18446744073709551616,\r\n4,"say ""hi""\nbye"\r\n5,\\xdead\r\n');
  });

  it('writes JSON with exact bigints and base64 bytes', async () => {
    const { out } = await run('json', pages);
    const text = out.replace('18446744073709551616', '"BIG"');
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    assert.equal(parsed.length, 5);
    assert.deepEqual(parsed[2], { id: 'BIG', name: null });
    assert.deepEqual(parsed[4], { id: 5, name: '3q0=' });
    assert.equal((await run('json', [])).out, '[]\n');
  });

  it('falls back to offsets when the datasource gives no cursor', async () => {
    const noCursor = pages.map(({ next: _n, ...p }) => p);
    const { positions, count } = await run('csv', noCursor);
    assert.equal(count, 5);
    assert.deepEqual(positions, [{ offset: 0 }, { offset: 2 }, { offset: 4 }]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(run('csv', pages, controller.signal), ExportCancelled);
  });

  it('keeps NULL and the empty string apart in CSV', () => {
    assert.equal(csvRow([null, '', ' x', 'plain']), ',""," x",plain\r\n');
  });
});
