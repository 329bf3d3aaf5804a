// Wires the audit log into the host: the store and recorder over the metadata file, the retention settings, and
// the "Show Audit Log" command (palette: everything; a datasource's or table's context menu: filtered to it).
import * as vscode from 'vscode';
import { AuditRecorder } from '../../core/audit/auditRecorder';
import { AuditStore, type MetadataAccess, type Retention } from '../../core/audit/auditStore';
import { errorMessage, type Logger } from '../../core/log';
import type { AuditFilter } from '../../../shared/auditProtocol';
import type { TreeNode } from '../tree/treeNodes';
import { AuditPanel, type AuditPanelDeps } from './auditPanel';

export function auditRetention(): Retention {
  const config = vscode.workspace.getConfiguration('nocoflo.audit');
  const whole = (value: number | undefined, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.trunc(value) : fallback);
  return { days: whole(config.get<number>('retentionDays'), 90), maxEntries: whole(config.get<number>('maxEntries'), 10_000) };
}

export function createAudit(metadata: MetadataAccess, user: () => string, log: Logger): { store: AuditStore; recorder: AuditRecorder } {
  const store = new AuditStore(metadata);
  return { store, recorder: new AuditRecorder({ store, user, retention: auditRetention, log }) };
}

export function filterFor(node: TreeNode | undefined): AuditFilter {
  if (node?.kind === 'datasource') return { datasourceId: node.record.id };
  if (node?.kind === 'schema') return { datasourceId: node.datasourceId, schema: node.schema };
  if (node?.kind === 'table') return { datasourceId: node.locator.datasourceId, ...(node.locator.schema !== undefined ? { schema: node.locator.schema } : {}), table: node.locator.name };
  return {};
}

export function registerAuditCommands(deps: AuditPanelDeps): vscode.Disposable[] {
  return [
    // Tree items pass their node; the palette passes nothing.
    vscode.commands.registerCommand('nocoflo.showAuditLog', (node?: TreeNode) => AuditPanel.show(deps, filterFor(node))),
    // A lowered limit applies at once rather than at the next save.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('nocoflo.audit')) return;
      deps.store.prune(auditRetention()).catch((error: unknown) => deps.log.error(`Audit: applying the retention failed: ${errorMessage(error)}`));
    }),
    { dispose: () => AuditPanel.disposeAll() },
  ];
}
