import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exportConfiguration, importConfiguration } from '../../src/core/metadata/configTransfer';
import { openMetadata } from '../../src/core/metadata/metadata';
import type { MetadataFileOptions } from '../../src/core/metadata/metadataFile';
import { importGuards } from '../support/importGuards';
import { MIGRATIONS, type Migration } from '../../src/core/metadata/migrations';
import { loadSqlJs } from '../../src/core/metadata/sqlJsLoader';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

describe('the metadata file and its repositories', () => {
  let dir: string;
  let file: string;
  const open = (extra: Partial<MetadataFileOptions> = {}) => openMetadata({ path: file, wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic, ...extra });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-meta-'));
    file = path.join(dir, 'nocoflo.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores datasources, plugin configuration and view preferences across reopen', async () => {
    const store = await open();
    const ds = await store.datasources.addDatasource({ type: 'nocoflo.sqlite', name: 'Shop', config: { path: '/data/shop.db' } });
    await store.plugins.set('acme.view', { enabled: false, config: { color: 'red' }, version: '1.2.0' });
    await store.viewPreferences.set({ datasourceId: ds.id, name: 'orders' }, 'ada', 'nocoflo.chart', { mark: 'bar' });
    await store.viewPreferences.set({ datasourceId: ds.id, schema: 'public', name: 'orders' }, 'ada', 'nocoflo.form');
    store.dispose();

    const again = await open();
    assert.deepEqual(again.datasources.listDatasources(), [{ id: ds.id, type: 'nocoflo.sqlite', name: 'Shop', config: { path: '/data/shop.db' } }]);
    assert.equal(again.plugins.isEnabled('acme.view'), false);
    assert.equal(again.plugins.isEnabled('never.configured'), true, 'absent means enabled');
    assert.deepEqual(again.plugins.get('acme.view'), { pluginId: 'acme.view', enabled: false, config: { color: 'red' }, version: '1.2.0' });
    assert.equal(again.viewPreferences.get({ datasourceId: ds.id, name: 'orders' }, 'ada')?.viewId, 'nocoflo.chart');
    assert.deepEqual(again.viewPreferences.get({ datasourceId: ds.id, name: 'orders' }, 'ada')?.config, { mark: 'bar' });
    assert.equal(again.viewPreferences.get({ datasourceId: ds.id, schema: 'public', name: 'orders' }, 'ada')?.viewId, 'nocoflo.form', 'schema is part of the key');
    assert.equal(again.viewPreferences.get({ datasourceId: ds.id, name: 'orders' }, 'bob'), undefined, 'preferences are per user');
    await again.datasources.renameDatasource(ds.id, 'Shop (prod)');
    await again.datasources.removeDatasource(ds.id);
    assert.deepEqual(again.datasources.listDatasources(), []);
    assert.deepEqual(again.viewPreferences.list(), [], 'removing a datasource removes its preferences');
    again.dispose();
  });

  it('leaves nothing changed when a write fails halfway', async () => {
    const store = await open();
    await store.datasources.addDatasource({ type: 't', name: 'kept', config: {} });
    await assert.rejects(
      store.file.write((db) => {
        db.run("DELETE FROM datasources");
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(store.datasources.listDatasources().length, 1);
    store.dispose();
    const reopened = await open();
    assert.equal(reopened.datasources.listDatasources().length, 1);
    reopened.dispose();
  });

  it('upgrades a file written with an older schema and keeps its data', async () => {
    const v1 = await open({ migrations: MIGRATIONS.filter((m) => m.version === 1) });
    const ds = await v1.datasources.addDatasource({ type: 'nocoflo.sqlite', name: 'Old', config: { path: '/old.db' } });
    v1.dispose();
    const next: Migration = {
      version: MIGRATIONS.length + 1,
      description: 'a later feature (test)',
      up: (db) => db.run('CREATE TABLE later_feature (id INTEGER PRIMARY KEY, datasource_id TEXT NOT NULL, op TEXT NOT NULL)'),
    };
    const upgraded = await open({ migrations: [...MIGRATIONS, next] });
    assert.deepEqual(upgraded.datasources.getDatasource(ds.id)?.name, 'Old');
    await upgraded.file.write((db) => db.run('INSERT INTO later_feature (datasource_id, op) VALUES (?, ?)', [ds.id, 'update']));
    assert.deepEqual(upgraded.file.rows('SELECT op FROM later_feature'), [{ op: 'update' }]);
    assert.deepEqual(upgraded.file.rows('PRAGMA user_version'), [{ user_version: next.version }]);
    // Migration 2 (governance) added its tables and marked the old connection as not production.
    assert.deepEqual(upgraded.file.rows('SELECT production FROM datasources WHERE id = ?', [ds.id]), [{ production: 0 }]);
    const tables = upgraded.file.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name);
    for (const table of ['audit_log', 'connection_roles', 'row_locks']) assert.ok(tables.includes(table), `${table} exists`);
    upgraded.dispose();
  });

  it('refuses a file from a newer Nocoflo and leaves it untouched', async () => {
    const newer = await open({ migrations: [...MIGRATIONS, { version: 99, description: 'future', up: () => undefined }] });
    newer.dispose();
    const before = readFileSync(file);
    await assert.rejects(open(), new RegExp(`written by a newer Nocoflo \\(schema version 99; this one knows up to ${MIGRATIONS.length}\\)`));
    assert.deepEqual(readFileSync(file), before);
  });

  it('keeps a corrupt file as a backup, reports it, and starts empty', async () => {
    writeFileSync(file, 'this is not a database, it is a shopping list'.repeat(200));
    let reported: string | undefined;
    const store = await open({ onCorrupt: (backup) => (reported = backup) });
    assert.ok(reported && existsSync(reported), 'backup exists');
    assert.match(readFileSync(reported!, 'utf8'), /shopping list/);
    assert.deepEqual(store.datasources.listDatasources(), []);
    await store.datasources.addDatasource({ type: 't', name: 'fresh', config: {} });
    store.dispose();
    assert.equal((await open()).datasources.listDatasources().length, 1);
  });

  it('sees what another window committed and never overwrites it', async () => {
    const windowA = await open();
    const windowB = await open();
    let changes = 0;
    windowB.file.onDidChange(() => changes++);
    await windowA.datasources.addDatasource({ type: 't', name: 'from A', config: {} });
    // B's in-memory copy predates A's write; B's own write must start from the file, not from its stale copy.
    await windowB.datasources.addDatasource({ type: 't', name: 'from B', config: {} });
    assert.deepEqual(windowA.datasources.listDatasources().map((d) => d.name), ['from A', 'from B']);
    assert.deepEqual(windowB.datasources.listDatasources().map((d) => d.name), ['from A', 'from B']);
    assert.ok(changes >= 1, 'B was told about the external change');
    windowA.dispose();
    windowB.dispose();
  });

  it('two processes writing concurrently lose nothing', async function () {
    this.timeout(120_000);
    (await open()).dispose();
    const writer = path.resolve(__dirname, '../support/metadataWriter.js');
    const run = (prefix: string) =>
      new Promise<void>((resolve, reject) => {
        const child = fork(writer, [file, prefix, '200'], { stdio: 'inherit' });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${prefix} exited with ${code}`))));
      });
    await Promise.all([run('alpha'), run('beta')]);
    const store = await open();
    const names = store.datasources.listDatasources().map((d) => d.name);
    assert.equal(names.length, 400);
    for (const prefix of ['alpha', 'beta']) for (let i = 0; i < 200; i++) assert.ok(names.includes(`${prefix}-${i}`), `${prefix}-${i} missing`);
    store.dispose();
    const SQL = await loadSqlJs(wasmPath);
    const db = new SQL.Database(readFileSync(file));
    assert.equal(db.exec('PRAGMA integrity_check')[0].values[0][0], 'ok');
    db.close();
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')), [], 'no temp or lock files left');
  });

  describe('configuration export and import', () => {
    it('round-trips datasources, plugin config and view preferences without secrets, merging by id', async () => {
      const source = await open();
      const ds = await source.datasources.addDatasource({ type: 'nocoflo.postgres', name: 'Prod', config: { host: 'db', user: 'ada' } });
      await source.plugins.set('acme.view', { enabled: false });
      await source.viewPreferences.set({ datasourceId: ds.id, name: 'orders' }, 'ada', 'nocoflo.form');
      const exported = JSON.parse(JSON.stringify(exportConfiguration(source)));
      source.dispose();
      assert.equal(exported.format, 'nocoflo-config');

      file = path.join(dir, 'other.sqlite');
      const target = await open();
      await target.datasources.addDatasource({ id: ds.id, type: 'nocoflo.postgres', name: 'Old name', config: {} });
      const guards = importGuards(target);
      await guards.roles.setRole({ datasourceId: ds.id }, 'admin'); // changing a connection's settings is the admin's
      const summary = await importConfiguration(target, exported, guards);
      assert.deepEqual(summary, { datasourcesAdded: 0, datasourcesUpdated: 1, pluginConfig: 1, viewPreferences: 1, savedQueries: 0, savedQueriesRenamed: [], secretsDropped: [] });
      assert.deepEqual(target.datasources.listDatasources(), [{ id: ds.id, type: 'nocoflo.postgres', name: 'Prod', config: { host: 'db', user: 'ada' } }]);
      assert.equal(target.plugins.isEnabled('acme.view'), false);
      assert.equal(target.viewPreferences.get({ datasourceId: ds.id, name: 'orders' }, 'ada')?.viewId, 'nocoflo.form');
      await importConfiguration(target, exported, importGuards(target));
      assert.equal(target.datasources.listDatasources().length, 1, 'importing twice does not duplicate');
      target.dispose();
    });

    it('rejects a malformed file, lists every problem, and writes nothing', async () => {
      const store = await open();
      await assert.rejects(
        importConfiguration(store, { format: 'nocoflo-config', version: 3, datasources: [{ id: 'x' }], viewPreferences: 'no' }, importGuards(store)),
        (e: Error) => /"version" 3 is not supported/.test(e.message) && /datasources\[0\]/.test(e.message) && /"viewPreferences" must be an array/.test(e.message),
      );
      await assert.rejects(importConfiguration(store, [1, 2], importGuards(store)), /does not contain a JSON object/);
      assert.deepEqual(store.datasources.listDatasources(), []);
      store.dispose();
    });
  });
});
