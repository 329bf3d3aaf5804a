// Which tab a table opens in (src/host/panels/panelManager.ts) inside a real VS Code: one tab per (table, view), an
// open one brought to the front instead of a second, its title, and a proposal taken by the open tab of its table.
// Tabs are read through nocoflo.internal.openPanels and VS Code's own tab groups; no view needs to have started.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NocofloApi, TableLocator } from '../../api';
import { closeAllTabs, nocoflo, openPanels, sampleDatabase, tabsOf, waitFor } from './hostSupport';

const ROW_LIST = 'tests.rowList';

const webviewTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('nocoflo.view'));

describe('view tabs (panelManager)', function () {
  this.timeout(120_000);
  let api: NocofloApi;
  let datasourceId: string;
  let customers: TableLocator;
  let orders: TableLocator;

  before(async () => {
    api = await nocoflo();
    datasourceId = await api.addDatasource({ type: 'sqlite', name: 'Panel shop', config: { path: sampleDatabase() } });
    customers = { datasourceId, name: 'customers' };
    orders = { datasourceId, name: 'orders' };
  });

  afterEach(closeAllTabs);

  it('one tab per table and view: opening it again adds none, another view or table adds one, titled by table, connection and view', async () => {
    await api.openTable(customers, 'nocoflo.table');
    await api.openTable(customers, 'nocoflo.table');
    assert.equal((await tabsOf(customers)).length, 1);
    await api.openTable(customers, ROW_LIST);
    await api.openTable(orders, 'nocoflo.table');
    const tabs = await openPanels();
    assert.deepEqual(tabs.map((t) => `${t.table.name}/${t.viewId}`).sort(), ['customers/nocoflo.table', `customers/${ROW_LIST}`, 'orders/nocoflo.table']);
    const labels = await waitFor('VS Code shows three tabs', () => webviewTabs().map((t) => t.label).sort(), (l) => l.length === 3);
    assert.deepEqual(labels, ['customers — Panel shop (Row list (test plugin))', 'customers — Panel shop (Table)', 'orders — Panel shop (Table)']);
  });

  it('opening a table whose tab is open brings that tab to the front', async () => {
    await api.openTable(customers, 'nocoflo.table');
    await api.openTable(orders, 'nocoflo.table');
    await waitFor('orders is the active tab', () => tabsOf(orders), (t) => t[0]?.active === true);
    await api.openTable(customers, 'nocoflo.table');
    await waitFor('customers is the active tab again', () => tabsOf(customers), (t) => t[0]?.active === true);
    // VS Code reports each panel's view state apart, so the other tab's change may arrive a moment later.
    await waitFor('orders is no longer active', () => tabsOf(orders), (t) => t[0]?.active === false);
    assert.equal((await openPanels()).length, 2);
  });

  it("a proposal for a table whose grid is open goes into that tab, marked as the agent's", async () => {
    await api.openTable(customers, 'nocoflo.table');
    const result = await vscode.lm.invokeTool('nocoflo_proposeChanges', {
      input: { connection: datasourceId, table: 'customers', updates: [{ key: { id: 1 }, changes: { notes: 'from the agent' } }] },
      toolInvocationToken: undefined,
    });
    const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
    assert.match(text, /\(the tab was already open\)/);
    const tabs = await tabsOf(customers);
    assert.equal(tabs.length, 1, 'no second tab');
    assert.deepEqual(tabs[0].pending.map((c) => c.kind), ['update']);
    assert.equal(tabs[0].proposedBy, 'nocoflo.agentTools');
  });
});
