import * as vscode from 'vscode';
import type { MetadataAccess } from '../../core/metadata/metadataAccess';
import { QueryHistory } from '../../core/queries/queryHistory';
import type { SavedQueryStore } from '../../core/queries/savedQueries';
import { registerSqlEditor } from '../sqlEditor/registerSqlEditor';
import { SqlBindings } from '../sqlEditor/sqlBindings';
import { registerQueryHistory } from './historyPick';
import { registerQueries, type QueryWiring } from './registerQueries';
import { registerSavedQueryCommands } from './savedQueryCommands';

export interface QueryActivation extends QueryWiring {
  metadata: MetadataAccess;
  savedQueries: SavedQueryStore;
  /** The sidebar's redraws: catalogues of SQL editors are dropped with them. */
  onDidRefreshTree: vscode.Event<{ kind?: string; record?: { id: string } } | undefined>;
}

/**
 * Everything of issue 15 in the window: the statement runner, SQL editors bound to connections (catalogues load
 * only once an editor is bound), the history and saved queries, which open editors bound to their connection.
 */
export function activateQueries(context: vscode.ExtensionContext, deps: QueryActivation): vscode.Disposable[] {
  const queries = registerQueries(deps);
  const bindings = new SqlBindings(context.workspaceState);
  const binding = {
    boundConnection: (document: vscode.TextDocument) => bindings.get(document.uri),
    bindDocument: (document: vscode.TextDocument, datasourceId: string) => bindings.bind(document.uri, datasourceId),
  };
  const { datasources, tables, log } = deps;
  return [
    ...queries.disposables,
    ...registerSqlEditor(context, { runner: queries.runner, datasources, tables, onDidRefresh: deps.onDidRefreshTree, log, bindings }),
    ...registerQueryHistory({ runner: queries.runner, history: new QueryHistory(deps.metadata), datasources, log, bindDocument: binding.bindDocument }),
    ...registerSavedQueryCommands({ runner: queries.runner, store: deps.savedQueries, datasources, refreshTree: deps.refreshTree, ...binding }),
  ];
}
