// The audit log as a user meets it, in a real VS Code: an empty log that says so, edit a cell in the grid and save,
// open Nocoflo: Show Audit Log and find the change with its old and new values and the view that wrote it by name,
// filter (and clear the filters from an empty result), Undo it (the database file, read by Python's
// sqlite3, has the old value again), and see an undo refused with the reason after another program changed the
// row. The Audit Log webview runs under the strict CSP and must not trigger a single violation.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Frame, FrameLocator } from 'playwright-core';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { Workbench } from '../../support/workbench';
import { addDatasourceByUrl, journeyCleanup, sqlite } from '../../support/journeys';

describe('journey: the audit log and undo', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let workspace: string;
  let db: string;
  let oldEmail: string;
  let audit: FrameLocator;

  /** The Audit Log's document, for what only code inside it can see (securitypolicyviolation events). */
  async function auditFrame(): Promise<Frame> {
    for (let tries = 0; tries < 200; tries++) {
      for (const frame of workbench.page.frames()) {
        if (await frame.locator('.audit-filters').count().catch(() => 0)) return frame;
      }
      await workbench.page.waitForTimeout(100);
    }
    throw new Error('the Audit Log webview did not appear');
  }
  const entryOf = (key: string) => audit.locator('.audit-entry', { has: audit.locator('.entry-key', { hasText: key }) });

  before(async function () {
    workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-audit-')));
    db = path.join(workspace, 'shop.sqlite');
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')], settings: { 'nocoflo.userName': 'Ada Auditor' } });
    workbench = await Workbench.open(server);
  });

  journeyCleanup('audit', () => ({ workbench, server }));

  it('says the log is empty, not broken, before anything was saved', async () => {
    await workbench.runCommand('Nocoflo: Show Audit Log');
    const tab = workbench.page.locator('.tab', { hasText: 'Audit Log' });
    await tab.waitFor();
    audit = workbench.webview();
    await audit.locator('.audit-empty .audit-empty-title', { hasText: 'No changes recorded yet.' }).waitFor({ timeout: 60_000 });
    assert.match((await audit.locator('.audit-empty').textContent()) ?? '', /Every save made through Nocoflo appears here/);
    assert.equal(await audit.locator('.audit-clear-filters').count(), 0, 'no filters to clear');
    await tab.locator('.codicon-close').click();
    await tab.waitFor({ state: 'detached' });
  });

  it('saves an edit made in the grid', async () => {
    await addDatasourceByUrl(workbench, db, 'Shop');
    await workbench.treeItem('Shop').click();
    // The window's first connection starts the SQLite worker and reads the file: as patient as the first grid.
    await workbench.treeItem('customers').waitFor({ timeout: 60_000 });
    await workbench.treeItem('customers').click();
    await workbench.page.locator('.tab', { hasText: 'customers — Shop' }).waitFor();
    const grid = workbench.webview();
    await grid.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    const headers = await grid.locator('.header-cell .header-label').allTextContents();
    const email = headers.indexOf('email');
    const firstRow = grid.locator('.grid-row[aria-rowindex="2"] .cell');
    await firstRow.nth(headers.indexOf('id')).filter({ hasText: /^1$/ }).waitFor();
    oldEmail = sqlite(db, 'select email from customers where id = 1')[0]![0] as string;
    await firstRow.nth(email).dblclick();
    const editor = grid.locator('.cell-editor .editor-field input');
    await editor.waitFor();
    await editor.fill('audited@example.org');
    await editor.press('Enter');
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor();
    await workbench.page.keyboard.press('Control+s');
    await workbench.page.locator('.tab', { hasText: /^customers — Shop/ }).filter({ hasNotText: '●' }).waitFor();
    assert.deepEqual(sqlite(db, 'select email from customers where id = 1'), [['audited@example.org']]);
  });

  it('shows the change in the Audit Log with who, where, and old → new values', async () => {
    await workbench.runCommand('Nocoflo: Show Audit Log');
    await workbench.page.locator('.tab', { hasText: 'Audit Log' }).waitFor();
    const frame = await auditFrame();
    await frame.evaluate(() => {
      const w = window as unknown as { cspViolations: string[] };
      w.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    audit = workbench.webview();
    const entry = entryOf('id=1');
    await entry.waitFor({ timeout: 60_000 });
    const batch = audit.locator('.audit-batch', { has: entry });
    assert.equal(await batch.locator('.batch-user').textContent(), 'Ada Auditor');
    assert.equal(await batch.locator('.batch-where').textContent(), 'Shop › customers');
    // The view that wrote, by the name users know it by (its plugin's display name), never its internal id.
    assert.equal(await batch.locator('.batch-source').textContent(), 'Table');
    assert.ok(!((await audit.locator('.audit-list').textContent()) ?? '').includes('nocoflo.'), 'no internal id in the log');
    assert.equal(await entry.locator('.entry-op').textContent(), 'update');
    const values = entry.locator('.entry-values tr');
    assert.equal(await values.count(), 1, 'only the changed column');
    assert.equal(await values.locator('.value-column').textContent(), 'email');
    assert.equal(await values.locator('.value-old').textContent(), JSON.stringify(oldEmail));
    assert.equal(await values.locator('.value-new').textContent(), JSON.stringify('audited@example.org'));
    assert.equal(await audit.locator('.audit-range').textContent(), '1–1 of 1');
    await workbench.screenshot('audit-log-entry');
  });

  it('filters by table, says when nothing matches, and clears the filters from there', async () => {
    await audit.locator('.filter-table input').fill('orders');
    await audit.locator('.audit-empty .audit-empty-title', { hasText: 'No changes match these filters.' }).waitFor();
    await audit.locator('vscode-button.audit-clear-filters').click();
    await entryOf('id=1').waitFor();
    assert.equal(await audit.locator('.filter-table').evaluate((f) => (f as HTMLElement & { value: string }).value), '');
    assert.equal(await audit.locator('.audit-empty').count(), 0);
    await audit.locator('.filter-table input').fill('customers');
    await entryOf('id=1').waitFor();
  });

  it('undoes the change: the file has the old value again, and the undo is itself in the log', async () => {
    await entryOf('id=1').locator('vscode-button.undo-change').click();
    await audit.locator('.audit-status.ok', { hasText: /^Undid change #\d+ in customers\.$/ }).waitFor();
    assert.deepEqual(sqlite(db, 'select email from customers where id = 1'), [[oldEmail]]);
    await audit.locator('.audit-range', { hasText: '1–2 of 2' }).waitFor();
    const undo = audit.locator('.audit-entry', { has: audit.locator('.entry-mark', { hasText: /^undo of #/ }) });
    assert.equal(await undo.locator('.value-old').textContent(), JSON.stringify('audited@example.org'));
    assert.equal(await undo.locator('.value-new').textContent(), JSON.stringify(oldEmail));
    const original = audit.locator('.audit-entry', { has: audit.locator('.entry-mark', { hasText: /^undone by #/ }) });
    assert.equal(await original.locator('vscode-button.undo-change').getAttribute('disabled'), '', 'an undone change cannot be undone twice');
    await workbench.screenshot('audit-log-undone');
  });

  it('refuses an undo with the reason when another program changed the row since', async () => {
    sqlite(db, "update customers set email = 'someone-else@example.org' where id = 1");
    const undo = audit.locator('.audit-entry', { has: audit.locator('.entry-mark', { hasText: /^undo of #/ }) });
    await undo.locator('vscode-button.undo-change').click();
    await audit.locator('.audit-status.error', { hasText: /^Not undone: Row id=1 of customers changed since change #\d+ \(it now holds email="someone-else@example\.org"\)\. Nothing was undone\.$/ }).waitFor();
    assert.deepEqual(sqlite(db, 'select email from customers where id = 1'), [['someone-else@example.org']], 'their value is kept');
    assert.equal(await audit.locator('.audit-range').textContent(), '1–2 of 2', 'a refused undo records nothing');
    const frame = await auditFrame();
    assert.deepEqual(await frame.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), []);
  });

  it('undoes a whole Save of two edits with Undo batch', async () => {
    const before = sqlite(db, 'select id, email from customers where id in (2, 3) order by id');
    await workbench.page.locator('.tab', { hasText: 'customers — Shop' }).click();
    const grid = workbench.webview();
    await grid.locator('.grid-row[aria-rowindex="4"] .cell').first().waitFor({ timeout: 60_000 });
    const email = (await grid.locator('.header-cell .header-label').allTextContents()).indexOf('email');
    for (const [row, value] of [[3, 'two@example.org'], [4, 'three@example.org']] as const) {
      await grid.locator(`.grid-row[aria-rowindex="${row}"] .cell`).nth(email).dblclick();
      const editor = grid.locator('.cell-editor .editor-field input');
      await editor.waitFor();
      await editor.fill(value);
      await editor.press('Enter');
    }
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor();
    await workbench.page.keyboard.press('Control+s');
    await workbench.page.locator('.tab', { hasText: /^customers — Shop/ }).filter({ hasNotText: '●' }).waitFor();
    assert.deepEqual(sqlite(db, 'select id, email from customers where id in (2, 3) order by id'), [[2, 'two@example.org'], [3, 'three@example.org']]);

    await workbench.page.locator('.tab', { hasText: 'Audit Log' }).click();
    audit = workbench.webview();
    const batch = audit.locator('.audit-batch', { has: audit.locator('.batch-count', { hasText: '2 changes' }) });
    await batch.waitFor({ timeout: 60_000 });
    assert.deepEqual(await batch.locator('.entry-key').allTextContents(), ['id=3', 'id=2']);
    await batch.locator('vscode-button.undo-batch').click();
    await audit.locator('.audit-status.ok', { hasText: 'Undid 2 changes in customers.' }).waitFor();
    assert.deepEqual(sqlite(db, 'select id, email from customers where id in (2, 3) order by id'), before);
    await audit.locator('.audit-range', { hasText: '1–6 of 6' }).waitFor();
  });

  it("opens filtered to a table from the table's context menu in the sidebar", async () => {
    await workbench.treeContextMenu(/^orders$/, /^Show Audit Log$/);
    audit = workbench.webview();
    await audit.locator('.audit-empty', { hasText: 'No changes match these filters.' }).waitFor({ timeout: 60_000 });
    await audit.locator('vscode-button.audit-clear-filters').waitFor();
    assert.equal(await audit.locator('.filter-table').evaluate((f) => (f as HTMLElement & { value: string }).value), 'orders');
    assert.notEqual(await audit.locator('.filter-datasource').evaluate((s) => (s as HTMLElement & { value: string }).value), '', 'the datasource is chosen');
    assert.equal(await audit.locator('.audit-range').textContent(), '0–0 of 0');
  });
});
