// Over 400 lines (414) and still one file: a tab's lifecycle (webview, init, row locks, pending edits, view
// switches) shares one state; message dispatch, export, HTML and the query tracker already live beside it.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { errorMessage, type Logger } from '../../core/log';
import type { PanelLocks } from '../../core/locks/windowLocks';
import { locksForResult, resultLocks } from '../../core/locks/resultLocks';
import type { WireRowLock } from '../../../shared/rowLocks';
import {
  assertNever,
  type CommandMessage,
  type PanelIdentity,
  PROTOCOL_VERSION,
  parseFromWebview,
  type ToWebviewMessage,
  type WirePendingChange,
  type WireQuery,
} from '../../../shared/protocol';
import { themeKind } from './themeKind';
import type { WireRecord } from '../../../shared/values';
import { plainRef, readOnlyReasonFor, refForView, schemaForView } from '../../../shared/protocolCodec';
import { runExport } from './exportCommand';
import { renderMessageHtml, renderPanelHtml } from './panelHtml';
import { QueryTracker } from './queryTracker';
import { handleRequest, toWireError } from './requestHandler';
import type { PanelServices } from './panelServices';
import { saveViewFile } from './saveFile';

/** What a tab is handed when it opens or switches view: the query to start with and the row to show first. */
export interface PanelHandoff {
  query?: WireQuery;
  focusKey?: WireRecord;
}

export const panelKey = (identity: Pick<PanelIdentity, 'table' | 'viewId'>): string =>
  JSON.stringify([identity.table.datasourceId, identity.table.schema ?? null, identity.table.name, identity.viewId, ...(identity.table.query ? [identity.table.query.text] : [])]);

/**
 * "orders — Shop (Form)": one table can be open in several views at once, so each tab names its view; the view's
 * name goes last, so the table and connection stay readable when VS Code shortens the tab.
 */
export const panelTitle = (identity: PanelIdentity, dirty: boolean, viewName: string): string =>
  `${dirty ? '● ' : ''}${identity.displayName.table} — ${identity.displayName.datasource} (${viewName})`;

/**
 * One editor tab showing one table through one view. It serves the view's requests for this table only, mirrors
 * the view's unsaved edits (so the title shows them and closing can offer to save them), and re-sends the initial
 * state whenever the webview starts again (retainContextWhenHidden is off, so hiding the tab unloads it). It also
 * remembers the view's latest query and configuration, which "Switch View…" and "Set as Default View" use; a
 * switch replaces the view in this same tab.
 */
