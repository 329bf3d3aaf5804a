import * as vscode from 'vscode';
import type { TableLocator } from '../../../api';
import type { AuditRecorder } from '../../core/audit/auditRecorder';
import type { DatasourceManager } from '../../core/datasourceManager';
import type { Logger } from '../../core/log';
import type { RoleService } from '../../core/roles/roleService';
import type { TableService } from '../../core/tableService';
import type { QueryTabs } from './queryTabs';
import type { RunQueryRequest } from './queryRunner';
import { RowsDocuments } from './rowsDocument';
import { confirmModal, StatementRunner } from './runQuery';

/** Default statement timeout of a connection, in seconds (setting nocoflo.queries.timeoutSeconds). */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/** Test hook (not contributed): runs a statement as an editor would and answers its outcome. */
export const RUN_STATEMENT_COMMAND = 'nocoflo.internal.runStatement';

/**
 * A connection's statement timeout in milliseconds: its entry in nocoflo.queries.connectionTimeouts (by name or
 * id), else nocoflo.queries.timeoutSeconds; 0 means none.
 */
export function statementTimeoutMs(record: { id: string; name: string } | undefined): number | undefined {
  const config = vscode.workspace.getConfiguration('nocoflo.queries');
  const perConnection = config.get<Record<string, unknown>>('connectionTimeouts', {});
  const own = record ? (perConnection[record.name] ?? perConnection[record.id]) : undefined;
  const seconds = typeof own === 'number' && Number.isFinite(own) && own >= 0 ? own : config.get<number>('timeoutSeconds', DEFAULT_TIMEOUT_SECONDS);
  return seconds > 0 ? seconds * 1000 : undefined;
}

export interface QueryWiring {
  datasources: DatasourceManager;
  tables: TableService;
  roles: RoleService;
  queryTabs: QueryTabs;
  audit: AuditRecorder;
  open(table: TableLocator, viewId?: string): Promise<void>;
  refreshTabs(datasourceId: string): void;
  refreshTree(): void;
  /** The query shown in the active Nocoflo tab, if that tab shows a query's result. */
  activeQuery(): TableLocator | undefined;
  log: Logger;
}

/** Saves the active result tab's statement as a named query (the command that saves lives with saved queries). */
export const SAVE_RESULT_QUERY_COMMAND = 'nocoflo.saveResultQuery';

/** The statement runner and what it needs in the window; the runner goes to SQL editors, history and saved queries. */
export function registerQueries(deps: QueryWiring): { runner: StatementRunner; disposables: vscode.Disposable[] } {
  const rows = new RowsDocuments();
  const runner = new StatementRunner({
    datasources: deps.datasources,
    tables: deps.tables,
    role: (datasourceId) => deps.roles.resolve({ datasourceId }),
    openResult: async (table, options) => {
      await deps.queryTabs.remember(table, options.savedQuery);
      await deps.open(table, options.viewId);
    },
    showRows: (table, result) => rows.show(table.name, deps.datasources.get(table.datasourceId)?.name ?? table.datasourceId, result),
    confirm: confirmModal,
    audit: (statement) => deps.audit.statement({ ...statement, params: [] }),
    changed: (datasourceId, schema) => {
      if (schema) deps.tables.forget(datasourceId);
      deps.refreshTabs(datasourceId);
      deps.refreshTree();
    },
    timeoutMs: (datasourceId) => statementTimeoutMs(deps.datasources.get(datasourceId)),
    log: deps.log,
  });
  const disposables: vscode.Disposable[] = [
    rows,
    runner,
    vscode.commands.registerCommand(RUN_STATEMENT_COMMAND, (request: RunQueryRequest) => runner.run(request)),
    vscode.commands.registerCommand(SAVE_RESULT_QUERY_COMMAND, async () => {
      const table = deps.activeQuery();
      if (!table?.query) {
        void vscode.window.showInformationMessage('Save Query… saves the statement of a query result tab: run a statement first.');
        return;
      }
      await vscode.commands.executeCommand('nocoflo.saveQuery', { datasourceId: table.datasourceId, text: table.query.text, name: table.name });
    }),
  ];
  return { runner, disposables };
}
