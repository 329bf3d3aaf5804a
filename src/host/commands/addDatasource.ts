import * as vscode from 'vscode';
import type { DatasourcePlugin, NewDatasource } from '../../../api';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage } from '../../core/log';
import type { PluginRegistry } from '../../core/registry';
import { suggestedDatasourceName } from '../../core/datasourceName';

// Quick ways to add a datasource: a SQLite file from the open dialog, or a pasted connection URL. Everything else
// (choosing a datasource type and filling its fields) happens in the connection form (connections/).

const SQLITE_EXTENSIONS = ['sqlite', 'sqlite3', 'db', 'db3'];

export async function addSqliteFile(datasources: DatasourceManager, uri?: vscode.Uri): Promise<string | undefined> {
  const file =
    uri ??
    (
      await vscode.window.showOpenDialog({
        title: 'Add SQLite File',
        canSelectMany: false,
        filters: { 'SQLite databases': SQLITE_EXTENSIONS, 'All files': ['*'] },
        openLabel: 'Add',
      })
    )?.[0];
  if (!file) return undefined;
  return save(datasources, { type: 'sqlite', name: suggestedDatasourceName(file.fsPath), config: { path: file.fsPath } });
}

/** Asks what to connect to; a datasource type opens the connection form (`openForm`) for it. */
export async function addDatasourceInteractively(datasources: DatasourceManager, registry: PluginRegistry, openForm: (type: string) => void): Promise<string | undefined> {
  const plugins = registry
    .list({ kind: 'datasource' })
    .filter((p) => p.state === 'active')
    .map((p) => registry.getDatasource(p.id))
    .filter((p): p is DatasourcePlugin => p !== undefined);
  const items: (vscode.QuickPickItem & { plugin?: DatasourcePlugin })[] = [
    { label: '$(link) Paste a connection URL…', description: plugins.flatMap((p) => p.schemes).join(', ') },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    ...plugins.map((plugin) => ({ label: `$(${plugin.icon ?? 'database'}) ${plugin.displayName}`, ...(plugin.description ? { description: plugin.description } : {}), plugin })),
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Add Datasource', placeHolder: 'What do you want to connect to?', ignoreFocusOut: true });
  if (!choice) return undefined;
  if (!choice.plugin) return addFromUrl(datasources);
  if (choice.plugin.id === 'nocoflo.sqlite') return addSqliteFile(datasources);
  openForm(choice.plugin.id);
  return undefined;
}

async function addFromUrl(datasources: DatasourceManager): Promise<string | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'Connection URL',
    placeHolder: 'postgres://user@host:5432/db, mysql://…, https://api.example.com, /path/to/file.sqlite',
    validateInput: nonEmpty,
    ignoreFocusOut: true,
  });
  if (!url) return undefined;
  const name = await vscode.window.showInputBox({ title: 'Datasource name', value: suggestedDatasourceName(url), validateInput: nonEmpty, ignoreFocusOut: true });
  if (name === undefined) return undefined;
  return save(datasources, { url, name });
}

/** Tests the connection first; a failure shows the datasource's own message and offers to save anyway. */
async function save(datasources: DatasourceManager, input: NewDatasource): Promise<string | undefined> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Connecting to ${input.name}…` },
      () => datasources.test(input),
    );
  } catch (error) {
    const answer = await vscode.window.showErrorMessage(`Could not connect to "${input.name}": ${errorMessage(error)}`, 'Save Anyway', 'Cancel');
    if (answer !== 'Save Anyway') return undefined;
  }
  return datasources.add(input);
}

function nonEmpty(value: string): string | undefined {
  return value.trim() === '' ? 'Required' : undefined;
}