export class TablePanel {
  private currentIdentity: PanelIdentity;
  private pending: WirePendingChange[];
  private readonly query: QueryTracker;
  /** Sent with init until the view first reads rows, so a tab hidden before it started still gets it. */
  private focusKey: WireRecord | undefined;
  private viewConfig: { viewId: string; config: unknown } | undefined;
  /** Whether the current view got its init (tests wait for it), or why it could not start. */
  private initSent = false;
  private initFailure: string | undefined;
  private initAccess: { readOnlyReason?: string; unavailable?: Partial<Record<'insert' | 'update' | 'delete', string>> } = {};
  private readonly inFlight = new Map<number, AbortController>();
  private readonly disposables: vscode.Disposable[] = [];
  private closed = false;
  /** This tab's row locks: it is its own holder, so another tab on the table sees its locks as someone else's. */
  private locks: PanelLocks | undefined;
  /** Which table's locks `locks` is attached to (see attachLocks). */
  private locksTarget: string | undefined;
  /**
   * Set while the tab holds edits someone other than the view proposed (an AI agent's proposal): saves are audited
   * with this source until the pending edits are saved or discarded.
   */
  private proposalSource: string | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    identity: PanelIdentity,
    private readonly services: PanelServices,
    private readonly onClosed: (panel: TablePanel, pending: WirePendingChange[]) => void,
    restoredPending: WirePendingChange[] = [],
    handoff: PanelHandoff = {},
    proposalSource?: string,
  ) {
    this.currentIdentity = identity;
    this.pending = restoredPending;
    this.proposalSource = restoredPending.length > 0 ? proposalSource : undefined;
    this.query = new QueryTracker(handoff.query);
    this.focusKey = handoff.focusKey;
    this.updateTitle();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.disposed()),
      { dispose: () => this.locks?.dispose() },
      // An open tab keeps its datasource's session (and any unsaved edits' base rows) however long it sits idle.
      { dispose: services.datasources.hold(identity.table.datasourceId) },
    );
    this.attachLocks();
    this.render();
  }

  /**
   * Attaches this tab to the row locks of its table, or, for an editable query result, of the result's base table
   * (known once the schema was read: sendInit attaches again then), so a result and the table's own tabs see each
   * other's locks. Returns without change when already attached there.
   */
  private attachLocks(force = false): void {
    const { table } = this.currentIdentity;
    const mapping = this.services.tables.resultMapping(table);
    const target = mapping ? { datasourceId: table.datasourceId, ...mapping.base } : table;
    const key = JSON.stringify([target.datasourceId, target.schema ?? null, target.name, table.query?.text ?? null]);
    if (!force && key === this.locksTarget) return;
    this.locksTarget = key;
    this.locks?.dispose();
    const notify = (locks: WireRowLock[]) => {
      if (this.initSent) this.notify({ type: 'locks', locks });
    };
    const attached = this.services.locks?.attach(target, mapping ? (locks) => notify(locksForResult(locks, mapping)) : notify);
    this.locks = attached && mapping ? resultLocks(attached, mapping) : attached;
  }

  get identity(): PanelIdentity {
    return this.currentIdentity;
  }

  get key(): string {
    return panelKey(this.currentIdentity);
  }

  get log(): Logger {
    return this.services.log;
  }

  /** The query the view last used for its own table. */
  get currentQuery(): WireQuery {
    return this.query.current;
  }

  /** The configuration the current view last reported with setViewConfig, if any. */
  get currentViewConfig(): unknown {
    return this.viewConfig?.viewId === this.currentIdentity.viewId ? this.viewConfig.config : undefined;
  }

  get started(): boolean {
    return this.initSent;
  }

  get startFailure(): string | undefined {
    return this.initFailure;
  }

  /** What the last init told the view it may not do (read-only reason, actions its role leaves out). */
  get access(): { readOnlyReason?: string; unavailable?: Partial<Record<'insert' | 'update' | 'delete', string>> } {
    return this.initAccess;
  }

  get pendingChanges(): WirePendingChange[] {
    return this.pending;
  }

  /** The audit source of this tab's saves: the view, or who proposed the pending edits (see proposalSource). */
  get saveSource(): string {
    return this.proposalSource ?? this.currentIdentity.viewId;
  }

  /** Who proposed the pending edits, if not the view. */
  get proposedBy(): string | undefined {
    return this.proposalSource;
  }

  /**
   * Shows edits proposed from outside the view (an agent tool) as this tab's pending edits: the view starts again
   * with them in its init. Only a tab without unsaved edits takes a proposal (the caller checks hasPending).
   */
  propose(pending: WirePendingChange[], source: string): void {
    if (this.pending.length > 0) throw new Error('The tab has unsaved edits.');
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this.pending = pending;
    this.proposalSource = source;
    this.initSent = false;
    this.updateTitle();
    this.render();
    this.reveal();
  }

  /**
   * Replaces the view in this tab. The caller has dealt with pending edits (saved or discarded them); the new view
   * starts with `handoff.query`, by default the query the previous view used last.
   */
  switchView(viewId: string, handoff: PanelHandoff = {}): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this.currentIdentity = { ...this.currentIdentity, viewId };
    // The previous view's locks go with it (the new view has not started editing anything).
    this.attachLocks(true);
    this.pending = [];
    this.proposalSource = undefined;
    this.viewConfig = undefined;
    this.query.reset(handoff.query ?? this.query.current);
    this.focusKey = handoff.focusKey;
    this.initSent = false;
    this.updateTitle();
    this.render();
  }

  /**
   * Starts the view again with a fresh init (the user's role changed). A tab with unsaved edits keeps running, so
   * nothing is lost; its next save is checked against the new role anyway.
   */
  restart(): boolean {
    if (this.pending.length > 0 || this.closed) return false;
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this.initSent = false;
    this.render();
    return true;
  }

  /** Shows a row in this already open tab: the view hears it through onFocus; a view still starting, with init. */
  focus(handoff: PanelHandoff): void {
    if (handoff.focusKey) this.focusKey = handoff.focusKey;
    if (handoff.query) this.query.reset(handoff.query);
    this.reveal();
    if (handoff.focusKey || handoff.query) this.notify({ type: 'focus', ...(handoff.focusKey ? { key: handoff.focusKey } : {}), ...(handoff.query ? { query: handoff.query } : {}) });
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
      this.panel.webview.html = renderMessageHtml(this.panel.webview.cspSource, `The view "${this.identity.viewId}" is not available: it is not installed, disabled, or failed. See Nocoflo: Show Log.`);
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
      title: this.title(false),
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
      this.query.observeRequest(message);
      if (message.method === 'rows/read') this.focusKey = undefined;
      const controller = new AbortController();
      this.inFlight.set(message.id, controller);
      const context = {
        table: this.identity.table,
        tables: this.services.tables,
        capabilities: () => this.capabilities(),
        saveFile: (params: Parameters<typeof saveViewFile>[0]) => saveViewFile(params, this.identity.displayName.table, this.log),
        roleReadOnlyReason: () => this.services.access?.(this.identity.table).readOnlyReason,
        origin: { source: this.saveSource },
        ...(this.services.confirmApply ? { confirmApply: (changes: WirePendingChange[]) => this.services.confirmApply!(this.identity.table, changes) } : {}),
        ...(this.locks ? { locks: this.locks } : {}),
      };
      void handleRequest(message, context, controller.signal).then((response) => {
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
        // Saved or discarded: later edits are the view's own again.
        if (this.pending.length === 0) this.proposalSource = undefined;
        this.updateTitle();
        return;
      case 'export':
        this.query.observeExport(message.query);
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
      case 'view/config':
        this.viewConfig = { viewId: this.identity.viewId, config: message.config };
        return;
      case 'view/open': {
        const { type: _type, table: targetTable, ...rest } = message;
        const target = { ...rest, ...(targetTable ? { table: plainRef(targetTable) } : {}) };
        const open = this.services.openView;
        if (!open) {
          this.log.warn(`[${this.identity.viewId}] openView is not available yet`);
          return;
        }
        void open(this.identity.table, target).catch((error) => {
          this.log.error(`[${this.identity.viewId}] openView failed: ${errorMessage(error)}`);
          void vscode.window.showErrorMessage(errorMessage(error));
        });
        return;
      }
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
      const [schema, datasourceCapabilities] = await Promise.all([this.services.tables.schema(table), this.capabilities()]);
      // The table's own reason (a view, no key) comes first; then the user's role. TableService refuses regardless.
      const access = this.services.access?.(table) ?? {};
      const readOnlyReason = readOnlyReasonFor(schema, datasourceCapabilities) ?? access.readOnlyReason;
      const unavailable = readOnlyReason === undefined ? access.unavailable : undefined;
      const capabilities = { ...datasourceCapabilities };
      for (const kind of ['insert', 'update', 'delete'] as const) if (unavailable?.[kind] !== undefined) capabilities[kind] = false;
      const confirm = this.services.confirmations?.();
      // The view's own latest configuration (a reload after hiding the tab) wins over the stored preference's.
      const viewConfig = this.currentViewConfig ?? this.services.viewConfig?.(table, viewId);
      const query = this.query.current;
      const views = this.services.registry.viewsFor(schema).map((v) => ({ id: v.id, displayName: v.displayName, ...(v.icon ? { icon: v.icon } : {}) }));
      this.notify({
        type: 'init',
        init: {
          protocolVersion: PROTOCOL_VERSION,
          table: refForView(table),
          displayName: this.identity.displayName,
          viewId,
          schema: schemaForView(schema),
          capabilities,
          theme: themeKind(vscode.window.activeColorTheme.kind),
          ...(readOnlyReason !== undefined ? { readOnlyReason } : {}),
          ...(unavailable !== undefined ? { unavailable } : {}),
          ...(confirm !== undefined ? { confirm } : {}),
          ...(viewConfig !== undefined ? { viewConfig } : {}),
          ...(this.pending.length > 0 ? { pending: this.pending } : {}),
          ...(Object.keys(query).length > 0 ? { query } : {}),
          ...(this.focusKey ? { focusKey: this.focusKey } : {}),
          views,
        },
      });
      this.initSent = true;
      this.initFailure = undefined;
      this.initAccess = { ...(readOnlyReason !== undefined ? { readOnlyReason } : {}), ...(unavailable !== undefined ? { unavailable } : {}) };
      this.attachLocks();
      if (this.locks) this.notify({ type: 'locks', locks: this.locks.current() });
    } catch (error) {
      this.log.error(`Opening ${this.identity.displayName.table} failed: ${errorMessage(error)}`);
      this.initFailure = errorMessage(error);
      this.notify({ type: 'failed', error: toWireError(error) });
    }
  }

  private updateTitle(): void {
    if (!this.closed) this.panel.title = this.title(this.pending.length > 0);
  }

  /** The tab's title; the view's id stands in while the view is not available (uninstalled, failed). */
  title(dirty: boolean): string {
    return panelTitle(this.identity, dirty, this.services.registry.getView(this.identity.viewId)?.displayName ?? this.identity.viewId);
  }

  private disposed(): void {
    this.closed = true;
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    for (const d of this.disposables) d.dispose();
    this.onClosed(this, this.pending);
  }
}
