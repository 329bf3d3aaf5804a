import type { Metadata } from '../core/metadata/metadata';
import type { ImportGuards } from '../core/metadata/importChecks';

/**
 * The metadata file and its repositories as the extension host uses them (`metadataAdapter.ts` opens them): the
 * repositories directly, audit log, roles and locks over `file`. The two configuration transfers stay members, as
 * they were, so the commands that run them (src/host/commands) need no change and no knowledge of the summary type.
 */
export interface HostMetadata extends Metadata {
  exportConfiguration(): unknown;
  /**
   * Checks the file against the user's roles and the plugins' schemas, then imports it whole (see configTransfer).
   * Returns what a user reads, e.g. "Imported 2 new datasources, … ." with a sentence on dropped secrets.
   */
  importConfiguration(json: unknown, guards: ImportGuards): Promise<string>;
}
