import * as vscode from 'vscode';
import type { DatasourceManager } from '../../core/datasourceManager';
import type { SqlBindings } from './sqlBindings';

export const BIND_SQL_CONNECTION_COMMAND = 'nocoflo.bindSqlConnection';

/** The status bar entry of the active SQL editor: the connection it runs on, and a click to change it. */
export class SqlStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nocoflo.sqlConnection', vscode.StatusBarAlignment.Left, 49);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly bindings: SqlBindings,
    private readonly datasources: Pick<DatasourceManager, 'get'>,
  ) {
    this.item.name = 'Nocoflo SQL Connection';
    this.item.command = BIND_SQL_CONNECTION_COMMAND;
    this.subscriptions = [vscode.window.onDidChangeActiveTextEditor(() => this.update()), bindings.onDidChange(() => this.update())];
    this.update();
  }

  /** What the item says now, or undefined when hidden (for tests). */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  private visible = false;

  update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId !== 'sql') {
      this.visible = false;
      this.item.hide();
      return;
    }
    const id = this.bindings.get(document.uri);
    const record = id !== undefined ? this.datasources.get(id) : undefined;
    this.item.text = record ? `$(database) ${record.name}` : 'Nocoflo: no connection';
    this.item.tooltip = record ? `Statements in this editor run on ${record.name}. Click to change.` : 'Choose the Nocoflo connection this editor runs on';
    this.visible = true;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
