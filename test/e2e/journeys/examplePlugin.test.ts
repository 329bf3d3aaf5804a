// The example plugin extension (examples/csv-kanban) as a user meets it, in a real VS Code: packaged and installed
// beside Nocoflo, it adds a "CSV folder" datasource and a "Board" view through the public API only. The journey
// adds a folder of CSV files by URL, browses its tables in the sidebar, opens one in Nocoflo's own grid and saves an
// edit into the file, then "Open as…" → Board shows one column per distinct value with the right number of cards,
// and moving a card to another column rewrites the file. Expected numbers come from the rows this test wrote.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatCsv, parseCsv } from '../../../examples/csv-kanban/src/csv';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { journeyCleanup } from '../../support/journeys';
import { Workbench } from '../../support/workbench';

const STATUSES = ['todo', 'doing', 'done', 'blocked'];
const OWNERS = ['ada', 'bob', 'cyd'];
/** 23 tasks: statuses unevenly spread, one without a status (an empty field is NULL). */
const TASKS = Array.from({ length: 23 }, (_, i) => ({
  id: i + 1,
  title: `Task ${i + 1}`,
  status: i === 22 ? null : STATUSES[(i % 7) % STATUSES.length]!,
  owner: OWNERS[i % OWNERS.length]!,
}));

function countBy(values: (string | null)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v ?? '(empty)', (counts.get(v ?? '(empty)') ?? 0) + 1);
  return counts;
}

