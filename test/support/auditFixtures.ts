// The audit log's unit tests share a real metadata file (real sql.js) in a fresh folder per test, and one shape of
// audit entry to vary.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';
import { AuditStore, type NewAuditEntry } from '../../src/core/audit/auditStore';
import { MetadataFile } from '../../src/core/metadata/metadataFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

/** The metadata file in `dir`, opened (again) as the extension opens it, without watching. */
export const openMetadataIn = (dir: string): Promise<MetadataFile> => MetadataFile.open({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });

export interface AuditFixture {
  dir: string;
  metadata: MetadataFile;
  store: AuditStore;
}

export async function openAuditFixture(prefix: string): Promise<AuditFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const metadata = await openMetadataIn(dir);
  return { dir, metadata, store: new AuditStore(metadata) };
}

/** Closes the fixture's metadata file (the one it holds now: a test may have reopened it) and removes its folder. */
export function closeAuditFixture(fixture: AuditFixture | undefined): void {
  fixture?.metadata.dispose();
  if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
}

/** An update of notes #1 by ada in the grid; `over` changes what a test is about. */
export const auditEntry = (over: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  batchId: 'b1',
  at: '2026-12-01T10:00:00.000Z',
  user: 'ada',
  datasourceId: 'ds1',
  table: 'notes',
  operation: 'update',
  key: { id: 1 },
  oldValues: { body: 'a' },
  newValues: { body: 'b' },
  truncated: false,
  source: 'nocoflo.table',
  ...over,
});
