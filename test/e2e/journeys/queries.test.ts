// Queries as a user meets them, in a real VS Code (issue 15 §6): a SQL file bound to the Chinook sample through the
// status bar, a join run with Ctrl+Enter into the grid, the same result switched to a chart of revenue by genre (the
// Rock bar's number checked against the file with Python's sqlite3), the query saved, found in the sidebar after a
// reload and reopened from there; a single-table result edited and saved (checked on disk; on VS Code with Node 22,
// whose node:sqlite reports column origins — on 1.100's sql.js the result says why it is read-only), then edited in
// the form, which locks Customer's row so the table's own tab shows it locked; a syntax error shown
// where it is in the editor; and a viewer's DELETE refused with the database's own message, nothing deleted.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { setConnectionRole } from '../../support/roles';
import { Workbench } from '../../support/workbench';
import { addDatasourceByUrl, journeyCleanup, sqlite } from '../../support/journeys';

const REVENUE = `SELECT g.Name AS genre, il.UnitPrice * il.Quantity AS amount
FROM InvoiceLine il
JOIN Track t ON t.TrackId = il.TrackId
JOIN Genre g ON g.GenreId = t.GenreId`;
const BRAZIL = "SELECT * FROM Customer WHERE Country = 'Brazil'";
const BROKEN = 'SELECT Name\nFROM Genre\nWHER GenreId = 1';
const DELETE = 'DELETE FROM Track WHERE TrackId = 1';

