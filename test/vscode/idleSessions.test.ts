// Idle sessions inside a real VS Code: a SQLite connection no tab uses is closed after `nocoflo.idleSessionSeconds`
// (its worker and engine memory given back), an open tab keeps it however long it sits, and the table opened again
// shows what another program wrote meanwhile. nocoflo.internal.connectedDatasources lists the open sessions.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NocofloApi, TableLocator } from '../../api';

interface OpenPanel {
  table: TableLocator;
  started: boolean;
}

const connected = async () => (await vscode.commands.executeCommand<string[]>('nocoflo.internal.connectedDatasources')) ?? [];
const openPanels = async () => (await vscode.commands.executeCommand<OpenPanel[]>('nocoflo.internal.openPanels')) ?? [];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 100 ms until it holds; mocha's timeout bounds the wait. */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await pause(100);
  assert.ok(true, what);
}

describe('idle sessions (nocoflo.idleSessionSeconds)', function () {
  this.timeout(120_000);
  let api: NocofloApi;
  let file: string;
  let table: TableLocator;
  const settings = () => vscode.workspace.getConfiguration('nocoflo');

  before(async () => {
    const extension = vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo');
    assert.ok(extension, 'Nocoflo is installed');
    api = await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    // A copy of its own: another program writes to it below.
    file = path.join(mkdtempSync(path.join(tmpdir(), 'nocoflo-idle-')), 'shop.sqlite');
    copyFileSync(path.join(folder.uri.fsPath, 'shop.sqlite'), file);
    const datasourceId = await api.addDatasource({ type: 'sqlite', name: 'Idle shop', config: { path: file } });
    table = { datasourceId, name: 'customers' };
    await settings().update('idleSessionSeconds', 1, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('idleSessionSeconds', undefined, vscode.ConfigurationTarget.Global);
  });

  it('keeps the session of an open tab past the idle time, closes it once the tab closes, and reopens on current data', async () => {
    await api.openTable(table);
    await until('the tab started', async () => (await openPanels()).some((p) => p.table.datasourceId === table.datasourceId && p.started));
    assert.ok((await connected()).includes(table.datasourceId));
    // Five idle times with the tab open: its session stays (a tab may hold unsaved edits).
    await pause(5_000);
    assert.ok((await connected()).includes(table.datasourceId), 'an open tab keeps its session');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the session closed after the tab', async () => !(await connected()).includes(table.datasourceId));

    // Another program changes the file while nothing of Nocoflo has it open.
    execFileSync('python3', ['-c', 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("update customers set name = ? where id = 1", ("Changed while closed",)); db.commit()', file]);
    const data = api.data?.({ extensionId: 'nocoflo-tests.nocoflo-test-plugin' });
    assert.ok(data, 'the data API is there');
    const page = await data.readRows(table, { limit: 1, filters: [{ column: 'id', op: 'eq', value: 1 }] });
    const name = page.columns.indexOf('name');
    assert.equal(page.rows[0]?.[name], 'Changed while closed', 'the reopened session reads the file as it is now');
  });

  it('closes a session that only a read used (no tab), once it sat unused for the idle time', async () => {
    const data = api.data?.({ extensionId: 'nocoflo-tests.nocoflo-test-plugin' });
    assert.ok(data);
    assert.ok((await data.countRows(table)).count > 0);
    await until('the unused session closed', async () => !(await connected()).includes(table.datasourceId));
  });
});
