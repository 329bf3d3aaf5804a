import * as vscode from 'vscode';
import type { TableLocator } from '../../api';
import type { DatasourceManager } from '../core/datasourceManager';
import { escapeMarkdown as escape, markdownCode as code } from '../core/markdown';
import { untrustedMarkdown } from './untrustedMarkdown';

/**
 * The status bar entry for the active Nocoflo tab: which connection it reads and as whom ("Shop · alice@db:5432/shop"),
 * so nobody edits production thinking it is staging. Hidden when no Nocoflo tab is active.
 */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nocoflo.connection', vscode.StatusBarAlignment.Left, 50);
  private shown?: TableLocator;

  constructor(private readonly datasources: DatasourceManager) {
    this.item.name = 'Nocoflo Connection';
  }

  /** `table` is the active tab's table, or undefined when the active editor is something else. */
  async show(table: TableLocator | undefined): Promise<void> {
    this.shown = table;
    const record = table && this.datasources.get(table.datasourceId);
    if (!table || !record) {
      this.item.hide();
      return;
    }
    let description: string | undefined;
    try {
      // The tab already opened the session, so this costs nothing; a failed connect leaves just the name.
      description = (await this.datasources.session(table.datasourceId)).description;
    } catch {
      description = undefined;
    }
    if (this.shown !== table) return;
    const where = [table.schema, table.name].filter(Boolean).join('.');
    this.item.text = `$(database) ${record.name}${description ? ` · ${description}` : ''}`;
    this.item.tooltip = untrustedMarkdown(
      `**${escape(record.name)}** (${escape(this.datasources.pluginFor(record)?.displayName ?? record.type)})\n\n` +
        `${description ? `Connected as \`${code(description)}\`\n\n` : ''}Table \`${code(where)}\``,
    );
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
