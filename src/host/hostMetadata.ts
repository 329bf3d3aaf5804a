import type { Disposable, TableLocator } from '../../api';
import type { DatasourceCatalog } from '../core/datasourceManager';

/** What the extension host needs from the metadata store; `metadataAdapter.ts` implements it over sql.js. */
export interface HostMetadata extends DatasourceCatalog, Disposable {
  isPluginEnabled(pluginId: string): boolean;
  viewPreference(table: TableLocator, user: string): { viewId: string; config?: unknown } | undefined;
  setViewPreference(table: TableLocator, user: string, viewId: string, config?: unknown): Promise<void>;
  exportConfiguration(): unknown;
  /** Returns a human summary such as "2 datasources, 1 view preference". */
  importConfiguration(json: unknown): Promise<string>;
  /** Fires when another VS Code window changed the shared metadata file. */
  onDidChangeExternally(listener: () => void): Disposable;
}
