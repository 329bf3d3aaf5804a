import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { importConfiguration, importSummaryText } from '../../src/core/metadata/configTransfer';
import { openMetadata, type Metadata } from '../../src/core/metadata/metadata';
import { datasourcePlugin, viewPlugin } from '../support/fakePlugins';
import { importGuards } from '../support/importGuards';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

/** A configuration file as Export Configuration writes it. */
const file = (parts: { datasources?: unknown[]; pluginConfig?: unknown[] }) => ({ format: 'nocoflo-config', version: 1, exportedAt: '2026-01-01T00:00:00Z', ...parts });

describe('Import Configuration checks (real sql.js metadata store)', () => {
  let dir: string;
  let store: Metadata;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-import-'));
    store = await openMetadata({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
  });
  afterEach(() => {
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to change a connection the user is not admin of, naming it, and writes nothing', async () => {
    const shop = await store.datasources.addDatasource({ type: 'test.ds', name: 'Shop', config: { host: 'db.local' } });
    const guards = importGuards(store);
    guards.registry.registerDatasource(datasourcePlugin());
    await assert.rejects(
      importConfiguration(store, file({ datasources: [{ id: shop.id, type: 'test.ds', name: 'Shop', config: { host: 'evil.example' } }, { id: 'new-one', type: 'test.ds', name: 'New', config: { host: 'h' } }] }), guards),
      (e: Error & { code?: string }) => e.code === 'permission' && /^Nothing was imported: Importing new settings into "Shop" needs the admin role; you are/.test(e.message),
    );
    assert.deepEqual(store.datasources.listDatasources(), [shop], 'neither the change nor the new connection was written');

    await guards.roles.setRole({ datasourceId: shop.id }, 'admin');
    const summary = await importConfiguration(store, file({ datasources: [{ id: shop.id, type: 'test.ds', name: 'Shop', config: { host: 'evil.example' } }] }), guards);
    assert.equal(summary.datasourcesUpdated, 1);
    assert.deepEqual(store.datasources.getDatasource(shop.id)?.config, { host: 'evil.example' });
  });

  it('needs no role for new connections or for settings that stay the same', async () => {
    const shop = await store.datasources.addDatasource({ type: 'test.ds', name: 'Shop', config: { host: 'db.local', port: 5432 } });
    const guards = importGuards(store);
    guards.registry.registerDatasource(datasourcePlugin());
    await guards.roleStore.setProduction(shop.id, true); // a viewer now
    const summary = await importConfiguration(
      store,
      file({ datasources: [{ id: shop.id, type: 'test.ds', name: 'Shop', config: { port: 5432, host: 'db.local' } }, { id: 'added', type: 'test.ds', name: 'Added', config: { host: 'h' } }] }),
      guards,
    );
    assert.equal(summary.datasourcesAdded, 1);
    assert.equal(summary.datasourcesUpdated, 1);
  });

  it('drops secret fields from imported connections, says so, and keeps them out of the metadata file', async () => {
    const guards = importGuards(store);
    guards.registry.registerDatasource(
      datasourcePlugin({
        configFields: [
          { key: 'host', label: 'Host', type: 'string', required: true },
          { key: 'password', label: 'Password', type: 'password' },
          { key: 'apiToken', label: 'API token', type: 'string', secret: true },
          { key: 'token', label: 'Token name', type: 'string' },
        ],
      }),
    );
    const summary = await importConfiguration(
      store,
      file({
        datasources: [
          { id: 'a', type: 'test.ds', name: 'Known plugin', config: { host: 'h', password: 'hunter2-known', apiToken: 'tok-known', token: 'not-a-secret' } },
          { id: 'b', type: 'acme.missing', name: 'Unknown plugin', config: { url: 'https://x', Password: 'hunter2-unknown', api_key: 'key-unknown' } },
          { id: 'c', type: 'test.ds', name: 'Empty secret', config: { host: 'h', password: '' } },
          { id: 'd', type: 'test.ds', name: 'Stray key', config: { host: 'h', secret: 'stray-secret' } },
        ],
      }),
      guards,
    );
    assert.deepEqual(summary.secretsDropped, [
      { datasource: 'Known plugin', fields: ['Password', 'API token'] },
      { datasource: 'Unknown plugin', fields: ['Password', 'api_key'] },
      { datasource: 'Stray key', fields: ['secret'] },
    ]);
    assert.deepEqual(store.datasources.getDatasource('a')?.config, { host: 'h', token: 'not-a-secret' }, 'a declared non-secret field named "token" stays');
    assert.deepEqual(store.datasources.getDatasource('b')?.config, { url: 'https://x' });
    assert.deepEqual(store.datasources.getDatasource('c')?.config, { host: 'h' });
    store.dispose();
    store = await openMetadata({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    // The metadata file itself, as written to disk: a secret anywhere in it (any table, a stale page) shows up.
    const everything = readFileSync(path.join(dir, 'nocoflo.sqlite')).toString('latin1');
    for (const secret of ['hunter2-known', 'tok-known', 'hunter2-unknown', 'key-unknown', 'stray-secret']) assert.ok(!everything.includes(secret), secret);
    assert.match(importSummaryText(summary), /^Imported 4 new datasources, 0 updated datasources, 0 plugin settings, 0 view preferences\. The file held secrets for "Known plugin" \(Password, API token\), "Unknown plugin" \(Password, api_key\), "Stray key" \(secret\): they were not kept/);
    assert.match(importSummaryText(summary), /You are asked for passwords and tokens when you connect\.$/);
  });

  it("checks plugin configuration against the plugin's declared schema, as the Plugins view does", async () => {
    const guards = importGuards(store);
    guards.registry.registerView(
      viewPlugin({ id: 'acme.view', configSchema: { type: 'object', properties: { pageSize: { type: 'integer', minimum: 1 } }, additionalProperties: false } }),
    );
    await assert.rejects(
      importConfiguration(store, file({ pluginConfig: [{ pluginId: 'acme.view', enabled: true, config: { pageSize: 0, extra: 1 } }] }), guards),
      (e: Error & { code?: string }) => e.code === 'invalid_value' && /Test View \(acme\.view\): config\.pageSize/.test(e.message) && /extra/.test(e.message),
    );
    await assert.rejects(
      importConfiguration(store, file({ pluginConfig: [{ pluginId: 'acme.gone', enabled: true, config: { a: 1 } }] }), guards),
      /plugin "acme\.gone" cannot be checked because the plugin is not installed/,
    );
    assert.equal(store.plugins.get('acme.view'), undefined, 'nothing stored');
    const summary = await importConfiguration(
      store,
      file({ pluginConfig: [{ pluginId: 'acme.view', enabled: false, config: { pageSize: 50 } }, { pluginId: 'acme.gone', enabled: false }] }),
      guards,
    );
    assert.equal(summary.pluginConfig, 2);
    assert.deepEqual(store.plugins.get('acme.view')?.config, { pageSize: 50 });
    assert.equal(store.plugins.isEnabled('acme.gone'), false, 'an uninstalled plugin may be switched off');
  });

  it('refuses plugin changes to a user who may not manage plugins (a production connection they are not admin of)', async () => {
    const prod = await store.datasources.addDatasource({ type: 'test.ds', name: 'Prod', config: { host: 'h' } });
    const guards = importGuards(store);
    guards.registry.registerView(viewPlugin({ id: 'acme.view' }));
    await guards.roleStore.setProduction(prod.id, true);
    await assert.rejects(
      importConfiguration(store, file({ pluginConfig: [{ pluginId: 'acme.view', enabled: false }] }), guards),
      (e: Error & { code?: string }) => e.code === 'permission' && /managing plugins needs the admin role on every production connection/.test(e.message),
    );
    assert.equal(store.plugins.isEnabled('acme.view'), true);
    await guards.roles.setRole({ datasourceId: prod.id }, 'admin');
    await importConfiguration(store, file({ pluginConfig: [{ pluginId: 'acme.view', enabled: false }] }), guards);
    assert.equal(store.plugins.isEnabled('acme.view'), false);
  });
});
