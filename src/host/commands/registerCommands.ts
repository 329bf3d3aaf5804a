import * as vscode from 'vscode';
import type { TableLocator } from '../../../api';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import type { PluginRegistry } from '../../core/registry';
import type { RoleService } from '../../core/roles/roleService';
import type { TableService } from '../../core/tableService';
import type { HostMetadata } from '../hostMetadata';
import { pickView, type TableOpener } from '../tableOpener';
import type { DatasourceTreeProvider } from '../tree/datasourceTree';
import { nodeName, type TreeNode } from '../tree/treeNodes';
import { isDeclared } from '../workspaceConnections';
import { addDatasourceInteractively, addSqliteFile } from './addDatasource';

export interface CommandDeps {
  registry: PluginRegistry;
  datasources: DatasourceManager;
  tables: TableService;
  metadata: HostMetadata;
  tree: DatasourceTreeProvider;
  opener: TableOpener;
  log: Logger;
  output: vscode.OutputChannel;
  /** Managing a connection (edit, rename, remove, importing its settings) is the admin's. */
  roles: Pick<RoleService, 'assertManageConnection' | 'forget' | 'canManageConnection' | 'canManagePlugins'>;
  /** Opens the connection form to add a datasource (of `type`) or edit one. */
  openConnectionForm(target: { mode: 'add'; type?: string } | { mode: 'edit'; id: string }): void;
}

/** A command's failure becomes one error notification with the real reason, never an unhandled rejection. */
function guarded<A extends unknown[]>(log: Logger, name: string, fn: (...args: A) => unknown): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      log.error(`${name}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  };
}

function tableFrom(arg: unknown): TableLocator | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as Partial<TreeNode> & Partial<TableLocator>;
  if (node.kind === 'table') return node.locator;
  if (typeof node.datasourceId === 'string' && typeof node.name === 'string') return node as TableLocator;
  return undefined;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { registry, datasources, tables, metadata, tree, opener, log } = deps;
  const afterAdd = (id: string | undefined) => {
    if (id) tree.refresh();
  };
  const command = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, guarded(log, id, fn as (...args: unknown[]) => unknown));

  return [
    command('nocoflo.addSqliteFile', async (uri?: vscode.Uri) => afterAdd(await addSqliteFile(datasources, uri instanceof vscode.Uri ? uri : undefined))),
    command('nocoflo.addDatasource', async () => afterAdd(await addDatasourceInteractively(datasources, registry, (type) => deps.openConnectionForm({ mode: 'add', type })))),
    command('nocoflo.editDatasource', async (node?: TreeNode) => {
      if (node?.kind !== 'datasource') throw new Error('Choose a datasource in the Nocoflo sidebar to edit.');
      if (isDeclared(node.record.id)) {
        const open = await vscode.window.showInformationMessage(
          `"${node.record.name}" is declared in the workspace settings (nocoflo.connections); change it there. Its password is asked when it connects and kept in secret storage.`,
          'Open Workspace Settings',
        );
        if (open) await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
        return;
      }
      deps.roles?.assertManageConnection(node.record.id, 'Editing');
      deps.openConnectionForm({ mode: 'edit', id: node.record.id });
    }),
    command('nocoflo.refresh', async (node?: TreeNode) => {
      registry.resetFailures();
      const datasourceId = node?.kind === 'datasource' ? node.record.id : node?.kind === 'message' ? node.datasourceId : undefined;
      if (node === undefined || datasourceId !== undefined) {
        if (datasourceId) await datasources.close(datasourceId);
        else await datasources.closeAll();
        tables.forget(datasourceId);
        tree.recountTimedOut(datasourceId);
        tree.refresh();
      } else {
        if (node.kind === 'table') {
          tables.forget(node.locator.datasourceId);
          tree.recountTimedOut(node.locator.datasourceId);
        }
        tree.refresh(node);
      }
    }),
    command('nocoflo.filterTree', async () => {
      const text = await vscode.window.showInputBox({ title: 'Filter tables', prompt: 'Show tables whose name contains…', value: tree.filterText, ignoreFocusOut: true });
      if (text !== undefined) tree.setFilter(text);
    }),
    command('nocoflo.clearTreeFilter', () => tree.setFilter('')),
    command('nocoflo.openTable', async (arg?: unknown, viewId?: unknown) => {
      const table = tableFrom(arg);
      if (!table) throw new Error('Open a table from the Nocoflo sidebar.');
      await opener.open(table, typeof viewId === 'string' ? viewId : undefined);
    }),
    command('nocoflo.openTableAs', async (arg?: unknown) => {
      const table = tableFrom(arg);
      if (!table) throw new Error('Choose a table in the Nocoflo sidebar first.');
      const view = await pickView(await opener.candidates(table));
      if (view) await opener.open(table, view.id);
    }),
    command('nocoflo.renameDatasource', async (node?: TreeNode) => {
      if (node?.kind !== 'datasource') return;
      deps.roles?.assertManageConnection(node.record.id, 'Renaming');
      const name = await vscode.window.showInputBox({ title: 'Rename datasource', value: node.record.name, validateInput: (v) => (v.trim() ? undefined : 'Required'), ignoreFocusOut: true });
      if (name === undefined) return;
      await datasources.rename(node.record.id, name);
      tree.refresh();
    }),
    command('nocoflo.removeDatasource', async (node?: TreeNode) => {
      if (node?.kind !== 'datasource') return;
      deps.roles?.assertManageConnection(node.record.id, 'Removing');
      const answer = await vscode.window.showWarningMessage(
        `Remove datasource "${node.record.name}" from Nocoflo? Its data is not touched; its saved credentials are deleted.`,
        { modal: true },
        'Remove',
      );
      if (answer !== 'Remove') return;
      await datasources.remove(node.record.id);
      await deps.roles?.forget(node.record.id);
      tables.forget(node.record.id);
      tree.refresh();
    }),
    command('nocoflo.copyName', async (node?: TreeNode) => {
      if (node) await vscode.env.clipboard.writeText(nodeName(node));
    }),
    command('nocoflo.exportConfiguration', async () => {
      const target = await vscode.window.showSaveDialog({
        title: 'Export Nocoflo configuration (no passwords or tokens)',
        defaultUri: vscode.Uri.file('nocoflo-config.json'),
        filters: { JSON: ['json'] },
      });
      if (!target) return;
      const json = JSON.stringify(metadata.exportConfiguration(), null, 2);
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(json));
      void vscode.window.showInformationMessage(`Exported Nocoflo configuration to ${target.fsPath}. Passwords and tokens are not included.`);
    }),
    command('nocoflo.importConfiguration', async () => {
      const source = (await vscode.window.showOpenDialog({ title: 'Import Nocoflo configuration', filters: { JSON: ['json'] }, canSelectMany: false }))?.[0];
      if (!source) return;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new Error(`${source.fsPath} is not valid JSON: ${errorMessage(error)}`, { cause: error });
      }
      // Secrets saved before binding existed are bound to today's targets first, so an imported target change
      // does not inherit them.
      await deps.datasources.bindLegacySecrets(deps.datasources.list().map((d) => d.id));
      // The same rules as the UI: the admin role to change a connection, the Plugins view's rights and schemas.
      const summary = await metadata.importConfiguration(parsed, { registry, roles: deps.roles });
      tree.refresh();
      log.info(summary);
      void vscode.window.showInformationMessage(summary);
    }),
    command('nocoflo.showOutput', () => deps.output.show()),
  ];
}
