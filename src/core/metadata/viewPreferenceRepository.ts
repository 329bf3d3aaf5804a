import type { TableLocator } from '../../../api';
import { parseStoredJson, timestamp, type MetadataAccess } from './metadataAccess';

/** One stored preference, as configuration exports carry it. */
export interface ViewPreferenceRecord {
  datasourceId: string;
  schema?: string;
  table: string;
  user: string;
  viewId: string;
  config?: unknown;
}

/** Which view (and its configuration) opens a table for a user (table `table_view_preference`). */
export class ViewPreferenceRepository {
  constructor(private readonly metadata: MetadataAccess) {}

  get(table: TableLocator, user: string): { viewId: string; config?: unknown } | undefined {
    const row = this.metadata.rows(
      'SELECT view_id, view_config FROM table_view_preference WHERE datasource_id = ? AND schema_name = ? AND table_name = ? AND user_name = ?',
      [table.datasourceId, table.schema ?? '', table.name, user],
    )[0];
    if (!row) return undefined;
    const config = parseStoredJson(row.view_config, undefined);
    return { viewId: String(row.view_id), ...(config !== undefined ? { config } : {}) };
  }

  list(): ViewPreferenceRecord[] {
    return this.metadata.rows('SELECT datasource_id, schema_name, table_name, user_name, view_id, view_config FROM table_view_preference ORDER BY 1, 2, 3, 4').map((r) => {
      const config = parseStoredJson(r.view_config, undefined);
      return {
        datasourceId: String(r.datasource_id),
        ...(r.schema_name ? { schema: String(r.schema_name) } : {}),
        table: String(r.table_name),
        user: String(r.user_name),
        viewId: String(r.view_id),
        ...(config !== undefined ? { config } : {}),
      };
    });
  }

  /** Replaces the table's preference for `user`; without a config, none is kept. */
  async set(table: TableLocator, user: string, viewId: string, config?: unknown): Promise<void> {
    await this.metadata.write((db) =>
      db.run(
        'INSERT OR REPLACE INTO table_view_preference (datasource_id, schema_name, table_name, user_name, view_id, view_config, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [table.datasourceId, table.schema ?? '', table.name, user, viewId, config === undefined ? null : JSON.stringify(config), timestamp()],
      ),
    );
  }
}
