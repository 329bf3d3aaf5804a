import * as vscode from 'vscode';
import type { TableLocator, ViewPlugin } from '../../../api';
import { errorMessage, type Logger } from '../../core/log';
import type { TableService } from '../../core/tableService';
import { decodeChange } from '../../../shared/protocolCodec';
import { savePending } from '../../core/destructivePrompt';
import type { PanelManager } from './panelManager';
import type { TablePanel } from './tablePanel';
import { sentence } from '../../../shared/sentence';
import { pickOne } from '../quickPick';

export interface ViewCommandDeps {
  panels: PanelManager;
  /** Views that can show the table now (enabled, not failed, canHandle true), best first. */
  candidates(table: TableLocator): Promise<ViewPlugin[]>;
  tables: Pick<TableService, 'apply'>;
  /** The same code path as api.setViewPreference. */
  storePreference(table: TableLocator, viewId: string, config?: unknown): Promise<void>;
  log: Logger;
}

export const SWITCH_VIEW_COMMAND = 'nocoflo.switchView';
export const SET_DEFAULT_VIEW_COMMAND = 'nocoflo.setDefaultView';
/** Not contributed (no palette entry): lets extension-host tests see which views the open tabs show. */
export const OPEN_PANELS_COMMAND = 'nocoflo.internal.openPanels';

/** "Switch View…" and "Set as Default View for This Table", both acting on the active Nocoflo tab. */
export function registerViewCommands(deps: ViewCommandDeps): vscode.Disposable[] {
  const { panels, log } = deps;
  const guarded = (name: string, fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (error) {
      log.error(`${name}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  };
  const activeTab = (): TablePanel => {
    const panel = panels.activePanel();
    if (!panel) throw new Error('Open a table in a Nocoflo tab first.');
    return panel;
  };

  return [
    vscode.commands.registerCommand(SWITCH_VIEW_COMMAND, guarded(SWITCH_VIEW_COMMAND, () => switchView(deps, activeTab()))),
    vscode.commands.registerCommand(
      SET_DEFAULT_VIEW_COMMAND,
      guarded(SET_DEFAULT_VIEW_COMMAND, async () => {
        const panel = activeTab();
        const { table, viewId, displayName } = panel.identity;
        const config = panel.currentViewConfig;
        await deps.storePreference(table, viewId, config);
        const name = panels.viewName(viewId);
        log.info(`Default view of ${displayName.table} (${displayName.datasource}) is now ${viewId}${config !== undefined ? ' with its configuration' : ''}`);
        void vscode.window.showInformationMessage(`${displayName.table} now opens in the ${name} view${config !== undefined ? ' with its current configuration' : ''}.`);
      }),
    ),
    vscode.commands.registerCommand(OPEN_PANELS_COMMAND, () => panels.list()),
  ];
}

async function switchView(deps: ViewCommandDeps, panel: TablePanel): Promise<void> {
  const { table, viewId: current, displayName } = panel.identity;
  const others = (await deps.candidates(table)).filter((v) => v.id !== current);
  if (others.length === 0) {
    void vscode.window.showInformationMessage(`No other view can show ${displayName.table}.`);
    return;
  }
  const picked = await pickOne(
    others.map((view) => ({ label: `$(${view.icon ?? 'preview'}) ${view.displayName}`, view })),
    { title: `Switch view of ${displayName.table}`, placeholder: 'Show this table as…' },
  );
  if (!picked) return;
  // The panel may have closed or switched while the quick pick was open.
  if (panel.identity.viewId !== current || deps.panels.find(table, current) !== panel) return;
  const existing = deps.panels.find(table, picked.view.id);
  if (existing) {
    // One tab per (table, view): show that tab, with the query this one had.
    existing.focus({ query: panel.currentQuery });
    return;
  }
  if (panel.hasPending && !(await settlePending(deps, panel, picked.view.displayName))) return;
  deps.panels.switchView(panel, picked.view.id);
  deps.log.info(`Switched ${displayName.table} from ${current} to ${picked.view.id}`);
}

/** Pending edits must be saved or explicitly discarded before the view that holds them goes away. */
async function settlePending(deps: ViewCommandDeps, panel: TablePanel, target: string): Promise<boolean> {
  const pending = panel.pendingChanges;
  const title = panel.title(false);
  const count = pending.length === 1 ? '1 unsaved change' : `${pending.length} unsaved changes`;
  const choice = await vscode.window.showWarningMessage(
    `"${title}" has ${count}.`,
    { modal: true, detail: `Save them to the database or discard them before switching to the ${target} view.` },
    'Save',
    'Discard',
  );
  if (choice === 'Discard') {
    deps.log.info(`Discarded ${count} of ${title} to switch views`);
    return true;
  }
  if (choice !== 'Save') return false;
  const outcome = await savePending(pending, {
    confirm: (changes) => deps.panels.confirmApply(panel.identity.table, changes),
    apply: (changes) => deps.tables.apply(panel.identity.table, changes.map(decodeChange), { source: panel.saveSource }),
  });
  // Declining the deletes leaves the view in place with its edits.
  if (outcome.kind === 'declined') return false;
  const result = outcome.result;
  if (result.ok) {
    deps.log.info(`Saved ${count} of ${title} before switching views`);
    return true;
  }
  const applied = result.rolledBack ? 'Nothing was saved.' : `The first ${result.failure.index} changes were saved.`;
  void vscode.window.showErrorMessage(`Saving ${title} failed: ${sentence(result.failure.message)} ${applied} The view was not switched.`);
  return false;
}
