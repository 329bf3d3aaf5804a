// The table view as a user meets it, in a real VS Code: open a table from the sidebar, sort, search, edit a cell
// and save with Ctrl+S (checked on disk by another program), insert and delete rows, meet a conflict when another
// program changed the row, see why a table without a primary key is read-only, and get the tab back after a reload.
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

describe('journey: a table in an editor tab', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let workspace: string;
  let db: string;
  let view: FrameLocator;

  const cell = (row: number, column: string) =>
    view.locator(`.grid-row[aria-rowindex="${row + 2}"] .cell`).nth(columnIndex.get(column)!);
  const columnIndex = new Map<string, number>();
  const statusCount = () => view.locator('.status-count');
  /** The row of customer `id`, found by its generated e-mail address (which embeds the id), wherever it is shown. */
  const customer = (id: number) => view.locator('.grid-row').filter({ has: view.locator('.cell', { hasText: new RegExp(`\\.${id}@`) }) });
  const customerCell = (id: number, column: string) => customer(id).locator('.cell').nth(columnIndex.get(column)!);

  before(async function () {
    workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-table-')));
    db = path.join(workspace, 'shop.sqlite');
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')] });
    workbench = await Workbench.open(server);
  });

  journeyCleanup('table', () => ({ workbench, server }));

  it('opens a table from the sidebar in a tab titled "table — datasource", with its rows', async () => {
    await addDatasourceByUrl(workbench, db, 'Shop');
    await workbench.treeItem('Shop').click();
    await workbench.treeItem('customers').click();
    await workbench.page.locator('.tab', { hasText: 'customers — Shop' }).waitFor();
    view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    const headers = await view.locator('.header-cell .header-label').allTextContents();
    headers.forEach((name, i) => columnIndex.set(name, i));
    assert.deepEqual(headers.slice(0, 3), ['id', 'name', 'email']);
    await statusCount().filter({ hasText: '500 rows' }).waitFor();
    assert.equal(await cell(0, 'id').textContent(), '1');
    assert.equal(await cell(0, 'name').textContent(), sqlite(db, 'select name from customers where id = 1')[0][0]);
    // Opening it again focuses the same tab instead of opening a second one.
    await workbench.treeItem('customers').click();
    assert.equal(await workbench.page.locator('.tab', { hasText: 'customers — Shop' }).count(), 1);
  });

  it('sizes columns to their headers and first values, gives spare room to cut values, and keeps a width the user dragged', async () => {
    // Every header reads in full, and no value in view is cut while the grid has room to the right of its columns.
    const layout = () =>
      view.locator('.grid').evaluate((grid) => {
        const cut = Array.from(grid.querySelectorAll<HTMLElement>('.header-label, .header-type, .grid-row .cell')).filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent);
        const headers = Array.from(grid.querySelectorAll<HTMLElement>('.header-cell'));
        const right = Math.max(...headers.map((h) => h.getBoundingClientRect().right));
        const widths = Object.fromEntries(headers.map((h) => [h.querySelector('.header-label')!.textContent!, Math.round(h.getBoundingClientRect().width)]));
        return { cut, room: grid.getBoundingClientRect().right - right, widths };
      });
    const settled = async (why: string) => {
      for (let frames = 0; ; frames++) {
        const now = await layout();
        if (!now.cut.some((t) => t === 'id' || t === 'name' || t === 'email') && (now.cut.length === 0 || now.room < 20)) return now;
        assert.ok(frames < 50, `${why}: cut ${JSON.stringify(now.cut.slice(0, 5))} with ${now.room}px of room`);
        await workbench.page.waitForTimeout(100);
      }
    };
    const before = await settled('after opening');
    const header = view.locator('.header-cell', { has: view.locator('.header-label', { hasText: /^email$/ }) });
    const handle = (await header.locator('.resize-handle').boundingBox())!;
    await workbench.page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await workbench.page.mouse.down();
    await workbench.page.mouse.move(handle.x + handle.width / 2 + 100, handle.y + handle.height / 2, { steps: 5 });
    await workbench.page.mouse.up();
    let dragged = (await layout()).widths;
    for (let frames = 0; dragged.email === before.widths.email; frames++) {
      assert.ok(frames < 50, 'the drag did not change the width');
      await workbench.page.waitForTimeout(100);
      dragged = (await layout()).widths;
    }
    assert.equal(dragged.email, before.widths.email + 100);
    assert.equal(dragged.id, before.widths.id, 'dragging one column leaves the others alone');
    // A narrower editor shares its room out again, but the dragged width stays.
    await workbench.runCommand('View: Toggle Primary Side Bar Visibility');
    await settled('with the side bar hidden');
    assert.equal((await layout()).widths.email, before.widths.email + 100);
    await workbench.runCommand('View: Toggle Primary Side Bar Visibility');
    await workbench.treeItem('customers').waitFor();
    await workbench.screenshot('table-column-widths');
  });

  it('sorts in the database by a header click (descending on the second click)', async () => {
    const nameHeader = view.locator('.header-cell', { has: view.locator('.header-label', { hasText: /^name$/ }) });
    await nameHeader.click();
    await nameHeader.click();
    await view.locator('.header-cell[aria-sort="descending"]').waitFor();
    const [expected] = sqlite(db, 'select name from customers order by name desc, id asc limit 1')[0] as string[];
    await view.locator(`.grid-row[aria-rowindex="2"] .cell`, { hasText: expected }).first().waitFor();
  });

  it('searches text columns in the database', async () => {
    const search = view.locator('.quick-search input');
    await search.fill('lovelace');
    const [[count]] = sqlite(db, "select count(*) from customers where name like '%lovelace%' or email like '%lovelace%' or country like '%lovelace%' or notes like '%lovelace%'") as number[][];
    await statusCount().filter({ hasText: `${count} rows` }).waitFor();
    await search.fill('');
    await statusCount().filter({ hasText: '500 rows' }).waitFor();
  });

  it('edits a cell, marks it dirty, and Ctrl+S writes it to the file', async () => {
    // Back to id order so row 0 is id 1.
    const idHeader = view.locator('.header-cell', { has: view.locator('.header-label', { hasText: /^id$/ }) });
    await idHeader.click();
    await view.locator('.header-cell[aria-sort="ascending"]').waitFor();
    await cell(0, 'id').filter({ hasText: /^1$/ }).waitFor();
    await cell(0, 'email').dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.waitFor();
    await editor.fill('ada@example.org');
    await editor.press('Enter');
    await view.locator('.cell.dirty').first().waitFor();
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor();
    await cell(0, 'name').click();
    // Preview SQL shows the statement exactly as it will run, with the value bound, not pasted in.
    await view.locator('vscode-button', { hasText: 'Preview' }).click();
    const preview = view.locator('.dialog .sql-preview');
    await preview.filter({ hasText: 'UPDATE "customers" SET "email" = ? WHERE "id" = ?' }).waitFor();
    assert.match((await preview.textContent()) ?? '', /bound: \[1\] 'ada@example\.org', \[2\] 1/);
    await workbench.screenshot('table-preview-sql');
    await view.locator('.dialog vscode-button', { hasText: 'Close' }).click();
    await workbench.page.keyboard.press('Control+s');
    await workbench.page.locator('.tab', { hasText: /^customers — Shop/ }).filter({ hasNotText: '●' }).waitFor();
    assert.equal(await view.locator('.cell.dirty').count(), 0);
    assert.deepEqual(sqlite(db, 'select email from customers where id = 1'), [['ada@example.org']]);
  });

  it('inserts a row and deletes another in one save', async () => {
    const [[before]] = sqlite(db, 'select count(*) from customers') as number[][];
    // Set explicitly (a file you add is admin by default); the tab starts again with the role.
    await setConnectionRole(workbench, 'Shop', 'admin');
    await workbench.treeItem('Shop').locator('.label-description', { hasText: /^admin/ }).waitFor();
    await customerCell(2, 'name').waitFor({ timeout: 60_000 });
    await view.locator('vscode-button', { hasText: 'Insert' }).click();
    const inserted = view.locator('.grid-row.inserted');
    await inserted.waitFor();
    await inserted.locator('.cell').nth(columnIndex.get('name')!).dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.fill('Grace Inserted');
    await editor.press('Enter');
    await customerCell(2, 'name').click();
    await view.locator('vscode-button', { hasText: 'Delete' }).click();
    await view.locator('.grid-row.deleted').waitFor();
    // Customer 2 has orders and events: the file's foreign keys refuse the delete, the strip names the rows that
    // refer to it, and nothing of the save is applied (not even the insert before it).
    const [[orders]] = sqlite(db, 'select count(*) from orders where customer_id = 2') as number[][];
    const [[events]] = sqlite(db, 'select count(*) from events where customer_id = 2') as number[][];
    await workbench.page.keyboard.press('Control+s');
    await confirmDeletion(workbench, 'Delete 1 row from "customers" on "Shop"?');
    const refusal = `FOREIGN KEY constraint failed: ${orders} row${orders === 1 ? '' : 's'} of "orders" (customer_id) and ${events} row${events === 1 ? '' : 's'} of "events" (customer_id) still refer to this row. Nothing was saved.`;
    await view.locator('.message-strip', { hasText: refusal }).waitFor();
    assert.deepEqual(sqlite(db, "select count(*) from customers where name = 'Grace Inserted'"), [[0]]);
    assert.deepEqual(sqlite(db, 'select count(*) from customers'), [[before]]);
    // Another program removes what refers to the customer; the same save goes through.
    sqlite(db, 'delete from order_items where order_id in (select id from orders where customer_id = 2)');
    sqlite(db, 'delete from orders where customer_id = 2');
    sqlite(db, 'delete from events where customer_id = 2');
    // Saved from the toolbar this time (Ctrl+S was pressed above): after the refusal the focus may sit on the strip.
    await view.locator('vscode-button:not([disabled])', { hasText: /^Save/ }).click();
    await confirmDeletion(workbench, 'Delete 1 row from "customers" on "Shop"?');
    await workbench.page.locator('.tab', { hasText: /^customers — Shop/ }).filter({ hasNotText: '●' }).waitFor();
    assert.deepEqual(sqlite(db, "select count(*) from customers where name = 'Grace Inserted'"), [[1]]);
    assert.deepEqual(sqlite(db, 'select count(*) from customers where id = 2'), [[0]]);
    assert.deepEqual(sqlite(db, 'select count(*) from customers'), [[before]]);
  });

  it('updates the sidebar\'s row count after a save that inserts, and after one that deletes', async () => {
    const [[count]] = sqlite(db, 'select count(*) from customers') as number[][];
    const treeCount = (n: number) => workbench.treeItem('customers').locator('.label-description', { hasText: new RegExp(`(^|· )${n.toLocaleString('en-US')} rows`) });
    await treeCount(count).waitFor();
    await view.locator('vscode-button', { hasText: 'Insert' }).click();
    const inserted = view.locator('.grid-row.inserted');
    await inserted.locator('.cell').nth(columnIndex.get('name')!).dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.fill('Counted Once');
    await editor.press('Enter');
    await view.locator('vscode-button:not([disabled])', { hasText: /^Save/ }).click();
    await treeCount(count + 1).waitFor();
    const [[id]] = sqlite(db, "select id from customers where name = 'Counted Once'") as number[][];
    await view.locator('.quick-search input').fill('Counted Once');
    await statusCount().filter({ hasText: /^1 rows?$/ }).waitFor();
    await view.locator('.grid-row[aria-rowindex="2"] .cell').first().click();
    await view.locator('vscode-button', { hasText: 'Delete' }).click();
    await view.locator('vscode-button:not([disabled])', { hasText: /^Save/ }).click();
    await confirmDeletion(workbench, 'Delete 1 row from "customers" on "Shop"?');
    await treeCount(count).waitFor();
    assert.deepEqual(sqlite(db, 'select count(*) from customers where id = ?', id), [[0]]);
    await view.locator('.quick-search input').fill('');
    await statusCount().filter({ hasText: `${count.toLocaleString('en-US')} rows` }).waitFor();
  });

  it('shows a conflict with both values when another program changed the row, and reloading takes theirs', async () => {
    sqlite(db, "update customers set country = 'XX' where id = 3");
    await customerCell(3, 'country').dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.fill('YY');
    await editor.press('Enter');
    await workbench.page.keyboard.press('Control+s');
    const dialog = view.locator('.dialog', { hasText: 'Conflict' });
    await dialog.waitFor();
    await dialog.locator('td.theirs', { hasText: 'XX' }).waitFor();
    await dialog.locator('td.mine', { hasText: 'YY' }).waitFor();
    await workbench.screenshot('table-conflict');
    await dialog.locator('vscode-button', { hasText: 'Reload row' }).click();
    await customerCell(3, 'country').filter({ hasText: 'XX' }).waitFor();
    assert.deepEqual(sqlite(db, 'select country from customers where id = 3'), [['XX']]);
  });

  it('opens a table without a primary key read-only, with the reason', async () => {
    await workbench.treeItem('audit_log_import').click();
    await workbench.page.locator('.tab', { hasText: 'audit_log_import — Shop' }).waitFor();
    view = workbench.webview();
    await view.locator('.readonly-banner', { hasText: 'no primary key' }).waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('vscode-button', { hasText: 'Insert' }).isVisible(), false);
    await workbench.screenshot('table-read-only');
  });

  it('brings the tabs back after a window reload, with their sort', async () => {
    await workbench.page.locator('.tab', { hasText: 'customers — Shop' }).click();
    view = workbench.webview();
    await view.locator('.header-cell[aria-sort="ascending"]').waitFor();
    await workbench.reload();
    await workbench.page.locator('.tab', { hasText: 'customers — Shop' }).waitFor({ timeout: 60_000 });
    await workbench.page.locator('.tab', { hasText: 'audit_log_import — Shop' }).waitFor({ timeout: 60_000 });
    await workbench.page.locator('.tab', { hasText: 'customers — Shop' }).click();
    view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    await view.locator('.header-cell[aria-sort="ascending"]', { hasText: 'id' }).waitFor();
    await workbench.screenshot('table-after-reload');
  });
  it('asks about unsaved edits when a dirty tab is closed, and Save writes them', async () => {
    const tab = workbench.page.locator('.tab', { hasText: 'customers — Shop' });
    await tab.click();
    view = workbench.webview();
    await customerCell(4, 'country').dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.fill('ZZ');
    await editor.press('Enter');
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor();
    await tab.hover();
    await tab.locator('.codicon-close').click();
    const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: 'was closed with 1 unsaved change' });
    await dialog.waitFor();
    await workbench.screenshot('table-closed-dirty');
    await dialog.locator('.monaco-button', { hasText: /^Save$/ }).click();
    for (let tries = 0; sqlite(db, 'select country from customers where id = 4')[0][0] !== 'ZZ'; tries++) {
      assert.ok(tries < 50, 'the edit was not saved after closing');
      await workbench.page.waitForTimeout(100);
    }
  });

  it('asks the delete confirmation when a tab closed with a pending delete is saved; declining reopens it with the delete', async () => {
    // Another program removes what refers to customer 6, so only the confirmation stands between it and the delete.
    sqlite(db, 'delete from order_items where order_id in (select id from orders where customer_id = 6)');
    sqlite(db, 'delete from orders where customer_id = 6');
    sqlite(db, 'delete from events where customer_id = 6');
    // The window reload before this step left the datasource collapsed.
    await workbench.expandTreeItem('Shop');
    await workbench.treeItem('customers').click();
    const tab = workbench.page.locator('.tab', { hasText: 'customers — Shop' });
    await tab.waitFor();
    view = workbench.webview();
    await customerCell(6, 'name').click();
    await view.locator('vscode-button:not([disabled])', { hasText: 'Delete' }).click();
    await view.locator('.grid-row.deleted').waitFor();
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor();
    await tab.hover();
    await tab.locator('.codicon-close').click();
    const closed = workbench.page.locator('.monaco-dialog-box', { hasText: 'was closed with 1 unsaved change' });
    await closed.locator('.monaco-button', { hasText: /^Save$/ }).click();
    const confirmation = workbench.page.locator('.monaco-dialog-box', { hasText: 'Delete 1 row from "customers" on "Shop"?' });
    await confirmation.locator('.monaco-button', { hasText: 'Cancel' }).click();
    // Declined: the tab comes back with the delete still pending, and the database still has the row.
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor({ timeout: 60_000 });
    view = workbench.webview();
    await view.locator('.grid-row.deleted').waitFor({ timeout: 60_000 });
    assert.deepEqual(sqlite(db, 'select count(*) from customers where id = 6'), [[1]]);
    await workbench.page.keyboard.press('Control+s');
    await confirmDeletion(workbench, 'Delete 1 row from "customers" on "Shop"?');
    await workbench.page.locator('.tab', { hasText: /^customers — Shop/ }).filter({ hasNotText: '●' }).waitFor();
    assert.deepEqual(sqlite(db, 'select count(*) from customers where id = 6'), [[0]]);
  });

  it('Ctrl+F puts the cursor in the quick search with its text selected, and leaves the filter bar closed', async () => {
    await customerCell(4, 'name').click();
    const search = view.locator('.quick-search');
    await search.locator('input').fill('lovelace');
    const [[count]] = sqlite(db, "select count(*) from customers where name like '%lovelace%' or email like '%lovelace%' or country like '%lovelace%' or notes like '%lovelace%'") as number[][];
    await statusCount().filter({ hasText: `${count} rows` }).waitFor();
    await view.locator('.grid-row[aria-rowindex="2"] .cell').first().click();
    await workbench.page.keyboard.press('Control+f');
    await view.locator('.quick-search:focus-within').waitFor();
    assert.equal(await view.locator('.filter-host').isHidden(), true, 'Ctrl+F does not open the filters');
    // The old text is selected, so typing replaces it.
    await workbench.page.keyboard.type('zzz-nobody');
    assert.equal(await search.locator('input').inputValue(), 'zzz-nobody');
    await view.locator('.grid-empty', { hasText: 'No rows match the filters.' }).waitFor();
    await workbench.page.keyboard.press('Escape');
    const [[all]] = sqlite(db, 'select count(*) from customers') as number[][];
    await statusCount().filter({ hasText: `${all} rows` }).waitFor();
  });

  it('lays the "saved" message over the header instead of pushing the rows down', async () => {
    const top = () => view.locator('.grid-header').evaluate((h) => h.getBoundingClientRect().top);
    const headerTop = await top();
    await customerCell(8, 'country').dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.fill('YY');
    await editor.press('Enter');
    await workbench.page.keyboard.press('Control+s');
    await view.locator('.message-strip.success.floating:not([hidden])').waitFor();
    assert.equal(await top(), headerTop, 'the header stays where it was while the message shows');
    assert.deepEqual(sqlite(db, 'select country from customers where id = 8'), [['YY']]);
  });

  it('filters an ENUM column by picking one of its values', async () => {
    await workbench.treeItem('orders').click();
    await workbench.page.locator('.tab', { hasText: 'orders — Shop' }).waitFor();
    view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    const statusIndex = (await view.locator('.header-cell .header-label').allTextContents()).indexOf('status');
    await view.locator('.grid-row[aria-rowindex="2"] .cell').nth(statusIndex).click();
    await view.locator('vscode-toolbar-button[icon="filter"]').click();
    const row = view.locator('.filter-row', { has: view.locator('.filter-column', { hasText: 'status' }) });
    // "=" first, and the operand is a list of the CHECK's values rather than a text field.
    await row.locator('.filter-op').filter({ hasText: '=' }).waitFor();
    const operand = row.locator('vscode-single-select.filter-value');
    await operand.click();
    for (const value of ['new', 'paid', 'shipped', 'cancelled']) await row.getByRole('option', { name: value, exact: true }).waitFor();
    await row.getByRole('option', { name: 'shipped', exact: true }).click();
    const [[shipped]] = sqlite(db, "select count(*) from orders where status = 'shipped'") as number[][];
    await statusCount().filter({ hasText: `${shipped.toLocaleString('en-US')} rows` }).waitFor();
    await workbench.screenshot('table-enum-filter');
  });
});
