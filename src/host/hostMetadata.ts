import type { Database, SqlValue } from 'sql.js';
import type { Disposable, TableLocator } from '../../api';
import type { DatasourceCatalog } from '../core/datasourceManager';
import type { ImportGuards } from '../core/metadata/importChecks';

/** What the extension host needs from the metadata store; `metadataAdapter.ts` implements it over sql.js. */
export interface HostMetadata extends DatasourceCatalog, Disposable {
  isPluginEnabled(pluginId: string): boolean;
  /** A plugin's stored settings (the Plugins view); absent when none were stored. */
  pluginConfig(pluginId: string): { enabled: boolean; config: unknown } | undefined;
  setPluginConfig(pluginId: string, change: { enabled?: boolean; config?: unknown; version?: string }): Promise<void>;
  viewPreference(table: TableLocator, user: string): { viewId: string; config?: unknown } | undefined;
  setViewPreference(table: TableLocator, user: string, viewId: string, config?: unknown): Promise<void>;
  exportConfiguration(): unknown;
  /**
   * Checks the file against the user's roles and the plugins' schemas, then imports it whole (see configTransfer).
   * Returns what a user reads, e.g. "Imported 2 new datasources, … ." with a sentence on dropped secrets.
   */
  importConfiguration(json: unknown, guards: ImportGuards): Promise<string>;
  /**
   * MetadataStore's generic access, for features that keep their own tables (audit log, roles, locks): rows of the
   * latest committed state, and a write in one transaction under the cross-window lock.
   */
  rows(sql: string, params?: SqlValue[]): Record<string, SqlValue>[];
  write<T>(mutate: (db: Database) => T): Promise<T>;
  /** Fires when another VS Code window changed the shared metadata file. */
  onDidChangeExternally(listener: () => void): Disposable;
}
