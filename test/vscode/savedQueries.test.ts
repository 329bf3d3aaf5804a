// Saved queries and the query history inside a real VS Code: Save Query… with a result tab's arguments, the
// connection's "Queries" row in the sidebar (read through nocoflo.internal.treeItems), opening a saved query through
// the statement runner, rename and delete, and the run recorded in the history (nocoflo.internal.queryHistory).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NocofloApi } from '../../api';
import { closeAllTabs, nocoflo, openPanels, scratchFolder, sqliteFile, treeItems, waitFor } from './hostSupport';

const SHOP = `
  CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT);
  INSERT INTO customers (id, name, country) VALUES (1, 'Ada', 'UK'), (2, 'Grace', 'US'), (3, 'Edsger', 'NL');
`;

interface HistoryEntryInfo {
  datasourceId: string;
  text: string;
  outcome: string;
}

/** Runs `command` and accepts the input box it opens, as a user pressing Enter on the proposed value. */
async function acceptingInput<T>(command: Thenable<T>): Promise<T> {
  let done = false;
  const result = Promise.resolve(command).finally(() => {
    done = true;
  });
  await waitFor(
    'the input box is accepted',
    async () => {
      if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return done;
    },
    (finished) => finished,
  );
  return result;
}

const savedQueryNode = (datasourceId: string, name: string, text: string) => ({ kind: 'savedQuery', query: { datasourceId, name, text } });

describe('saved queries and the query history', function () {
  this.timeout(60_000);
  let api: NocofloApi;
  let shopId: string;

  before(async () => {
    api = await nocoflo();
    const folder = scratchFolder();
    shopId = await api.addDatasource({ type: 'sqlite', name: 'Saved queries shop', config: { path: await sqliteFile(path.join(folder, 'saved-shop.sqlite'), SHOP) } });
  });

  after(closeAllTabs);

  it('a connection without saved queries has no Queries row', async () => {
    const rows = await treeItems(`ds:${shopId}`);
    assert.deepEqual(rows.filter((r) => r.id.startsWith('queries:')), []);
  });

  it('Save Query… from a result tab stores the query under its connection; the tree lists it under Queries', async () => {
    const text = "SELECT name FROM customers WHERE country = 'UK'";
    const saved = await acceptingInput(vscode.commands.executeCommand('nocoflo.saveQuery', { datasourceId: shopId, text, name: 'British customers' }));
    assert.deepEqual(saved, { datasourceId: shopId, name: 'British customers', text });
    const queries = await waitFor('the Queries row', async () => (await treeItems(`ds:${shopId}`)).find((r) => r.id === `queries:${shopId}`), (r) => r !== undefined);
    assert.equal(queries?.label, 'Queries');
    assert.equal(queries?.description, '1');
    const [row] = await treeItems(`queries:${shopId}`);
    assert.equal(row.id, `query:${shopId}:British customers`);
    assert.equal(row.label, 'British customers');
    assert.equal(row.contextValue, 'nocoflo.savedQuery');
    assert.equal(row.command, 'nocoflo.openSavedQuery');
    assert.equal(row.tooltip, text);
  });

  it('opening a saved query runs it through the runner, and the run is in the history', async () => {
    const text = "SELECT name FROM customers WHERE country = 'UK'";
    const outcome = await vscode.commands.executeCommand<{ kind: string }>('nocoflo.openSavedQuery', savedQueryNode(shopId, 'British customers', text));
    assert.equal(outcome?.kind, 'result');
    const history = await waitFor(
      'the run in the history',
      () => vscode.commands.executeCommand<HistoryEntryInfo[]>('nocoflo.internal.queryHistory', shopId),
      (entries) => (entries ?? []).some((e) => e.text === text),
    );
    assert.equal(history[0].text, text);
    assert.equal(history[0].outcome, 'result');
    assert.equal(history[0].datasourceId, shopId);
  });

  it("a saved query's default view, set through the API with its locator, opens it next time; other queries keep the grid", async () => {
    await closeAllTabs();
    const text = "SELECT name FROM customers WHERE country = 'UK'";
    await api.setViewPreference({ datasourceId: shopId, name: 'British customers', query: { text } }, 'nocoflo.form');
    await vscode.commands.executeCommand('nocoflo.openSavedQuery', savedQueryNode(shopId, 'British customers', text));
    const tabsOf = (name: string) => async () => (await openPanels()).filter((p) => p.table.datasourceId === shopId && p.table.name === name);
    const [tab] = await waitFor('the saved query\'s tab', tabsOf('British customers'), (tabs) => tabs.length > 0);
    assert.equal(tab.viewId, 'nocoflo.form');
    await vscode.commands.executeCommand('nocoflo.openSavedQuery', savedQueryNode(shopId, 'Dutch customers', "SELECT name FROM customers WHERE country = 'NL'"));
    const [other] = await waitFor('the other query\'s tab', tabsOf('Dutch customers'), (tabs) => tabs.length > 0);
    assert.equal(other.viewId, 'nocoflo.table', 'the preference belongs to that query only');
    await closeAllTabs();
  });

  it('a failed run is in the history with its error', async () => {
    const text = 'SELECT nope FROM customers';
    const outcome = await vscode.commands.executeCommand<{ kind: string; message: string }>('nocoflo.internal.runStatement', { datasourceId: shopId, text });
    assert.equal(outcome?.kind, 'failed');
    const history = await waitFor(
      'the failed run in the history',
      () => vscode.commands.executeCommand<(HistoryEntryInfo & { error?: string })[]>('nocoflo.internal.queryHistory', shopId),
      (entries) => (entries ?? []).some((e) => e.text === text),
    );
    assert.equal(history[0].outcome, 'failed');
    assert.equal(history[0].error, outcome.message, 'the error as the runner reported it');
  });

  it('rename and delete change the tree', async () => {
    const text = "SELECT name FROM customers WHERE country = 'UK'";
    const renamed = await vscode.commands.executeCommand('nocoflo.renameSavedQuery', savedQueryNode(shopId, 'British customers', text), 'UK customers');
    assert.equal(renamed, 'UK customers');
    await treeItems(`ds:${shopId}`); // the Queries row is read again, with the list it holds now
    assert.deepEqual((await treeItems(`queries:${shopId}`)).map((r) => r.label), ['UK customers']);
    const deleted = await vscode.commands.executeCommand('nocoflo.deleteSavedQuery', savedQueryNode(shopId, 'UK customers', text), { confirmed: true });
    assert.equal(deleted, true);
    await waitFor('the Queries row is gone', async () => (await treeItems(`ds:${shopId}`)).some((r) => r.id.startsWith('queries:')), (shown) => !shown);
  });
});
