// In-memory stand-ins for where datasource records and secrets live (the metadata file and SecretStorage in the
// extension), for tests of DatasourceManager and what sits on it. Real storage has tests of its own.
import type { DatasourceCatalog, DatasourceRecord, SecretStore } from '../../src/core/datasourceManager';

export class MemoryCatalog implements DatasourceCatalog {
  records: DatasourceRecord[] = [];
  listDatasources() {
    return [...this.records];
  }
  getDatasource(id: string) {
    return this.records.find((r) => r.id === id);
  }
  async addDatasource(record: Omit<DatasourceRecord, 'id'>) {
    const full = { ...record, id: `ds${this.records.length + 1}` };
    this.records.push(full);
    return full;
  }
  async renameDatasource(id: string, name: string) {
    this.getDatasource(id)!.name = name;
  }
  async updateDatasource(id: string, changes: { name: string; config: DatasourceRecord['config'] }) {
    Object.assign(this.getDatasource(id)!, changes);
  }
  async removeDatasource(id: string) {
    this.records = this.records.filter((r) => r.id !== id);
  }
}

/** A SecretStore over a Map the test can look into. */
export function memorySecrets(values = new Map<string, string>()): { store: SecretStore; values: Map<string, string> } {
  return {
    values,
    store: { get: async (k) => values.get(k), store: async (k, v) => void values.set(k, v), delete: async (k) => void values.delete(k) },
  };
}
