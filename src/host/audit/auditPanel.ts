import * as vscode from 'vscode';
import type { Disposable } from '../../../api';
import type { AuditRecorder } from '../../core/audit/auditRecorder';
import type { AuditStore } from '../../core/audit/auditStore';
import { undoAudit } from '../../core/audit/auditUndo';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import type { TableService } from '../../core/tableService';
import { type AuditFilter, type AuditInit, type AuditRequests, type FromAudit, parseFromAudit, type ToAudit } from '../../../shared/auditProtocol';
import { renderToolHtml, toolPanelOptions } from '../panels/toolPanel';

export interface AuditPanelDeps {
  extensionUri: vscode.Uri;
  store: AuditStore;
  recorder: AuditRecorder;
  tables: TableService;
  datasources: DatasourceManager;
  /** Tells the open tabs of a datasource to reload (after an undo changed its data). */
  refreshTabs(datasourceId: string): void;
  /** Fires when another window changed the metadata file (it may have recorded entries). */
  onDidChangeExternally(listener: () => void): Disposable;
  log: Logger;
}

export const AUDIT_PANEL_TYPE = 'nocoflo.auditLog';
const PAGE_SIZE = 50;

/**
 * The "Audit Log" tab: one per window. Opening it again (e.g. from another table's context menu) reveals it with
 * the new filter. Its messages are shared/auditProtocol.ts, validated here before use; undo goes through
 * TableService like every other write.
 */
export class AuditPanel {
  private static current: AuditPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(deps: AuditPanelDeps, filter: AuditFilter = {}): void {
    if (AuditPanel.current) {
      AuditPanel.current.filter = filter;
      AuditPanel.current.panel.reveal();
      AuditPanel.current.sendInit();
      return;
    }
    const panel = vscode.window.createWebviewPanel(AUDIT_PANEL_TYPE, 'Audit Log', vscode.ViewColumn.Active, toolPanelOptions(deps.extensionUri));
    AuditPanel.current = new AuditPanel(panel, deps, filter);
  }

  static disposeAll(): void {
    AuditPanel.current?.panel.dispose();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: AuditPanelDeps,
    private filter: AuditFilter,
  ) {
    renderToolHtml(panel, deps.extensionUri, 'audit', 'Audit Log');
    const changed = () => this.post({ type: 'changed' });
    const external = deps.onDidChangeExternally(changed);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      deps.recorder.onDidRecord(changed),
      { dispose: () => external.dispose() },
      panel.onDidDispose(() => {
        if (AuditPanel.current === this) AuditPanel.current = undefined;
        for (const d of this.disposables) d.dispose();
      }),
    );
  }

  private post(message: ToAudit): void {
    void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    const init: AuditInit = {
      datasources: this.deps.datasources.list().map((r) => ({ id: r.id, name: r.name })),
      users: this.deps.store.users(),
      filter: this.filter,
      pageSize: PAGE_SIZE,
    };
    this.post({ type: 'init', init });
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseFromAudit(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Audit Log view sent a malformed message (ignored): ${parsed.error}`);
      if (parsed.id !== undefined) this.post({ type: 'response', id: parsed.id, ok: false, error: { code: 'invalid_message', message: parsed.error } });
      return;
    }
    const message: FromAudit = parsed.message;
    if (message.type === 'ready') {
      this.sendInit();
      return;
    }
    try {
      const result = message.method === 'query' ? this.query(message.params) : await this.undo(message.params);
      this.post({ type: 'response', id: message.id, ok: true, result });
    } catch (error) {
      this.deps.log.error(`Audit Log: ${message.method} failed: ${errorMessage(error)}`);
      this.post({ type: 'response', id: message.id, ok: false, error: { code: 'internal', message: errorMessage(error) } });
    }
  }

  private query({ filter, offset, limit }: AuditRequests['query']['params']): AuditRequests['query']['result'] {
    this.filter = filter;
    return this.deps.store.query(filter, offset, limit);
  }

  private async undo(target: AuditRequests['undo']['params']): Promise<AuditRequests['undo']['result']> {
    const { datasourceId, ...outcome } = await undoAudit(
      { store: this.deps.store, tables: this.deps.tables, datasourceName: (id) => this.deps.datasources.get(id)?.name },
      target,
    );
    if (outcome.ok) {
      this.deps.log.info(`Audit Log: ${outcome.message}`);
      if (datasourceId) this.deps.refreshTabs(datasourceId);
    } else {
      this.deps.log.warn(`Audit Log: undo refused: ${outcome.reason}`);
    }
    return outcome;
  }
}
