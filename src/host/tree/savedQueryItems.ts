import * as vscode from 'vscode';
import type { SavedQueryStore } from '../../core/queries/savedQueries';
import type { DatasourceNode, QueriesNode, SavedQueryNode, TreeNode } from './treeNodes';

// The "Queries" rows of the sidebar, kept apart from datasourceTree.ts, which draws what the databases hold.

/** What clicking a saved query runs (src/host/queries/savedQueryCommands.ts). */
export const OPEN_SAVED_QUERY_COMMAND = 'nocoflo.openSavedQuery';

/**
 * A connection's "Queries" row, only when it has saved queries: a connection without any looks as it always did,
 * and the row appears with the first Save Query….
 */
export function queriesChildren(store: Pick<SavedQueryStore, 'list'> | undefined, node: DatasourceNode): TreeNode[] {
  const queries = store?.list(node.record.id) ?? [];
  return queries.length > 0 ? [{ kind: 'queries', datasourceId: node.record.id, queries }] : [];
}

export function savedQueryChildren(node: QueriesNode): SavedQueryNode[] {
  return node.queries.map((query) => ({ kind: 'savedQuery', query }));
}

/** Draws a "Queries" or saved-query row into `item` (its id is already set). */
export function drawQueryItem(item: vscode.TreeItem, node: QueriesNode | SavedQueryNode): void {
  if (node.kind === 'queries') {
    item.label = 'Queries';
    item.description = `${node.queries.length}`;
    item.tooltip = 'Saved queries of this connection';
    item.iconPath = new vscode.ThemeIcon('folder-library');
    item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    item.contextValue = 'nocoflo.queries';
    return;
  }
  item.label = node.query.name;
  const firstLine = node.query.text.trim().split('\n', 1)[0] ?? '';
  item.description = firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine;
  item.tooltip = node.query.text;
  item.iconPath = new vscode.ThemeIcon('symbol-namespace');
  item.collapsibleState = vscode.TreeItemCollapsibleState.None;
  item.contextValue = 'nocoflo.savedQuery';
  item.command = { command: OPEN_SAVED_QUERY_COMMAND, title: 'Open', arguments: [node] };
}
