import type { TableLocator } from '../../api';
import type { DatasourceManager } from '../core/datasourceManager';
import { nocofloError } from '../core/pluginErrors';
import type { PluginRegistry } from '../core/registry';
import type { ViewPreferenceRepository } from '../core/metadata/viewPreferenceRepository';
import { preferenceTarget } from '../core/queries/queryPreferences';

export interface ViewPreferenceDeps {
  registry: Pick<PluginRegistry, 'getView'>;
  datasources: Pick<DatasourceManager, 'get'>;
  preferences: Pick<ViewPreferenceRepository, 'set'>;
  user(): string;
}

/**
 * Stores which view (and its configuration) opens `table` for the current user. The one path for both
 * `api.setViewPreference` and "Set as Default View for This Table", so the two can never disagree on the checks or
 * on where a query result's preference is kept (preferenceTarget: by the query's title, apart from tables).
 */
export async function storeViewPreference(deps: ViewPreferenceDeps, table: TableLocator, viewId: string, config?: unknown): Promise<void> {
  if (typeof table !== 'object' || table === null || typeof table.datasourceId !== 'string' || typeof table.name !== 'string') {
    throw nocofloError('invalid_value', 'A table is { datasourceId: string, schema?: string, name: string }.');
  }
  if (typeof viewId !== 'string' || !deps.registry.getView(viewId)) throw nocofloError('not_found', `No enabled view plugin "${String(viewId)}".`);
  if (!deps.datasources.get(table.datasourceId)) throw nocofloError('not_found', `No datasource with id "${table.datasourceId}".`);
  await deps.preferences.set(preferenceTarget(table), deps.user(), viewId, config);
}
