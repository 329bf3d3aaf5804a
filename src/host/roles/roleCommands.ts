import * as vscode from 'vscode';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import { ROLE_ABILITIES, roleChoices } from '../../core/roles/roleChoices';
import type { RoleService } from '../../core/roles/roleService';
import type { RoleStore, RoleTarget } from '../../core/roles/roleStore';
import type { TreeNode } from '../tree/treeNodes';
import { pickOne } from '../quickPick';
import { isDeclared } from '../workspaceConnections';

export interface RoleCommandDeps {
  roles: RoleService;
  store: RoleStore;
  datasources: DatasourceManager;
  log: Logger;
  /** After a change: the tree shows the new role, open tabs of the connection start again with it. */
  changed(datasourceId: string): void;
}

/** "Nocoflo: Set Role…", "Mark as Production", "Unmark Production". */
export function registerRoleCommands(deps: RoleCommandDeps): vscode.Disposable[] {
  const { roles, store, datasources, log } = deps;
  const command = (id: string, fn: (node?: TreeNode) => Promise<void>) =>
    vscode.commands.registerCommand(id, async (node?: TreeNode) => {
      try {
        await fn(node);
      } catch (error) {
        log.error(`${id}: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(errorMessage(error));
      }
    });

  /** The connection a command is about: the tree node's, or one the user picks. */
  const pickConnection = async (node: TreeNode | undefined, title: string): Promise<string | undefined> => {
    if (node?.kind === 'datasource') return node.record.id;
    if (node?.kind === 'table') return node.locator.datasourceId;
    const picked = await pickOne(
      datasources.list().map((r) => ({ label: r.name, description: roles.isProduction(r.id) ? 'production' : '', id: r.id })),
      { title, placeholder: 'Choose a connection' },
    );
    return picked?.id;
  };
  const nameOf = (id: string) => datasources.get(id)?.name ?? id;

  return [
    command('nocoflo.setRole', async (node) => {
      const datasourceId = await pickConnection(node, 'Set Role');
      if (!datasourceId) return;
      const target: RoleTarget =
        node?.kind === 'table'
          ? { datasourceId, ...(node.locator.schema !== undefined ? { schema: node.locator.schema } : {}), table: node.locator.name }
          : { datasourceId };
      const name = nameOf(datasourceId);
      const production = roles.isProduction(datasourceId);
      const stored = roles.storedRole(target);
      const current = roles.resolve(target).role;
      const fallback = target.table === undefined ? roles.defaultRole(datasourceId) : roles.resolve({ datasourceId }).role;
      const { items, active } = roleChoices({ table: target.table !== undefined, current, stored, fallback, ownFile: roles.isOwnFile(datasourceId) });
      const what = target.table === undefined ? `"${name}"` : `"${target.table}" on "${name}"`;
      // Opens on what applies now: the stored role, or "use the default" when none is stored.
      const picked = await pickOne(items, { title: `Set Role for ${what}${production ? ' (production)' : ''}`, placeholder: `Your role is ${current}`, active });
      if (!picked) return;
      if (roles.needsConfirmation(target, picked.role)) {
        const raised = picked.role ?? fallback;
        const answer = await vscode.window.showWarningMessage(
          target.table === undefined
            ? `Give yourself the ${raised} role on the production connection "${name}"?`
            : `Give yourself the ${raised} role on "${target.table}" of the production connection "${name}"?`,
          { modal: true, detail: `As ${raised} you can ${ROLE_ABILITIES[raised]} there.` },
          'Raise Role',
        );
        if (answer !== 'Raise Role') return;
      }
      await roles.setRole(target, picked.role);
      log.info(`Role for ${what} set to ${picked.role ?? 'the connection default'}`);
      deps.changed(datasourceId);
    }),
    command('nocoflo.markProduction', async (node) => {
      const datasourceId = await pickConnection(node, 'Mark as Production');
      if (!datasourceId) return;
      if (await declaredElsewhere(datasourceId, nameOf(datasourceId), 'true')) return;
      await store.setProduction(datasourceId, true);
      deps.changed(datasourceId);
    }),
    command('nocoflo.unmarkProduction', async (node) => {
      const datasourceId = await pickConnection(node, 'Unmark Production');
      if (!datasourceId) return;
      const name = nameOf(datasourceId);
      if (await declaredElsewhere(datasourceId, name, 'false')) return;
      // Unmarking lifts the production default (viewer), so it is a raise like any other and is confirmed.
      const answer = await vscode.window.showWarningMessage(
        `Unmark "${name}" as production? Without a role set for it, you become an editor there.`,
        { modal: true },
        'Unmark Production',
      );
      if (answer !== 'Unmark Production') return;
      await store.setProduction(datasourceId, false);
      deps.changed(datasourceId);
    }),
  ];
}

/** Declared connections carry the mark in settings, which Nocoflo does not rewrite: says where to change it. */
async function declaredElsewhere(datasourceId: string, name: string, value: string): Promise<boolean> {
  if (!isDeclared(datasourceId)) return false;
  const open = await vscode.window.showInformationMessage(
    `"${name}" is declared in the workspace settings (nocoflo.connections); set "production": ${value} on it there.`,
    'Open Workspace Settings',
  );
  if (open) await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
  return true;
}
