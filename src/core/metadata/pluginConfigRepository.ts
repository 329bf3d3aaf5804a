import type { SqlValue } from 'sql.js';
import { parseStoredJson, rowsOf, type MetadataAccess } from './metadataAccess';

export interface PluginConfigRecord {
  pluginId: string;
  enabled: boolean;
  config: unknown;
  version?: string;
}

const SELECT = 'SELECT enabled, config, version FROM plugin_config WHERE plugin_id = ?';

function toRecord(pluginId: string, row: Record<string, SqlValue> | undefined): PluginConfigRecord | undefined {
  if (!row) return undefined;
  return {
    pluginId,
    enabled: row.enabled !== 0,
    config: parseStoredJson(row.config, {}),
    ...(typeof row.version === 'string' ? { version: row.version } : {}),
  };
}

/** Each plugin's on/off state and stored configuration (table `plugin_config`). */
export class PluginConfigRepository {
  constructor(private readonly metadata: MetadataAccess) {}

  get(pluginId: string): PluginConfigRecord | undefined {
    return toRecord(pluginId, this.metadata.rows(SELECT, [pluginId])[0]);
  }

  list(): PluginConfigRecord[] {
    return this.metadata.rows('SELECT plugin_id FROM plugin_config ORDER BY plugin_id').map((r) => this.get(String(r.plugin_id))!);
  }

  /** An absent row means enabled: a newly installed plugin works without anyone switching it on. */
  isEnabled(pluginId: string): boolean {
    return this.get(pluginId)?.enabled ?? true;
  }

  /** Changes only what `change` names; the rest is read inside the same write, so another window's part survives. */
  async set(pluginId: string, change: { enabled?: boolean; config?: unknown; version?: string }): Promise<void> {
    await this.metadata.write((db) => {
      const current = toRecord(pluginId, rowsOf(db, SELECT, [pluginId])[0]);
      db.run('INSERT OR REPLACE INTO plugin_config (plugin_id, enabled, config, version) VALUES (?, ?, ?, ?)', [
        pluginId,
        (change.enabled ?? current?.enabled ?? true) ? 1 : 0,
        JSON.stringify(change.config ?? current?.config ?? {}),
        change.version ?? current?.version ?? null,
      ]);
    });
  }
}
