import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openMetadata, type Metadata } from '../../src/core/metadata/metadata';
import { type ManageVerdict, PluginAdmin, PluginAdminError } from '../../src/core/pluginAdmin';
import { PluginRegistry } from '../../src/core/registry';
import { parseFromPluginsView } from '../../shared/pluginsProtocol';
import { datasourcePlugin, tableSchema, viewPlugin } from '../support/fakePlugins';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('PluginAdmin (the Plugins view without vscode)', () => {
  let dir: string;
  let store: Metadata;
  let registry: PluginRegistry;
  let verdict: ManageVerdict;
  let afterEnablement: [string, string, boolean][];
  let admin: PluginAdmin;
  const schema = { type: 'object', additionalProperties: false, properties: { rows: { type: 'integer', minimum: 1, maximum: 100 }, mode: { enum: ['a', 'b'] } } };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-plugins-'));
    store = await openMetadata({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    registry = new PluginRegistry({ apiVersion: '1.2.0', log: silent, isEnabled: (id) => store.plugins.isEnabled(id) });
    registry.registerView(viewPlugin({ id: 'acme.view', displayName: 'Acme view', configSchema: schema, extensionId: 'acme.ext' }));
    registry.registerDatasource(datasourcePlugin({ id: 'acme.ds', displayName: 'Acme DS' }), { builtIn: true });
    verdict = { ok: true };
    afterEnablement = [];
    admin = new PluginAdmin({
      registry,
      store: store.plugins,
      canManagePlugins: () => verdict,
      afterEnablement: async (id, kind, enabled) => void afterEnablement.push([id, kind, enabled]),
    });
  });
  afterEach(() => {
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every plugin with kind, versions, extension, state, schema and stored configuration', async () => {
    await store.plugins.set('acme.view', { config: { rows: 5 } });
    const state = admin.state();
    assert.equal(state.canManage, true);
    const view = state.plugins.find((p) => p.id === 'acme.view')!;
    assert.equal(view.kind, 'view');
    assert.equal(view.state, 'active');
    assert.equal(view.extensionId, 'acme.ext');
    assert.equal(view.apiVersion, '1.0.0');
    assert.deepEqual(view.configSchema, schema);
    assert.deepEqual(JSON.parse(view.configText), { rows: 5 });
    const ds = state.plugins.find((p) => p.id === 'acme.ds')!;
    assert.equal(ds.builtIn, true);
    assert.equal(ds.configText, '{}');
    assert.equal(ds.configSchema, undefined);
  });

  it('disabling a view takes it out of viewsFor at once (no reload), enabling brings it back, and it is stored', async () => {
    let changes = 0;
    registry.onDidChange(() => changes++);
    assert.deepEqual(registry.viewsFor(tableSchema()).map((v) => v.id), ['acme.view']);
    assert.equal(await admin.setEnabled('acme.view', false), 'Acme view (acme.view) is disabled.');
    assert.deepEqual(registry.viewsFor(tableSchema()), []);
    assert.equal(registry.list().find((p) => p.id === 'acme.view')?.state, 'disabled');
    assert.equal(admin.state().plugins.find((p) => p.id === 'acme.view')?.enabled, false);
    assert.ok(changes >= 1, 'listeners (tree, Open as…) hear about it');
    assert.deepEqual(afterEnablement, [['acme.view', 'view', false]]);
    assert.equal(store.plugins.get('acme.view')?.enabled, false);
    await admin.setEnabled('acme.view', true);
    assert.deepEqual(registry.viewsFor(tableSchema()).map((v) => v.id), ['acme.view']);
  });

  it('a disabled datasource says why it cannot connect', async () => {
    await admin.setEnabled('acme.ds', false);
    assert.equal(registry.getDatasource('acme.ds'), undefined);
    assert.equal(registry.unavailableReason('acme.ds'), 'plugin "acme.ds" is disabled');
    assert.deepEqual(afterEnablement, [['acme.ds', 'datasource', false]]);
  });

  it('stores a configuration that fits the schema, and keeps the enabled flag', async () => {
    await admin.setEnabled('acme.view', false);
    assert.equal(await admin.saveConfig('acme.view', '{ "rows": 10, "mode": "b" }'), 'Saved the configuration of Acme view (acme.view).');
    assert.deepEqual(store.plugins.get('acme.view'), { pluginId: 'acme.view', enabled: false, config: { rows: 10, mode: 'b' }, version: '0.0.1' });
  });

  it('refuses bad JSON and schema violations with the path, and stores nothing', async () => {
    await store.plugins.set('acme.view', { config: { rows: 3 } });
    await assert.rejects(admin.saveConfig('acme.view', '{ rows: 1 }'), (e: PluginAdminError) => /not valid JSON/.test(e.message));
    await assert.rejects(admin.saveConfig('acme.view', '{ "rows": 0, "mode": "c", "colour": 1 }'), (e: PluginAdminError) => {
      assert.deepEqual(e.problems, ['config.rows must be at least 1, not 0', 'config.mode must be one of "a", "b", not "c"', 'config.colour is not allowed (known: rows, mode)']);
      assert.match(e.message, /^Not saved: config\.rows must be at least 1, not 0; /);
      return true;
    });
    assert.deepEqual(store.plugins.get('acme.view')?.config, { rows: 3 }, 'the stored configuration is untouched');
  });

  it('without a schema any JSON is stored; a broken schema is reported as the plugin\'s bug', async () => {
    await admin.saveConfig('acme.ds', '{ "anything": [1, 2] }');
    assert.deepEqual(store.plugins.get('acme.ds')?.config, { anything: [1, 2] });
    registry.registerView(viewPlugin({ id: 'bad.view', configSchema: { type: 'map' } }));
    await assert.rejects(admin.saveConfig('bad.view', '{}'), /declares a configuration schema Nocoflo cannot use \(a bug in the plugin\): configSchema\.type/);
  });

  it('refuses everything, with the reason, for a user who may not manage plugins', async () => {
    verdict = { ok: false, reason: 'Managing plugins needs the admin role.' };
    assert.equal(admin.state().canManage, false);
    assert.equal(admin.state().manageReason, 'Managing plugins needs the admin role.');
    await assert.rejects(admin.setEnabled('acme.view', false), /needs the admin role/);
    await assert.rejects(admin.saveConfig('acme.view', '{}'), /needs the admin role/);
    assert.equal(store.plugins.get('acme.view'), undefined);
    assert.deepEqual(afterEnablement, []);
  });

  it('names an unknown plugin', async () => {
    await assert.rejects(admin.setEnabled('gone.plugin', true), /Plugin "gone.plugin" is not installed/);
  });
});

