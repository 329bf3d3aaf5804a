import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NocofloApi } from '../../api';

async function nocoflo(): Promise<NocofloApi> {
  const extension = vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo');
  assert.ok(extension, 'Nocoflo is installed');
  return extension.activate();
}

describe('activation and the exported API', () => {
  it('activate() returns API version 1 with its functions', async () => {
    const api = await nocoflo();
    assert.match(api.apiVersion, /^1\.\d+\.\d+$/);
    for (const fn of ['registerDatasource', 'registerView', 'listPlugins', 'addDatasource', 'setViewPreference', 'openTable', 'onDidChangePlugins'] as const) {
      assert.equal(typeof api[fn], 'function', fn);
    }
  });

  it('lists the built-in plugins as built-in and active', async () => {
    const api = await nocoflo();
    const byId = new Map(api.listPlugins().map((p) => [p.id, p]));
    assert.equal(byId.get('nocoflo.sqlite')?.state, 'active');
    assert.equal(byId.get('nocoflo.sqlite')?.builtIn, true);
    assert.equal(byId.get('nocoflo.postgres')?.state, 'active');
    assert.equal(byId.get('nocoflo.postgres')?.builtIn, true);
    assert.equal(byId.get('nocoflo.mysql')?.state, 'active');
    assert.equal(byId.get('nocoflo.table')?.kind, 'view');
    assert.deepEqual(api.listPlugins({ kind: 'view' }).every((p) => p.kind === 'view'), true);
  });

  it('a third-party extension registered its datasources through the API', async () => {
    const api = await nocoflo();
    const plugin = vscode.extensions.getExtension('nocoflo-tests.nocoflo-test-plugin');
    assert.ok(plugin, 'the test plugin extension is installed');
    await plugin.activate();
    const planets = api.listPlugins({ kind: 'datasource' }).find((p) => p.id === 'tests.planets');
    assert.equal(planets?.builtIn, false);
    assert.equal(planets?.extensionId, 'nocoflo-tests.nocoflo-test-plugin');
  });

  it('refuses a plugin for another API major version, naming both versions', async () => {
    const api = await nocoflo();
    assert.throws(
      () =>
        api.registerView({
          id: 'tests.future-view', displayName: 'Future', version: '1.0.0', apiVersion: '2.0.0', priority: 1,
          canHandle: () => true, webview: { root: '/tmp', script: 'x.js' },
        }),
      (error: Error) => error.message.includes('API 2.0.0') && error.message.includes(`API ${api.apiVersion}`),
    );
  });

  it('a registration can be disposed and fires onDidChangePlugins', async () => {
    const api = await nocoflo();
    let fired = 0;
    const listener = api.onDidChangePlugins(() => fired++);
    const registration = api.registerView({
      id: 'tests.temporary-view', displayName: 'Temporary', version: '1.0.0', apiVersion: '1.0.0', priority: 1,
      canHandle: () => true, webview: { root: '/tmp', script: 'x.js' },
    });
    assert.ok(api.listPlugins().some((p) => p.id === 'tests.temporary-view'));
    registration.dispose();
    assert.ok(!api.listPlugins().some((p) => p.id === 'tests.temporary-view'));
    listener.dispose();
    assert.equal(fired, 2);
  });
});
