// Set Role…, Mark as Production and Unmark Production (src/host/roles/roleCommands.ts) inside a real VS Code, driven
// with tree nodes as the sidebar passes them; the picker is read and answered through nocoflo.internal.quickPick, the
// outcome read from api.data's listDatasources, the sidebar (nocoflo.internal.treeItems) and the open tabs. VS Code
// running extension tests refuses modal dialogs, so a raise that must be confirmed is a raise nobody confirmed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NocofloApi, NocofloData } from '../../api';
import { choose, closeAllTabs, datasourceNode, nocoflo, openPick, sampleDatabase, tableNode, tabsOf, treeItem, treeItems, waitFor } from './hostSupport';

describe('role commands (Set Role…, Mark/Unmark Production)', function () {
  this.timeout(180_000);
  let api: NocofloApi;
  let data: NocofloData;
  let count = 0;

  /** A new connection to the sample database, which you added, so admin by default. */
  const addShop = async () => {
    const name = `Roles shop ${++count}`;
    return { id: await api.addDatasource({ type: 'sqlite', name, config: { path: sampleDatabase() } }), name };
  };
  const info = (id: string) => data.listDatasources().find((d) => d.id === id);

  before(async () => {
    api = await nocoflo();
    const door = api.data?.({ extensionId: 'nocoflo-tests.nocoflo-test-plugin' });
    assert.ok(door);
    data = door;
  });

  afterEach(closeAllTabs);

  it('Set Role… on a connection offers the roles, opens on its default, and sets and clears the role', async () => {
    const { id, name } = await addShop();
    const done = vscode.commands.executeCommand('nocoflo.setRole', datasourceNode(id, name));
    const offer = await openPick();
    assert.equal(offer.title, `Set Role for "${name}"`);
    assert.equal(offer.placeholder, 'Your role is admin');
    assert.deepEqual(offer.items.map((i) => [i.label, i.description]), [
      ['viewer', 'read only'],
      ['editor', 'insert and update rows'],
      ['admin', 'also delete rows, manage the connection and plugins · current'],
      ["Use the connection's default role", 'admin · current'],
    ]);
    assert.equal(offer.active, "Use the connection's default role");
    await choose('viewer');
    await done;
    assert.equal(info(id)?.role, 'viewer');
    assert.equal((await treeItem(`ds:${id}`)).description, 'viewer · SQLite');

    const again = vscode.commands.executeCommand('nocoflo.setRole', datasourceNode(id, name));
    assert.equal((await openPick()).active, 'viewer', 'the picker opens on the stored role');
    await choose("Use the connection's default role");
    await again;
    assert.equal(info(id)?.role, 'admin');
  });

  it("Set Role… on a table sets that table's role alone, shown on its row", async () => {
    const { id, name } = await addShop();
    const done = vscode.commands.executeCommand('nocoflo.setRole', tableNode(id, 'products'));
    const offer = await openPick();
    assert.equal(offer.title, `Set Role for "products" on "${name}"`);
    assert.deepEqual(offer.items[3], { label: "Use the connection's role", description: 'admin · current', detail: '' });
    await choose('viewer');
    await done;
    await treeItems();
    const tables = await treeItems(`ds:${id}`);
    assert.match(tables.find((t) => t.label === 'products')?.description ?? '', /viewer \(table role\)$/);
    assert.doesNotMatch(tables.find((t) => t.label === 'customers')?.description ?? '', /table role/);
    assert.equal(info(id)?.role, 'admin', "the connection's role is unchanged");
  });

  it('Mark as Production makes the connection a viewer; raising it again must be confirmed, and unanswered nothing changes', async () => {
    const { id, name } = await addShop();
    await vscode.commands.executeCommand('nocoflo.markProduction', datasourceNode(id, name));
    assert.deepEqual([info(id)?.production, info(id)?.role], [true, 'viewer']);
    assert.equal((await treeItem(`ds:${id}`)).contextValue, 'nocoflo.datasource.production');

    const raise = vscode.commands.executeCommand('nocoflo.setRole', datasourceNode(id, name));
    const offer = await openPick();
    assert.equal(offer.title, `Set Role for "${name}" (production)`);
    await choose('editor');
    await raise;
    assert.equal(info(id)?.role, 'viewer', 'a raise on production is not applied without its confirmation');

    await vscode.commands.executeCommand('nocoflo.unmarkProduction', datasourceNode(id, name));
    assert.deepEqual([info(id)?.production, info(id)?.role], [true, 'viewer'], 'unmarking is a raise too, and was not confirmed');
  });

  it('lowering a role on production needs no confirmation', async () => {
    const { id, name } = await addShop();
    await vscode.commands.executeCommand('nocoflo.markProduction', datasourceNode(id, name));
    const done = vscode.commands.executeCommand('nocoflo.setRole', tableNode(id, 'orders'));
    await choose('viewer');
    await done;
    await treeItems();
    assert.match((await treeItem(`table:${id}::orders`, `ds:${id}`)).description, /viewer \(table role\)$/);
  });

  it('without a tree node, Mark as Production asks which connection', async () => {
    const { id, name } = await addShop();
    const done = vscode.commands.executeCommand('nocoflo.markProduction');
    const offer = await openPick();
    assert.equal(offer.title, 'Mark as Production');
    assert.ok(offer.items.some((i) => i.label === name && i.description === ''), JSON.stringify(offer.items));
    await choose(name);
    await done;
    assert.equal(info(id)?.production, true);
  });

  it('a connection declared by the workspace keeps its mark in settings: Mark as Production leaves it alone', async () => {
    await vscode.workspace.getConfiguration('nocoflo').update('connections', [{ name: 'Declared shop', type: 'sqlite', config: { path: sampleDatabase() } }], vscode.ConfigurationTarget.Workspace);
    try {
      const id = 'workspace:Declared shop';
      await waitFor('the declared connection appears', () => info(id), (d) => d !== undefined);
      // The command waits on a notification pointing to the settings; dismissing it lets the command finish.
      let finished = false;
      const done = Promise.resolve(vscode.commands.executeCommand('nocoflo.markProduction', datasourceNode(id, 'Declared shop'))).then(() => (finished = true));
      await waitFor('the command finishes once its notification is dismissed', () => vscode.commands.executeCommand('notifications.clearAll').then(() => finished), (f) => f);
      await done;
      assert.deepEqual([info(id)?.production, info(id)?.role], [false, 'editor']);
    } finally {
      await vscode.workspace.getConfiguration('nocoflo').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("a role change starts the connection's open tabs again with the new role", async () => {
    const { id, name } = await addShop();
    const customers = { datasourceId: id, name: 'customers' };
    await api.openTable(customers, 'nocoflo.table');
    const [before] = await waitFor('the grid starts', () => tabsOf(customers), (tabs) => tabs[0]?.started === true, 90_000);
    assert.equal(before.readOnlyReason, undefined);
    await vscode.commands.executeCommand('nocoflo.markProduction', datasourceNode(id, name));
    const [after] = await waitFor('the grid starts again read-only', () => tabsOf(customers), (tabs) => tabs[0]?.started === true && tabs[0].readOnlyReason !== undefined, 90_000);
    assert.match(after.readOnlyReason ?? '', new RegExp(`viewer on "${name}" \\(production connection\\)`));
  });
});
