// The guards Import Configuration runs with in the extension, built from real parts over a real metadata store:
// the roles read from its tables, and a plugin registry holding whatever plugins a test registers.
import type { ImportGuards } from '../../src/core/metadata/importChecks';
import type { Metadata } from '../../src/core/metadata/metadata';
import { PluginRegistry } from '../../src/core/registry';
import { RoleService } from '../../src/core/roles/roleService';
import { RoleStore } from '../../src/core/roles/roleStore';
import { silentLogger } from '../../src/core/log';

export function importGuards(store: Metadata, registry = new PluginRegistry({ apiVersion: '1.0.0', log: silentLogger, isEnabled: (id) => store.plugins.isEnabled(id) })): ImportGuards & { registry: PluginRegistry; roles: RoleService; roleStore: RoleStore } {
  const roleStore = new RoleStore(store.file);
  const roles = new RoleService({ store: roleStore, datasource: (id) => store.datasources.getDatasource(id), datasources: () => store.datasources.listDatasources() });
  return { registry, roles, roleStore };
}
