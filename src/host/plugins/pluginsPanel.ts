import * as vscode from 'vscode';
import { errorMessage, type Logger } from '../../core/log';
import { PluginAdmin, PluginAdminError } from '../../core/pluginAdmin';
import type { PluginsMethod, PluginsRequests, FromPluginsView, PluginsError, ToPluginsView } from '../../../shared/pluginsProtocol';
import { parseFromPluginsView } from '../../../shared/pluginsProtocol';
import { renderToolHtml, toolPanelOptions } from '../panels/toolPanel';

export interface PluginsPanelDeps {
  extensionUri: vscode.Uri;
  admin: PluginAdmin;
  /** Fires when plugins were registered, failed, or enabled/disabled (here or in another window). */
  onDidChangePlugins(listener: () => void): vscode.Disposable;
  log: Logger;
}

export const PLUGINS_PANEL_TYPE = 'nocoflo.plugins';

/**
 * The "Plugins" tab (Nocoflo: Manage Plugins…): one per window. It re-sends the whole list whenever anything about
 * plugins changes, so what it shows is never older than the registry; it holds no state the host does not have.
 */
export class PluginsPanel {
  private static current: PluginsPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(deps: PluginsPanelDeps): void {
    if (PluginsPanel.current) {
      PluginsPanel.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(PLUGINS_PANEL_TYPE, 'Nocoflo Plugins', vscode.ViewColumn.Active, toolPanelOptions(deps.extensionUri));
    PluginsPanel.current = new PluginsPanel(panel, deps);
  }

  static disposeAll(): void {
    PluginsPanel.current?.panel.dispose();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PluginsPanelDeps,
  ) {
    renderToolHtml(panel, deps.extensionUri, 'plugins');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      deps.onDidChangePlugins(() => this.sendState()),
      // A hidden webview is discarded (no retainContextWhenHidden); it asks again with `ready` when shown.
      panel.onDidDispose(() => {
        PluginsPanel.current = undefined;
        for (const d of this.disposables) d.dispose();
      }),
    );
  }

  private post(message: ToPluginsView): void {
    void this.panel.webview.postMessage(message);
  }

  private sendState(): void {
    try {
      this.post({ type: 'state', state: this.deps.admin.state() });
    } catch (error) {
      this.deps.log.error(`Plugins view: listing plugins failed: ${errorMessage(error)}`);
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseFromPluginsView(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Plugins view sent a malformed message (ignored): ${parsed.error}`);
      if (parsed.id !== undefined) this.post({ type: 'response', id: parsed.id, ok: false, error: { message: parsed.error } });
      return;
    }
    const message: FromPluginsView = parsed.message;
    if (message.type === 'ready') {
      this.sendState();
      return;
    }
    try {
      const result = await this.handle(message.method, message.params);
      this.post({ type: 'response', id: message.id, ok: true, result });
    } catch (error) {
      const reply: PluginsError =
        error instanceof PluginAdminError ? { message: error.message, ...(error.problems.length > 0 ? { problems: error.problems } : {}) } : { message: errorMessage(error) };
      if (!(error instanceof PluginAdminError)) this.deps.log.error(`Plugins view: ${message.method} failed: ${errorMessage(error)}`);
      this.post({ type: 'response', id: message.id, ok: false, error: reply });
    }
    // Whatever happened, show the stored truth (a refused toggle flips back).
    this.sendState();
  }

  private async handle(method: PluginsMethod, params: PluginsRequests[PluginsMethod]['params']): Promise<{ message: string }> {
    switch (method) {
      case 'setEnabled': {
        const { pluginId, enabled } = params as PluginsRequests['setEnabled']['params'];
        return { message: await this.deps.admin.setEnabled(pluginId, enabled) };
      }
      case 'saveConfig': {
        const { pluginId, text } = params as PluginsRequests['saveConfig']['params'];
        return { message: await this.deps.admin.saveConfig(pluginId, text) };
      }
    }
  }
}
