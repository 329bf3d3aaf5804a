import * as path from 'node:path';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';
import type { Logger } from '../core/log';
import { exportConfiguration, importConfiguration, importSummaryText } from '../core/metadata/configTransfer';
import { openMetadata } from '../core/metadata/metadata';
import type { HostMetadata } from './hostMetadata';

export interface OpenHostMetadataOptions {
  storagePath: string;
  wasmPath: string;
  log: Logger;
  onCorrupt(backupPath: string): void;
}

export const METADATA_FILE = 'nocoflo.sqlite';

/** The metadata file in the extension's global storage, with its repositories. */
export async function openHostMetadata(options: OpenHostMetadataOptions): Promise<HostMetadata> {
  const metadata = await openMetadata({
    path: path.join(options.storagePath, METADATA_FILE),
    wasmPath: options.wasmPath,
    log: options.log,
    onCorrupt: options.onCorrupt,
    replaceFile: writeFileAtomic,
  });
  return {
    ...metadata,
    exportConfiguration: () => exportConfiguration(metadata),
    importConfiguration: async (json, guards) => importSummaryText(await importConfiguration(metadata, json, guards)),
  };
}
