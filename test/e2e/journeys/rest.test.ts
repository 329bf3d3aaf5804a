// A REST API as a user meets it in a real VS Code: add it through the connection form (base URL, bearer token,
// endpoints as JSON), browse a paginated endpoint in the grid, edit a record and save, and see the API's own state
// change; an endpoint sorted by Nocoflo itself says so in the status line.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { startRestServer, type RestServer } from '../../support/servers/restServer';
import { journeyCleanup } from '../../support/journeys';
import { Workbench } from '../../support/workbench';

describe('journey: a REST API through the connection form', function () {
  let api: RestServer;
  let server: CodeServer;
  let workbench: Workbench;

  const form = () => workbench.webview();
  const row = (name: string) => form().locator(`.form-row[data-field="${name}"]`);
  const endpoints = [
    {
      name: 'items',
      path: '/page/items',
      recordsPath: 'data',
      idField: 'id',
      pagination: { style: 'page', pageSize: 40 },
      writes: { insert: 'POST /items', update: 'PATCH /items/{id}', delete: 'DELETE /items/{id}' },
    },
    { name: 'secure', path: '/bearer/items', idField: 'id' },
  ];

  before(async function () {
    api = await startRestServer();
    const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-rest-')));
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')] });
    workbench = await Workbench.open(server);
  });

  journeyCleanup('rest', () => ({ workbench, server, services: [api] }));

  it('adds the API through the form with a bearer token and tests it', async () => {
    await workbench.openNocofloSidebar();
    await workbench.runCommand('Nocoflo: Add Datasource…');
    await workbench.answerQuickInput('REST API', 'Add Datasource');
    await row('baseUrl').locator('input').waitFor({ timeout: 30_000 });
    await row('name').locator('input').fill('Items API');
    await row('baseUrl').locator('input').fill(api.baseUrl);
    await row('auth').locator('vscode-single-select').click();
    await row('auth').getByRole('option', { name: 'bearer', exact: true }).click();
    await row('token').locator('input').fill(api.token);
    await row('endpoints').locator('textarea').fill('[ not json');
    await form().locator('vscode-button', { hasText: 'Test Connection' }).click();
    await row('endpoints').locator('.form-error', { hasText: 'not valid JSON' }).waitFor();
    await row('endpoints').locator('textarea').fill(JSON.stringify(endpoints, null, 2));
    await form().locator('vscode-button', { hasText: 'Test Connection' }).click();
    await form().locator('.form-status.ok', { hasText: 'Connection succeeded' }).waitFor({ timeout: 30_000 });
    await workbench.screenshot('rest-connection-form');
    await form().locator('vscode-button', { hasText: 'Save Connection' }).click();
    await workbench.notification('Saved connection "Items API"').waitFor();
    assert.ok(api.requests.some((r) => r.path.startsWith('/v1/bearer/items') && r.headers.authorization === `Bearer ${api.token}`), 'the token reached the API');
  });

  it('browses the paginated endpoint, edits a record, and the API has it', async () => {
    await workbench.treeItem('Items API').click();
    await workbench.treeItem(/^items$/).click();
    await workbench.page.locator('.tab', { hasText: 'items — Items API' }).waitFor();
    const view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    await view.locator('.status-count', { hasText: `${api.items.size} rows` }).waitFor({ timeout: 30_000 });
    const headers = await view.locator('.header-cell .header-label').allTextContents();
    const nameColumn = headers.indexOf('name');
    assert.ok(nameColumn >= 0, `a name column in ${headers.join(', ')}`);
    const first = [...api.items.values()].sort((a, b) => a.id - b.id)[0]!;
    await view.locator('.grid-row[aria-rowindex="2"] .cell').nth(nameColumn).dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.fill('Renamed through Nocoflo');
    await editor.press('Enter');
    // The edit is pending (the tab says so) before Ctrl+S, so the clean tab afterwards means "saved".
    await workbench.page.locator('.tab', { hasText: '● items — Items API' }).waitFor();
    await workbench.page.keyboard.press('Control+s');
    await workbench.page.locator('.tab', { hasText: 'items — Items API' }).filter({ hasNotText: '●' }).waitFor();
    assert.equal(api.items.get(first.id)?.name, 'Renamed through Nocoflo');
    const patch = api.requests.find((r) => r.method === 'PATCH' && r.path === `/v1/items/${first.id}`);
    assert.ok(patch, 'the save sent PATCH /v1/items/<id>');
    assert.deepEqual(patch.body, { name: 'Renamed through Nocoflo' });
  });

  it('says when the API cannot sort and Nocoflo sorts the fetched records itself', async () => {
    const view = workbench.webview();
    const nameHeader = view.locator('.header-cell', { has: view.locator('.header-label', { hasText: /^name$/ }) });
    await nameHeader.click();
    await view.locator('.status-note', { hasText: /Nocoflo|client|fetched/i }).waitFor({ timeout: 30_000 });
  });
});
