// An AI agent's proposal as a person meets it, in a real VS Code: an agent (the test extension's command, calling
// vscode.lm.invokeTool as a chat participant would) proposes an update and an insert to "customers"; VS Code asks
// first, saying what is proposed where; the grid opens with the changes as unsaved edits and nothing is written
// until the person presses Ctrl+S. Then the database file (read by Python's sqlite3) has the change, and the Audit
// Log names the agent proposal as the source of the save.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { addDatasourceByUrl, sqlite } from '../../support/journeys';
import { Workbench } from '../../support/workbench';

describe('journey: an AI agent proposes changes, the user saves them', function () {
  let server: CodeServer;
  let workbench: Workbench;
  let db: string;

  before(async function () {
    const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-agent-')));
    db = path.join(workspace, 'shop.sqlite');
    server = await startCodeServer({
      workspace,
      extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix'), path.join(repoRoot(), 'dist/test-plugin.vsix')],
      settings: { 'nocoflo.userName': 'Ada Agent' },
    });
    workbench = await Workbench.open(server);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench.screenshot(`FAILED agentTools ${this.currentTest.title}`);
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('asks before the proposal opens, then shows it as unsaved edits without writing anything', async () => {
    await addDatasourceByUrl(workbench, db, 'Shop');
    await workbench.treeItem('Shop').click();
    await workbench.treeItem('customers').waitFor({ timeout: 60_000 });
    const before = sqlite(db, 'select name from customers where id = 2')[0]![0] as string;

    await workbench.runCommand('Nocoflo Tests: Invoke Language Model Tool…');
    await workbench.answerQuickInput('nocoflo_proposeChanges', 'Tool name');
    const proposal = { connection: 'Shop', table: 'customers', updates: [{ key: { id: 2 }, changes: { name: 'Linus (agent)' } }], inserts: [{ values: { name: 'Agent Smith', country: 'US' } }] };
    await workbench.answerQuickInput(JSON.stringify(proposal), 'Tool input (JSON)');

    const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: 'Propose changes' });
    await dialog.waitFor({ timeout: 60_000 });
    assert.match((await dialog.locator('.dialog-message-detail').textContent()) ?? '', /The agent proposes 1 insert and 1 update in customers of "Shop"\. .*nothing is written until you review and save them\./);
    await dialog.locator('.monaco-button', { hasText: /^(Yes|Continue|OK)$/ }).click();

    await workbench.notification(/Tool answer: .*awaiting the user's review/).waitFor({ timeout: 60_000 });
    await workbench.page.locator('.tab', { hasText: '● customers — Shop' }).waitFor();
    const grid = workbench.webview();
    await grid.locator('.grid-row.inserted').waitFor({ timeout: 60_000 });
    await grid.locator('.cell.dirty', { hasText: 'Linus (agent)' }).waitFor({ timeout: 60_000 });
    assert.deepEqual(sqlite(db, 'select name from customers where id = 2'), [[before]], 'nothing written before the user saves');
    assert.deepEqual(sqlite(db, "select count(*) from customers where name = 'Agent Smith'"), [[0]]);
  });

  it('Ctrl+S saves the proposal, and the Audit Log names the agent proposal as its source', async () => {
    const grid = workbench.webview();
    await grid.locator('.cell.dirty', { hasText: 'Linus (agent)' }).click();
    await workbench.page.keyboard.press('Control+s');
    await workbench.page.locator('.tab', { hasText: /^customers — Shop/ }).filter({ hasNotText: '●' }).waitFor({ timeout: 60_000 });
    assert.deepEqual(sqlite(db, 'select name from customers where id = 2'), [['Linus (agent)']]);
    assert.deepEqual(sqlite(db, "select country from customers where name = 'Agent Smith'"), [['US']]);

    await workbench.runCommand('Nocoflo: Show Audit Log');
    await workbench.page.locator('.tab', { hasText: 'Audit Log' }).waitFor();
    const audit = workbench.webview();
    const entry = audit.locator('.audit-entry', { has: audit.locator('.entry-key', { hasText: 'id=2' }) });
    await entry.waitFor({ timeout: 60_000 });
    const batch = audit.locator('.audit-batch', { has: entry });
    assert.equal(await batch.locator('.batch-source').textContent(), 'AI agent proposal (reviewed and saved by the user)');
    assert.equal(await batch.locator('.batch-user').textContent(), 'Ada Agent');
    assert.equal(await batch.locator('.audit-entry').count(), 2, 'the update and the insert, saved together');
    await workbench.screenshot('agent-proposal-audited');
  });
});