describe('journey: queries from a SQL editor', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let workspace: string;
  let db: string;
  let view: FrameLocator;

  const tab = (text: string | RegExp) => workbench.page.locator('.tab', { hasText: text });
  const editor = () => workbench.page.locator('.editor-instance .monaco-editor').first();
  /** The grid's read-only banner. */
  const banner = (text: RegExp) => view.locator('.readonly-text', { hasText: text });
  const nodeSqlite = process.env.NOCOFLO_CODE_SERVER === 'node22';
  /** Puts the cursor on `line` (1-based) of the active editor and presses Ctrl+Enter. */
  async function runLine(line: number): Promise<void> {
    await editor().click();
    await workbench.page.keyboard.press('Control+g');
    await workbench.page.keyboard.type(String(line));
    await workbench.page.keyboard.press('Enter');
    await workbench.page.keyboard.press('Control+Enter');
  }
  const headers = async () => view.locator('.header-cell .header-label').allTextContents();

  before(async function () {
    workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-queries-')));
    db = path.join(workspace, 'chinook.sqlite');
    copyFileSync(path.join(repoRoot(), 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite'), db);
    // Lines 1-4: the join; line 7: one table; lines 9-11: a syntax error on its third line; line 13: a delete.
    writeFileSync(path.join(workspace, 'questions.sql'), `${REVENUE};\n\n-- one table, so it can be edited\n${BRAZIL};\n\n${BROKEN};\n\n${DELETE};\n`);
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')] });
    workbench = await Workbench.open(server);
    await addDatasourceByUrl(workbench, db, 'Chinook');
    await workbench.treeItem('Chinook').waitFor({ timeout: 60_000 });
  });

  journeyCleanup('queries', () => ({ workbench, server }));

  it('binds a SQL file to Chinook in the status bar and runs a join with Ctrl+Enter into the grid', async () => {
    await workbench.openFile('questions.sql');
    const status = workbench.page.locator('.statusbar-item', { hasText: 'Nocoflo: no connection' });
    await status.waitFor();
    // The status item's command, from the palette: a click on the item can land while the workbench still lays out.
    await workbench.runCommand('Nocoflo: Choose Connection for SQL Editor');
    await workbench.answerQuickInput('Chinook', 'Run this SQL editor on…');
    await workbench.page.locator('.statusbar-item', { hasText: 'Chinook' }).waitFor();
    await runLine(1);
    await tab(/^SELECT g\.Name AS genre.* — Chinook/).waitFor({ timeout: 60_000 });
    view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    assert.deepEqual(await headers(), ['genre', 'amount']);
    const [[lines]] = sqlite(db, 'SELECT count(*) FROM InvoiceLine') as number[][];
    await view.locator('.status-count', { hasText: `${lines.toLocaleString('en-US')} rows` }).waitFor({ timeout: 60_000 });
    // Read-only, and says why: only `genre` is a plain column (of Genre), and Genre's key is not in the result; sql.js,
    // on VS Code 1.100's Node 20, cannot tell where columns come from at all.
    await banner(nodeSqlite ? /leaves out Genre's key column "GenreId"/ : /sql\.js/).waitFor();
    await workbench.screenshot('queries-join-grid');
  });

  it('switches the result to a chart of revenue by genre, aggregated on the server', async () => {
    await workbench.runCommand('Nocoflo: Switch View…');
    await workbench.answerQuickInput('Chart');
    const chart = view.locator('.chart-host[data-state="ready"]');
    await chart.waitFor({ timeout: 60_000 });
    const choose = async (control: string, option: string) => {
      const select = view.locator(`[data-control="${control}"]`);
      await select.click();
      await select.getByRole('option', { name: option, exact: true }).click();
    };
    await choose('x', 'genre');
    await choose('aggregate', 'Sum');
    await choose('y', 'amount');
    const [[genres]] = sqlite(db, 'SELECT count(DISTINCT GenreId) FROM Track t JOIN InvoiceLine il ON il.TrackId = t.TrackId') as number[][];
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${genres}"]`).waitFor({ timeout: 60_000 });
    const [[rock]] = sqlite(db, "SELECT round(sum(il.UnitPrice * il.Quantity), 2) FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId WHERE g.Name = 'Rock'") as number[][];
    // vega labels each bar for screen readers with its values.
    const labels = await view.locator('.chart-host svg g.mark-rect.role-mark path').evaluateAll((paths) => paths.map((p) => p.getAttribute('aria-label') ?? ''));
    const rockLabel = labels.find((l) => /\bRock\b/.test(l) && !/Rock And Roll/.test(l));
    assert.ok(rockLabel, `a bar for Rock among ${labels.length}`);
    const shown = Number(/(\d[\d,]*\.?\d*)\s*$/.exec(rockLabel)![1].replace(/,/g, ''));
    assert.equal(shown, rock);
    await workbench.screenshot('queries-revenue-chart');
  });

  it('saves the query, finds it under the connection after a reload, and reopens it from there', async () => {
    await workbench.runCommand('Nocoflo: Save Query…');
    await workbench.answerQuickInput('Revenue by genre');
    await workbench.openNocofloSidebar();
    await workbench.treeItem('Chinook').click();
    await workbench.expandTreeItem(/^Queries/);
    await workbench.treeItem('Revenue by genre').waitFor();
    await workbench.reload();
    await workbench.openNocofloSidebar();
    await workbench.expandTreeItem('Chinook');
    await workbench.expandTreeItem(/^Queries/);
    await workbench.treeItem('Revenue by genre').click();
    await tab(/^Revenue by genre — Chinook/).waitFor({ timeout: 60_000 });
  });

  it('edits a row of a single-table result and Ctrl+S saves it to the table', async () => {
    // One webview at a time, so the view found is this result's.
    await workbench.runCommand('View: Close All Editors');
    await workbench.openFile('questions.sql');
    await runLine(7);
    await tab(/^SELECT \* FROM Customer.* — Chinook/).waitFor({ timeout: 60_000 });
    view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    if (!nodeSqlite) {
      // VS Code 1.100 runs on Node 20, where SQLite is sql.js, which does not report where a result's columns come
      // from: the result opens read-only and says so. (The Node 22 stage edits it below.)
      await banner(/sql\.js/).waitFor({ timeout: 30_000 });
      return;
    }
    const names = await headers();
    const company = names.indexOf('Company');
    assert.ok(company >= 0, `a Company column among ${names.join(', ')}`);
    const [[firstId]] = sqlite(db, "SELECT min(CustomerId) FROM Customer WHERE Country = 'Brazil'") as number[][];
    await view.locator('.grid-row[aria-rowindex="2"] .cell').nth(company).dblclick();
    const input = view.locator('.cell-editor .editor-field input');
    await input.waitFor();
    await input.fill('Nocoflo Ltda.');
    await input.press('Enter');
    await view.locator('.cell.dirty').first().waitFor();
    await workbench.page.keyboard.press('Control+s');
    await view.locator('.cell.dirty').first().waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual(sqlite(db, 'SELECT Company FROM Customer WHERE CustomerId = ?', firstId), [['Nocoflo Ltda.']]);

    // Editing the same result in the form locks the row of Customer itself, which the table's own grid then shows.
    await workbench.runCommand('Nocoflo: Switch View…');
    await workbench.answerQuickInput('Form');
    view = workbench.webview();
    const companyInput = view.locator('.field[data-column="Company"] vscode-textfield input').first();
    await companyInput.waitFor({ timeout: 60_000 });
    assert.equal(await companyInput.inputValue(), 'Nocoflo Ltda.');
    await companyInput.fill('Nocoflo Ltda. (being edited)');
    await view.locator('.field.dirty[data-column="Company"]').waitFor();
    const metadataFile = path.join(server.userDataDir, 'User', 'globalStorage', 'nocoflo.nocoflo', 'nocoflo.sqlite');
    let locks: string[][] = [];
    for (let i = 0; i < 100 && locks.length === 0; i++) {
      locks = sqlite(metadataFile, 'SELECT table_name, row_key FROM row_locks') as string[][];
      if (locks.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(locks, [['Customer', `[["CustomerId",${firstId}]]`]], "the lock is on Customer's row, by Customer's key");
    // Customer is wide (13 columns), so it opens in the form, on its first record: the one the result's form holds.
    await workbench.treeItem(/^Customer$/).click();
    await tab(/^Customer — Chinook/).waitFor({ timeout: 60_000 });
    const table = workbench.webview();
    await table.locator('.record-note.locked').waitFor({ timeout: 30_000 });
    await table.locator('.field[data-column="Company"] .field-lock').waitFor();
    await workbench.screenshot('queries-result-lock-in-table');
  });

  it('marks a syntax error where the database found it', async () => {
    await workbench.openFile('questions.sql');
    await runLine(9);
    // "WHER" reads as an alias of Genre, so SQLite stops at the word after it.
    await workbench.notification(/near "GenreId": syntax error/).waitFor({ timeout: 30_000 });
    // The squiggle is on the statement's third line, the file's eleventh.
    await workbench.page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await workbench.runCommand('View: Focus Problems');
    await workbench.page.locator('.markers-panel .monaco-list-row', { hasText: /syntax error/ }).filter({ hasText: /\[Ln 11/ }).first().waitFor();
  });

  it('runs a viewer\'s DELETE read-only: the database refuses it and nothing is deleted', async () => {
    await setConnectionRole(workbench, 'Chinook', 'viewer');
    await workbench.openFile('questions.sql');
    await runLine(13);
    await workbench.notification(/readonly|read-only/i).waitFor({ timeout: 30_000 });
    assert.deepEqual(sqlite(db, 'SELECT count(*) FROM Track WHERE TrackId = 1'), [[1]]);
  });
});
