// A plugin reads its own configuration through the public API (api.getPluginConfig, 1.2): what the Plugins view
// stored after checking it against the plugin's schema, from the real metadata store (sql.js, on disk).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../src/core/log';
import { PluginAdmin } from '../../src/core/pluginAdmin';
import { PluginRegistry } from '../../src/core/registry';
import { createApi } from '../../src/host/api';
import type { HostMetadata } from '../../src/host/hostMetadata';
import { openHostMetadata } from '../../src/host/metadataAdapter';
import { viewPlugin } from '../support/fakePlugins';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

describe('api.getPluginConfig (a plugin reads its configuration)', () => {
  let dir: string;
  let metadata: HostMetadata;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-plugin-config-'));
    metadata = await openHostMetadata({ storagePath: dir, wasmPath, log: silentLogger, onCorrupt: () => assert.fail('the store is not corrupt') });
  });
  afterEach(() => {
    metadata.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns what the Plugins view stored, and onDidChangePlugins fires when it changes', async () => {
    const registry = new PluginRegistry({ apiVersion: '1.2.0', log: silentLogger, isEnabled: (id) => metadata.plugins.isEnabled(id) });
    // The API object's other parts (datasources, tables, opening tabs) play no part in reading a configuration.
    const unused = {} as never;
    const api = createApi({ registry, datasources: unused, metadata, opener: unused, user: () => 'ada', builtIns: new Set(), tables: unused, role: unused, locksOn: unused, confirm: unused, dataChanged: unused, isInstalled: unused });
    api.registerView(viewPlugin({ id: 'acme.view', configSchema: { type: 'object', properties: { rows: { type: 'integer', minimum: 1 } } } }));
    const admin = new PluginAdmin({ registry, store: metadata.plugins, canManagePlugins: () => ({ ok: true }) });
    assert.equal(api.getPluginConfig?.('acme.view'), undefined, 'nothing stored yet');
    let changes = 0;
    api.onDidChangePlugins(() => changes++);
    await admin.saveConfig('acme.view', '{ "rows": 25 }');
    assert.deepEqual(api.getPluginConfig?.('acme.view'), { rows: 25 });
    assert.equal(changes, 1);
    await assert.rejects(admin.saveConfig('acme.view', '{ "rows": 0 }'));
    assert.deepEqual(api.getPluginConfig?.('acme.view'), { rows: 25 }, 'a refused configuration never reaches the plugin');
    assert.equal(api.getPluginConfig?.(42 as unknown as string), undefined, 'a wrong argument is no crash');
  });
});
