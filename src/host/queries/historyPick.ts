// Query history: recorded from the runner's onDidRun, shown newest first in a searchable quick pick.
import * as vscode from 'vscode';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import { DEFAULT_HISTORY_MAX_ENTRIES, type HistoryEntry, type QueryHistory } from '../../core/queries/queryHistory';
import type { TreeNode } from '../tree/treeNodes';
import type { QueryRunner } from './queryRunner';
import { openInSqlEditor } from './savedQueryCommands';

export const SHOW_HISTORY_COMMAND = 'nocoflo.showQueryHistory';
/** Test hook (not contributed): the history as the pick lists it, newest first, optionally of one connection. */
export const HISTORY_ENTRIES_COMMAND = 'nocoflo.internal.queryHistory';

export interface HistoryDeps {
  runner: QueryRunner;
  history: QueryHistory;
  datasources: Pick<DatasourceManager, 'get'>;
  bindDocument?(document: vscode.TextDocument, datasourceId: string): Promise<void> | void;
  log: Logger;
}

const maxEntries = () => vscode.workspace.getConfiguration('nocoflo.queries').get<number>('historyMaxEntries', DEFAULT_HISTORY_MAX_ENTRIES);

interface EntryItem extends vscode.QuickPickItem {
  entry?: HistoryEntry;
  clear?: true;
}

const OPEN_IN_EDITOR: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Open in SQL Editor' };

function outcomeText(entry: HistoryEntry): string {
  const duration = entry.durationMs < 1000 ? `${entry.durationMs} ms` : `${(entry.durationMs / 1000).toFixed(1)} s`;
  switch (entry.outcome) {
    case 'failed':
      return `$(error) ${entry.error ?? 'failed'}`;
    case 'cancelled':
      return `cancelled · ${duration}`;
    case 'executed':
      return `${entry.rowsAffected !== undefined ? `${entry.rowsAffected} row${entry.rowsAffected === 1 ? '' : 's'} affected · ` : ''}${duration}`;
    case 'result':
      return `result · ${duration}`;
  }
}

function itemOf(entry: HistoryEntry, connection: string): EntryItem {
  const firstLine = entry.text.trim().split('\n', 1)[0] ?? '';
  return {
    label: firstLine,
    description: `${connection} · ${new Date(entry.startedAt).toLocaleString()}`,
    // The whole text is searchable (matchOnDetail), not only its first line.
    detail: `${outcomeText(entry)}${entry.truncated ? ' · too long to keep whole' : ''} · ${entry.text.replace(/\s+/g, ' ').slice(0, 500)}`,
    buttons: [OPEN_IN_EDITOR],
    entry,
  };
}

function connectionOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const node = arg as TreeNode | undefined;
  return node?.kind === 'datasource' ? node.record.id : undefined;
}

export function registerQueryHistory(deps: HistoryDeps): vscode.Disposable[] {
  const { history, runner } = deps;
  const name = (id: string) => deps.datasources.get(id)?.name ?? `${id} (removed)`;

  async function rerun(entry: HistoryEntry): Promise<void> {
    if (entry.truncated) {
      void vscode.window.showWarningMessage('This statement was too long to keep whole in the history; open it in an editor to see what was kept.');
      return;
    }
    await runner.run({ datasourceId: entry.datasourceId, text: entry.text });
  }

  async function clear(datasourceId: string | undefined): Promise<void> {
    const scope = datasourceId ? `of "${name(datasourceId)}"` : 'of every connection';
    const answer = await vscode.window.showWarningMessage(`Clear the query history ${scope}?`, { modal: true }, 'Clear History');
    if (answer === 'Clear History') await history.clear(datasourceId);
  }

  function show(datasourceId: string | undefined): void {
    const pick = vscode.window.createQuickPick<EntryItem>();
    pick.title = datasourceId ? `Query History: ${name(datasourceId)}` : 'Query History';
    pick.placeholder = 'Pick a statement to run it again; search its text, connection or outcome';
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    const entries = history.list(datasourceId, Math.max(1, maxEntries() || DEFAULT_HISTORY_MAX_ENTRIES));
    pick.items =
      entries.length === 0
        ? [{ label: 'No statements run yet', description: 'Run a statement from a SQL editor, the tree or a saved query' }]
        : [...entries.map((e) => itemOf(e, name(e.datasourceId))), { label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(trash) Clear History', clear: true, alwaysShow: true }];
    const act = (work: Promise<void>) => work.catch((error: unknown) => void vscode.window.showErrorMessage(errorMessage(error)));
    pick.onDidTriggerItemButton((e) => {
      if (!e.item.entry) return;
      pick.hide();
      void act(openInSqlEditor(deps, e.item.entry.datasourceId, e.item.entry.text));
    });
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      pick.hide();
      if (item?.clear) void act(clear(datasourceId));
      else if (item?.entry) void act(rerun(item.entry));
    });
    pick.onDidHide(() => pick.dispose());
    pick.show();
  }

  return [
    runner.onDidRun((run) => {
      history.record(run, maxEntries()).catch((error: unknown) => deps.log.warn(`Query history: the run was not recorded: ${errorMessage(error)}`));
    }),
    vscode.commands.registerCommand(SHOW_HISTORY_COMMAND, (arg?: unknown) => show(connectionOf(arg))),
    vscode.commands.registerCommand(HISTORY_ENTRIES_COMMAND, (datasourceId?: string) => history.list(datasourceId)),
  ];
}
