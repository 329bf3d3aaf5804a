// The sidebar's decisions (src/host/tree/datasourceTree.ts) inside a real VS Code, read through the test-only command
// nocoflo.internal.treeItems (the rows as getTreeItem draws them, once their row counts are in): what a connection's
// row says (role, plugin, production, an opened file), a database that cannot be opened as a retryable error, an
// empty one, tables and views with exact, singular and capped counts, columns with keys and references, and a
// count redrawn after a write.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NocofloApi } from '../../api';
import { closeAllTabs, nocoflo, scratchFolder, sqliteFile, treeItem, treeItems, waitFor } from './hostSupport';

const SHOP = `
  CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL);
  CREATE TABLE single (id INTEGER PRIMARY KEY);
  CREATE TABLE big (id INTEGER PRIMARY KEY);
  CREATE VIEW big_even AS SELECT id FROM big WHERE id % 2 = 0;
  INSERT INTO customers (id, name) VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger');
  INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 9.5), (2, 1, 3), (3, 2, 7);
  INSERT INTO single (id) VALUES (1);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001) INSERT INTO big (id) SELECT i FROM n;
`;

describe('the Nocoflo sidebar (datasourceTree)', function () {
  this.timeout(60_000);
  let api: NocofloApi;
  let folder: string;
  let shopId: string;

  before(async () => {
    api = await nocoflo();
    folder = scratchFolder();
    shopId = await api.addDatasource({ type: 'sqlite', name: 'Tree *shop*', config: { path: await sqliteFile(path.join(folder, 'tree-shop.sqlite'), SHOP) } });
  });

  after(closeAllTabs);

  it("a file you added: its row names its role and plugin, with the name escaped in the Markdown tooltip", async () => {
    const row = await treeItem(`ds:${shopId}`);
    assert.equal(row.label, 'Tree *shop*');
    assert.equal(row.description, 'admin · SQLite');
    assert.equal(row.contextValue, 'nocoflo.datasource');
    assert.equal(row.tooltip, '**Tree \\*shop\\***\n\nSQLite\n\nYour role: admin');
    assert.equal(row.expandable, true);
  });

  it("a session's status (API 1.6, e.g. a read replica and its lag) joins its row once the tables were listed", async () => {
    const planetsId = await api.addDatasource({ type: 'tests.planets', name: 'Tree planets' });
    assert.equal((await treeItem(`ds:${planetsId}`)).description, 'editor · Planets (test plugin)', 'nothing is said before the server was asked');
    assert.deepEqual((await treeItems(`ds:${planetsId}`)).map((r) => r.label), ['planets']);
    const row = await waitFor('the status on the row', () => treeItem(`ds:${planetsId}`), (r) => r.description.includes('in orbit'));
    assert.equal(row.description, 'editor · Planets (test plugin) · in orbit');
    // The tooltip is Markdown with the plugin's words escaped.
    assert.match(row.tooltip.replace(/\\(.)/g, '$1'), /\n\nEight planets, as the test plugin counts them\. \(as of .+\)$/);
  });

  it('tables and views with their counts: exact, "1 row", capped at 10,000+, and a view marked read-only', async () => {
    const rows = await treeItems(`ds:${shopId}`);
    const byName = new Map(rows.map((r) => [r.label, r]));
    assert.deepEqual([...byName.keys()].sort(), ['big', 'big_even', 'customers', 'orders', 'single']);
    assert.equal(byName.get('customers')?.description, '3 rows');
    assert.equal(byName.get('single')?.description, '1 row');
    assert.equal(byName.get('big')?.description, '10,000+ rows');
    assert.equal(byName.get('big_even')?.description, 'view · 5,000 rows');
    assert.equal(byName.get('customers')?.contextValue, 'nocoflo.table');
    assert.equal(byName.get('big_even')?.contextValue, 'nocoflo.table.readonly');
    assert.equal(byName.get('big_even')?.icon, 'eye');
    assert.equal(byName.get('customers')?.command, 'nocoflo.openTable', 'a click opens the table');
  });

  it('columns: the key, the reference to another table, nullability', async () => {
    await treeItems(`ds:${shopId}`);
    const columns = await treeItems(`table:${shopId}::orders`);
    assert.deepEqual(
      columns.map((c) => [c.label, c.description, c.icon]),
      [
        ['id', 'INTEGER · PK · NOT NULL', 'key'],
        ['customer_id', 'INTEGER · → customers.id · NULL', 'references'],
        ['total', 'REAL · NULL', 'symbol-field'],
      ],
    );
    assert.equal(columns[0].expandable, false);
  });

  it('a write through Nocoflo redraws the count of the table it changed', async () => {
    assert.equal((await treeItem(`table:${shopId}::customers`, `ds:${shopId}`)).description, '3 rows');
    const data = api.data?.({ extensionId: 'nocoflo-tests.nocoflo-test-plugin' });
    assert.ok(data, 'the data API is there');
    const result = await data.applyChanges({ datasourceId: shopId, name: 'customers' }, [{ kind: 'insert', values: { id: 4, name: 'Barbara' } }]);
    assert.equal(result.ok, true, JSON.stringify(result));
    // The rows as drawn, not fetched again: the write itself must have the count redone and the row redrawn.
    await waitFor('the sidebar recounts customers', () => treeItem(`table:${shopId}::customers`, `ds:${shopId}`, true), (row) => row.description === '4 rows', 30_000);
  });

  it('a file that is not a database: one error row with the reason, which offers Retry', async () => {
    const bad = path.join(folder, 'not-a-database.sqlite');
    writeFileSync(bad, 'this is plain text, not SQLite '.repeat(200));
    const id = await api.addDatasource({ type: 'sqlite', name: 'Broken', config: { path: bad } });
    const rows = await treeItems(`ds:${id}`);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.match(rows[0].label, /not a (SQLite )?database/i);
    assert.equal(rows[0].icon, 'error');
    assert.equal(rows[0].contextValue, 'nocoflo.message.retry', 'a connection error can be retried from its row');
  });

  it('a database without tables says so, with nothing to retry', async () => {
    const id = await api.addDatasource({ type: 'sqlite', name: 'Empty', config: { path: await sqliteFile(path.join(folder, 'empty.sqlite'), 'PRAGMA user_version = 1;') } });
    const rows = await treeItems(`ds:${id}`);
    assert.deepEqual(rows.map((r) => [r.label, r.icon, r.contextValue]), [['No tables', 'info', 'nocoflo.message']]);
  });

  it('a production connection declared by the workspace is a viewer, and its row offers Unmark Production', async () => {
    await vscode.workspace.getConfiguration('nocoflo').update('connections', [{ name: 'Tree prod', type: 'sqlite', config: { path: path.join(folder, 'tree-shop.sqlite') }, production: true }], vscode.ConfigurationTarget.Workspace);
    try {
      const row = await waitFor('the declared connection appears', () => treeItems(), (rows) => rows.some((r) => r.id === 'ds:workspace:Tree prod'));
      const prod = row.find((r) => r.id === 'ds:workspace:Tree prod');
      assert.equal(prod?.description, 'viewer · production · SQLite');
      assert.equal(prod?.contextValue, 'nocoflo.datasource.production');
    } finally {
      await vscode.workspace.getConfiguration('nocoflo').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a database file opened from the Explorer joins the sidebar as an opened file while its editor is open', async () => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace);
    const file = vscode.Uri.file(await sqliteFile(path.join(workspace, 'tree-opened.sqlite'), SHOP));
    void vscode.commands.executeCommand('vscode.openWith', file, 'nocoflo.sqliteFile');
    const rows = await waitFor('the opened file appears', () => treeItems(), (list) => list.some((r) => r.contextValue === 'nocoflo.datasource.opened'));
    const opened = rows.filter((r) => r.contextValue === 'nocoflo.datasource.opened');
    assert.equal(opened.length, 1);
    assert.equal(opened[0].label, 'tree-opened');
    assert.match(opened[0].description, / · SQLite · opened file$/);
    await closeAllTabs();
    await waitFor('the opened file leaves the sidebar', () => treeItems(), (list) => !list.some((r) => r.contextValue === 'nocoflo.datasource.opened'));
  });
});
