// Storing a view preference (api.setViewPreference and "Set as Default View for This Table" share
// src/host/viewPreferences.ts) into the real metadata store (sql.js, on disk), and reading it back after reopening.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TableLocator } from '../../api';
import { silentLogger } from '../../src/core/log';
import { PluginRegistry } from '../../src/core/registry';
import { chooseView } from '../../src/core/viewSelection';
import type { HostMetadata } from '../../src/host/hostMetadata';
import { openHostMetadata } from '../../src/host/metadataAdapter';
import { storeViewPreference } from '../../src/host/viewPreferences';
import { tableSchema, viewPlugin } from '../support/fakePlugins';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

describe('view preferences (src/host/viewPreferences)', () => {
  let dir: string;
  let metadata: HostMetadata;
  const disabled = new Set<string>();
  const registry = new PluginRegistry({ apiVersion: '1.2.0', log: silentLogger, isEnabled: (id) => !disabled.has(id) });
  registry.registerView(viewPlugin({ id: 'nocoflo.table', priority: 100 }));
  registry.registerView(viewPlugin({ id: 'nocoflo.chart', priority: 10 }));
  registry.registerView(viewPlugin({ id: 'acme.off', priority: 5 }));
  const datasources = { get: (id: string) => (id === 'ds1' ? ({ id, type: 'sqlite', name: 'Shop', config: {} } as never) : undefined) };
  const table: TableLocator = { datasourceId: 'ds1', name: 'orders' };
  const open = () => openHostMetadata({ storagePath: dir, wasmPath, log: silentLogger, onCorrupt: () => assert.fail('the store is not corrupt') });
  const store = (locator: TableLocator, viewId: string, config?: unknown) => storeViewPreference({ registry, datasources, preferences: metadata.viewPreferences, user: () => 'ada' }, locator, viewId, config);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-prefs-'));
    metadata = await open();
  });
  afterEach(() => {
    metadata.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the view and its config per table and user, across reopening the store', async () => {
    await store(table, 'nocoflo.chart', { mark: 'bar', x: 'month' });
    metadata.dispose();
    metadata = await open();
    assert.deepEqual(metadata.viewPreferences.get(table, 'ada'), { viewId: 'nocoflo.chart', config: { mark: 'bar', x: 'month' } });
    assert.equal(metadata.viewPreferences.get(table, 'bob'), undefined);
    assert.equal(metadata.viewPreferences.get({ ...table, name: 'customers' }, 'ada'), undefined);
    // A later default replaces it; without a config, none is kept.
    await store(table, 'nocoflo.table');
    assert.deepEqual(metadata.viewPreferences.get(table, 'ada'), { viewId: 'nocoflo.table' });
  });

  it('is what view selection opens next, ahead of the strategy', async () => {
    await store(table, 'nocoflo.chart');
    const choice = chooseView({ candidates: registry.viewsFor(tableSchema()), strategy: 'auto', order: [], preferred: metadata.viewPreferences.get(table, 'ada')?.viewId });
    assert.ok(choice.kind === 'view');
    assert.equal(choice.view.id, 'nocoflo.chart');
    assert.equal(choice.reason, 'preference');
  });

  it('refuses disabled and unknown views, unknown datasources and malformed tables, and keeps what was stored', async () => {
    await store(table, 'nocoflo.chart');
    disabled.add('acme.off');
    try {
      await assert.rejects(store(table, 'acme.off'), (e: Error & { code?: string }) => e.code === 'not_found' && /No enabled view plugin "acme\.off"/.test(e.message));
    } finally {
      disabled.delete('acme.off');
    }
    await assert.rejects(store(table, 'acme.nothing'), /No enabled view plugin/);
    await assert.rejects(store({ datasourceId: 'gone', name: 'orders' }, 'nocoflo.table'), /No datasource with id "gone"/);
    await assert.rejects(store({ name: 'orders' } as unknown as TableLocator, 'nocoflo.table'), /A table is/);
    assert.deepEqual(metadata.viewPreferences.get(table, 'ada'), { viewId: 'nocoflo.chart' });
  });
});
