// The example extension: gets Nocoflo's API, checks its major version, and registers one datasource (a folder of
// CSV files) and one view (a board). That is all a plugin extension does; Nocoflo shows the datasource in its
// "Add Datasource…" picker and connection form, and the board in "Open as…" and "Switch View…".
import * as vscode from 'vscode';
import type { NocofloApi } from '@nocoflo/api';
import { createBoardView } from './board/boardView';
import { createCsvDatasource } from './csvDatasource';

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
}

export function deactivate(): void {
  // Everything registered is in context.subscriptions: VS Code disposes it, and Nocoflo unregisters the plugins.
}
