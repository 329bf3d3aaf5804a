// Plugin management and row locks as a user meets them, in a real VS Code: the Plugins view (Nocoflo: Manage
// Plugins…) lists built-in and third-party plugins; disabling the test plugin's "Row list" view takes it out of
// "Open as…" at once and enabling brings it back; a configuration that breaks the plugin's schema is refused with
// its path and nothing is stored; disabling a datasource plugin makes its tree node say why. Then row locks: editing
// a record in the form takes its lock, which a second tab (the grid, same window) shows as a lock on the row and a
// second window (another page on the same code-server) shows as "Locked by … since …" with read-only fields;
// discarding the edit releases it everywhere.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { setConnectionRole } from '../../support/roles';
import { launchBrowser, Workbench } from '../../support/workbench';
import { addDatasourceByUrl, journeyCleanup, sqlite } from '../../support/journeys';

describe('journey: plugin management and row locks', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let db: string;
  let metadataFile: string;
  let second: Workbench | undefined;

  const plugins = (): FrameLocator => workbench.webview();
  const card = (id: string) => plugins().locator(`.plugin-card[data-plugin-id="${id}"]`);
  const pluginsTab = () => workbench.page.locator('.tab', { hasText: 'Nocoflo Plugins' });

  /** The labels "Open as…" offers for `table`; the picker is closed again. */
  async function openAsChoices(table: string): Promise<string[]> {
    await workbench.treeContextMenu(table, /^Open as/);
    const widget = workbench.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Open table as…' }).waitFor();
    const rows = widget.locator('.quick-input-list .monaco-list-row .label-name');
    await rows.first().waitFor();
    const labels = await rows.allTextContents();
    await workbench.page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
    return labels;
  }

  async function showPlugins(): Promise<void> {
    await workbench.runCommand('Nocoflo: Manage Plugins…');
    await pluginsTab().waitFor();
    await card('nocoflo.table').waitFor({ timeout: 60_000 });
  }

  before(async function () {
    const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-plugins-')));
    db = path.join(workspace, 'shop.sqlite');
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix'), path.join(repoRoot(), 'dist/test-plugin.vsix')] });
    metadataFile = path.join(server.userDataDir, 'User', 'globalStorage', 'nocoflo.nocoflo', 'nocoflo.sqlite');
    workbench = await Workbench.open(server);
    await addDatasourceByUrl(workbench, db, 'Shop');
    await workbench.treeItem('Shop').click();
    await workbench.treeItem('customers').waitFor();
  });

  journeyCleanup('pluginsAndLocks', () => ({ workbench, server, browsers: [second] }));

  it('lists built-in and third-party plugins with kind, versions, extension and state', async () => {
    assert.ok((await openAsChoices('customers')).some((l) => l.includes('Row list')), '"Open as…" offers the test view before anything is disabled');
    await showPlugins();
    await card('nocoflo.sqlite').locator('.plugin-facts', { hasText: 'Datasource · version' }).waitFor();
    await card('nocoflo.sqlite').locator('.plugin-facts', { hasText: 'built into Nocoflo' }).waitFor();
    const rowList = card('tests.rowList');
    await rowList.locator('.plugin-facts', { hasText: 'View · version 0.0.1 · API 1.2.0 · from nocoflo-tests.nocoflo-test-plugin' }).waitFor();
    await rowList.locator('.plugin-state', { hasText: 'Active' }).waitFor();
    // The test plugin's datasource with a bug in connect is listed too; it fails once something connects to it.
    await card('tests.broken').waitFor();
    await workbench.screenshot('plugins-view');
  });

  it('disabling the Row list view removes it from "Open as…" without a reload; enabling brings it back', async () => {
    const rowList = card('tests.rowList');
    await rowList.locator('.plugin-enabled').click();
    await rowList.locator('.plugin-state', { hasText: 'Disabled' }).waitFor();
    await rowList.locator('.plugin-message', { hasText: 'Row list (test plugin) (tests.rowList) is disabled.' }).waitFor();
    assert.deepEqual(sqlite(metadataFile, "select enabled from plugin_config where plugin_id = 'tests.rowList'"), [[0]]);
    const without = await openAsChoices('customers');
    assert.ok(!without.some((l) => l.includes('Row list')), `"Open as…" still offers the disabled view: ${without.join(', ')}`);
    assert.ok(without.some((l) => l.includes('Table')), 'the other views are still offered');

    await pluginsTab().click();
    await rowList.locator('.plugin-state', { hasText: 'Disabled' }).waitFor({ timeout: 60_000 });
    await rowList.locator('.plugin-enabled').click();
    await rowList.locator('.plugin-state', { hasText: 'Active' }).waitFor();
    assert.ok((await openAsChoices('customers')).some((l) => l.includes('Row list')), 'enabled again, it is offered again');
  });

  it('refuses a configuration that breaks the declared schema, naming the path, and stores one that fits', async () => {
    await pluginsTab().click();
    const rowList = card('tests.rowList');
    await rowList.waitFor({ timeout: 60_000 });
    await rowList.locator('.plugin-schema summary').click();
    await rowList.locator('.plugin-schema-text', { hasText: '"maxRows"' }).waitFor();
    const text = rowList.locator('.plugin-config-text textarea');
    await text.fill('{ "separator": ";", "maxRows": 0 }');
    await rowList.locator('.plugin-save').click();
    await rowList.locator('.plugin-message.error', { hasText: 'config.separator must be one of " | ", ", ", not ";"' }).waitFor();
    await rowList.locator('.plugin-problems li', { hasText: 'config.maxRows must be at least 1, not 0' }).waitFor();
    assert.deepEqual(sqlite(metadataFile, "select config from plugin_config where plugin_id = 'tests.rowList'"), [['{}']], 'nothing stored');

    await text.fill('{ "separator": ", ", "maxRows": 50 }');
    await rowList.locator('.plugin-save').click();
    await rowList.locator('.plugin-message.ok', { hasText: 'Saved the configuration of Row list (test plugin)' }).waitFor();
    const [[stored]] = sqlite(metadataFile, "select config from plugin_config where plugin_id = 'tests.rowList'") as string[][];
    assert.deepEqual(JSON.parse(stored), { separator: ', ', maxRows: 50 });
  });

  it('disabling a datasource plugin closes it and its tree node says why; enabling brings its tables back', async () => {
    await workbench.treeItem('Solar system').click();
    await workbench.treeItem(/^planets$/).waitFor({ timeout: 60_000 });
    await pluginsTab().click();
    const planets = card('tests.planets');
    await planets.locator('.plugin-enabled').click();
    await planets.locator('.plugin-state', { hasText: 'Disabled' }).waitFor();
    await workbench.treeItem(/cannot open: plugin "tests\.planets" is disabled/).waitFor({ timeout: 60_000 });
    assert.equal(await workbench.treeItem(/^planets$/).count(), 0);
    await planets.locator('.plugin-enabled').click();
    await planets.locator('.plugin-state', { hasText: 'Active' }).waitFor();
    await workbench.treeItem(/^planets$/).waitFor({ timeout: 60_000 });
  });

  async function openAsForm(bench: Workbench, table: string): Promise<FrameLocator> {
    await bench.treeContextMenu(table, /^Open as/);
    await bench.answerQuickInput('Form', 'Open table as…');
    const view = bench.webview();
    await view.locator('.form-app').waitFor({ timeout: 60_000 });
    await view.locator('.form-position', { hasText: 'row 1 of 500' }).waitFor({ timeout: 60_000 });
    return view;
  }

  it('editing a record in the form locks it: the grid in a second tab shows the lock on that row', async () => {
    await workbench.runCommand('View: Close All Editors');
    await pluginsTab().waitFor({ state: 'detached' });
    const form = await openAsForm(workbench, 'customers');
    const [[name]] = sqlite(db, 'select name from customers where id = 1') as string[][];
    const nameInput = form.locator('.field[data-column="name"] vscode-textfield input').first();
    assert.equal(await nameInput.inputValue(), name);
    await nameInput.fill(`${name} (being edited)`);
    await form.locator('.field.dirty[data-column="name"]').waitFor();
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor();
    const [[owner, rowKey]] = await waitForLock();
    assert.equal(rowKey, '[["id",1]]');

    // The table view of the same table is another tab, so another holder: it sees the form's lock.
    await workbench.treeItem(/^customers$/).click();
    await workbench.page.locator('.tab', { hasText: 'customers — Shop' }).filter({ hasNotText: '●' }).waitFor();
    const grid = workbench.webview();
    await grid.locator('.status-count', { hasText: '500 rows' }).waitFor({ timeout: 60_000 });
    const gutter = grid.locator('.grid-row[aria-rowindex="2"] .row-gutter');
    await gutter.locator('.row-lock').waitFor({ timeout: 30_000 });
    assert.match((await gutter.getAttribute('title')) ?? '', new RegExp(`^Locked by ${owner} since \\d\\d:\\d\\d`));
    assert.equal(await grid.locator('.grid-row[aria-rowindex="3"] .row-gutter .row-lock').count(), 0, 'only the edited row is locked');
    await workbench.screenshot('locks-grid');
  });

  it('a second window shows the record as locked by whom and since when, read-only; discarding releases it', async () => {
    const [[owner]] = await waitForLock();
    second = await Workbench.open(server, { browser: await launchBrowser() });
    await second.openNocofloSidebar();
    await second.expandTreeItem('Shop');
    await second.treeItem(/^customers$/).waitFor({ timeout: 60_000 });
    // Breaking a lock is the admin's: the file's owner (admin by default) steps down to editor in this window.
    await setConnectionRole(second, 'Shop', 'editor');
    await second.treeItem('Shop').locator('.label-description', { hasText: /^editor/ }).waitFor();
    const form = await openAsForm(second, 'customers');
    const note = form.locator('.record-note.locked');
    await note.waitFor({ timeout: 30_000 });
    assert.match((await note.textContent()) ?? '', new RegExp(`Locked by ${owner} since \\d\\d:\\d\\d: they are editing this record`));
    await form.locator('.field[data-column="name"] .field-lock').waitFor();
    assert.equal(await form.locator('.field[data-column="name"] vscode-textfield').getAttribute('readonly'), '', 'the field is read-only');
    await second.screenshot('locks-second-window');
    // Only an admin of the connection may break it, and the host says so.
    await note.locator('.break-lock').click();
    await form.locator('.message-strip.error', { hasText: 'Could not break the lock: Breaking row locks on "Shop" needs the admin role; you are' }).waitFor();
    assert.equal((await waitForLock()).length, 1, 'the lock is still there');

    // Back in the first window: discard the form's edit, and the lock goes everywhere.
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).click();
    const first = workbench.webview();
    await first.locator('.form-app').waitFor({ timeout: 60_000 });
    await first.locator('vscode-button', { hasText: 'Discard' }).click();
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor({ state: 'detached' });
    await note.waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual(sqlite(metadataFile, 'select count(*) from row_locks'), [[0]]);
    assert.equal(await form.locator('.field[data-column="name"] .field-lock').count(), 0, 'editable again');
  });

  /** The lock row in the metadata file, once the host has written it. */
  async function waitForLock(): Promise<string[][]> {
    for (let i = 0; i < 100; i++) {
      const rows = sqlite(metadataFile, "select owner, row_key from row_locks where table_name = 'customers'") as string[][];
      if (rows.length > 0) return rows;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('no row lock was written to the metadata file');
  }
});
