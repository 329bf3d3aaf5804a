import * as vscode from 'vscode';
import type { DatasourceManager } from '../../core/datasourceManager';
import type { Logger } from '../../core/log';
import { SqlCatalog, type CatalogSource } from '../../core/queries/sqlCatalog';
import type { StatementToRun } from './statementText';
import type { QueryRunner } from '../queries/queryRunner';
import { chooseConnection, runQueryCommand, type SqlRunDeps } from './runSqlQuery';
import { SqlBindings } from './sqlBindings';
import { registerSqlLanguage, RUN_QUERY_COMMAND } from './sqlLanguage';
import { BIND_SQL_CONNECTION_COMMAND, SqlStatusBar } from './sqlStatusBar';

/** Test hook (not contributed): what the SQL status bar item says now (undefined when hidden). */
export const SQL_STATUS_COMMAND = 'nocoflo.internal.sqlStatus';

export interface SqlEditorDeps {
  runner: QueryRunner;
  datasources: Pick<DatasourceManager, 'list' | 'get' | 'pluginFor'>;
  tables: CatalogSource;
  /**
   * Fires when the sidebar redraws: with a connection's node when that connection was refreshed, with undefined when
   * the whole tree was (connections added, removed or refreshed). Catalogues are dropped accordingly.
   */
  onDidRefresh: vscode.Event<{ kind?: string; record?: { id: string } } | undefined>;
  log: Logger;
  /** The bindings, when the caller shares them (saved queries and the history bind the editors they open). */
  bindings?: SqlBindings;
}

/**
 * SQL documents bound to Nocoflo connections: the status bar binding, Run Query (command, keybinding, CodeLens),
 * diagnostics from error positions, and completion and hover from the bound connection's catalogue. Nothing is loaded
 * until a SQL editor is bound or asks for completion.
 */
export function registerSqlEditor(context: vscode.ExtensionContext, deps: SqlEditorDeps): vscode.Disposable[] {
  const bindings = deps.bindings ?? new SqlBindings(context.workspaceState);
  const catalog = new SqlCatalog(deps.tables);
  const diagnostics = vscode.languages.createDiagnosticCollection('nocoflo-sql');
  const statusBar = new SqlStatusBar(bindings, deps.datasources);
  const runDeps: SqlRunDeps = { runner: deps.runner, datasources: deps.datasources, bindings, diagnostics, bound: (id) => catalog.warm(id) };
  const activeSqlDocument = () => {
    const document = vscode.window.activeTextEditor?.document;
    return document?.languageId === 'sql' ? document : undefined;
  };
  return [
    bindings,
    diagnostics,
    statusBar,
    ...registerSqlLanguage({ bindings, datasources: deps.datasources, catalog }),
    vscode.commands.registerCommand(BIND_SQL_CONNECTION_COMMAND, async (uri?: vscode.Uri) => {
      const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : activeSqlDocument();
      if (!document) {
        void vscode.window.showInformationMessage('Open a SQL editor to choose the Nocoflo connection it runs on.');
        return undefined;
      }
      return chooseConnection(runDeps, document);
    }),
    vscode.commands.registerCommand(RUN_QUERY_COMMAND, async (uri?: unknown, statement?: StatementToRun) => {
      try {
        return await runQueryCommand(runDeps, uri instanceof vscode.Uri ? uri : undefined, statement);
      } catch (error) {
        deps.log.error(`Run Query failed: ${error instanceof Error ? error.message : String(error)}`);
        void vscode.window.showErrorMessage(`Run Query failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(SQL_STATUS_COMMAND, () => statusBar.text),
    // A diagnostic points at text as it was run: an edit makes it stale.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && diagnostics.has(e.document.uri)) diagnostics.delete(e.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    deps.onDidRefresh((node) => {
      if (node?.kind === 'datasource' && node.record) catalog.forget(node.record.id);
      else if (node === undefined) {
        catalog.forget();
        void bindings.prune((id) => deps.datasources.get(id) !== undefined);
        // A renamed connection shows its new name.
        statusBar.update();
      }
    }),
  ];
}
