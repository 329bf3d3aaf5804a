import { open, rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { CommandMessage, PanelIdentity } from '../../../shared/protocol';
import { decodeQuery } from '../../../shared/protocolCodec';
import { ExportCancelled, exportRows } from './exportRows';
import { checkSearchColumns } from './requestHandler';
import type { PanelServices } from './panelServices';

const PAGE_SIZE = 2_000;

/**
 * Asks for a file, then streams the whole filtered, sorted result into it under a cancellable progress
 * notification. A cancelled or failed export deletes its partial file rather than leave a truncated one behind.
 */
export async function runExport(services: PanelServices, identity: PanelIdentity, message: Extract<CommandMessage, { type: 'export' }>): Promise<void> {
  const extension = message.format;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${identity.displayName.table.replace(/[\\/:*?"<>|]/g, '_')}.${extension}`;
  const target = await vscode.window.showSaveDialog({
    title: `Export ${identity.displayName.table} as ${extension.toUpperCase()}`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : vscode.Uri.file(fileName),
    filters: extension === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  });
  if (!target) return;
  const query = decodeQuery(message.query);
  await checkSearchColumns(services.tables, identity.table, query.search?.columns);
  const local = target.scheme === 'file';
  // Local files are written incrementally; other file systems only take whole files through the API.
  const handle = local ? await open(target.fsPath, 'w') : undefined;
  const chunks: string[] = [];
  try {
    const rows = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exporting ${identity.displayName.table}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return exportRows({
          format: message.format,
          columns: message.columns,
          pageSize: PAGE_SIZE,
          signal: controller.signal,
          readPage: (position) => services.tables.readRows(identity.table, { ...query, ...position, limit: PAGE_SIZE, signal: controller.signal }),
          write: async (chunk) => {
            if (handle) await handle.write(chunk);
            else chunks.push(chunk);
          },
          onProgress: (written) => progress.report({ message: `${written.toLocaleString('en-US')} rows` }),
        });
      },
    );
    await handle?.close();
    if (!handle) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(chunks.join('')));
    services.log.info(`Exported ${rows} rows of ${identity.displayName.table} to ${target.toString(true)}`);
    void vscode.window.showInformationMessage(`Exported ${rows.toLocaleString('en-US')} rows to ${local ? target.fsPath : target.toString(true)}.`);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (local) await rm(target.fsPath, { force: true }).catch(() => undefined);
    if (error instanceof ExportCancelled || (error as { code?: unknown }).code === 'cancelled') {
      void vscode.window.showInformationMessage('Export cancelled; the partial file was removed.');
      return;
    }
    throw error;
  }
}
