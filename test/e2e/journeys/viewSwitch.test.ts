// Switching views in one tab, in a real VS Code: a filter set in the grid is what the next view shows (the test
// plugin's "Row list" view, test/fixtures/third-party-plugin, lists the rows of the query it is handed), switching
// back keeps it, unsaved edits are settled before a switch, and "Set as Default View for This Table" decides what
// the next open shows.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { Workbench } from '../../support/workbench';
import { addDatasourceByUrl, journeyCleanup, sqlite } from '../../support/journeys';

describe('journey: switching the view of a tab', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let db: string;

  const view = () => workbench.webview();
  const tab = () => workbench.page.locator('.tab', { hasText: 'customers — Shop' });
  const rowList = () => view().locator('.row-list');

  async function switchTo(label: string): Promise<void> {
    await workbench.runCommand('Nocoflo: Switch View…');
    await workbench.answerQuickInput(label, 'Switch view of customers');
  }

  before(async function () {
    const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-switch-')));
    db = path.join(workspace, 'shop.sqlite');
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix'), path.join(repoRoot(), 'dist/test-plugin.vsix')] });
    workbench = await Workbench.open(server);
  });

  journeyCleanup('viewSwitch', () => ({ workbench, server }));

  it('filters the grid, switches the tab to another view in place, and that view shows the filtered rows', async () => {
    await addDatasourceByUrl(workbench, db, 'Shop');
    await workbench.treeItem('Shop').click();
    await workbench.treeItem('customers').click();
    await tab().waitFor();
    await view().locator('.status-count', { hasText: '500 rows' }).waitFor({ timeout: 60_000 });
    // Showing the filters adds one for the selected column (id) with its first operator (=).
    await view().locator('.grid-row[aria-rowindex="2"] .cell').first().click();
    await view().locator('vscode-toolbar-button[icon="filter"]').click();
    await view().locator('.filter-row .filter-column', { hasText: 'id' }).waitFor();
    const value = view().locator('.filter-row .filter-value input').first();
    await value.fill('7');
    await value.press('Enter');
    await view().locator('.status-count', { hasText: /^1 rows?$/ }).waitFor();
    const [[name]] = sqlite(db, 'select name from customers where id = 7') as string[][];

    await switchTo('Row list');
    await rowList().waitFor({ timeout: 60_000 });
    assert.equal(await tab().count(), 1, 'the same tab, not a second one');
    await view().locator('.row-list-filters', { hasText: 'id eq "7"' }).waitFor();
    await view().locator('.row-list-count', { hasText: '1 rows' }).waitFor();
    assert.equal(await rowList().locator('li').count(), 1);
    assert.match((await rowList().locator('li').first().textContent()) ?? '', new RegExp(`^7 \\| ${name} \\|`));
    await workbench.screenshot('view-switch-row-list');
  });

  it('switches back from the editor title button, and the grid still has the filter', async () => {
    await workbench.page.locator('.editor-actions .action-label[aria-label^="Switch View"]').click();
    await workbench.answerQuickInput('Table', 'Switch view of customers');
    await view().locator('.status-count', { hasText: /^1 rows?$/ }).waitFor({ timeout: 60_000 });
    assert.equal(await view().locator('.filter-row .filter-value input').first().inputValue(), '7');
    await view().locator('.grid-row[aria-rowindex="2"] .cell', { hasText: /^7$/ }).first().waitFor();
    assert.equal(await tab().count(), 1);
  });

  it('names the view in the tab title and icon, and the picker stays open when the tab takes the focus', async () => {
    // Each view says what it is: the title ends with the view's name, and the icon is the view's codicon.
    // VS Code 1.100 paints a tab's icon as the label's ::before background; newer releases in a child element.
    const iconOf = async () =>
      decodeURIComponent(
        await tab().locator('.monaco-icon-label').first().evaluate((label) => {
          const child = label.querySelector('.monaco-icon-label-iconpath');
          return child ? getComputedStyle(child).backgroundImage : getComputedStyle(label, '::before').backgroundImage;
        }),
      );
    await tab().filter({ hasText: 'customers — Shop (Table)' }).waitFor();
    assert.match(await iconOf(), /tab-icons\/table-(light|dark)\.svg/);

    // A click into the grid gives the webview the focus a moment later; the picker opened meanwhile stays open.
    await workbench.page.locator('.editor-actions .action-label[aria-label^="Switch View"]').click();
    const picker = workbench.page.locator('.quick-input-widget');
    await picker.locator('.quick-input-title', { hasText: 'Switch view of customers' }).waitFor();
    await view().locator('.status-count').click();
    await workbench.page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME', undefined, { timeout: 30_000 });
    assert.equal(await picker.locator('.quick-input-title', { hasText: 'Switch view of customers' }).isVisible(), true, 'the picker is still open');
    // Views are listed by name; their internal ids are not shown.
    const rows = await picker.locator('.quick-input-list .monaco-list-row').allTextContents();
    assert.ok(rows.some((r) => r.includes('Row list')), rows.join(' | '));
    assert.deepEqual(rows.filter((r) => /nocoflo\.|test-plugin\./.test(r)), []);
    await workbench.answerQuickInput('Row list', 'Switch view of customers');
    await tab().filter({ hasText: '(Row list (test plugin))' }).waitFor({ timeout: 60_000 });
    assert.match(await iconOf(), /tab-icons\/list-flat-(light|dark)\.svg/);
    await workbench.page.locator('.editor-actions .action-label[aria-label^="Switch View"]').click();
    await workbench.answerQuickInput('Table', 'Switch view of customers');
    await tab().filter({ hasText: '(Table)' }).waitFor({ timeout: 60_000 });
  });

  it('asks to save or discard unsaved edits before switching, and Discard leaves the database alone', async () => {
    const [[email]] = sqlite(db, 'select email from customers where id = 7') as string[][];
    const emailIndex = (await view().locator('.header-cell .header-label').allTextContents()).indexOf('email');
    await view().locator('.grid-row[aria-rowindex="2"] .cell').nth(emailIndex).dblclick();
    const editor = view().locator('.cell-editor .editor-field input');
    await editor.fill('switch@example.org');
    await editor.press('Enter');
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor();
    await switchTo('Row list');
    const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: '1 unsaved change' });
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: 'Discard' }).click();
    await rowList().waitFor({ timeout: 60_000 });
    await tab().filter({ hasNotText: '●' }).waitFor();
    await view().locator('.row-list-filters', { hasText: 'id eq "7"' }).waitFor();
    assert.deepEqual(sqlite(db, 'select email from customers where id = 7'), [[email]]);
  });

  it('"Set as Default View for This Table" makes the next open of the table use that view', async () => {
    await workbench.runCommand('Nocoflo: Set as Default View for This Table');
    await workbench.notification('customers now opens in the Row list (test plugin) view').waitFor();
    await workbench.runCommand('View: Close All Editors');
    await tab().waitFor({ state: 'detached' });
    await workbench.treeItem('customers').click();
    await tab().waitFor();
    await rowList().waitFor({ timeout: 60_000 });
    // A fresh tab has no query to hand over: all rows.
    await view().locator('.row-list-count', { hasText: '500 rows' }).waitFor();
  });
});
