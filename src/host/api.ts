import type { DataChangeEvent, DatasourcePlugin, NocofloApi, RowChange, TableLocator, ViewPlugin } from '../../api';
import { checkCaller, createDataAccess } from '../core/dataAccess';
import type { DatasourceManager } from '../core/datasourceManager';
import type { Emitter } from '../core/events';
import type { ResolvedRole } from '../core/roles/roleModel';
import type { TableService } from '../core/tableService';
import { nocofloError } from '../core/pluginErrors';
import type { PluginRegistry } from '../core/registry';
import type { HostMetadata } from './hostMetadata';
import type { TableOpener } from './tableOpener';
import { storeViewPreference } from './viewPreferences';

export const API_VERSION = '1.7.0';

export interface ApiDeps {
  registry: PluginRegistry;
  datasources: DatasourceManager;
  metadata: HostMetadata;
  opener: TableOpener;
  user(): string;
  /** Ids of Nocoflo's own plugins, so the plugin list can say "built-in". */
  builtIns: ReadonlySet<string>;
  /** For `api.data` (1.5): the data door, and what it needs besides TableService. */
  tables: TableService;
  role(datasourceId: string): ResolvedRole;
  locksOn(table: TableLocator): { rowKey: string; owner: string; acquiredAt: string }[];
  confirm(table: TableLocator, changes: readonly RowChange[], caller: string): Promise<boolean>;
  dataChanged: Emitter<DataChangeEvent>;
  /** Whether an extension with this id is installed (a caller names itself; a made-up name is refused). */
  isInstalled(extensionId: string): boolean;
}

function checkLocator(table: TableLocator): void {
  if (typeof table !== 'object' || table === null || typeof table.datasourceId !== 'string' || typeof table.name !== 'string') {
    throw nocofloError('invalid_value', 'A table is { datasourceId: string, schema?: string, name: string }.');
  }
}

/**
 * The object `activate()` returns. Built-in plugins register through exactly this object, so anything a built-in
 * needs is, by construction, available to third parties too.
 */
export function createApi(deps: ApiDeps): NocofloApi {
  const { registry, datasources, metadata, opener } = deps;
  return Object.freeze({
    apiVersion: API_VERSION,
    registerDatasource: (plugin: DatasourcePlugin) => registry.registerDatasource(plugin, { builtIn: deps.builtIns.has(plugin?.id) }),
    registerView: (plugin: ViewPlugin) => registry.registerView(plugin, { builtIn: deps.builtIns.has(plugin?.id) }),
    listPlugins: (filter?: { kind?: 'view' | 'datasource' }) => registry.list(filter ?? {}),
    addDatasource: (datasource) => datasources.add(datasource),
    setViewPreference: (table, viewId, config) => storeViewPreference({ registry, datasources, preferences: metadata.viewPreferences, user: deps.user }, table, viewId, config),
    openTable: async (table, viewId) => {
      checkLocator(table);
      await opener.open(table, viewId);
    },
    onDidChangePlugins: registry.onDidChange,
    getPluginConfig: (pluginId: string) => (typeof pluginId === 'string' ? metadata.plugins.get(pluginId)?.config : undefined),
    data: (caller) =>
      createDataAccess(
        { datasources, tables: deps.tables, role: deps.role, locksOn: deps.locksOn, confirm: deps.confirm, changed: deps.dataChanged },
        checkCaller(caller, deps.isInstalled),
      ),
  } satisfies NocofloApi);
}
