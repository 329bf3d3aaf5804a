// The sidebar as a user meets it: empty welcome view, adding a SQLite file, browsing tables and columns, and a
// datasource that another extension contributed through the public API, next to a broken one that stays isolated.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { journeyCleanup } from '../../support/journeys';
import { Workbench } from '../../support/workbench';

describe('journey: the Nocoflo sidebar', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-sidebar-')));
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')] });
    workbench = await Workbench.open(server);
  });

  journeyCleanup('sidebar', () => ({ workbench, server }));

  it('shows the welcome view with its two actions when there are no datasources', async () => {
    const view = await workbench.openNocofloSidebar();
    await view.getByRole('button', { name: 'Add SQLite File…' }).waitFor();
    await view.getByRole('button', { name: 'Add Connection…' }).waitFor();
    await workbench.screenshot('sidebar-welcome');
  });

  it('adds a SQLite file and lists its tables with row counts and its columns with key markers', async () => {
    await workbench.runCommand('Nocoflo: Add Datasource…');
    await workbench.answerQuickInput('Paste a connection URL', 'Add Datasource');
    await workbench.answerQuickInput(path.join(workspace, 'shop.sqlite'), 'Connection URL');
    // The name offered is what a person calls the file: no folder, no ".sqlite".
    const widget = workbench.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Datasource name' }).waitFor();
    assert.equal(await widget.locator('input').inputValue(), 'shop');
    await workbench.answerQuickInput('Shop', 'Datasource name');
    const datasource = workbench.treeItem('Shop');
    await datasource.waitFor();
    await datasource.click();
    await workbench.treeItem('customers').waitFor();
    await workbench.treeItem('customer_totals').waitFor();
    const customers = workbench.treeItem('customers');
    await customers.locator('.label-description', { hasText: '500 rows' }).waitFor();
    const events = workbench.treeItem('events');
    await events.locator('.label-description', { hasText: '5,000 rows' }).waitFor();
    assert.match((await workbench.treeItem('customer_totals').locator('.label-description').textContent()) ?? '', /view/);
    // Expand a table by its twistie (a click on the label opens it).
    await workbench.treeItem('orders').locator('.monaco-tl-twistie').click();
    await workbench.treeItem('customer_id').locator('.label-description', { hasText: '→ customers.id' }).waitFor();
    const id = (await workbench.treeItem(/^id$/).locator('.label-description').textContent()) ?? '';
    assert.match(id, /PK/);
    await workbench.screenshot('sidebar-tables');
  });

  it('filters long trees by table name', async () => {
    await workbench.runCommand('Nocoflo: Filter Datasources…');
    await workbench.answerQuickInput('ord');
    await workbench.treeItem('order_items').waitFor();
    await workbench.treeItem('customers').waitFor({ state: 'detached' });
    await workbench.runCommand('Nocoflo: Clear Filter');
    await workbench.treeItem('customers').waitFor();
  });
});

describe('journey: a datasource from another extension', function () {
  let server: CodeServer;
  let workbench: Workbench;

  before(async function () {
    const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-thirdparty-')));
    server = await startCodeServer({
      workspace,
      extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix'), path.join(repoRoot(), 'dist/test-plugin.vsix')],
    });
    workbench = await Workbench.open(server);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench.screenshot(`FAILED third-party ${this.currentTest.title}`);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench.screenshot(`FAILED third-party ${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('appears in the tree, browses, and a broken plugin only breaks itself', async () => {
    await workbench.openNocofloSidebar();
    const solar = workbench.treeItem('Solar system');
    await solar.waitFor({ timeout: 60_000 });
    await solar.click();
    await workbench.treeItem('planets').locator('.label-description', { hasText: '4 rows' }).waitFor();
    const broken = workbench.treeItem('Broken source');
    await broken.click();
    // Whether the tree shows the failure itself or, after a refresh, why the datasource cannot open, it names the
    // plugin and the operation that failed.
    await workbench.treeItem(/the test plugin is broken on purpose \(plugin "tests\.broken", connect\)/).waitFor();
    // The failure is contained: the good datasource still works after it.
    await workbench.treeItem('planets').waitFor();
    await workbench.screenshot('sidebar-third-party');
  });
});
