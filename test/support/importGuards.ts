// The guards Import Configuration runs with in the extension, built from real parts over a real metadata store:
// the roles read from its tables, and a plugin registry holding whatever plugins a test registers.
import type { ImportGuards } from '../../src/core/metadata/importChecks';
import type { MetadataStore } from '../../src/core/metadata/metadataStore';
import { PluginRegistry } from '../../src/core/registry';
import { RoleService } from '../../src/core/roles/roleService';
import { RoleStore } from '../../src/core/roles/roleStore';
import { silentLogger } from '../../src/core/log';

export function importGuards(store: MetadataStore, registry = new PluginRegistry({ apiVersion: '1.0.0', log: silentLogger, isEnabled: (id) => store.isPluginEnabled(id) })): ImportGuards & { registry: PluginRegistry; roles: RoleService; roleStore: RoleStore } {
  const roleStore = new RoleStore(store);
  const roles = new RoleService({ store: roleStore, datasource: (id) => store.getDatasource(id), datasources: () => store.listDatasources() });
  return { registry, roles, roleStore };
}