describe('Plugins view messages (shared/pluginsProtocol)', () => {
  it('accepts the three messages and refuses anything else with the path', () => {
    assert.deepEqual(parseFromPluginsView({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.equal(parseFromPluginsView({ type: 'request', id: 1, method: 'setEnabled', params: { pluginId: 'a', enabled: false } }).ok, true);
    assert.equal(parseFromPluginsView({ type: 'request', id: 2, method: 'saveConfig', params: { pluginId: 'a', text: '{}' } }).ok, true);
    assert.deepEqual(parseFromPluginsView({ type: 'request', id: 3, method: 'setEnabled', params: { pluginId: 'a', enabled: 'no' } }), {
      ok: false,
      error: 'setEnabled: params.enabled must be a boolean',
      id: 3,
    });
    assert.deepEqual(parseFromPluginsView({ type: 'request', id: 4, method: 'uninstall', params: {} }), { ok: false, error: 'unknown method "uninstall"', id: 4 });
    assert.equal(parseFromPluginsView({ type: 'request', id: 5, method: 'saveConfig', params: { pluginId: 'a', text: '{}', sql: 'x' } }).ok, false);
    assert.equal(parseFromPluginsView({ type: 'request', id: 0, method: 'saveConfig', params: { pluginId: 'a', text: '{}' } }).ok, false);
    assert.equal(parseFromPluginsView('ready').ok, false);
    assert.equal(parseFromPluginsView({ type: 'ready', extra: 1 }).ok, false);
  });
});
