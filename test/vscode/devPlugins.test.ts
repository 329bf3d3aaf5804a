// Hot reload inside a real VS Code: a plugin folder named in nocoflo.dev.pluginFolders is registered, rebuilt
// (its file rewritten) and registered again with the new code, without reloading the window; a module that throws
// is reported and the rest of Nocoflo keeps working; removing the folder from the setting unregisters it.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NocofloApi, PluginInfo } from '../../api';

const pluginSource = (version: string, displayName: string) => `
exports.register = (api) => [api.registerView({
  id: 'dev.hot', displayName: ${JSON.stringify(displayName)}, version: ${JSON.stringify(version)}, apiVersion: '1.0.0',
  priority: 1, canHandle: () => true, webview: { root: __dirname, script: 'view.js' },
})];
`;

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('dev plugins: hot reload', () => {
  let api: NocofloApi;
  const folder = path.join(mkdtempSync(path.join(tmpdir(), 'nocoflo-dev-plugin-')), 'hot-plugin');
  const devView = (): PluginInfo | undefined => api.listPlugins({ kind: 'view' }).find((p) => p.id === 'dev.hot');
  const setting = () => vscode.workspace.getConfiguration('nocoflo');

  before(async () => {
    api = await vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo')!.activate();
    mkdirSync(path.join(folder, 'dist'), { recursive: true });
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'hot-plugin', main: './dist/extension.js' }));
    writeFileSync(path.join(folder, 'dist/extension.js'), pluginSource('1.0.0', 'Hot view v1'));
  });

  after(async () => {
    await setting().update('dev.pluginFolders', undefined, vscode.ConfigurationTarget.Global);
  });

  it('registers a plugin folder named in the setting', async () => {
    await setting().update('dev.pluginFolders', [folder], vscode.ConfigurationTarget.Global);
    const view = await until('the dev view', () => (devView()?.version === '1.0.0' ? devView() : undefined));
    assert.equal(view.displayName, 'Hot view v1');
    assert.equal(view.state, 'active');
  });

  it('registers the rebuilt code again when the build output changes, without a window reload', async () => {
    writeFileSync(path.join(folder, 'dist/extension.js'), pluginSource('2.0.0', 'Hot view v2'));
    const view = await until('version 2', () => (devView()?.version === '2.0.0' ? devView() : undefined));
    assert.equal(view.displayName, 'Hot view v2');
    assert.equal(api.listPlugins({ kind: 'view' }).filter((p) => p.id === 'dev.hot').length, 1, 'the old registration is gone');
  });

  it('keeps working when a rebuild is broken, and takes the next good build', async () => {
    writeFileSync(path.join(folder, 'dist/extension.js'), 'throw new Error("half-written build");');
    await until('the broken build to unregister the view', () => (devView() === undefined ? true : undefined));
    assert.ok(api.listPlugins().some((p) => p.id === 'nocoflo.table' && p.state === 'active'), 'the rest of Nocoflo is untouched');
    writeFileSync(path.join(folder, 'dist/extension.js'), pluginSource('3.0.0', 'Hot view v3'));
    await until('version 3', () => (devView()?.version === '3.0.0' ? true : undefined));
  });

  it('unregisters the plugin when its folder leaves the setting', async () => {
    await setting().update('dev.pluginFolders', [], vscode.ConfigurationTarget.Global);
    await until('the dev view to go', () => (devView() === undefined ? true : undefined));
  });
});
