// The host's core with its governance, as the extension composes it but without VS Code: a TableService whose
// `authorize` is the real RoleService and whose `applied` is the real AuditRecorder, over a real metadata file in
// `dir`, a catalog in memory and secrets in memory. For tests of what a write goes through.
import * as path from 'node:path';
import type { DatasourcePlugin } from '../../api';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';
import { AuditRecorder } from '../../src/core/audit/auditRecorder';
import { AuditStore } from '../../src/core/audit/auditStore';
import { DatasourceManager, type DatasourceCatalog, type DatasourceRecord } from '../../src/core/datasourceManager';
import { silentLogger } from '../../src/core/log';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import { PluginRegistry } from '../../src/core/registry';
import { RoleService } from '../../src/core/roles/roleService';
import { RoleStore } from '../../src/core/roles/roleStore';
import { TableService } from '../../src/core/tableService';

export interface GovernedRig {
  tables: TableService;
  audit: AuditStore;
  manager: DatasourceManager;
  metadata: MetadataFile;
  roles: RoleStore;
  roleService: RoleService;
  records: DatasourceRecord[];
  errors: string[];
}

export async function governedRig(dir: string, plugin: DatasourcePlugin): Promise<GovernedRig> {
  const registry = new PluginRegistry({ apiVersion: '1.2.0', log: silentLogger, isEnabled: () => true });
  registry.registerDatasource(plugin);
  const records: DatasourceRecord[] = [];
  const catalog: DatasourceCatalog = {
    listDatasources: () => [...records],
    getDatasource: (id) => records.find((r) => r.id === id),
    addDatasource: async (r) => {
      const full = { ...r, id: `ds${records.length + 1}` };
      records.push(full);
      return full;
    },
    renameDatasource: async () => undefined,
    updateDatasource: async () => undefined,
    removeDatasource: async (id) => void records.splice(records.findIndex((r) => r.id === id), 1),
  };
  const secrets = new Map<string, string>();
  const manager = new DatasourceManager({
    registry,
    catalog,
    secrets: { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) },
    log: silentLogger,
    workspaceFolders: () => [],
    slowOperationMs: () => 1e9,
  });
  const metadata = await MetadataFile.open({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath: path.resolve(__dirname, '../../sql-wasm.wasm'), watchIntervalMs: 0, replaceFile: writeFileAtomic });
  const audit = new AuditStore(metadata);
  const errors: string[] = [];
  const recorder = new AuditRecorder({ store: audit, user: () => 'ada', retention: () => ({ days: 90, maxEntries: 10_000 }), log: { info() {}, warn() {}, error: (m) => errors.push(m) } });
  // The host's composition: roles authorize, the audit records.
  const roles = new RoleStore(metadata);
  const service = new RoleService({ store: roles, datasource: (id) => manager.get(id), datasources: () => manager.list() });
  const tables = new TableService(manager, { authorize: service.authorize, applied: recorder.applied });
  return { tables, audit, manager, metadata, roles, roleService: service, records, errors };
}
