import { randomUUID } from 'node:crypto';
import type { DatasourceConfig } from '../../../api';
import type { DatasourceCatalog, DatasourceRecord } from '../datasourceManager';
import { parseStoredJson, timestamp, type MetadataAccess } from './metadataAccess';

/**
 * The connections the user added (table `datasources`). `config` never holds secrets: DatasourceManager moves them
 * to SecretStorage first.
 */
export class DatasourceRepository implements DatasourceCatalog {
  constructor(private readonly metadata: MetadataAccess) {}

  listDatasources(): DatasourceRecord[] {
    return this.metadata.rows('SELECT id, type, name, config FROM datasources ORDER BY name COLLATE NOCASE, id').map((r) => ({
      id: String(r.id),
      type: String(r.type),
      name: String(r.name),
      config: parseStoredJson(r.config, {}) as DatasourceConfig,
    }));
  }

  getDatasource(id: string): DatasourceRecord | undefined {
    return this.listDatasources().find((r) => r.id === id);
  }

  async addDatasource(record: Omit<DatasourceRecord, 'id'> & { id?: string }): Promise<DatasourceRecord> {
    const full: DatasourceRecord = { id: record.id ?? randomUUID(), type: record.type, name: record.name, config: record.config };
    await this.metadata.write((db) => {
      const at = timestamp();
      db.run('INSERT INTO datasources (id, type, name, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        full.id,
        full.type,
        full.name,
        JSON.stringify(full.config ?? {}),
        at,
        at,
      ]);
    });
    return full;
  }

  async renameDatasource(id: string, name: string): Promise<void> {
    await this.metadata.write((db) => {
      db.run('UPDATE datasources SET name = ?, updated_at = ? WHERE id = ?', [name, timestamp(), id]);
      if (db.getRowsModified() === 0) throw new Error(`Datasource ${id} no longer exists (removed in another window?).`);
    });
  }

  async updateDatasource(id: string, changes: { name: string; config: DatasourceConfig }): Promise<void> {
    await this.metadata.write((db) => {
      db.run('UPDATE datasources SET name = ?, config = ?, updated_at = ? WHERE id = ?', [changes.name, JSON.stringify(changes.config), timestamp(), id]);
      if (db.getRowsModified() === 0) throw new Error(`Datasource ${id} no longer exists (removed in another window?).`);
    });
  }

  /** Its view preferences go in the same write: they name tables of a connection that no longer exists. */
  async removeDatasource(id: string): Promise<void> {
    await this.metadata.write((db) => {
      db.run('DELETE FROM table_view_preference WHERE datasource_id = ?', [id]);
      db.run('DELETE FROM datasources WHERE id = ?', [id]);
    });
  }
}
