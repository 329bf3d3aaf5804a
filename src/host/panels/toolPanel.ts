import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { errorMessage, type Logger } from '../../core/log';
import type { RequestTable } from '../../../shared/rpc';
import { renderPanelHtml } from './panelHtml';
import { ToolMessages, type ToolMessagesSpec } from './toolMessages';

export interface ToolPanelSpec<R extends RequestTable<R>, C extends { type: string }> extends ToolMessagesSpec<R, C> {
  viewType: string;
  title: string;
  /** The webview bundle: `dist/webview/<app>.js` and `<app>.css`. */
  app: string;
  extensionUri: vscode.Uri;
  log: Logger;
  /** After the tab closed and everything registered with it was disposed. */
  onDisposed(): void;
  /** A panel VS Code made (a custom editor's); by default the tool makes its own tab. */
  panel?: vscode.WebviewPanel;
}

/**
 * One of Nocoflo's own tool tabs (connection form, audit log, plugins, a database file's overview): it owns the webview panel, its CSP'd
 * document, the disposables registered with it, and the message path (ToolMessages). The tab's owner supplies the
 * request table, handlers and commands, and sends its notifications (`N`) through `post`.
 */
export class ToolPanel<R extends RequestTable<R>, C extends { type: string }, N extends { type: string }> {
  private readonly panel: vscode.WebviewPanel;
  private readonly messages: ToolMessages<R, C>;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** What the tab posted while a test delivered a message (see deliver). */
  private tap: unknown[] | undefined;

  constructor(private readonly spec: ToolPanelSpec<R, C>) {
    const localResourceRoots = [vscode.Uri.joinPath(spec.extensionUri, 'dist', 'webview')];
    if (spec.panel) {
      // A custom editor's panel: VS Code registered it without retainContextWhenHidden (see sqliteFileEditor.ts).
      this.panel = spec.panel;
      this.panel.webview.options = { enableScripts: true, localResourceRoots };
    } else {
      this.panel = vscode.window.createWebviewPanel(spec.viewType, spec.title, vscode.ViewColumn.Active, {
        enableScripts: true,
        // Each app keeps its UI state with setState and asks again with `ready` when shown.
        retainContextWhenHidden: false,
        localResourceRoots,
      });
    }
    this.render();
    this.messages = new ToolMessages(spec, (message) => this.send(message), spec.log);
    this.register(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      this.panel.onDidDispose(() => this.closed()),
    );
  }

  /** Disposed when the tab closes. */
  register(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  post(message: N): void {
    this.send(message);
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    this.panel.dispose();
  }

  /**
   * Runs a step of showing the tab (answering `ready`, taking a new target). A failure there leaves nothing to show,
   * so the user hears it as a notification and the tab closes; no response with a made-up id.
   */
  async start(step: () => Promise<void> | void): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.spec.log.error(`${this.spec.name} could not start: ${errorMessage(error)}`);
      this.dispose();
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  }

  /**
   * For extension-host tests (a test webview cannot be scripted from there): handles `raw` exactly as if the tab's
   * webview had sent it and resolves what the tab posted meanwhile, including an answer sent after it closed.
   */
  async deliver(raw: unknown): Promise<unknown[]> {
    const posted: unknown[] = [];
    this.tap = posted;
    try {
      await this.receive(raw);
    } finally {
      this.tap = undefined;
    }
    return posted;
  }

  private async receive(raw: unknown): Promise<void> {
    // The only commands are start-up steps; a failing handler already became a response inside `receive`.
    await this.start(() => this.messages.receive(raw));
  }

  private send(message: unknown): void {
    this.tap?.push(message);
    // A request may finish after the tab closed (Save closes the form before answering).
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private render(): void {
    const root = vscode.Uri.joinPath(this.spec.extensionUri, 'dist', 'webview');
    const asset = (name: string) => this.panel.webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
    this.panel.webview.html = renderPanelHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      title: this.spec.title,
      codiconCss: asset('codicon.css'),
      styles: [asset(`${this.spec.app}.css`)],
      scripts: [asset(`${this.spec.app}.js`)],
    });
  }

  private closed(): void {
    this.disposed = true;
    this.messages.dispose();
    for (const d of this.disposables) d.dispose();
    this.spec.onDisposed();
  }
}
