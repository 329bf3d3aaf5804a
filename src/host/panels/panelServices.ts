import type * as vscode from 'vscode';
import type { TableLocator, TableRef } from '../../../api';
import type { WirePendingChange, WireQuery } from '../../../shared/protocol';
import type { WireRecord } from '../../../shared/values';
import type { DatasourceManager } from '../../core/datasourceManager';
import type { Logger } from '../../core/log';
import type { PluginRegistry } from '../../core/registry';
import type { TableService } from '../../core/tableService';
import type { TabIcons } from './tabIcon';
import type { WindowLocks } from '../../core/locks/windowLocks';

/** What every tab needs from the rest of the extension; built once by the PanelManager. */
export interface PanelServices {
  extensionUri: vscode.Uri;
  registry: PluginRegistry;
  datasources: DatasourceManager;
  tables: TableService;
  log: Logger;
  icons: TabIcons;
  /** The view configuration stored with the user's view preference (api.setViewPreference). */
  viewConfig?(table: TableLocator, viewId: string): unknown;
  /** What the user's role allows on a table: a read-only reason (viewers), actions left out with their reasons. */
  access?(table: TableLocator): { readOnlyReason?: string; unavailable?: Partial<Record<'insert' | 'update' | 'delete', string>> };
  /** What views confirm themselves (a grid paste over many cells); undefined when confirmations are off. */
  confirmations?(): { pasteOverCells: number } | undefined;
  /** Asks before a save that destroys data (deleted rows); false when the user declined. */
  confirmApply?(table: TableLocator, changes: readonly WirePendingChange[]): Promise<boolean>;
  /** Opens a view of `target.table` (default: `from`, same datasource always), focused on `target.key`. */
  /** This window's row locks; every tab attaches to them for its table. */
  locks?: WindowLocks;
  openView?(from: TableLocator, target: { viewId?: string; table?: TableRef; key?: WireRecord; query?: WireQuery }): Promise<void>;
}
