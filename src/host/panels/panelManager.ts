import * as vscode from 'vscode';
import type { TableLocator } from '../../../api';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import type { PluginRegistry } from '../../core/registry';
import type { TableService } from '../../core/tableService';
import { type PanelIdentity, parseSavedState, type WirePendingChange, type WireQuery } from '../../../shared/protocol';
import { decodeChange } from '../../../shared/protocolCodec';
import { savePending } from '../../core/destructivePrompt';
import type { PanelServices } from './panelServices';
import { TabIcons } from './tabIcon';
import { relatedLocator } from './requestHandler';
import { type PanelHandoff, panelKey, panelTitle, TablePanel } from './tablePanel';
import { themeKind } from './themeKind';
import { sentence } from '../../../shared/sentence';

/** What the panels need from the view selection (TableOpener): created after the panels, so handed in later. */
export interface ViewOpener {
  open(table: TableLocator, viewId?: string, handoff?: PanelHandoff): Promise<void>;
}

/** An open tab as tests and commands see it. */
export interface OpenPanelInfo extends PanelIdentity {
  active: boolean;
  /** The view got its init. */
  started: boolean;
  /** Why the view could not start, if it could not. */
  failure?: string;
  /** Why the view was told the table is read-only, and which actions the user's role leaves out. */
  readOnlyReason?: string;
  unavailable?: Partial<Record<'insert' | 'update' | 'delete', string>>;
  /** The tab's unsaved edits as the host last heard of them, and who proposed them if not the view. */
  pending: WirePendingChange[];
  proposedBy?: string;
  query: WireQuery;
  viewConfig?: unknown;
}

export interface PanelManagerOptions {
  context: vscode.ExtensionContext;
  registry: PluginRegistry;
  datasources: DatasourceManager;
  tables: TableService;
  log: Logger;
  /** The view configuration stored with the user's preference for (table, view), if any. */
  viewConfig?(table: TableLocator, viewId: string): unknown;
  /** What the user's role allows on a table (see PanelServices.access). */
  access?: PanelServices['access'];
  /** Asks before a save that destroys data (see PanelServices.confirmApply). */
  confirmApply?: PanelServices['confirmApply'];
  /** What views confirm themselves (see PanelServices.confirmations). */
  confirmations?: PanelServices['confirmations'];
  /** This window's row locks (see PanelServices.locks). */
  locks?: PanelServices['locks'];
  /**
   * A query tab being restored after a reload: the query as the host recorded it when it opened the tab, or
   * undefined when it has no such record (the tab then closes; a view's saved state is never run as a query).
   */
  restoreQuery?(table: TableLocator): TableLocator | undefined;
}

/** All view tabs share one webview type, so one serializer restores tabs of every view plugin. */
export const VIEW_PANEL_TYPE = 'nocoflo.view';

/**
 * Opens, finds and restores view tabs: one tab per (datasource, table, view). Registers the webview serializer in
 * its constructor, because VS Code only restores tabs whose serializer exists during activation.
 */
