// Roles on the API path inside a real VS Code: a SQLite file added through api.addDatasource is its owner's (admin),
// so a view api.openTable opens may edit and delete; the same file declared by the workspace is a shared definition
// (editor), so the view is told Delete is unavailable and why; a connection the workspace declares with
// "production": true is a viewer, so the grid and a third-party view (the test plugin's Row list) opened through
// the API are told they are read-only, with the reason. The internal command nocoflo.internal.openPanels reports
// what each tab's init said.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NocofloApi, TableLocator } from '../../api';

interface OpenPanel {
  table: TableLocator;
  viewId: string;
  started: boolean;
  readOnlyReason?: string;
  unavailable?: { insert?: string; update?: string; delete?: string };
}

const openPanels = async () => (await vscode.commands.executeCommand<OpenPanel[]>('nocoflo.internal.openPanels')) ?? [];

async function started(table: TableLocator, viewId: string): Promise<OpenPanel> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const tab = (await openPanels()).find((p) => p.table.datasourceId === table.datasourceId && p.table.name === table.name && p.viewId === viewId);
    if (tab?.started) return tab;
    if (Date.now() > deadline) assert.fail(`no started ${viewId} tab for ${table.name}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const deadline = Date.now() + 10_000;
  while ((await openPanels()).length > 0) {
    if (Date.now() > deadline) assert.fail('tabs did not close');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // code-server renders a webview created right after the last one closed late; give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

describe('roles on the API path (addDatasource, openTable, a third-party view)', function () {
  this.timeout(180_000);
  let api: NocofloApi;
  let shop: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo');
    assert.ok(extension, 'Nocoflo is installed');
    api = await extension.activate();
    await vscode.extensions.getExtension('nocoflo-tests.nocoflo-test-plugin')?.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    shop = path.join(folder.uri.fsPath, 'shop.sqlite');
  });

  afterEach(closeAll);
  after(async () => {
    await vscode.workspace.getConfiguration('nocoflo').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('a SQLite file added through the API is its owner\'s (admin): the opened view may edit and delete', async () => {
    const datasourceId = await api.addDatasource({ type: 'sqlite', name: 'API shop', config: { path: shop } });
    const table = { datasourceId, name: 'customers' };
    await api.openTable(table, 'nocoflo.table');
    const tab = await started(table, 'nocoflo.table');
    assert.equal(tab.readOnlyReason, undefined);
    assert.equal(tab.unavailable, undefined);
  });

  it('the same file declared by the workspace is a shared definition (editor): the view is told Delete is unavailable', async () => {
    await vscode.workspace.getConfiguration('nocoflo').update('connections', [{ name: 'Team shop', type: 'sqlite', config: { path: shop } }], vscode.ConfigurationTarget.Workspace);
    const table = { datasourceId: 'workspace:Team shop', name: 'customers' };
    await api.openTable(table, 'nocoflo.table');
    const tab = await started(table, 'nocoflo.table');
    assert.equal(tab.readOnlyReason, undefined);
    assert.deepEqual(tab.unavailable, {
      delete: 'You are an editor on "Team shop": editors can insert and update rows but not delete them. You can change your role with Nocoflo: Set Role…',
    });
  });

  it('a production connection from workspace settings is a viewer: the grid and a third-party view are read-only, with the reason', async () => {
    await vscode.workspace
      .getConfiguration('nocoflo')
      .update('connections', [{ name: 'Prod shop', type: 'sqlite', config: { path: shop }, production: true }], vscode.ConfigurationTarget.Workspace);
    const table = { datasourceId: 'workspace:Prod shop', name: 'customers' };
    const reason = 'You are a viewer on "Prod shop" (production connection): rows cannot be changed here. You can change your role with Nocoflo: Set Role…';
    await api.openTable(table, 'nocoflo.table');
    assert.equal((await started(table, 'nocoflo.table')).readOnlyReason, reason);
    await api.openTable(table, 'tests.rowList');
    assert.equal((await started(table, 'tests.rowList')).readOnlyReason, reason);
  });
});
