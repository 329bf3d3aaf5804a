import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type { RequestParams } from '../../../shared/protocol';
import { dialogFilters, fileBytes, safeFileName } from './fileContent';

/**
 * A view's exported content (a chart as PNG or SVG): webviews cannot download, so the host asks where to save it
 * and writes it. Returns false when the user cancels the dialog.
 */
export async function saveViewFile(params: RequestParams<'file/save'>, tableName: string, log: Logger): Promise<boolean> {
  const bytes = fileBytes(params.data);
  const name = safeFileName(params.suggestedName);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const filters = dialogFilters(params.filters);
  const target = await vscode.window.showSaveDialog({
    title: `Save ${name} (${tableName})`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(name),
    ...(filters ? { filters } : {}),
  });
  if (!target) return false;
  await vscode.workspace.fs.writeFile(target, bytes);
  log.info(`Saved ${bytes.length} bytes from the view of ${tableName} to ${target.toString(true)}`);
  void vscode.window.showInformationMessage(`Saved ${target.scheme === 'file' ? target.fsPath : target.toString(true)}.`);
  return true;
}
