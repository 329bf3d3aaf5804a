import * as vscode from 'vscode';
import type { Disposable } from '../../../api';
import type { AuditRecorder } from '../../core/audit/auditRecorder';
import type { AuditStore } from '../../core/audit/auditStore';
import { UNDO_SOURCE, undoAudit } from '../../core/audit/auditUndo';
import { AGENT_TOOLS_SOURCE, AGENT_TOOLS_SOURCE_NAME } from '../../core/agentTools/proposal';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import type { TableService } from '../../core/tableService';
import { type AuditCommand, type AuditFilter, type AuditInit, type AuditNotification, type AuditRequests, parseFromAudit } from '../../../shared/auditProtocol';
import { internalError } from '../panels/toolMessages';
import { ToolPanel } from '../panels/toolPanel';

export interface AuditPanelDeps {
  extensionUri: vscode.Uri;
  store: AuditStore;
  recorder: AuditRecorder;
  tables: TableService;
  datasources: DatasourceManager;
  /** Tells the open tabs of a datasource to reload (after an undo changed its data). */
  refreshTabs(datasourceId: string): void;
  /** The views' display names by id, whatever their state (a disabled view still wrote what it wrote). */
  viewNames(): { id: string; name: string }[];
  /** Fires when views come and go: the tab re-sends their names. */
  onDidChangeViews(listener: () => void): Disposable;
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
  private readonly tab: ToolPanel<AuditRequests, AuditCommand, AuditNotification>;

  static show(deps: AuditPanelDeps, filter: AuditFilter = {}): void {
    const current = AuditPanel.current;
    if (current) {
      current.filter = filter;
      current.tab.reveal();
      void current.tab.start(() => current.sendInit());
      return;
    }
    AuditPanel.current = new AuditPanel(deps, filter);
  }

  static disposeAll(): void {
    AuditPanel.current?.tab.dispose();
  }

  private constructor(
    private readonly deps: AuditPanelDeps,
    private filter: AuditFilter,
  ) {
    this.tab = new ToolPanel<AuditRequests, AuditCommand, AuditNotification>({
      viewType: AUDIT_PANEL_TYPE,
      title: 'Audit Log',
      app: 'audit',
      name: 'Audit Log view',
      extensionUri: deps.extensionUri,
      log: deps.log,
      parse: parseFromAudit,
      handlers: { query: (params) => this.query(params), undo: (target) => this.undo(target) },
      command: () => this.sendInit(),
      toError: (error, method) => {
        deps.log.error(`Audit Log: ${method} failed: ${errorMessage(error)}`);
        return internalError(error);
      },
      onDisposed: () => {
        if (AuditPanel.current === this) AuditPanel.current = undefined;
      },
    });
    const changed = () => this.tab.post({ type: 'changed' });
    this.tab.register(deps.recorder.onDidRecord(changed), deps.onDidChangeExternally(changed), deps.onDidChangeViews(() => this.sendInit()));
  }

  private sendInit(): void {
    const init: AuditInit = {
      datasources: this.deps.datasources.list().map((r) => ({ id: r.id, name: r.name })),
      sources: [...this.deps.viewNames(), { id: UNDO_SOURCE, name: 'Undo in the Audit Log' }, { id: 'api', name: 'Nocoflo API' }, { id: AGENT_TOOLS_SOURCE, name: AGENT_TOOLS_SOURCE_NAME }],
      users: this.deps.store.users(),
      filter: this.filter,
      pageSize: PAGE_SIZE,
    };
    this.tab.post({ type: 'init', init });
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
