import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { errorMessage, type Logger } from '../../core/log';
import {
  assertNever,
  type CommandMessage,
  type PanelIdentity,
  PROTOCOL_VERSION,
  parseFromWebview,
  type ThemeKind,
  type ToWebviewMessage,
  type WirePendingChange,
} from '../../../shared/protocol';
import { readOnlyReasonFor } from '../../../shared/protocolCodec';
import { runExport } from './exportCommand';
import { escapeHtml, renderPanelHtml } from './panelHtml';
import { handleRequest, toWireError } from './requestHandler';
import type { PanelServices } from './panelServices';

export const panelKey = (identity: Pick<PanelIdentity, 'table' | 'viewId'>): string =>
  JSON.stringify([identity.table.datasourceId, identity.table.schema ?? null, identity.table.name, identity.viewId]);

export const panelTitle = (identity: PanelIdentity, dirty: boolean): string =>
  `${dirty ? '● ' : ''}${identity.displayName.table} — ${identity.displayName.datasource}`;

/**
 * One editor tab showing one table through one view. It serves the view's requests for this table only, mirrors
 * the view's unsaved edits (so the title shows them and closing can offer to save them), and re-sends the initial
 * state whenever the webview starts again (retainContextWhenHidden is off, so hiding the tab unloads it).
 */
export class TablePanel {
  readonly key: string;
  private pending: WirePendingChange[];
  private readonly inFlight = new Map<number, AbortController>();
  private readonly disposables: vscode.Disposable[] = [];
  private closed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly identity: PanelIdentity,
    private readonly services: PanelServices,
    private readonly onClosed: (panel: TablePanel, pending: WirePendingChange[]) => void,
    restoredPending: WirePendingChange[] = [],
  ) {
    this.key = panelKey(identity);
    this.pending = restoredPending;
    this.updateTitle();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.disposed()),
    );
    this.render();
  }

  get log(): Logger {
    return this.services.log;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  notify(message: ToWebviewMessage): void {
    if (!this.closed) void this.panel.webview.postMessage(message);
  }

  /** Renders the document; a view that is gone (uninstalled, disabled, failed) gets an explanation instead. */
  private render(): void {
    const view = this.services.registry.getView(this.identity.viewId);
    const webviewRoot = vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'webview');
    if (!view) {
      this.panel.webview.options = { enableScripts: false, localResourceRoots: [] };
      this.panel.webview.html = messageHtml(this.panel.webview.cspSource, `The view "${this.identity.viewId}" is not available: it is not installed, disabled, or failed. See Nocoflo: Show Log.`);
      return;
    }
    void this.services.icons.forCodicon(view.icon).then((icon) => {
      if (icon && !this.closed) this.panel.iconPath = icon;
    });
    const viewRoot = vscode.Uri.file(view.webview.root);
    this.panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot, viewRoot] };
    const asset = (root: vscode.Uri, file: string) => this.panel.webview.asWebviewUri(vscode.Uri.joinPath(root, ...file.split('/'))).toString();
    this.panel.webview.html = renderPanelHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      title: panelTitle(this.identity, false),
      codiconCss: asset(webviewRoot, 'codicon.css'),
      styles: (view.webview.styles ?? []).map((s) => asset(viewRoot, s)),
      scripts: [asset(webviewRoot, 'client.js'), asset(viewRoot, view.webview.script)],
    });
  }

  private receive(raw: unknown): void {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) {
      this.log.error(`[${this.identity.viewId}] rejected a message from the webview of ${this.identity.displayName.table}: ${parsed.error}`);
      if (parsed.id !== undefined) this.notify({ type: 'response', id: parsed.id, ok: false, error: { code: 'invalid_message', message: parsed.error } });
      return;
    }
    const message = parsed.message;
    if (message.type === 'request') {
      const controller = new AbortController();
      this.inFlight.set(message.id, controller);
      void handleRequest(message, { table: this.identity.table, tables: this.services.tables, capabilities: () => this.capabilities() }, controller.signal).then((response) => {
        this.inFlight.delete(message.id);
        if (!response.ok && response.error.code === 'plugin_failed') this.log.error(`[${this.identity.viewId}] ${message.method}: ${response.error.message}`);
        this.notify(response);
      });
      return;
    }
    this.command(message);
  }

  private command(message: CommandMessage): void {
    switch (message.type) {
      case 'ready':
        void this.sendInit();
        return;
      case 'cancel':
        this.inFlight.get(message.id)?.abort();
        return;
      case 'pending/changed':
        this.pending = message.changes;
        this.updateTitle();
        return;
      case 'export':
        void runExport(this.services, this.identity, message).catch((error) => {
          this.log.error(`Export of ${this.identity.displayName.table} failed: ${errorMessage(error)}`);
          void vscode.window.showErrorMessage(`Export failed: ${errorMessage(error)}`);
        });
        return;
      case 'clipboard/write':
        void vscode.env.clipboard.writeText(message.text);
        return;
      case 'log':
        this.log[message.level](`[${this.identity.viewId} webview] ${message.message}`);
        return;
      default:
        assertNever(message, 'command');
    }
  }

  private async capabilities() {
    return (await this.services.datasources.session(this.identity.table.datasourceId)).capabilities;
  }

  private async sendInit(): Promise<void> {
    const { table, viewId } = this.identity;
    try {
      const [schema, capabilities] = await Promise.all([this.services.tables.schema(table), this.capabilities()]);
      const readOnlyReason = readOnlyReasonFor(schema, capabilities);
      const viewConfig = this.services.viewConfig?.(table, viewId);
      this.notify({
        type: 'init',
        init: {
          protocolVersion: PROTOCOL_VERSION,
          table,
          displayName: this.identity.displayName,
          viewId,
          schema,
          capabilities,
          theme: themeKind(vscode.window.activeColorTheme.kind),
          ...(readOnlyReason !== undefined ? { readOnlyReason } : {}),
          ...(viewConfig !== undefined ? { viewConfig } : {}),
          ...(this.pending.length > 0 ? { pending: this.pending } : {}),
        },
      });
    } catch (error) {
      this.log.error(`Opening ${this.identity.displayName.table} failed: ${errorMessage(error)}`);
      this.notify({ type: 'failed', error: toWireError(error) });
    }
  }

  private updateTitle(): void {
    if (!this.closed) this.panel.title = panelTitle(this.identity, this.pending.length > 0);
  }

  private disposed(): void {
    this.closed = true;
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    for (const d of this.disposables) d.dispose();
    this.onClosed(this, this.pending);
  }
}

export function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.Dark:
      return 'dark';
    case vscode.ColorThemeKind.HighContrast:
      return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'high-contrast-light';
  }
}

function messageHtml(cspSource: string, message: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${escapeHtml(cspSource)};"></head><body><p>${escapeHtml(message)}</p></body></html>`;
}
