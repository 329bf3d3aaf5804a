import * as vscode from 'vscode';
import type { CellValue, ExecuteResult } from '../../../api';
import { formatRowsAsText } from '../../core/queries/rowsText';

export const ROWS_SCHEME = 'nocoflo-rows';
/** Documents kept for the tabs that show them; older ones are dropped (their tabs show an empty document). */
const MAX_DOCUMENTS = 20;

/**
 * Rows of a statement that runs once and cannot be paged (SHOW, PRAGMA, EXPLAIN, … RETURNING) as a read-only text
 * document: such output is small and often text already (a query plan), and an editor tab can search and copy it.
 */
export class RowsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(ROWS_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? 'These rows are no longer kept: run the statement again.';
  }

  async show(title: string, connection: string, result: ExecuteResult): Promise<void> {
    const name = `${title.replace(/[\\/:*?"<>|\n]/g, ' ').slice(0, 60).trim() || 'rows'} — ${connection}`;
    const uri = vscode.Uri.from({ scheme: ROWS_SCHEME, path: `/${++this.counter}/${name}.txt` });
    this.documents.set(uri.toString(), formatRowsAsText(result.columns ?? [], (result.rows ?? []) as CellValue[][], result.truncated === true));
    while (this.documents.size > MAX_DOCUMENTS) this.documents.delete(this.documents.keys().next().value!);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.documents.clear();
  }
}
