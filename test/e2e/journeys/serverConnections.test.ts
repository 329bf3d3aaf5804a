// PostgreSQL and MariaDB as a user meets them in a real VS Code: add a connection through the connection form
// (URL paste, a wrong password with the server's own answer, Test Connection, Save), browse schemas and tables,
// edit a cell and save it into the server; a connection declared in workspace settings asks for its password
// once; and afterwards no password is found in settings, Nocoflo's metadata, logs or anywhere else on disk.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { startMariadb, type MariadbServer } from '../../support/servers/mariadbServer';
import { startPostgres, type PostgresServer } from '../../support/servers/postgresServer';
import { setConnectionRole } from '../../support/roles';
import { journeyCleanup } from '../../support/journeys';
import { Workbench } from '../../support/workbench';

/** Every file under `dir` that contains `needle` (as UTF-8 or UTF-16LE, as some VS Code stores write it). */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const patterns = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && statSync(full).size < 200 * 1024 * 1024) {
        const content = readFileSync(full);
        if (patterns.some((p) => content.includes(p))) hits.push(full);
      }
    }
  };
  walk(dir);
  return hits;
}

describe('journey: PostgreSQL and MariaDB connections through the form', function () {
  let pg: PostgresServer;
  let maria: MariadbServer;
  let server: CodeServer;
  let workbench: Workbench;
  let workspace: string;

  const form = (): FrameLocator => workbench.webview();
  /** The form control of a field (a vscode-elements component) and the text input inside it. */
  const field = (name: string) => form().locator(`.form-row[data-field="${name}"]`).locator('vscode-textfield, vscode-textarea, vscode-single-select, vscode-checkbox').first();
  const input = (name: string) => form().locator(`.form-row[data-field="${name}"] input`).first();
  const type = (name: string, text: string) => input(name).fill(text);
  const status = () => form().locator('.form-status');

  /** Opens the grid of `table`, edits the first row's `column` to `value` and saves with Ctrl+S. */
  async function editFirstRow(tab: string, column: string, value: string): Promise<void> {
    await workbench.page.locator('.tab', { hasText: tab }).waitFor();
    const view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    const headers = await view.locator('.header-cell .header-label').allTextContents();
    const index = headers.indexOf(column);
    assert.ok(index >= 0, `column ${column} in ${headers.join(', ')}`);
    await view.locator('.grid-row[aria-rowindex="2"] .cell').nth(index).dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.waitFor();
    await editor.fill(value);
    await editor.press('Enter');
    await workbench.page.locator('.tab', { hasText: `● ${tab}` }).waitFor();
    await workbench.page.keyboard.press('Control+s');
    await workbench.page.locator('.tab', { hasText: tab }).filter({ hasNotText: '●' }).waitFor();
  }

  before(async function () {
    [pg, maria] = await Promise.all([startPostgres(), startMariadb()]);
    await pg.admin(`CREATE TABLE public.people (id integer PRIMARY KEY, name text NOT NULL, score numeric(10,2))`, [], pg.database);
    await pg.admin(`INSERT INTO public.people VALUES (1, 'Ada', 12.50), (2, 'Grace', 99.99)`, [], pg.database);
    await pg.admin(`GRANT ALL ON public.people TO "${pg.user}"`, [], pg.database);
    await maria.admin('CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, score DECIMAL(10,2)) ENGINE=InnoDB');
    await maria.admin("INSERT INTO people VALUES (1, 'Ada', 12.50), (2, 'Grace', 99.99)");
    workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-servers-')), {
      settings: {
        'nocoflo.connections': [{ name: 'Team PG', type: 'postgres', config: { host: pg.host, port: pg.port, database: pg.database, user: pg.user } }],
      },
    });
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')] });
    workbench = await Workbench.open(server);
  });

  journeyCleanup('servers', () => ({ workbench, server, services: [pg, maria] }));

  it('asks once for the password of a connection declared in workspace settings', async () => {
    await workbench.openNocofloSidebar();
    await workbench.treeItem('Team PG').click();
    await workbench.answerQuickInput(pg.password, 'Password for "Team PG"');
    await workbench.treeItem('public').waitFor({ timeout: 30_000 });
    // Connecting again (Refresh closes every session) uses the stored password without asking.
    await workbench.treeItem('Team PG').click();
    await workbench.treeItem('public').waitFor({ state: 'detached' });
    await workbench.runCommand('Nocoflo: Refresh');
    await workbench.treeItem('Team PG').click();
    await workbench.treeItem('public').waitFor({ timeout: 30_000 });
    assert.equal(await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Password for' }).isVisible(), false);
    await workbench.treeItem('Team PG').click();
    await workbench.treeItem('public').waitFor({ state: 'detached' });
  });

  it('adds PostgreSQL through the form: the URL fills the fields, a wrong password gets the server\'s answer, Test and Save work', async () => {
    await workbench.runCommand('Nocoflo: Add Datasource…');
    await workbench.answerQuickInput('PostgreSQL', 'Add Datasource');
    await workbench.page.locator('.tab', { hasText: 'Add Connection' }).waitFor();
    await field('url').waitFor({ timeout: 30_000 });
    await type('url', `postgres://${pg.user}@${pg.host}:${pg.port}/${pg.database}`);
    await form().locator('vscode-button', { hasText: 'Fill from URL' }).click();
    await status().filter({ hasText: 'Filled' }).waitFor();
    assert.equal(await input('host').inputValue(), pg.host);
    assert.equal(await input('port').inputValue(), String(pg.port));
    assert.equal(await input('user').inputValue(), pg.user);

    await type('password', 'not-the-password');
    await form().locator('vscode-button', { hasText: 'Test Connection' }).click();
    await status().filter({ hasText: /password authentication failed/i }).waitFor({ timeout: 30_000 });
    await workbench.screenshot('connection-form-wrong-password');

    await type('password', pg.password);
    await type('name', 'Shop PG');
    await form().locator('vscode-button', { hasText: 'Test Connection' }).click();
    await status().filter({ hasText: /Connection succeeded\. PostgreSQL \d+/ }).waitFor({ timeout: 30_000 });
    await form().locator('vscode-button', { hasText: 'Save Connection' }).click();
    await workbench.notification('Saved connection "Shop PG"').waitFor();
    await workbench.page.locator('.tab', { hasText: 'Add Connection' }).waitFor({ state: 'detached' });
  });

  it('browses PostgreSQL schemas and tables, edits a cell and the server has it', async () => {
    await workbench.treeItem('Shop PG').click();
    await workbench.treeItem('public').click();
    await workbench.treeItem('people').click();
    await editFirstRow('people — Shop PG', 'name', 'Ada Lovelace');
    const { rows } = await pg.admin<{ name: string }>('SELECT name FROM public.people WHERE id = 1', [], pg.database);
    assert.deepEqual(rows, [{ name: 'Ada Lovelace' }]);
    // The status bar names the active table's connection and database user.
    await workbench.page.locator('.statusbar-item', { hasText: `Shop PG` }).filter({ hasText: pg.user }).waitFor();
    // Collapsed, so the next tests find MariaDB's "people", not this one.
    await workbench.treeItem('Shop PG').click();
    await workbench.treeItem('public').waitFor({ state: 'detached' });
  });

  it('adds MariaDB by typing the fields, browses, edits a cell and the server has it', async () => {
    await workbench.runCommand('Nocoflo: Add Datasource…');
    await workbench.answerQuickInput('MySQL', 'Add Datasource');
    await field('host').waitFor({ timeout: 30_000 });
    // A required field left empty is refused on the field before anything is sent.
    await type('user', '');
    await form().locator('vscode-button', { hasText: 'Test Connection' }).click();
    await form().locator('.form-row[data-field="user"] .form-error', { hasText: 'User is required.' }).waitFor();
    await type('name', 'Shop Maria');
    await type('host', maria.host);
    await type('port', String(maria.port));
    await type('database', maria.database);
    await type('user', maria.user);
    await type('password', maria.password);
    await form().locator('vscode-button', { hasText: 'Test Connection' }).click();
    await status().filter({ hasText: 'Connection succeeded' }).waitFor({ timeout: 30_000 });
    await form().locator('vscode-button', { hasText: 'Save Connection' }).click();
    await workbench.notification('Saved connection "Shop Maria"').waitFor();
    await workbench.treeItem('Shop Maria').click();
    await workbench.treeItem(maria.database).click();
    await workbench.treeItem('people').click();
    await editFirstRow('people — Shop Maria', 'score', '13.75');
    assert.deepEqual(await maria.admin('SELECT CAST(score AS CHAR) AS score FROM people WHERE id = 1'), [{ score: '13.75' }]);
  });

  it('names the active tab\'s connection in the status bar, following every tab switch', async () => {
    // VS Code reports a tab switch before the panel's own state: the entry once lagged one tab behind.
    const entry = workbench.page.locator('.statusbar-item', { hasText: /Shop (PG|Maria)/ });
    await entry.filter({ hasText: 'Shop Maria' }).waitFor();
    for (const name of ['Shop PG', 'Shop Maria', 'Shop PG']) {
      await workbench.page.locator('.tab', { hasText: `people — ${name}` }).click();
      await entry.filter({ hasText: name }).waitFor();
      assert.equal(await entry.count(), 1, 'one connection entry');
    }
  });

  it('edits a saved connection without retyping its password', async () => {
    // Managing a connection is the admin's; new connections are editors.
    await setConnectionRole(workbench, 'Shop PG', 'admin');
    await workbench.treeItem('Shop PG').locator('.label-description', { hasText: /^admin/ }).waitFor();
    await workbench.treeContextMenu('Shop PG', /^Edit Connection/);
    await field('host').waitFor({ timeout: 30_000 });
    assert.equal(await input('password').inputValue(), '', 'a stored password is never sent back to the form');
    assert.match((await field('password').getAttribute('placeholder')) ?? '', /saved in secret storage/);
    await type('name', 'Shop PG (edited)');
    await form().locator('vscode-button', { hasText: 'Test Connection' }).click();
    await status().filter({ hasText: 'Connection succeeded' }).waitFor({ timeout: 30_000 });
    await form().locator('vscode-button', { hasText: 'Save' }).first().click();
    await workbench.treeItem('Shop PG (edited)').waitFor();
  });

  it('keeps every password out of settings, Nocoflo\'s metadata, logs and the workspace', async () => {
    // Something was logged and stored, so an empty search cannot pass by accident.
    assert.ok(filesContaining(server.userDataDir, 'Shop Maria').length > 0, 'the metadata holds the connection');
    for (const secret of [pg.password, maria.password]) {
      assert.deepEqual(filesContaining(server.userDataDir, secret), [], 'no password in the VS Code profile (settings, globalStorage, logs)');
      assert.deepEqual(filesContaining(workspace, secret), [], 'no password in the workspace');
    }
  });
});
