// Save Query… and the saved queries' tree commands. Saved queries live in the metadata store
// (src/core/queries/savedQueries.ts); opening one goes through the QueryRunner like any other statement.
import * as vscode from 'vscode';
import { statementAt, trimStatement } from '../../../plugins/kit/sql/sqlText';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage } from '../../core/log';
import { savedQueryNameProblem, type SavedQuery, type SavedQueryStore } from '../../core/queries/savedQueries';
import { pickOne } from '../quickPick';
import type { SavedQueryNode } from '../tree/treeNodes';
import type { QueryRunner } from './queryRunner';
import { sqlFlavourOf } from './sqlFlavour';

/** What Save Query… may be given by its callers (result tabs, the SQL editor); without it, it reads the active editor. */
export interface SaveQueryArgs {
  datasourceId: string;
  text: string;
  name?: string;
}

export interface SavedQueryDeps {
  runner: Pick<QueryRunner, 'run'>;
  store: SavedQueryStore;
  datasources: Pick<DatasourceManager, 'list' | 'get' | 'pluginFor'>;
  refreshTree(): void;
  /** The connection a SQL document is bound to, once SQL editors have bindings (src/host/sqlEditor). */
  boundConnection?(document: vscode.TextDocument): string | undefined;
  /** Binds a SQL document to a connection, once SQL editors have bindings. */
  bindDocument?(document: vscode.TextDocument, datasourceId: string): Promise<void> | void;
}

const isSaveArgs = (v: unknown): v is SaveQueryArgs =>
  typeof v === 'object' && v !== null && typeof (v as SaveQueryArgs).datasourceId === 'string' && typeof (v as SaveQueryArgs).text === 'string';

const isNode = (v: unknown): v is SavedQueryNode => typeof v === 'object' && v !== null && (v as SavedQueryNode).kind === 'savedQuery';

/** Opens `text` in a new untitled SQL editor, bound to its connection where bindings exist. */
export async function openInSqlEditor(deps: Pick<SavedQueryDeps, 'bindDocument'>, datasourceId: string, text: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content: text });
  await vscode.window.showTextDocument(document);
  await deps.bindDocument?.(document, datasourceId);
}

async function pickConnection(deps: SavedQueryDeps, title: string): Promise<string | undefined> {
  const items = deps.datasources.list().map((r) => ({ label: r.name, description: r.type, id: r.id }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Add a connection first: saved queries belong to a connection.');
    return undefined;
  }
  return (await pickOne(items, { title, placeholder: 'Which connection does this query run on?' }))?.id;
}

/** The selection, else the statement under the cursor, of the active editor, with the connection it is bound to. */
async function fromActiveEditor(deps: SavedQueryDeps): Promise<SaveQueryArgs | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Save Query… saves the statement under the cursor of a SQL editor, or a query result tab.');
    return undefined;
  }
  const datasourceId = deps.boundConnection?.(editor.document) ?? (await pickConnection(deps, 'Save Query…'));
  if (!datasourceId) return undefined;
  const document = editor.document;
  let text = document.getText(editor.selection);
  if (editor.selection.isEmpty) {
    const whole = document.getText();
    const record = deps.datasources.get(datasourceId);
    const flavour = sqlFlavourOf(record && deps.datasources.pluginFor(record));
    const span = statementAt(whole, flavour, document.offsetAt(editor.selection.active));
    text = span ? whole.slice(span.start, span.end) : '';
  }
  text = trimStatement(text);
  if (text === '') {
    void vscode.window.showInformationMessage('There is no statement under the cursor to save.');
    return undefined;
  }
  return { datasourceId, text };
}

/** Asks for a name; a name in use for another statement asks before overwriting it. */
async function saveWithName(deps: SavedQueryDeps, args: SaveQueryArgs): Promise<SavedQuery | undefined> {
  for (let value = args.name ?? '';;) {
    const name = await vscode.window.showInputBox({
      title: 'Save Query…',
      prompt: `A name for this query on "${deps.datasources.get(args.datasourceId)?.name ?? args.datasourceId}"`,
      value,
      ignoreFocusOut: true,
      validateInput: (v) => savedQueryNameProblem(v),
    });
    if (name === undefined) return undefined;
    const existing = deps.store.get(args.datasourceId, name.trim());
    if (existing && existing.text !== args.text) {
      const answer = await vscode.window.showWarningMessage(`A saved query named "${name.trim()}" already exists on this connection. Replace its statement?`, { modal: true }, 'Replace', 'Choose Another Name');
      if (answer === 'Choose Another Name') {
        value = name;
        continue;
      }
      if (answer !== 'Replace') return undefined;
    }
    return deps.store.save({ datasourceId: args.datasourceId, name, text: args.text }, { overwrite: true });
  }
}

export function registerSavedQueryCommands(deps: SavedQueryDeps): vscode.Disposable[] {
  const command = (id: string, run: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        void vscode.window.showErrorMessage(errorMessage(error));
        return undefined;
      }
    });
  const changed = <T>(value: T): T => {
    deps.refreshTree();
    return value;
  };
  return [
    command('nocoflo.saveQuery', async (arg) => {
      const args = isSaveArgs(arg) ? arg : await fromActiveEditor(deps);
      if (!args) return undefined;
      const saved = await saveWithName(deps, args);
      return saved ? changed(saved) : undefined;
    }),
    command('nocoflo.openSavedQuery', async (node) => {
      if (!isNode(node)) return undefined;
      const { datasourceId, name, text } = node.query;
      return deps.runner.run({ datasourceId, text, title: name, savedQuery: name });
    }),
    // A second argument renames without asking (for callers that already have the name, such as tests).
    command('nocoflo.renameSavedQuery', async (node, newName) => {
      if (!isNode(node)) return undefined;
      const { datasourceId, name: from } = node.query;
      const to =
        typeof newName === 'string'
          ? newName
          : await vscode.window.showInputBox({
              title: 'Rename Saved Query',
              value: from,
              ignoreFocusOut: true,
              validateInput: (v) => savedQueryNameProblem(v) ?? (v.trim() !== from && deps.store.get(datasourceId, v.trim()) ? 'This connection already has a saved query with that name.' : undefined),
            });
      if (to === undefined) return undefined;
      return changed(await deps.store.rename(datasourceId, from, to));
    }),
    // `{ confirmed: true }` as second argument skips the question (for callers that asked already, such as tests).
    command('nocoflo.deleteSavedQuery', async (node, options) => {
      if (!isNode(node)) return undefined;
      const confirmed = (options as { confirmed?: unknown } | undefined)?.confirmed === true;
      if (!confirmed) {
        const answer = await vscode.window.showWarningMessage(`Delete the saved query "${node.query.name}"? Its statement is not kept anywhere else.`, { modal: true }, 'Delete');
        if (answer !== 'Delete') return false;
      }
      await deps.store.delete(node.query.datasourceId, node.query.name);
      return changed(true);
    }),
    command('nocoflo.copySavedQuerySql', async (node) => {
      if (isNode(node)) await vscode.env.clipboard.writeText(node.query.text);
    }),
    command('nocoflo.openSavedQueryInEditor', async (node) => {
      if (isNode(node)) await openInSqlEditor(deps, node.query.datasourceId, node.query.text);
    }),
  ];
}
