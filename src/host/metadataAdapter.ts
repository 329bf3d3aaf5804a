import * as path from 'node:path';
import type { TableLocator } from '../../api';
import type { Logger } from '../core/log';
import { exportConfiguration, importConfiguration, importSummaryText } from '../core/metadata/configTransfer';
import { MetadataStore } from '../core/metadata/metadataStore';
import type { HostMetadata } from './hostMetadata';

export interface OpenHostMetadataOptions {
  storagePath: string;
  wasmPath: string;
  log: Logger;
  onCorrupt(backupPath: string): void;
}

export const METADATA_FILE = 'nocoflo.sqlite';


/** The metadata store, shaped for the extension host. */
export async function openHostMetadata(options: OpenHostMetadataOptions): Promise<HostMetadata> {
  const store = await MetadataStore.open({
    path: path.join(options.storagePath, METADATA_FILE),
    wasmPath: options.wasmPath,
    log: options.log,
    onCorrupt: options.onCorrupt,
  });
  const key = (table: TableLocator, user: string) => ({
    datasourceId: table.datasourceId,
    ...(table.schema !== undefined ? { schema: table.schema } : {}),
    table: table.name,
    user,
  });
  return {
    listDatasources: () => store.listDatasources(),
    getDatasource: (id) => store.getDatasource(id),
    addDatasource: (record) => store.addDatasource(record),
    renameDatasource: (id, name) => store.renameDatasource(id, name),
    updateDatasource: (id, changes) => store.updateDatasource(id, changes),
    removeDatasource: (id) => store.removeDatasource(id),
    isPluginEnabled: (id) => store.isPluginEnabled(id),
    pluginConfig: (id) => store.pluginConfig(id),
    setPluginConfig: (id, change) => store.setPluginConfig(id, change),
    viewPreference: (table, user) => {
      const found = store.viewPreference(key(table, user));
      return found ? { viewId: found.viewId, ...(found.config !== undefined ? { config: found.config } : {}) } : undefined;
    },
    setViewPreference: (table, user, viewId, config) => store.setViewPreference({ ...key(table, user), viewId, ...(config !== undefined ? { config } : {}) }),
    exportConfiguration: () => exportConfiguration(store),
    importConfiguration: async (json, guards) => importSummaryText(await importConfiguration(store, json, guards)),
    rows: (sql, params) => store.rows(sql, params),
    write: (mutate) => store.write(mutate),
    onDidChangeExternally: (listener) => store.onDidChange(listener),
    dispose: () => store.dispose(),
  };
}
