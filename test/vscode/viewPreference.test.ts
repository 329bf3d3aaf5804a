// View preferences inside a real VS Code: what api.setViewPreference and "Set as Default View for This Table"
// store is what api.openTable opens. The test plugin's "Row list" view (test/fixtures/third-party-plugin) is the
// other view; the internal command nocoflo.internal.openPanels says which view each open tab shows.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NocofloApi, TableLocator } from '../../api';

interface OpenPanel {
  table: TableLocator;
  viewId: string;
  active: boolean;
  started: boolean;
}

const ROW_LIST = 'tests.rowList';

async function nocoflo(): Promise<NocofloApi> {
  const extension = vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo');
  assert.ok(extension, 'Nocoflo is installed');
  const api = await extension.activate();
  const plugin = vscode.extensions.getExtension('nocoflo-tests.nocoflo-test-plugin');
  assert.ok(plugin, 'the test plugin is installed');
  await plugin.activate();
  return api;
}

const openPanels = async () => (await vscode.commands.executeCommand<OpenPanel[]>('nocoflo.internal.openPanels')) ?? [];

/** Waits until exactly one tab shows `table`, its view has started, and returns that view's id. */
async function viewShowing(table: TableLocator): Promise<string> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const tabs = (await openPanels()).filter((p) => p.table.datasourceId === table.datasourceId && p.table.name === table.name);
    if (tabs.length === 1 && tabs[0].started) return tabs[0].viewId;
    if (Date.now() > deadline) assert.fail(`no started tab for ${table.name}: ${JSON.stringify(tabs)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const deadline = Date.now() + 10_000;
  while ((await openPanels()).length > 0 || vscode.window.tabGroups.all.some((g) => g.tabs.length > 0)) {
    if (Date.now() > deadline) assert.fail('tabs did not close');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A webview panel created right after the last one closed is rendered late (or, within milliseconds, not at all)
  // by code-server's workbench; give it a moment, as a person would take.
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

describe('view preferences (setViewPreference, Set as Default View, openTable)', function () {
  // A webview's first load after the previous tabs closed can take code-server's workbench tens of seconds.
  this.timeout(120_000);
  let api: NocofloApi;
  let datasourceId: string;

  before(async () => {
    api = await nocoflo();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    datasourceId = await api.addDatasource({ type: 'sqlite', name: 'Preferences shop', config: { path: path.join(folder.uri.fsPath, 'shop.sqlite') } });
  });

  afterEach(closeAll);

  it('setViewPreference then openTable opens that view, and a new preference replaces it', async () => {
    const customers: TableLocator = { datasourceId, name: 'customers' };
    assert.equal(api.listPlugins({ kind: 'view' }).find((p) => p.id === ROW_LIST)?.state, 'active');
    await api.setViewPreference(customers, ROW_LIST);
    await api.openTable(customers);
    assert.equal(await viewShowing(customers), ROW_LIST);
    await closeAll();
    await api.setViewPreference(customers, 'nocoflo.table');
    await api.openTable(customers);
    assert.equal(await viewShowing(customers), 'nocoflo.table');
  });

  it('"Set as Default View for This Table" stores the active tab\'s view for the next openTable', async () => {
    const products: TableLocator = { datasourceId, name: 'products' };
    await api.openTable(products, ROW_LIST);
    assert.equal(await viewShowing(products), ROW_LIST);
    await vscode.commands.executeCommand('nocoflo.setDefaultView');
    await closeAll();
    await api.openTable(products);
    assert.equal(await viewShowing(products), ROW_LIST);
  });

  it('refuses a preference for a view that is not registered, and keeps the stored one', async () => {
    const orders: TableLocator = { datasourceId, name: 'orders' };
    await api.setViewPreference(orders, ROW_LIST);
    await assert.rejects(api.setViewPreference(orders, 'tests.no-such-view'), /No enabled view plugin "tests\.no-such-view"/);
    await api.openTable(orders);
    assert.equal(await viewShowing(orders), ROW_LIST);
  });
});
