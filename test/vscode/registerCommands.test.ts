// The sidebar's commands (src/host/commands/registerCommands.ts) inside a real VS Code, called with what the sidebar
// passes them: Open Table with a tree node, a locator and a view, or nothing usable; Open Table As… with its picker;
// Edit Datasource opening the connection form only for a connection you may manage and that Nocoflo stores; Rename
// refused to a viewer before anything is asked; Copy Name.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NocofloApi } from '../../api';
import { choose, closeAllTabs, datasourceNode, nocoflo, openPanels, openPick, sampleDatabase, tableNode, tabsOf, waitFor } from './hostSupport';

/** Whether the host holds an open connection form for the connection (known at once; VS Code draws the tab later). */
const formOpen = async (datasourceId: string) => (await vscode.commands.executeCommand('nocoflo.internal.connectionFormMessage', `edit:${datasourceId}`, { type: 'ready' })) !== undefined;

const formTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('nocoflo.connectionForm'));

describe('sidebar commands (registerCommands)', function () {
  this.timeout(120_000);
  let api: NocofloApi;
  let datasourceId: string;

  before(async () => {
    api = await nocoflo();
    datasourceId = await api.addDatasource({ type: 'sqlite', name: 'Command shop', config: { path: sampleDatabase() } });
  });

  afterEach(closeAllTabs);

  it('Open Table opens the tree node it is given, or a locator in the view named; anything else opens nothing', async () => {
    await vscode.commands.executeCommand('nocoflo.openTable', tableNode(datasourceId, 'customers'));
    assert.deepEqual((await tabsOf({ datasourceId, name: 'customers' })).map((t) => t.viewId), ['nocoflo.table']);
    await vscode.commands.executeCommand('nocoflo.openTable', { datasourceId, name: 'orders' }, 'tests.rowList');
    assert.deepEqual((await tabsOf({ datasourceId, name: 'orders' })).map((t) => t.viewId), ['tests.rowList']);
    await vscode.commands.executeCommand('nocoflo.openTable');
    await vscode.commands.executeCommand('nocoflo.openTable', { kind: 'column', name: 'customers' });
    assert.equal((await openPanels()).length, 2);
  });

  it('Open Table As… offers the views that can show the table and opens the one chosen', async () => {
    const done = vscode.commands.executeCommand('nocoflo.openTableAs', tableNode(datasourceId, 'products'));
    const offer = await openPick();
    assert.equal(offer.title, 'Open table as…');
    const labels = offer.items.map((i) => i.label);
    assert.ok(labels.includes('$(list-flat) Row list (test plugin)') && labels.some((l) => l.endsWith(' Table')), JSON.stringify(labels));
    await choose('$(list-flat) Row list (test plugin)');
    await done;
    assert.deepEqual((await tabsOf({ datasourceId, name: 'products' })).map((t) => t.viewId), ['tests.rowList']);
  });

  it('Edit Datasource opens the connection form for a connection you manage, once however often it is asked', async () => {
    await vscode.commands.executeCommand('nocoflo.editDatasource', datasourceNode(datasourceId, 'Command shop'));
    await vscode.commands.executeCommand('nocoflo.editDatasource', datasourceNode(datasourceId, 'Command shop'));
    assert.equal(await formOpen(datasourceId), true);
    const tabs = await waitFor('the form tab shows', () => formTabs().map((t) => t.label), (l) => l.length > 0);
    assert.deepEqual(tabs, ['Edit Command shop']);
  });

  it('Edit Datasource and Rename are refused to a viewer before anything opens', async () => {
    const id = await api.addDatasource({ type: 'sqlite', name: 'Viewer shop', config: { path: sampleDatabase() } });
    await vscode.commands.executeCommand('nocoflo.markProduction', datasourceNode(id, 'Viewer shop'));
    await vscode.commands.executeCommand('nocoflo.editDatasource', datasourceNode(id, 'Viewer shop'));
    // Rename asks for the new name after the role check; this resolves only because nothing was asked.
    await vscode.commands.executeCommand('nocoflo.renameDatasource', datasourceNode(id, 'Viewer shop'));
    assert.equal(await formOpen(id), false);
    assert.equal(api.data?.({ extensionId: 'nocoflo-tests.nocoflo-test-plugin' }).listDatasources().find((d) => d.id === id)?.name, 'Viewer shop');
  });

  it('Edit Datasource on a connection the workspace declares points to the settings instead of opening the form, even for an admin', async () => {
    await vscode.workspace.getConfiguration('nocoflo').update('connections', [{ name: 'Declared', type: 'sqlite', config: { path: sampleDatabase() } }], vscode.ConfigurationTarget.Workspace);
    try {
      const node = datasourceNode('workspace:Declared', 'Declared');
      await waitFor('the declared connection appears', () => api.data?.({ extensionId: 'nocoflo-tests.nocoflo-test-plugin' }).listDatasources().some((d) => d.id === node.record.id), (found) => found === true);
      const raise = vscode.commands.executeCommand('nocoflo.setRole', node);
      await choose('admin');
      await raise;
      let finished = false;
      const done = Promise.resolve(vscode.commands.executeCommand('nocoflo.editDatasource', node)).then(() => (finished = true));
      await waitFor('the command finishes once its notification is dismissed', () => vscode.commands.executeCommand('notifications.clearAll').then(() => finished), (f) => f);
      await done;
      assert.equal(await formOpen(node.record.id), false);
    } finally {
      await vscode.workspace.getConfiguration('nocoflo').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Copy Name copies the name a reader needs: the connection, the table', async () => {
    await vscode.commands.executeCommand('nocoflo.copyName', datasourceNode(datasourceId, 'Command shop'));
    assert.equal(await vscode.env.clipboard.readText(), 'Command shop');
    await vscode.commands.executeCommand('nocoflo.copyName', { kind: 'table', locator: { datasourceId, schema: 'main', name: 'orders' } });
    assert.equal(await vscode.env.clipboard.readText(), 'main.orders');
  });
});
