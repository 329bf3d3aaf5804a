// A SQL editor bound to Chinook on a real MariaDB (started here, on a free port, in a temporary directory): Run lenses
// and Run Query through the real statement runner, and a failing statement's error position as a diagnostic on the
// word the server named (MariaDB's "Unknown column"), in a CRLF document, cleared by an edit. SQLite: sqlEditor.test.ts.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadChinookMariadb } from '../support/datasets';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';
import { choose, closeAllTabs, nocoflo, openPanels, scratchFolder, waitFor } from './hostSupport';

describe('SQL editors on MariaDB', function () {
  this.timeout(180_000);
  let server: MariadbServer;
  let datasourceId: string;
  const folder = scratchFolder();

  before(async () => {
    const api = await nocoflo();
    server = await startMariadb();
    const database = await loadChinookMariadb(server);
    const url = `mysql://${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${database}`;
    datasourceId = await api.addDatasource({ name: 'Chinook on MariaDB', url });
  });

  after(async () => {
    await closeAllTabs();
    await server?.stop();
  });

  async function boundEditor(name: string, text: string): Promise<vscode.TextEditor> {
    const file = path.join(folder, name);
    writeFileSync(file, text);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const done = vscode.commands.executeCommand('nocoflo.bindSqlConnection');
    await choose('Chinook on MariaDB');
    await done;
    return editor;
  }

  it('a Run lens runs its statement into a result tab', async () => {
    const editor = await boundEditor('lens.sql', 'SELECT 1;\n\nSELECT Name FROM Genre;\n');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    assert.deepEqual(lenses.map((l) => l.range.start.line), [0, 2]);
    const outcome = await vscode.commands.executeCommand<{ kind: string }>(lenses[1].command!.command, ...(lenses[1].command!.arguments ?? []));
    assert.equal(outcome.kind, 'result');
    await waitFor('the result tab opens', openPanels, (panels) => panels.some((p) => p.table.datasourceId === datasourceId && p.table.query?.text === 'SELECT Name FROM Genre'));
  });

  it('a failing statement under the cursor is a diagnostic on the word the server named; an edit clears it', async () => {
    const editor = await boundEditor('failing.sql', 'SELECT 1;\r\nSELECT TrackId,\r\n  nosuch FROM Track;\r\n');
    editor.selection = new vscode.Selection(1, 3, 1, 3);
    const outcome = await vscode.commands.executeCommand<{ kind: string; message: string; position?: { line: number; column: number } }>('nocoflo.runQuery');
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.message, /nosuch/);
    assert.deepEqual(outcome.position, { line: 2, column: 3 });
    const diagnostics = vscode.languages.getDiagnostics(editor.document.uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(diagnostics[0].range), 'nosuch');
    assert.equal(diagnostics[0].range.start.line, 2);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), ' '));
    await waitFor('the diagnostic clears', () => vscode.languages.getDiagnostics(editor.document.uri).length, (n) => n === 0, 10_000);
  });
});