export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<string, TablePanel>();
  private readonly services: PanelServices;
  private readonly restoreQuery: PanelManagerOptions['restoreQuery'];
  private readonly disposables: vscode.Disposable[] = [];
  private disposing = false;
  private opener: ViewOpener | undefined;
  /** The tab that was active last, for commands run while a quick pick has the focus. */
  private lastActive: TablePanel | undefined;
  private readonly activeChanged = new vscode.EventEmitter<void>();
  /**
   * A Nocoflo tab became active or stopped being active. VS Code reports a tab switch (tabGroups) before the
   * panels' own view state, so whoever follows the active tab must listen to this too, or it lags one tab behind.
   */
  readonly onDidChangeActivePanel = this.activeChanged.event;

  constructor(options: PanelManagerOptions) {
    const { context } = options;
    this.restoreQuery = options.restoreQuery;
    this.services = {
      extensionUri: context.extensionUri,
      registry: options.registry,
      datasources: options.datasources,
      tables: options.tables,
      log: options.log,
      icons: new TabIcons(context.extensionPath, context.globalStorageUri),
      ...(options.viewConfig ? { viewConfig: options.viewConfig } : {}),
      ...(options.access ? { access: options.access } : {}),
      ...(options.confirmApply ? { confirmApply: options.confirmApply } : {}),
      ...(options.confirmations ? { confirmations: options.confirmations } : {}),
      ...(options.locks ? { locks: options.locks } : {}),
      openView: async (from, target) => {
        if (!this.opener) throw new Error('Nocoflo is still starting; try again.');
        const table = target.table ? relatedLocator(from, target.table) : from;
        const handoff: PanelHandoff = { ...(target.query ? { query: target.query } : {}), ...(target.key ? { focusKey: target.key } : {}) };
        await this.opener.open(table, target.viewId, handoff);
      },
    };
    this.disposables.push(
      this.activeChanged,
      vscode.window.registerWebviewPanelSerializer(VIEW_PANEL_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
      vscode.window.onDidChangeActiveColorTheme((theme) => {
        for (const panel of this.panels.values()) panel.notify({ type: 'theme', kind: themeKind(theme.kind) });
      }),
    );
  }

  /** The question before a save that deletes rows (true when nothing needs asking), for saves the host starts. */
  confirmApply(table: TableLocator, changes: readonly WirePendingChange[]): Promise<boolean> {
    return this.services.confirmApply ? this.services.confirmApply(table, changes) : Promise.resolve(true);
  }

  /** Lets views open other views (client.openView) through the view selection. */
  useOpener(opener: ViewOpener): void {
    this.opener = opener;
  }

  /** Shows the tab for (table, view), creating it if needed; an open tab is asked to show `handoff`'s row. */
  async open(
    table: TableLocator,
    viewId: string,
    displayName: { table: string; datasource: string },
    options: { pending?: WirePendingChange[]; handoff?: PanelHandoff } = {},
  ): Promise<void> {
    const identity: PanelIdentity = { table: { ...table }, viewId, displayName: { ...displayName } };
    const existing = this.panels.get(panelKey(identity));
    if (existing) {
      existing.focus(options.handoff ?? {});
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_PANEL_TYPE, panelTitle(identity, false, this.viewName(viewId)), vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      enableFindWidget: false,
    });
    this.track(new TablePanel(panel, identity, this.services, (p, pending) => this.closed(p, pending), options.pending, options.handoff));
  }

  /**
   * Opens (table, view) with `pending` as its unsaved edits, proposed by `source` (the audit source of their save).
   * An open tab takes them only if it has no unsaved edits of its own: mixing would leave the person unable to tell
   * whose edits they save. Resolves whether the tab was already open.
   */
  async propose(table: TableLocator, viewId: string, displayName: { table: string; datasource: string }, pending: WirePendingChange[], source: string): Promise<{ existing: boolean }> {
    const existing = this.panels.get(panelKey({ table, viewId }));
    if (existing) {
      if (existing.hasPending) {
        throw new Error(`The ${this.viewName(viewId)} tab of ${displayName.table} already has unsaved edits. Ask the user to save or discard them, then propose again.`);
      }
      existing.propose(pending, source);
      return { existing: true };
    }
    const identity: PanelIdentity = { table: { ...table }, viewId, displayName: { ...displayName } };
    const panel = vscode.window.createWebviewPanel(VIEW_PANEL_TYPE, panelTitle(identity, true, this.viewName(viewId)), vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      enableFindWidget: false,
    });
    this.track(new TablePanel(panel, identity, this.services, (p, changes) => this.closed(p, changes), pending, {}, source));
    return { existing: false };
  }

  /** The tab the user is looking at (or looked at last, if a quick pick took the focus). */
  activePanel(): TablePanel | undefined {
    const active = [...this.panels.values()].find((p) => p.panel.active);
    if (active) return active;
    return this.lastActive && this.panels.get(this.lastActive.key) === this.lastActive ? this.lastActive : undefined;
  }

  /** The open tab showing (table, view), if any. */
  find(table: TableLocator, viewId: string): TablePanel | undefined {
    return this.panels.get(panelKey({ table, viewId }));
  }

  /** Replaces the view of `panel` in place; the caller has dealt with its pending edits. */
  switchView(panel: TablePanel, viewId: string): void {
    if (this.panels.get(panel.key) === panel) this.panels.delete(panel.key);
    panel.switchView(viewId);
    this.panels.set(panel.key, panel);
  }

  /** A view's display name, for messages. */
  viewName(viewId: string): string {
    return this.services.registry.getView(viewId)?.displayName ?? viewId;
  }

  /** The open tabs, for the test-only command that lets extension-host tests see which views opened. */
  list(): OpenPanelInfo[] {
    return [...this.panels.values()].map((p) => ({
      ...p.identity,
      active: p.panel.active,
      started: p.started,
      ...(p.startFailure !== undefined ? { failure: p.startFailure } : {}),
      ...p.access,
      pending: p.pendingChanges,
      ...(p.proposedBy !== undefined ? { proposedBy: p.proposedBy } : {}),
      query: p.currentQuery,
      ...(p.currentViewConfig !== undefined ? { viewConfig: p.currentViewConfig } : {}),
    }));
  }

  /** Starts the tabs of a datasource again with a fresh init (a role changed); tabs with unsaved edits are left. */
  restart(datasourceId: string): void {
    this.restartWhere((identity) => identity.table.datasourceId === datasourceId);
  }

  /** Starts the tabs of these views again (their plugin was registered anew: a dev plugin was rebuilt). */
  restartViews(viewIds: readonly string[]): void {
    this.restartWhere((identity) => viewIds.includes(identity.viewId));
  }

  private restartWhere(match: (identity: PanelIdentity) => boolean): void {
    for (const panel of this.panels.values()) if (match(panel.identity)) panel.restart();
  }

  /** Tells the tabs of a datasource (or all tabs) that the data may have changed elsewhere. */
  refresh(datasourceId?: string): void {
    for (const panel of this.panels.values()) {
      if (datasourceId === undefined || panel.identity.table.datasourceId === datasourceId) panel.notify({ type: 'refresh', reason: 'external' });
    }
  }

  /** Tabs that hold unsaved edits, e.g. to warn before removing their datasource. */
  dirtyTabs(datasourceId?: string): PanelIdentity[] {
    return [...this.panels.values()].filter((p) => p.hasPending && (datasourceId === undefined || p.identity.table.datasourceId === datasourceId)).map((p) => p.identity);
  }

  dispose(): void {
    this.disposing = true;
    for (const panel of [...this.panels.values()]) panel.panel.dispose();
    this.panels.clear();
    for (const d of this.disposables) d.dispose();
  }

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const identity = parseSavedState(state);
    if (identity?.table.query) {
      const recorded = this.restoreQuery?.(identity.table);
      if (recorded) identity.table = recorded;
      else {
        panel.dispose();
        return;
      }
    }
    if (!identity || this.panels.has(panelKey(identity))) {
      // Nothing to show (state from an older build, or a duplicate): close it rather than leave an empty tab.
      panel.dispose();
      return;
    }
    // The datasource may have been renamed since the tab was saved.
    const record = this.services.datasources.get(identity.table.datasourceId);
    if (record) identity.displayName = { ...identity.displayName, datasource: record.name };
    this.track(new TablePanel(panel, identity, this.services, (p, pending) => this.closed(p, pending)));
  }

  private track(panel: TablePanel): void {
    this.panels.set(panel.key, panel);
    if (panel.panel.active) this.lastActive = panel;
    const watch = panel.panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.lastActive = panel;
      this.activeChanged.fire();
    });
    panel.panel.onDidDispose(() => watch.dispose());
  }

  private closed(panel: TablePanel, pending: WirePendingChange[]): void {
    if (this.panels.get(panel.key) === panel) this.panels.delete(panel.key);
    if (pending.length === 0 || this.disposing) return;
    this.askAboutPending(panel.identity, pending, panel.proposedBy).catch((error: unknown) => {
      // The question could not be asked or the reopen failed: the edits are only here now, so say so rather than
      // drop them without a word.
      const title = panelTitle(panel.identity, false, this.viewName(panel.identity.viewId));
      this.services.log.error(`Unsaved edits of ${title} after closing: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`"${title}" was closed with unsaved edits, and they could not be kept: ${errorMessage(error)}`);
    });
  }

  /** A closed webview cannot veto its closing, so its mirrored edits are offered here: save, discard, or reopen. */
  private async askAboutPending(identity: PanelIdentity, pending: WirePendingChange[], proposedBy?: string): Promise<void> {
    const title = panelTitle(identity, false, this.viewName(identity.viewId));
    const count = pending.length === 1 ? '1 unsaved change' : `${pending.length} unsaved changes`;
    const choice = await vscode.window.showWarningMessage(
      `"${title}" was closed with ${count}.`,
      { modal: true, detail: 'Save them to the database, discard them, or reopen the table to review them.' },
      'Save',
      'Discard',
      'Reopen',
    );
    if (choice === 'Discard') {
      this.services.log.info(`Discarded ${count} of ${title} on close`);
      return;
    }
    if (choice === 'Save') {
      try {
        const outcome = await savePending(pending, {
          confirm: (changes) => this.confirmApply(identity.table, changes),
          apply: (changes) => this.services.tables.apply(identity.table, changes.map(decodeChange), { source: proposedBy ?? identity.viewId }),
        });
        // Declining the deletes falls through to reopening the tab with every edit, as Cancel does.
        const result = outcome.kind === 'applied' ? outcome.result : undefined;
        if (result?.ok) {
          this.services.log.info(`Saved ${count} of ${title} on close`);
          return;
        }
        if (result && !result.ok) {
          const applied = result.rolledBack ? 'Nothing was saved.' : `The first ${result.failure.index} changes were saved.`;
          const again = await vscode.window.showErrorMessage(`Saving ${title} failed: ${sentence(result.failure.message)} ${applied}`, 'Reopen');
          if (again !== 'Reopen') return;
          pending = result.rolledBack ? pending : pending.slice(result.failure.index);
        }
      } catch (error) {
        const again = await vscode.window.showErrorMessage(`Saving ${title} failed: ${errorMessage(error)}`, 'Reopen');
        if (again !== 'Reopen') return;
      }
    }
    // "Reopen", Cancel and Escape all keep the edits: losing work must take an explicit "Discard".
    if (proposedBy !== undefined) await this.propose(identity.table, identity.viewId, identity.displayName, pending, proposedBy);
    else await this.open(identity.table, identity.viewId, identity.displayName, { pending });
  }
}
