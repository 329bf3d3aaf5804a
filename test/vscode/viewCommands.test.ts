// Switch View… (src/host/panels/viewCommands.ts) inside a real VS Code, on the active Nocoflo tab: with none there is
// nothing to switch; it offers the other views only; a choice switches the same tab in place, or brings forward the
// tab that already shows that view; a tab with unsaved edits is not switched until they are saved or discarded
// (VS Code running extension tests refuses the modal question, so nobody answered it). The picker is read and
// answered through nocoflo.internal.quickPick.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NocofloApi, TableLocator } from '../../api';
import { choose, closeAllTabs, nocoflo, openPanels, openPick, sampleDatabase, tabsOf, waitFor } from './hostSupport';

const ROW_LIST = 'tests.rowList';
const ROW_LIST_LABEL = '$(list-flat) Row list (test plugin)';

describe('Switch View… (viewCommands)', function () {
  this.timeout(120_000);
  let api: NocofloApi;
  let datasourceId: string;
  let customers: TableLocator;

  before(async () => {
    api = await nocoflo();
    datasourceId = await api.addDatasource({ type: 'sqlite', name: 'Switch shop', config: { path: sampleDatabase() } });
    customers = { datasourceId, name: 'customers' };
  });

  afterEach(closeAllTabs);

  const activeGrid = async () => {
    await api.openTable(customers, 'nocoflo.table');
    // VS Code reports each panel's view state apart: until the other tab's arrives, two tabs may say they are active.
    await waitFor('the grid tab alone is active', () => tabsOf(customers), (t) => t.some((p) => p.viewId === 'nocoflo.table') && t.every((p) => p.active === (p.viewId === 'nocoflo.table')));
  };

  it('without a Nocoflo tab there is nothing to switch: no picker, no tab', async () => {
    await vscode.commands.executeCommand('nocoflo.switchView');
    assert.equal(await vscode.commands.executeCommand('nocoflo.internal.quickPick'), undefined);
    assert.deepEqual(await openPanels(), []);
  });

  it('offers the views that can show the table except the current one, and switches the same tab in place', async () => {
    await activeGrid();
    const done = vscode.commands.executeCommand('nocoflo.switchView');
    const offer = await openPick();
    assert.equal(offer.title, 'Switch view of customers');
    const labels = offer.items.map((i) => i.label);
    assert.ok(labels.includes(ROW_LIST_LABEL), JSON.stringify(labels));
    assert.ok(!labels.some((l) => l.endsWith(' Table')), 'the current view is not offered');
    await choose(ROW_LIST_LABEL);
    await done;
    const tabs = await tabsOf(customers);
    assert.deepEqual(tabs.map((t) => t.viewId), [ROW_LIST], 'one tab, now the other view');
    await waitFor('the tab is retitled', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label), (l) => l.includes('customers — Switch shop (Row list (test plugin))'));
  });

  it('choosing a view that another tab already shows brings that tab forward and leaves this one as it was', async () => {
    await api.openTable(customers, ROW_LIST);
    await activeGrid();
    const done = vscode.commands.executeCommand('nocoflo.switchView');
    await choose(ROW_LIST_LABEL);
    await done;
    const tabs = await waitFor('the row list tab is active', () => tabsOf(customers), (t) => t.find((p) => p.viewId === ROW_LIST)?.active === true);
    assert.deepEqual(tabs.map((t) => t.viewId).sort(), ['nocoflo.table', ROW_LIST]);
  });

  it('a tab with unsaved edits is not switched while nobody says to save or discard them', async () => {
    await vscode.lm.invokeTool('nocoflo_proposeChanges', {
      input: { connection: datasourceId, table: 'customers', updates: [{ key: { id: 2 }, changes: { notes: 'pending' } }] },
      toolInvocationToken: undefined,
    });
    await waitFor('the proposal tab is active', () => tabsOf(customers), (t) => t.length === 1 && t[0].active);
    const done = vscode.commands.executeCommand('nocoflo.switchView');
    await choose(ROW_LIST_LABEL);
    await done;
    const [tab] = await tabsOf(customers);
    assert.equal(tab.viewId, 'nocoflo.table');
    assert.deepEqual(tab.pending.map((c) => c.kind), ['update'], 'the edits are kept');
  });
});
