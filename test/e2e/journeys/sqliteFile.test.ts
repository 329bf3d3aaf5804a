// A SQLite file from the Explorer, as a user meets it in a real VS Code: clicking Chinook_Sqlite.sqlite opens
// Nocoflo's overview of it (not VS Code's "binary file" notice), the file joins the sidebar as an opened file, a
// table opens from the overview and an edit saved there is in the file; a change by another program is noticed,
// and the file leaves the sidebar when its editors close unless the user keeps it.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { journeyCleanup, sqlite } from '../../support/journeys';
import { Workbench } from '../../support/workbench';

describe('journey: a SQLite file opened from the Explorer', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let db: string;
  let view: FrameLocator;

  const overviewTab = () => workbench.page.locator('.tab', { hasText: 'Chinook_Sqlite.sqlite' });
  const card = (table: string) => view.locator(`.overview-table[data-table="${table}"]`);

  async function openFromExplorer(): Promise<void> {
    // Clicked before VS Code has read the extensions' contributions, a file opens in the text editor (VS Code's own
    // start-up, as for any custom editor): Nocoflo's activity bar entry says they are read.
    await workbench.page.locator('.activitybar .action-item a[aria-label^="Nocoflo"]').waitFor({ timeout: 60_000 });
    await workbench.runCommand('View: Show Explorer');
    await workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'Chinook_Sqlite.sqlite' }).click();
    await overviewTab().waitFor();
    view = workbench.webview();
  }

  before(async function () {
    const workspace = mkdtempSync(path.join(tmpdir(), 'nocoflo-file-'));
    db = path.join(workspace, 'Chinook_Sqlite.sqlite');
    copyFileSync(path.join(repoRoot(), 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite'), db);
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')] });
    workbench = await Workbench.open(server);
  });

  journeyCleanup('sqliteFile', () => ({ workbench, server }));

  it('opens the file in an overview of its tables, counts and keys, and it joins the sidebar as an opened file', async () => {
    await openFromExplorer();
    await card('Invoice').locator('.table-rows', { hasText: '412 rows' }).waitFor({ timeout: 60_000 });
    await card('Track').locator('.table-rows', { hasText: '3,503 rows' }).waitFor();
    await card('Invoice').locator('.column', { hasText: 'CustomerId' }).locator('.column-ref', { hasText: '→ Customer(CustomerId)' }).waitFor();
    await card('Invoice').locator('.column', { hasText: 'InvoiceId' }).locator('.marker.pk').waitFor();
    assert.equal(await view.locator('.overview-table').count(), 11);
    await workbench.screenshot('sqlite-file-overview');
    await workbench.openNocofloSidebar();
    await workbench.treeItem('Chinook_Sqlite').locator('.label-description', { hasText: 'opened file' }).waitFor();
  });

  it('opens Invoice from the overview, and an edit saved with Ctrl+S is in the file', async () => {
    await card('Invoice').locator('.table-name').click();
    await workbench.page.locator('.tab', { hasText: 'Invoice — Chinook_Sqlite (Table)' }).waitFor({ timeout: 60_000 });
    view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    const city = (await view.locator('.header-cell .header-label').allTextContents()).indexOf('BillingCity');
    // Row 1 is InvoiceId 1 (the key's order): a file the user opened is theirs, so it is editable (admin).
    await view.locator('.grid-row[aria-rowindex="2"] .cell').nth(city).dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.fill('Trondheim');
    await editor.press('Enter');
    await workbench.page.locator('.tab', { hasText: '● Invoice — Chinook_Sqlite' }).waitFor();
    await workbench.page.keyboard.press('Control+s');
    await workbench.page.locator('.tab', { hasText: /^Invoice — Chinook_Sqlite/ }).filter({ hasNotText: '●' }).waitFor();
    assert.deepEqual(sqlite(db, 'select BillingCity from Invoice where InvoiceId = 1'), [['Trondheim']]);
  });

  it('notices another program\'s change to the file: the overview counts again', async () => {
    await overviewTab().click();
    view = workbench.webview();
    await card('Genre').locator('.table-rows', { hasText: '25 rows' }).waitFor({ timeout: 60_000 });
    sqlite(db, "insert into Genre (GenreId, Name) values (26, 'Sea Shanty')");
    await card('Genre').locator('.table-rows', { hasText: '26 rows' }).waitFor({ timeout: 60_000 });
  });

  it('leaves the sidebar when its editors close, and stays once kept', async () => {
    await workbench.runCommand('View: Close All Editors');
    await overviewTab().waitFor({ state: 'detached' });
    await workbench.openNocofloSidebar();
    await workbench.treeItem('Chinook_Sqlite').waitFor({ state: 'detached' });
    await openFromExplorer();
    await view.locator('vscode-button', { hasText: 'Keep in Sidebar' }).click();
    await view.locator('.overview-kept', { hasText: 'In the Nocoflo sidebar' }).waitFor();
    await workbench.runCommand('View: Close All Editors');
    await overviewTab().waitFor({ state: 'detached' });
    await workbench.openNocofloSidebar();
    const kept = workbench.treeItem('Chinook_Sqlite');
    await kept.waitFor();
    assert.doesNotMatch((await kept.locator('.label-description').textContent()) ?? '', /opened file/);
    // Opening the file again uses the kept connection (one entry, no "opened file" twin).
    await openFromExplorer();
    await view.locator('.overview-kept').waitFor({ timeout: 60_000 });
    await workbench.openNocofloSidebar();
    assert.equal(await workbench.page.locator('.pane-body .monaco-list-row .label-name', { hasText: /^Chinook_Sqlite$/ }).count(), 1);
  });
});