describe('journey: the example plugin extension (CSV folder + board)', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let folder: string;
  const cspMessages: string[] = [];
  const tasksFile = () => path.join(folder, 'tasks.csv');
  const readTasks = () => parseCsv(readFileSync(tasksFile(), 'utf8'));
  const view = () => workbench.webview();
  const tab = () => workbench.page.locator('.tab', { hasText: 'tasks — Task files' });

  before(async function () {
    const vsix = path.join(repoRoot(), 'dist/example-csv-kanban.vsix');
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: scripts/test-e2e.sh builds and packages examples/csv-kanban`);
    const workspace = mkdtempSync(path.join(tmpdir(), 'nocoflo-example-'));
    folder = path.join(workspace, 'task files');
    mkdirSync(folder);
    writeFileSync(tasksFile(), formatCsv(['id', 'title', 'status', 'owner'], TASKS.map((t) => [String(t.id), t.title, t.status, t.owner])));
    writeFileSync(path.join(folder, 'people.csv'), 'id,name,"team, floor"\n1,Ada,"core, 2"\n2,Bob,"web, 3"\n');
    writeFileSync(path.join(folder, 'readme.txt'), 'not a table');
    // More rows than the board reads.
    writeFileSync(path.join(folder, 'events.csv'), formatCsv(['id', 'kind'], Array.from({ length: 2_500 }, (_, i) => [String(i + 1), i % 2 ? 'odd' : 'even'])));
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix'), vsix] });
    workbench = await Workbench.open(server);
    workbench.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspMessages.push(message.text());
    });
  });

  journeyCleanup('examplePlugin', () => ({ workbench, server }));

  it('adds a CSV folder by URL and lists its .csv files as tables in the sidebar', async () => {
    await workbench.openNocofloSidebar();
    await workbench.runCommand('Nocoflo: Add Datasource…');
    // The example's datasource is offered beside the built-ins.
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'CSV folder' }).waitFor({ timeout: 60_000 });
    await workbench.answerQuickInput('Paste a connection URL', 'Add Datasource');
    await workbench.answerQuickInput(`csv://${encodeURI(folder)}`, 'Connection URL');
    await workbench.answerQuickInput('Task files', 'Datasource name');
    await workbench.treeItem('Task files').click();
    await workbench.treeItem(/^tasks$/).waitFor({ timeout: 60_000 });
    await workbench.treeItem(/^people$/).waitFor();
    assert.equal(await workbench.treeItem(/^readme/).count(), 0, 'only .csv files are tables');
    // Nocoflo counts the rows through the datasource's countRows; once the counts are in, the tree stops re-rendering.
    await workbench.treeItem(/^tasks$/).filter({ hasText: `${TASKS.length} rows` }).waitFor({ timeout: 30_000 });
    await workbench.treeItem(/^events$/).filter({ hasText: '2,500 rows' }).waitFor({ timeout: 30_000 });
  });

  it('opens a table in Nocoflo\'s grid and saves an edit into the CSV file', async () => {
    // The counts are in (previous step), so the tree no longer redraws this row under the click.
    await workbench.treeItem(/^tasks$/).click();
    await tab().waitFor({ timeout: 30_000 });
    await view().locator('.status-count', { hasText: `${TASKS.length} rows` }).waitFor({ timeout: 60_000 });
    const headers = await view().locator('.header-cell .header-label').allTextContents();
    assert.deepEqual(headers.slice(0, 4), ['id', 'title', 'status', 'owner']);
    await view().locator('.grid-row[aria-rowindex="2"] .cell').nth(headers.indexOf('title')).dblclick();
    const editor = view().locator('.cell-editor .editor-field input');
    await editor.fill('Write the "example", quoted');
    await editor.press('Enter');
    await workbench.page.locator('.tab', { hasText: '● tasks — Task files' }).waitFor();
    await workbench.page.keyboard.press('Control+s');
    await tab().filter({ hasNotText: '●' }).waitFor({ timeout: 30_000 });
    const saved = readTasks();
    assert.deepEqual(saved.records[0], ['1', 'Write the "example", quoted', TASKS[0]!.status, TASKS[0]!.owner]);
    assert.deepEqual(saved.records.slice(1).map((r) => r[1]), TASKS.slice(1).map((t) => t.title), 'the other rows are as they were');
    assert.equal(saved.records[22]![2], null, 'an empty status stays empty (NULL), not ""');
  });

  it('"Open as…" → Board shows one column per distinct value with the right number of cards', async () => {
    await workbench.runCommand('View: Close All Editors');
    await tab().waitFor({ state: 'detached' });
    await workbench.treeContextMenu(/^tasks$/, /^Open as/);
    await workbench.answerQuickInput('Board', 'Open table as…');
    await tab().waitFor();
    const select = view().locator('select.board-group-by');
    await select.waitFor({ timeout: 60_000 });
    assert.deepEqual(await select.locator('option').allTextContents(), ['title', 'status', 'owner'], 'text columns to group by');
    await select.selectOption('status');
    const expected = countBy(TASKS.map((t) => t.status));
    assert.equal(expected.size, STATUSES.length + 1, 'the fixture has every status and an empty one');
    await view().locator('.board-status', { hasText: `${TASKS.length} cards in ${expected.size} columns by status` }).waitFor({ timeout: 30_000 });
    const columns = view().locator('.board-column');
    assert.equal(await columns.count(), expected.size);
    for (const [value, count] of expected) {
      const column = view().locator(`.board-column[data-value="${value}"]`);
      assert.equal(await column.locator('.board-card').count(), count, `cards in ${value}`);
      assert.equal(await column.locator('.board-column-count').textContent(), String(count));
    }
    // The title of a card is the first text column that is not grouped by.
    await view().locator('.board-column[data-value="todo"] .board-card-title', { hasText: 'Write the "example", quoted' }).waitFor();
    await select.selectOption('owner');
    for (const [value, count] of countBy(TASKS.map((t) => t.owner))) {
      assert.equal(await view().locator(`.board-column[data-value="${value}"] .board-card`).count(), count, `cards of ${value}`);
    }
    await workbench.screenshot('example-plugin-board');
    assert.deepEqual(cspMessages, [], 'nothing was blocked by the Content Security Policy');
  });

  it('moving a card to another column saves the new value into the CSV file', async () => {
    await view().locator('select.board-group-by').selectOption('status');
    const card = view().locator('.board-column[data-value="todo"] .board-card', { hasText: 'Write the "example", quoted' });
    await card.locator('select.board-card-move').selectOption('done');
    await view().locator('.board-column[data-value="done"] .board-card', { hasText: 'Write the "example", quoted' }).waitFor({ timeout: 30_000 });
    assert.equal(readTasks().records[0]![2], 'done');
    const expected = countBy(readTasks().records.map((r) => r[2]!));
    for (const [value, count] of expected) assert.equal(await view().locator(`.board-column[data-value="${value}"] .board-card`).count(), count, `cards in ${value}`);
  });

  it('reads a table through Nocoflo\'s data API from its own command', async () => {
    await workbench.runCommand('CSV Kanban: Summarize a Table (Nocoflo data API)');
    await workbench.answerQuickInput('Task files', 'Summarize a table: connection');
    await workbench.answerQuickInput('tasks', 'Summarize a table: table');
    await workbench.notification(`tasks: ${TASKS.length} rows, 4 columns (id, title, status, owner)`).waitFor({ timeout: 30_000 });
  });

  it('reads at most 2,000 rows of a bigger table and says so', async () => {
    await workbench.runCommand('View: Close All Editors');
    await tab().waitFor({ state: 'detached' });
    await workbench.treeContextMenu(/^events$/, /^Open as/);
    await workbench.answerQuickInput('Board', 'Open table as…');
    await view().locator('.board-note', { hasText: 'Showing the first 2,000 of 2,500 rows.' }).waitFor({ timeout: 60_000 });
    assert.equal(await view().locator('.board-column[data-value="even"] .board-card').count(), 1_000);
    assert.equal(await view().locator('.board-column[data-value="odd"] .board-card').count(), 1_000);
  });
});
