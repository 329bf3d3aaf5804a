// SQL editors bound to Nocoflo connections (src/host/sqlEditor), inside a real VS Code on a copy of Chinook: binding
// through the status bar's command and its picker, completion of tables and an alias's columns, hover on a table and a
// column, Run lenses, Run Query through the real statement runner, and a failing statement's diagnostic.
import * as assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NocofloApi } from '../../api';
import { choose, closeAllTabs, dismissPick, nocoflo, openPanels, openPick, scratchFolder, waitFor } from './hostSupport';

const status = () => vscode.commands.executeCommand<string | undefined>('nocoflo.internal.sqlStatus');
const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

const folder = scratchFolder();
let files = 0;

/**
 * A .sql file of its own per test: untitled documents get their URI (Untitled-1) again once closed, and with it the
 * previous one's binding and, for a moment, its text in the workbench.
 */
async function sqlEditor(text: string): Promise<vscode.TextEditor> {
  const file = path.join(folder, `query-${++files}.sql`);
  writeFileSync(file, text);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

/** Binds the active SQL editor to `name` through the command the status bar item runs. */
async function bind(name: string): Promise<void> {
  const done = vscode.commands.executeCommand('nocoflo.bindSqlConnection');
  await choose(name);
  await done;
}

async function completions(editor: vscode.TextEditor, at: string): Promise<string[]> {
  const offset = editor.document.getText().indexOf(at) + at.length;
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, editor.document.positionAt(offset));
  return list.items.map(labelOf);
}

async function hover(editor: vscode.TextEditor, word: string): Promise<string> {
  const position = editor.document.positionAt(editor.document.getText().indexOf(word) + 1);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('SQL editors bound to connections', function () {
  this.timeout(120_000);
  let api: NocofloApi;
  let chinookId: string;

  before(async () => {
    api = await nocoflo();
    const file = path.join(folder, 'Chinook_Sqlite.sqlite');
    copyFileSync(path.resolve(__dirname, '../../../test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite'), file);
    chinookId = await api.addDatasource({ type: 'sqlite', name: 'Chinook', config: { path: file } });
  });

  afterEach(closeAllTabs);

  it('the status bar shows the binding of the active SQL editor only, and its command binds it (untitled too)', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT 1' }));
    assert.equal(await waitFor('the status item shows', status, (s) => s !== undefined, 10_000), 'Nocoflo: no connection');
    const done = vscode.commands.executeCommand('nocoflo.bindSqlConnection');
    const pick = await openPick();
    assert.ok(pick.items.some((i) => i.label === 'Chinook'), JSON.stringify(pick.items));
    await choose('Chinook');
    await done;
    assert.equal(await status(), '$(database) Chinook');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'x' }));
    assert.equal(await waitFor('the status item hides', status, (s) => s === undefined, 10_000), undefined);
  });

  it('completion lists Chinook tables and, after an alias, its table columns', async () => {
    const editor = await sqlEditor('SELECT t. FROM Track t JOIN Album a ON a.AlbumId = t.AlbumId');
    await bind('Chinook');
    const tables = await completions(editor, 'SELECT ');
    for (const table of ['Track', 'Album', 'Invoice', 'InvoiceLine', 'Genre']) assert.ok(tables.includes(table), `${table} in ${JSON.stringify(tables)}`);
    assert.ok(tables.includes('SELECT'), 'keywords too');
    const columns = await completions(editor, 'SELECT t.');
    for (const column of ['TrackId', 'Name', 'Milliseconds', 'UnitPrice']) assert.ok(columns.includes(column), `${column} in ${JSON.stringify(columns)}`);
    assert.ok(!columns.includes('Title'), 'not the columns of Album');
    assert.ok((await completions(editor, 'ON a.')).includes('Title'));
    // Measured, not asserted: a cold catalogue (after the sidebar's Refresh, which also closes the session) and a warm one.
    await vscode.commands.executeCommand('nocoflo.refresh', { kind: 'datasource', record: { id: chinookId, name: 'Chinook', type: 'nocoflo.sqlite', config: {} } });
    for (const state of ['cold', 'warm', 'warm']) {
      const started = performance.now();
      const items = await completions(editor, 'SELECT t.');
      console.log(`      completion after "t." on Chinook, ${state}: ${(performance.now() - started).toFixed(1)} ms, ${items.length} items`);
    }
  });

  it('hover names a table\'s kind, columns and keys, and a column\'s type, nullability and reference', async () => {
    const editor = await sqlEditor('SELECT t.Milliseconds, t.GenreId FROM Track t');
    await bind('Chinook');
    const table = await hover(editor, 'Track');
    assert.match(table, /\*\*Track\*\* \(table\), 9 columns/);
    assert.match(table, /Primary key: TrackId/);
    assert.match(table, /AlbumId → Album\(AlbumId\)/);
    assert.match(await hover(editor, 'Milliseconds'), /Track\.Milliseconds\*\* INTEGER · NOT NULL/);
    assert.match(await hover(editor, 'GenreId'), /nullable · references Genre\(GenreId\)/);
  });

  it('a Run lens sits above each statement and runs it', async () => {
    const editor = await sqlEditor('SELECT 1;\n\nSELECT Name FROM Genre;\n-- only a comment\n');
    await bind('Chinook');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [0, '$(play) Run'],
        [2, '$(play) Run'],
      ],
    );
    const outcome = await vscode.commands.executeCommand<{ kind: string }>(lenses[1].command!.command, ...(lenses[1].command!.arguments ?? []));
    assert.equal(outcome.kind, 'result');
    await waitFor('the result tab opens', openPanels, (panels) => panels.some((p) => p.table.datasourceId === chinookId && p.table.query?.text === 'SELECT Name FROM Genre'));
  });

  it('Run Query on an unbound editor asks for a connection first; dismissed, nothing runs', async () => {
    await sqlEditor('SELECT 1');
    const done = vscode.commands.executeCommand('nocoflo.runQuery');
    assert.equal((await openPick()).title, 'Run this SQL editor on…');
    await dismissPick();
    assert.equal(await done, undefined);
    assert.equal(await status(), 'Nocoflo: no connection');
  });

  it('Run Query runs the statement under the cursor; a failure points into the document and clears on an edit', async () => {
    const editor = await sqlEditor('SELECT 1;\nSELECT nosuch\n  FROM Track;');
    await bind('Chinook');
    editor.selection = new vscode.Selection(1, 3, 1, 3);
    const outcome = await vscode.commands.executeCommand<{ kind: string; message: string; position?: unknown }>('nocoflo.runQuery');
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.message, /nosuch/);
    const diagnostics = vscode.languages.getDiagnostics(editor.document.uri);
    assert.equal(diagnostics.length, 1, `the failure ${JSON.stringify(outcome)} is a diagnostic`);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(diagnostics[0].range), 'nosuch');
    await editor.edit((e) => e.insert(new vscode.Position(2, 0), ' '));
    await waitFor('the diagnostic clears', () => vscode.languages.getDiagnostics(editor.document.uri).length, (n) => n === 0, 10_000);
  });
});
