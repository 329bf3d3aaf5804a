// The host's core as the extension wires it, without VS Code: a registry holding one datasource plugin, a real
// sql.js metadata store in `dir` as the catalog, secrets in memory, and the DatasourceManager over them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DatasourcePlugin } from '../../api';
import { DatasourceManager } from '../../src/core/datasourceManager';
import { silentLogger } from '../../src/core/log';
import { openMetadata, type Metadata } from '../../src/core/metadata/metadata';
import { PluginRegistry } from '../../src/core/registry';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

export interface HostCore {
  registry: PluginRegistry;
  manager: DatasourceManager;
  metadata: Metadata;
}

export async function openHostCore(dir: string, plugin: DatasourcePlugin): Promise<HostCore> {
  const registry = new PluginRegistry({ apiVersion: '1.2.0', log: silentLogger, isEnabled: () => true });
  registry.registerDatasource(plugin);
  const metadata = await openMetadata({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath: path.resolve(__dirname, '../../sql-wasm.wasm'), watchIntervalMs: 0, replaceFile: writeFileAtomic });
  const secrets = new Map<string, string>();
  const manager = new DatasourceManager({
    registry,
    catalog: metadata.datasources,
    secrets: { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) },
    log: silentLogger,
    workspaceFolders: () => [],
    slowOperationMs: () => 1e9,
  });
  return { registry, manager, metadata };
}

/**
 * For one describe block: `start()` makes a fresh folder and opens a rig in it; after each test the rig's sessions
 * are closed, its metadata disposed and the folder removed, whether the test passed or not.
 */
export function rigPerTest<T extends { manager: { closeAll(): Promise<void> }; metadata: { dispose(): void } }>(prefix: string, open: (dir: string) => Promise<T>): () => Promise<{ dir: string; rig: T }> {
  let dir: string | undefined;
  let current: T | undefined;
  afterEach(async () => {
    await current?.manager.closeAll();
    current?.metadata.dispose();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    current = undefined;
    dir = undefined;
  });
  return async () => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
    current = await open(dir);
    return { dir, rig: current };
  };
}
