import * as vscode from 'vscode';
import { errorMessage, type Logger } from '../../core/log';
import { type PluginAdmin, PluginAdminError } from '../../core/pluginAdmin';
import { parseFromPluginsView, type PluginsCommand, type PluginsNotification, type PluginsRequests } from '../../../shared/pluginsProtocol';
import { internalError } from '../panels/toolMessages';
import { ToolPanel } from '../panels/toolPanel';

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
  private readonly tab: ToolPanel<PluginsRequests, PluginsCommand, PluginsNotification>;

  static show(deps: PluginsPanelDeps): void {
    if (PluginsPanel.current) {
      PluginsPanel.current.tab.reveal();
      return;
    }
    PluginsPanel.current = new PluginsPanel(deps);
  }

  static disposeAll(): void {
    PluginsPanel.current?.tab.dispose();
  }

  private constructor(private readonly deps: PluginsPanelDeps) {
    this.tab = new ToolPanel<PluginsRequests, PluginsCommand, PluginsNotification>({
      viewType: PLUGINS_PANEL_TYPE,
      title: 'Nocoflo Plugins',
      app: 'plugins',
      name: 'Plugins view',
      extensionUri: deps.extensionUri,
      log: deps.log,
      parse: parseFromPluginsView,
      handlers: {
        setEnabled: async ({ pluginId, enabled }) => ({ message: await deps.admin.setEnabled(pluginId, enabled) }),
        saveConfig: async ({ pluginId, text }) => ({ message: await deps.admin.saveConfig(pluginId, text) }),
      },
      // A hidden webview is discarded (no retainContextWhenHidden); it asks again with `ready` when shown.
      command: () => this.tab.post({ type: 'state', state: deps.admin.state() }),
      toError: (error, method) => {
        // PluginAdmin's refusals (no right, unknown plugin, a configuration the schema refuses) carry no code.
        if (error instanceof PluginAdminError) return { code: 'refused', message: error.message, ...(error.problems.length > 0 ? { problems: error.problems } : {}) };
        deps.log.error(`Plugins view: ${method} failed: ${errorMessage(error)}`);
        return internalError(error);
      },
      // Whatever happened, show the stored truth (a refused toggle flips back).
      afterRequest: () => this.sendState(),
      onDisposed: () => {
        PluginsPanel.current = undefined;
      },
    });
    this.tab.register(deps.onDidChangePlugins(() => this.sendState()));
  }

  private sendState(): void {
    try {
      this.tab.post({ type: 'state', state: this.deps.admin.state() });
    } catch (error) {
      this.deps.log.error(`Plugins view: listing plugins failed: ${errorMessage(error)}`);
    }
  }
}
