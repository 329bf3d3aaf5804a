import * as vscode from 'vscode';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorOffset, statementTitle, statementToRun, type StatementToRun } from './statementText';
import { pickOne } from '../quickPick';
import type { QueryRunner, RunQueryOutcome } from '../queries/queryRunner';
import { sqlFlavourOf } from '../queries/sqlFlavour';
import type { SqlBindings } from './sqlBindings';

export interface SqlRunDeps {
  runner: QueryRunner;
  datasources: Pick<DatasourceManager, 'list' | 'get' | 'pluginFor'>;
  bindings: SqlBindings;
  diagnostics: vscode.DiagnosticCollection;
  /** Called after a document was bound (to load its connection's catalogue ahead of completion). */
  bound(datasourceId: string): void;
}

/** Asks which connection `document` runs on and binds it; undefined when the user chose none. */
export async function chooseConnection(deps: SqlRunDeps, document: vscode.TextDocument): Promise<string | undefined> {
  const records = deps.datasources.list();
  if (records.length === 0) {
    void vscode.window.showInformationMessage('Nocoflo has no connections yet: add one in the Nocoflo sidebar, then choose it for this SQL editor.');
    return undefined;
  }
  const current = deps.bindings.get(document.uri);
  const items = records.map((r) => ({ label: r.name, description: deps.datasources.pluginFor(r)?.displayName ?? r.type, id: r.id }));
  const chosen = await pickOne(items, {
    title: 'Run this SQL editor on…',
    placeholder: 'Choose a Nocoflo connection',
    ...(current !== undefined ? { active: items.find((i) => i.id === current) } : {}),
  });
  if (!chosen) return undefined;
  await deps.bindings.bind(document.uri, chosen.id);
  deps.bound(chosen.id);
  return chosen.id;
}

/** The connection `document` is bound to, asking for one when it has none (or its connection was removed). */
async function boundConnection(deps: SqlRunDeps, document: vscode.TextDocument): Promise<string | undefined> {
  const id = deps.bindings.get(document.uri);
  if (id !== undefined && deps.datasources.get(id)) return id;
  return chooseConnection(deps, document);
}

/** The statement Run Query sends from `editor`: its selection, else the statement under the cursor. */
export function editorStatement(deps: Pick<SqlRunDeps, 'datasources'>, editor: vscode.TextEditor, datasourceId: string): StatementToRun | undefined {
  const { document, selection } = editor;
  const record = deps.datasources.get(datasourceId);
  const flavour = sqlFlavourOf(record ? deps.datasources.pluginFor(record) : undefined);
  return statementToRun(document.getText(), flavour, { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) }, document.offsetAt(selection.active));
}

/**
 * Runs one statement of `document` with progress and a cancel button; a failure is shown, and pointed at in the
 * document when the database said where.
 */
export async function runStatement(deps: SqlRunDeps, document: vscode.TextDocument, datasourceId: string, statement: StatementToRun): Promise<RunQueryOutcome> {
  deps.diagnostics.delete(document.uri);
  const title = statementTitle(statement.text);
  const name = deps.datasources.get(datasourceId)?.name ?? datasourceId;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running ${title} on ${name}`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      return deps.runner
        .run({ datasourceId, text: statement.text, title, source: { uri: document.uri.toString(), offset: statement.offset } }, abort.signal)
        .finally(() => listener.dispose());
    },
  );
  if (outcome.kind === 'executed') void vscode.window.showInformationMessage(outcome.message);
  else if (outcome.kind === 'cancelled') vscode.window.setStatusBarMessage(outcome.message, 5000);
  else if (outcome.kind === 'failed') {
    void vscode.window.showErrorMessage(outcome.message);
    if (outcome.position) {
      const at = document.positionAt(errorOffset(statement, outcome.position));
      const range = document.getWordRangeAtPosition(at) ?? new vscode.Range(at, at.translate(0, 1));
      const diagnostic = new vscode.Diagnostic(range, outcome.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = name;
      deps.diagnostics.set(document.uri, [diagnostic]);
    }
  }
  return outcome;
}

/** Run Query: the selection or the statement under the cursor of the active SQL editor (or the given statement). */
export async function runQueryCommand(deps: SqlRunDeps, uri?: vscode.Uri, statement?: StatementToRun): Promise<RunQueryOutcome | undefined> {
  const editor = uri ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString()) : vscode.window.activeTextEditor;
  const document = editor?.document ?? (uri ? await vscode.workspace.openTextDocument(uri) : undefined);
  if (!document || document.languageId !== 'sql') {
    void vscode.window.showInformationMessage('Run Query runs the statement under the cursor of a SQL editor: open a .sql file first.');
    return undefined;
  }
  const datasourceId = await boundConnection(deps, document);
  if (datasourceId === undefined) return undefined;
  const chosen = statement ?? (editor ? editorStatement(deps, editor, datasourceId) : undefined);
  if (!chosen) {
    void vscode.window.showInformationMessage('There is no statement here to run: put the cursor in a statement or select one.');
    return undefined;
  }
  return runStatement(deps, document, datasourceId, chosen);
}
