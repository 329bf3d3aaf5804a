import * as vscode from 'vscode';
import type { TableLocator, ViewPlugin } from '../../api';
import type { DatasourceManager } from '../core/datasourceManager';
import { nocofloError } from '../core/pluginErrors';
import type { PluginRegistry } from '../core/registry';
import type { TableService } from '../core/tableService';
import { chooseView, type ViewSelectionStrategy } from '../core/viewSelection';
import type { PanelHandoff } from './panels/tablePanel';
import { pickOne } from './quickPick';

export interface PanelOpener {
  open(table: TableLocator, viewId: string, names: { table: string; datasource: string }, options?: { handoff?: PanelHandoff }): Promise<void>;
}

export interface ViewPreferenceLookup {
  preferredView(table: TableLocator): string | undefined;
}

/** Decides which view opens a table (request → stored preference → strategy) and asks the panels to show it. */
export class TableOpener {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly datasources: DatasourceManager,
    private readonly tables: TableService,
    private readonly preferences: ViewPreferenceLookup,
    private readonly panels: PanelOpener,
  ) {}

  /** Views that can show `table` right now (enabled, not failed, canHandle true), best first. */
  async candidates(table: TableLocator): Promise<ViewPlugin[]> {
    return this.registry.viewsFor(await this.tables.schema(table));
  }

  /** `handoff` (a query, a row to focus) goes to the tab that shows the table, new or already open. */
  async open(table: TableLocator, viewId?: string, handoff?: PanelHandoff): Promise<void> {
    const record = this.datasources.get(table.datasourceId);
    if (!record) throw nocofloError('not_found', `No datasource with id "${table.datasourceId}".`);
    const config = vscode.workspace.getConfiguration('nocoflo.viewSelection');
    const choice = chooseView({
      candidates: await this.candidates(table),
      strategy: config.get<ViewSelectionStrategy>('strategy', 'auto'),
      order: config.get<string[]>('order', []),
      ...(viewId !== undefined ? { requested: viewId } : {}),
      ...(viewId === undefined ? { preferred: this.preferences.preferredView(table) } : {}),
    });
    let view: ViewPlugin | undefined;
    if (choice.kind === 'none') throw nocofloError('unsupported', choice.reason);
    if (choice.kind === 'view') view = choice.view;
    else view = await pickView(choice.candidates);
    if (!view) return;
    await this.panels.open(table, view.id, { table: table.name, datasource: record.name }, handoff ? { handoff } : {});
  }
}

export async function pickView(candidates: ViewPlugin[]): Promise<ViewPlugin | undefined> {
  const picked = await pickOne(
    candidates.map((view) => ({ label: `$(${view.icon ?? 'preview'}) ${view.displayName}`, view })),
    { title: 'Open table as…', placeholder: 'Choose a view' },
  );
  return picked?.view;
}
