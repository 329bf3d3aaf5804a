// The language model tools inside a real VS Code, called the way an agent calls them: vscode.lm.invokeTool (no chat
// model needed). Outside a chat VS Code asks its confirmation as a modal dialog, which a VS Code running extension
// tests skips (confirmed); nocoflo.internal.agentToolConfirmation shows what the confirmation says, and the
// agent-tools journey answers the real dialog. On the sample database: each tool's result, a proposal appearing as
// pending edits in an open grid tab (nothing written), and a viewer's proposal on a production connection opening
// read-only with the reason.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NocofloApi, TableLocator } from '../../api';

interface OpenPanel {
  table: TableLocator;
  viewId: string;
  started: boolean;
  readOnlyReason?: string;
  pending: { kind: string }[];
  proposedBy?: string;
}

const openPanels = async () => (await vscode.commands.executeCommand<OpenPanel[]>('nocoflo.internal.openPanels')) ?? [];

async function started(table: TableLocator): Promise<OpenPanel> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const tab = (await openPanels()).find((p) => p.table.datasourceId === table.datasourceId && p.table.name === table.name);
    if (tab?.started) return tab;
    if (Date.now() > deadline) assert.fail(`no started tab for ${table.name}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function invoke<T = Record<string, unknown>>(name: string, input: object): Promise<T> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
  return JSON.parse(text) as T;
}

const confirmationOf = (name: string, input: object) => vscode.commands.executeCommand<{ title: string; message: string }>('nocoflo.internal.agentToolConfirmation', name, input);

describe('language model tools (vscode.lm.invokeTool on the sample database)', function () {
  this.timeout(180_000);
  let shop: string;
  let datasourceId: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo');
    assert.ok(extension, 'Nocoflo is installed');
    const api = await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    shop = path.join(folder.uri.fsPath, 'shop.sqlite');
    datasourceId = await api.addDatasource({ type: 'sqlite', name: 'Agent shop', config: { path: shop } });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('nocoflo').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('VS Code knows the six tools from the manifest, with their input schemas', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('nocoflo_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), ['nocoflo_describeTable', 'nocoflo_listConnections', 'nocoflo_listTables', 'nocoflo_proposeChanges', 'nocoflo_readRows', 'nocoflo_runQuery']);
    for (const tool of ours) assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object', tool.name);
  });

  it('lists connections with their role and settings, never a secret', async () => {
    const { connections } = await invoke<{ connections: { id: string; name: string; type: string; role: string; production: boolean; settings: Record<string, unknown> }[] }>('nocoflo_listConnections', {});
    const agentShop = connections.find((c) => c.id === datasourceId);
    assert.ok(agentShop, JSON.stringify(connections));
    assert.equal(agentShop.name, 'Agent shop');
    assert.equal(agentShop.role, 'admin', 'a file you added is yours');
    assert.equal(agentShop.production, false);
    assert.equal(agentShop.settings.path, shop);
  });

  it('lists tables, describes one and reads a bounded, filtered, sorted page', async () => {
    const { tables } = await invoke<{ tables: { name: string; kind: string }[] }>('nocoflo_listTables', { connection: 'Agent shop' });
    assert.deepEqual(tables.find((t) => t.name === 'customers')?.kind, 'table');
    assert.deepEqual(tables.find((t) => t.name === 'customer_totals')?.kind, 'view');

    const described = await invoke<{ rows: number; primaryKey: string[]; columns: { name: string; kind: string }[]; foreignKeys: unknown[]; yourRole: string }>('nocoflo_describeTable', { connection: datasourceId, table: 'orders' });
    assert.deepEqual(described.primaryKey, ['id']);
    assert.ok(described.columns.some((c) => c.name === 'ordered_at'));
    assert.deepEqual(described.foreignKeys, [{ columns: ['customer_id'], references: 'customers', referencedColumns: ['id'] }]);
    assert.equal(typeof described.rows, 'number');
    assert.equal(described.yourRole, 'admin');

    const page = await invoke<{ rows: { key: Record<string, unknown>; values: Record<string, unknown> }[]; more: boolean; nextOffset: number; limit: number }>('nocoflo_readRows', {
      connection: 'Agent shop',
      table: 'customers',
      columns: ['id', 'name', 'country'],
      filters: [{ column: 'country', op: 'eq', value: 'DE' }],
      sort: [{ column: 'id', direction: 'desc' }],
      limit: 3,
    });
    assert.equal(page.rows.length, 3);
    assert.equal(page.more, true);
    assert.equal(page.nextOffset, 3);
    assert.ok(page.rows.every((r) => r.values.country === 'DE' && Object.keys(r.values).length === 3));
    const ids = page.rows.map((r) => Number(r.values.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    assert.ok(page.rows[0].key.id !== undefined, 'each row carries its key');

    const huge = await invoke<{ rows: unknown[]; limit: number }>('nocoflo_readRows', { connection: 'Agent shop', table: 'events', limit: 100_000 });
    assert.equal(huge.limit, 200);
    assert.equal(huge.rows.length, 200, 'the row cap holds whatever the model asks');

    await assert.rejects(Promise.resolve(vscode.lm.invokeTool('nocoflo_readRows', { input: { connection: 'Agent shop', table: 'customers', where: '1=1' }, toolInvocationToken: undefined })), /unknown field "where"/);
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool('nocoflo_listTables', { input: { connection: 'Nope' }, toolInvocationToken: undefined })), /No connection "Nope"/);
  });

  it('runs a read-only query across tables, pages it, and lets the database refuse a write', async () => {
    const sql = 'SELECT c.country, count(*) AS orders FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country ORDER BY orders DESC, c.country';
    const confirmation = await confirmationOf('nocoflo_runQuery', { connection: 'Agent shop', sql, limit: 2 });
    assert.match(confirmation.message, /Agent shop/);
    const first = await invoke<{ columns: string[]; rows: { values: Record<string, unknown> }[]; more: boolean; nextOffset?: number }>('nocoflo_runQuery', { connection: 'Agent shop', sql, limit: 2 });
    assert.deepEqual(first.columns, ['country', 'orders']);
    assert.equal(first.rows.length, 2);
    assert.equal(first.more, true);
    const counts = first.rows.map((r) => Number(r.values.orders));
    assert.ok(counts[0] >= counts[1], JSON.stringify(first.rows));
    const second = await invoke<{ rows: { values: Record<string, unknown> }[] }>('nocoflo_runQuery', { connection: 'Agent shop', sql, limit: 2, offset: first.nextOffset });
    assert.ok(second.rows.length > 0);
    assert.ok(!first.rows.some((r) => second.rows.some((s) => s.values.country === r.values.country)), 'the next page starts after the first');
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool('nocoflo_runQuery', { input: { connection: 'Agent shop', sql: "DELETE FROM customers" }, toolInvocationToken: undefined })), /readonly database|read-only|not a SELECT/i);
    const still = await invoke<{ rows: unknown[] }>('nocoflo_readRows', { connection: 'Agent shop', table: 'customers', limit: 1 });
    assert.equal(still.rows.length, 1, 'nothing was deleted');
  });

  it('a proposal opens the grid with the changes as pending edits and writes nothing', async () => {
    const confirmation = await confirmationOf('nocoflo_proposeChanges', { connection: 'Agent shop', table: 'customers', inserts: [{ values: { name: 'Barbara Agent' } }], updates: [{ key: { id: 1 }, changes: { notes: 'proposed' } }] });
    assert.equal(confirmation.title, 'Propose changes');
    assert.match(confirmation.message, /^The agent proposes 1 insert and 1 update in customers of "Agent shop"\. .*nothing is written until you review and save them\.$/);

    const result = await invoke<{ status: string; message: string; proposed: Record<string, number>; notes: string[] }>('nocoflo_proposeChanges', {
      connection: 'Agent shop',
      table: 'customers',
      inserts: [{ values: { name: 'Barbara Agent' } }],
      updates: [{ key: { id: 1 }, changes: { notes: 'proposed' } }],
    });
    assert.equal(result.status, "awaiting the user's review");
    assert.match(result.message, /Nothing was written/);
    assert.deepEqual(result.proposed, { insert: 1, update: 1, delete: 0 });
    assert.deepEqual(result.notes, []);
    const tab = await started({ datasourceId, name: 'customers' });
    assert.equal(tab.viewId, 'nocoflo.table');
    assert.equal(tab.readOnlyReason, undefined);
    assert.deepEqual(tab.pending.map((c) => c.kind), ['update', 'insert'], 'in the order the grid keeps pending edits');
    assert.equal(tab.proposedBy, 'nocoflo.agentTools');
    const stored = await invoke<{ rows: { values: { notes: unknown } }[] }>('nocoflo_readRows', { connection: 'Agent shop', table: 'customers', filters: [{ column: 'id', op: 'eq', value: 1 }] });
    assert.notEqual(stored.rows[0].values.notes, 'proposed', 'nothing is written before the user saves');

    await assert.rejects(
      Promise.resolve(vscode.lm.invokeTool('nocoflo_proposeChanges', { input: { connection: 'Agent shop', table: 'customers', deletes: [{ key: { id: 2 } }] }, toolInvocationToken: undefined })),
      /already has unsaved edits/,
    );
  });

  it("a viewer's proposal on a production connection opens read-only with the reason, and the confirmation names production", async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('nocoflo').update('connections', [{ name: 'Prod shop', type: 'sqlite', config: { path: shop }, production: true }], vscode.ConfigurationTarget.Workspace);
    const input = { connection: 'Prod shop', table: 'products', updates: [{ key: { sku: 'SKU-0001' }, changes: { stock: 0 } }] };
    const confirmation = await confirmationOf('nocoflo_proposeChanges', input);
    assert.match(confirmation.message, /"Prod shop" \(a production connection\)/);
    assert.match(confirmation.message, /\*\*Production:\*\* "Prod shop" is marked as a production connection\./);
    assert.match((await confirmationOf('nocoflo_readRows', { connection: 'Prod shop', table: 'products', limit: 5 })).message, /up to 5 rows of products from "Prod shop" \(a production connection\)/);

    const result = await invoke<{ status: string; message: string; readOnlyReason: string; yourRole: string }>('nocoflo_proposeChanges', input);
    assert.equal(result.status, 'opened read-only: cannot be saved');
    assert.equal(result.yourRole, 'viewer');
    assert.match(result.readOnlyReason, /viewer on "Prod shop"/);
    assert.match(result.message, /read-only: .*Nothing was written\./);
    const tab = await started({ datasourceId: 'workspace:Prod shop', name: 'products' });
    assert.equal(tab.readOnlyReason, result.readOnlyReason);
    assert.deepEqual(tab.pending.map((c) => c.kind), ['update']);
  });
});
