// The example extension: gets Nocoflo's API, checks its major version, and registers one datasource (a folder of
// CSV files) and one view (a board). That is all a plugin extension does; Nocoflo shows the datasource in its
// "Add Datasource…" picker and connection form, and the board in "Open as…" and "Switch View…". It also reads
// through Nocoflo's data API (1.5, `api.data`): see summarizeTable.ts.
import * as vscode from 'vscode';
import type { NocofloApi } from '@nocoflo/api';
import { createBoardView } from './board/boardView';
import { createCsvDatasource } from './csvDatasource';
import { summarizeTable } from './summarizeTable';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const nocoflo = vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo');
  if (!nocoflo) throw new Error('CSV Kanban needs the Nocoflo extension (nocoflo.nocoflo); install it first.');
  const api = await nocoflo.activate();
  if (api.apiVersion.split('.')[0] !== '1') {
    void vscode.window.showErrorMessage(`CSV Kanban was written for Nocoflo API 1.x; this Nocoflo offers ${api.apiVersion}. Update CSV Kanban.`);
    return;
  }
  const extensionId = context.extension.id;
  context.subscriptions.push(
    api.registerDatasource(createCsvDatasource(extensionId)),
    api.registerView(createBoardView(context.extensionPath, extensionId)),
  );
  // Optional members are checked before use: an older Nocoflo 1.x has no data API.
  const data = api.data?.({ extensionId });
  if (data) context.subscriptions.push(vscode.commands.registerCommand('csvKanban.summarizeTable', () => summarizeTable(data)));
}

export function deactivate(): void {
  // Everything registered is in context.subscriptions: VS Code disposes it, and Nocoflo unregisters the plugins.
}
