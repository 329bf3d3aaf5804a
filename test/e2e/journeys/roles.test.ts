// Roles as a user meets them in a real VS Code: a SQLite file you add is yours (admin), and Set Role… opens on the
// role that applies; set to viewer (Set Role…), the grid
// and the form say why they are read-only and no edit gets in; as editor, Delete is unavailable with its reason
// while editing works; as admin, a delete is saved after the host's confirmation. Marked as production, lowering
// the role is free and raising it asks for a modal confirmation naming the connection.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { confirmDeletion, setConnectionRole } from '../../support/roles';
import { Workbench } from '../../support/workbench';
import { addDatasourceByUrl, journeyCleanup, sqlite } from '../../support/journeys';

describe('journey: roles per connection', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let db: string;
  let view: FrameLocator;

  const description = (text: RegExp) => workbench.treeItem('Shop').locator('.label-description', { hasText: text });
  const tab = (title: RegExp) => workbench.page.locator('.tab', { hasText: title });
  const firstCell = (column: number) => view.locator('.grid-row[aria-rowindex="2"] .cell').nth(column);

  before(async function () {
    const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-roles-')));
    db = path.join(workspace, 'shop.sqlite');
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')] });
    workbench = await Workbench.open(server);
  });

  journeyCleanup('roles', () => ({ workbench, server }));

  it('shows a SQLite file you added as admin in the tree, and Set Role… opens on the role that applies', async () => {
    await addDatasourceByUrl(workbench, db, 'Shop');
    await description(/^admin · SQLite$/).waitFor();
    await workbench.runCommand('Nocoflo: Set Role…');
    await workbench.answerQuickInput('Shop', 'Set Role');
    const picker = workbench.page.locator('.quick-input-widget');
    await picker.locator('.quick-input-title', { hasText: 'Set Role for "Shop"' }).waitFor();
    // Nothing is stored, so the default applies: that row is the highlighted one, and it says which role it is.
    await picker.locator('.monaco-list-row.focused', { hasText: "Use the connection's default role" }).filter({ hasText: 'admin · current' }).waitFor();
    await workbench.page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden' });
  });

  it('as viewer: the grid says why it is read-only and no edit gets in', async () => {
    await setConnectionRole(workbench, 'Shop', 'viewer');
    await description(/^viewer · SQLite$/).waitFor();
    await workbench.treeItem('Shop').click();
    await workbench.treeItem('customers').click();
    await tab(/^customers — Shop/).waitFor();
    view = workbench.webview();
    const reason = 'You are a viewer on "Shop": rows cannot be changed here. You can change your role with Nocoflo: Set Role…';
    await view.locator('.readonly-banner', { hasText: reason }).waitFor({ timeout: 60_000 });
    await firstCell(1).waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('vscode-button', { hasText: 'Insert' }).isVisible(), false, 'editing buttons are hidden');
    const before = sqlite(db, 'select name from customers where id = 1');
    // Typing into a cell starts an edit anywhere else; here the grid says why not.
    await firstCell(1).click();
    await workbench.page.keyboard.type('x');
    await view.locator('.message-strip.info', { hasText: reason }).waitFor();
    assert.equal(await view.locator('.cell-editor .editor-field input').count(), 0, 'no editor opened');
    await workbench.page.keyboard.press('F2');
    assert.equal(await view.locator('.cell-editor .editor-field input').count(), 0, 'no editor opened');
    assert.equal(await view.locator('.cell.dirty').count(), 0);
    assert.deepEqual(sqlite(db, 'select name from customers where id = 1'), before);
    await workbench.screenshot('roles-viewer-grid');
  });

  it('as viewer: the form says why too', async () => {
    await workbench.treeContextMenu('customers', /^Open as/);
    await workbench.answerQuickInput('Form', 'Open table as…');
    const form = workbench.webview();
    await form.locator('.form-app').waitFor({ timeout: 60_000 });
    await form.locator('.readonly-banner', { hasText: 'You are a viewer on "Shop"' }).waitFor({ timeout: 60_000 });
    // Back to the grid tab for the next steps; the form tab is closed so later role changes restart one view.
    const formTab = workbench.page.locator('.tab.active', { hasText: /^customers — Shop/ });
    await formTab.hover();
    await formTab.locator('.codicon-close').click();
    for (let tries = 0; (await tab(/^customers — Shop/).count()) !== 1; tries++) {
      assert.ok(tries < 100, 'the form tab did not close');
      await workbench.page.waitForTimeout(100);
    }
    await tab(/^customers — Shop/).click();
    view = workbench.webview();
    // The webview takes the focus once it is shown again; let it, before the palette opens.
    await firstCell(1).waitFor({ timeout: 60_000 });
    await firstCell(1).click();
  });

  it('as editor: Delete is unavailable with its reason, editing is saved', async () => {
    await setConnectionRole(workbench, 'Shop', 'editor');
    await description(/^editor · SQLite$/).waitFor();
    // The open tab starts again with the new role: no banner, an enabled Insert, a disabled Delete that says why.
    await view.locator('vscode-button', { hasText: 'Insert' }).waitFor({ timeout: 60_000 });
    await firstCell(1).waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('.readonly-banner').isVisible(), false);
    const del = view.locator('vscode-button', { hasText: 'Delete' });
    const reason = 'You are an editor on "Shop": editors can insert and update rows but not delete them. You can change your role with Nocoflo: Set Role…';
    assert.equal(await del.getAttribute('title'), reason);
    assert.equal(await del.getAttribute('disabled'), '');
    await firstCell(1).click();
    await workbench.page.keyboard.press('Delete');
    await view.locator('.message-strip.info', { hasText: reason }).waitFor();
    assert.equal(await view.locator('.grid-row.deleted').count(), 0);

    assert.equal((await view.locator('.header-cell .header-label').allTextContents())[2], 'email');
    await firstCell(2).dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.waitFor();
    await editor.fill('editor@example.org');
    await editor.press('Enter');
    await tab(/^● customers — Shop/).waitFor();
    await workbench.page.keyboard.press('Control+s');
    await tab(/^customers — Shop/).filter({ hasNotText: '●' }).waitFor();
    assert.deepEqual(sqlite(db, 'select email from customers where id = 1'), [['editor@example.org']]);
    await workbench.screenshot('roles-editor-delete-unavailable');
  });

  it('as admin: a delete is saved after the confirmation', async () => {
    await setConnectionRole(workbench, 'Shop', 'admin');
    await description(/^admin · SQLite$/).waitFor();
    const del = view.locator('vscode-button:not([disabled])', { hasText: 'Delete' });
    await del.waitFor({ timeout: 60_000 });
    await firstCell(1).waitFor({ timeout: 60_000 });
    const id = Number(await firstCell(0).textContent());
    // The file enforces its foreign keys: another program first removes what refers to this customer.
    sqlite(db, 'delete from order_items where order_id in (select id from orders where customer_id = ?)', id);
    sqlite(db, 'delete from orders where customer_id = ?', id);
    sqlite(db, 'delete from events where customer_id = ?', id);
    await firstCell(1).click();
    await del.click();
    await view.locator('.grid-row.deleted').waitFor();
    await workbench.page.keyboard.press('Control+s');
    await confirmDeletion(workbench, 'Delete 1 row from "customers" on "Shop"?');
    await tab(/^customers — Shop/).filter({ hasNotText: '●' }).waitFor();
    assert.deepEqual(sqlite(db, `select count(*) from customers where id = ${id}`), [[0]]);
  });

  it('on production: lowering is free, raising asks for a confirmation naming the connection', async () => {
    await workbench.runCommand('Nocoflo: Mark as Production');
    await workbench.answerQuickInput('Shop', 'Mark as Production');
    // An explicit role stays; the production default applies once it is removed (a lowering: no question).
    await description(/^admin · production · SQLite$/).waitFor();
    await workbench.runCommand('Nocoflo: Set Role…');
    await workbench.answerQuickInput('Shop', 'Set Role');
    await workbench.answerQuickInput("default role", 'Set Role for "Shop" (production)');
    await description(/^viewer · production · SQLite$/).waitFor();
    await view.locator('.readonly-banner', { hasText: 'You are a viewer on "Shop" (production connection)' }).waitFor({ timeout: 60_000 });
    // The restarted grid takes the focus when it is ready; only then open the palette.
    await firstCell(1).waitFor({ timeout: 60_000 });
    await firstCell(1).click();

    await workbench.runCommand('Nocoflo: Set Role…');
    await workbench.answerQuickInput('Shop', 'Set Role');
    await workbench.answerQuickInput('editor', 'Set Role for "Shop" (production)');
    const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: 'Give yourself the editor role on the production connection "Shop"?' });
    await dialog.waitFor();
    await workbench.screenshot('roles-raise-production');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await description(/^viewer · production · SQLite$/).waitFor();

    await setConnectionRole(workbench, 'Shop', 'editor');
    await dialog.locator('.monaco-button', { hasText: 'Raise Role' }).click();
    await description(/^editor · production · SQLite$/).waitFor();
  });

  it("a table's own role (Set Role… in its context menu) wins over the connection's", async () => {
    await workbench.treeContextMenu('orders', /^Set Role/);
    await workbench.answerQuickInput('viewer', 'Set Role for "orders" on "Shop" (production)');
    await description(/^editor · production · SQLite$/).waitFor();
    // The role change redraws the tree and counts its tables again; each count redraws its row when it arrives. A
    // click on a row being redrawn selects it without opening it, so click once the row shows its count and role.
    await workbench.treeItem('orders').locator('.label-description', { hasText: /rows? · viewer \(table role\)$/ }).waitFor();
    await workbench.treeItem('orders').click();
    await tab(/^orders — Shop/).waitFor();
    const orders = workbench.webview();
    await orders.locator('.readonly-banner', { hasText: 'You are a viewer of "orders" on "Shop" (set for this table, production connection)' }).waitFor({ timeout: 60_000 });
  });
});
