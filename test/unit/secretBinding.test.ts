// Stored secrets are bound to what they authenticate (issue 13): a connection's name alone never carries a password
// to another host, whether another workspace reuses the name, a shared settings file is edited, the user edits the
// connection, or a REST API's origin changes. Real plugin declarations (PostgreSQL, REST) decide the targets.
import * as assert from 'node:assert/strict';
import type { DatasourcePlugin } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { createRestDatasource } from '../../plugins/rest';
import { DatasourceManager, type DatasourceRecord } from '../../src/core/datasourceManager';
import { silentLogger } from '../../src/core/log';
import { PluginRegistry } from '../../src/core/registry';
import { fakeSession } from '../support/fakePlugins';
import { MemoryCatalog, memorySecrets } from '../support/memoryStores';

interface Asked {
  target: string;
  reason: string;
}

/** A real plugin whose connect records what it was sent and accepts only `accepted[host]`'s password. */
function spyOn(real: DatasourcePlugin, accepted: Record<string, string>, sent: { where: string; secrets: Record<string, string> }[]) {
  return {
    ...real,
    connect: async (config: Record<string, unknown>, secrets: Record<string, string>) => {
      const where = String(config.host ?? config.baseUrl);
      sent.push({ where, secrets });
      const expected = accepted[where];
      if (expected !== undefined && (secrets.password ?? secrets.token) !== expected) throw Object.assign(new Error('authentication failed'), { code: 'auth' });
      return fakeSession();
    },
  } as DatasourcePlugin;
}

/** One VS Code window: its own catalog (workspace), the one SecretStorage every window of the extension shares. */
function windowOf(plugin: DatasourcePlugin, secretValues: Map<string, string>, records: DatasourceRecord[], answers: string[]) {
  const registry = new PluginRegistry({ apiVersion: '1.4.0', log: silentLogger, isEnabled: () => true });
  registry.registerDatasource(plugin);
  const catalog = new MemoryCatalog();
  catalog.records = records;
  const asked: Asked[] = [];
  const manager = new DatasourceManager({
    registry,
    catalog,
    secrets: memorySecrets(secretValues).store,
    log: silentLogger,
    workspaceFolders: () => [],
    slowOperationMs: () => 1e9,
    askSecrets: async (_record, fields, reason, target) => {
      asked.push({ target, reason });
      const answer = answers.shift();
      return answer === undefined ? undefined : { [fields[0].key]: answer };
    },
  });
  return { manager, catalog, asked };
}

const pg = (host: string) => ({ host, port: 5432, database: 'shop', user: 'app' });
const declaredProd = (host: string): DatasourceRecord => ({ id: 'workspace:prod', type: 'nocoflo.postgres', name: 'prod', config: pg(host), declared: true });

describe('secret binding', () => {
  it('asks a second workspace declaring "prod" on another host, naming that host, and never sends it the first one\'s password', async () => {
    const sent: { where: string; secrets: Record<string, string> }[] = [];
    const plugin = spyOn(createPostgresDatasource(), { 'a.example': 'pw-a', 'b.example': 'pw-b' }, sent);
    const shared = new Map<string, string>();
    const a = windowOf(plugin, shared, [declaredProd('a.example')], ['pw-a']);
    await a.manager.session('workspace:prod');
    assert.equal(a.asked.length, 1, 'a new declared connection asks once');

    const b = windowOf(plugin, shared, [declaredProd('b.example')], ['pw-b']);
    await b.manager.session('workspace:prod');
    assert.deepEqual(b.asked.map((q) => q.target), ['app@b.example:5432/shop']);
    assert.ok(b.asked[0].reason.includes('not sent to app@b.example:5432/shop'), b.asked[0].reason);
    assert.ok(sent.every((s) => s.where !== 'b.example' || s.secrets.password !== 'pw-a'), 'pw-a never went to b.example');

    // Both bindings are kept: each window reconnects without asking.
    await a.manager.close('workspace:prod');
    await a.manager.session('workspace:prod');
    await b.manager.close('workspace:prod');
    await b.manager.session('workspace:prod');
    assert.equal(a.asked.length + b.asked.length, 2);
  });

  it('asks again, naming the new host, when a shared settings file repoints a declared connection; declining sends nothing', async () => {
    const sent: { where: string; secrets: Record<string, string> }[] = [];
    const plugin = spyOn(createPostgresDatasource(), { 'a.example': 'pw-a' }, sent);
    const w = windowOf(plugin, new Map(), [declaredProd('a.example')], ['pw-a']);
    await w.manager.session('workspace:prod');
    await w.manager.close('workspace:prod');
    w.catalog.records = [declaredProd('evil.example')];
    await assert.rejects(w.manager.session('workspace:prod'), (e: Error & { code?: string }) => e.code === 'auth' && e.message.includes('evil.example'));
    assert.equal(w.asked.at(-1)!.target, 'app@evil.example:5432/shop');
    assert.deepEqual(sent.filter((s) => s.where === 'evil.example'), [], 'nothing was sent to the new host');
  });

  it('does not ask for the same target: timeouts and a still-verified SSL mode do not count as a new target', async () => {
    const plugin = spyOn(createPostgresDatasource(), { 'a.example': 'pw-a' }, []);
    const w = windowOf(plugin, new Map(), [declaredProd('a.example')], ['pw-a']);
    await w.manager.session('workspace:prod');
    await w.manager.close('workspace:prod');
    w.catalog.records = [{ ...declaredProd('a.example'), config: { ...pg('a.example'), connectTimeoutSeconds: 30, sslMode: 'verify-ca' } }];
    await w.manager.session('workspace:prod');
    assert.equal(w.asked.length, 1);
  });

  it('asks again when a settings change sends the password to a remote server without verified TLS', async () => {
    const plugin = spyOn(createPostgresDatasource(), { 'a.example': 'pw-a' }, []);
    const w = windowOf(plugin, new Map(), [declaredProd('a.example')], ['pw-a', 'pw-a']);
    await w.manager.session('workspace:prod');
    await w.manager.close('workspace:prod');
    w.catalog.records = [{ ...declaredProd('a.example'), config: { ...pg('a.example'), sslMode: 'require' } }];
    await w.manager.session('workspace:prod');
    assert.equal(w.asked.length, 2);
    assert.match(w.asked[1]!.target, /a\.example:5432\/shop \(TLS not verified\)$/);
  });

  it('asks for a REST token again when the base URL moves to another origin, not when only the path changes', async () => {
    const sent: { where: string; secrets: Record<string, string> }[] = [];
    const plugin = spyOn(createRestDatasource(), {}, sent);
    const rest = (baseUrl: string) => ({ baseUrl, auth: 'bearer', endpoints: JSON.stringify([{ name: 'users', path: '/users' }]) });
    const w = windowOf(plugin, new Map(), [], ['tok-1']);
    const id = await w.manager.add({ type: 'nocoflo.rest', name: 'api', config: rest('https://api.example.com/v1'), secrets: { token: 'tok-0' } });
    // The catalog changes under the manager, as an import or another window would change it.
    w.catalog.records[0].config = rest('https://api.example.com/v2');
    await w.manager.session(id);
    assert.equal(w.asked.length, 0, 'same origin, same token');
    assert.equal(sent.at(-1)!.secrets.token, 'tok-0');
    await w.manager.close(id);
    w.catalog.records[0].config = rest('https://other.example.net/v1');
    await w.manager.session(id);
    assert.deepEqual(w.asked.map((q) => q.target), ['bearer https://other.example.net']);
    assert.equal(sent.at(-1)!.secrets.token, 'tok-1');
  });

  it('Edit Connection that changes the host keeps no stored password: Test and connect send none and connect asks, naming the new host', async () => {
    const sent: { where: string; secrets: Record<string, string> }[] = [];
    const plugin = spyOn(createPostgresDatasource(), { 'a.example': 'pw-a', 'b.example': 'pw-b' }, sent);
    const w = windowOf(plugin, new Map(), [], ['pw-b']);
    const id = await w.manager.add({ type: 'nocoflo.postgres', name: 'mine', config: pg('a.example'), secrets: { password: 'pw-a' } });
    assert.deepEqual(await w.manager.storedSecretKeys(id), ['password']);
    let tested: Record<string, string> | undefined;
    plugin.testConnection = async (_c, s) => ((tested = s), { ok: true });
    await w.manager.test({ type: 'nocoflo.postgres', name: 'mine', config: pg('b.example') }, id);
    assert.deepEqual(tested, {}, 'Test Connection with a new host does not send the old password');
    await w.manager.update(id, { name: 'mine', config: pg('b.example') });
    assert.deepEqual(await w.manager.storedSecretKeys(id), [], 'the form no longer says "saved"');
    await w.manager.session(id);
    assert.deepEqual(w.asked.map((q) => q.target), ['app@b.example:5432/shop']);
    assert.ok(sent.every((s) => s.where !== 'b.example' || s.secrets.password !== 'pw-a'));
  });

  it('binds a password saved before binding existed to a user-added connection\'s target, but asks for a declared one', async () => {
    const sent: { where: string; secrets: Record<string, string> }[] = [];
    const plugin = spyOn(createPostgresDatasource(), { 'a.example': 'pw-a' }, sent);
    const values = new Map([
      ['nocoflo.datasource.ds1', JSON.stringify({ password: 'pw-a' })],
      ['nocoflo.datasource.workspace:prod', JSON.stringify({ password: 'pw-a' })],
    ]);
    const w = windowOf(plugin, values, [{ id: 'ds1', type: 'nocoflo.postgres', name: 'mine', config: pg('a.example') }, declaredProd('a.example')], ['pw-a']);
    await w.manager.session('ds1');
    assert.equal(w.asked.length, 0, 'the user saved this target with this password');
    await w.manager.session('workspace:prod');
    assert.deepEqual(w.asked.map((q) => q.target), ['app@a.example:5432/shop'], 'a declared connection asks once');
    // An import that repoints ds1 after the upgrade: bound first, so the old password stays with the old host.
    const values2 = new Map([['nocoflo.datasource.ds1', JSON.stringify({ password: 'pw-a' })]]);
    const v = windowOf(plugin, values2, [{ id: 'ds1', type: 'nocoflo.postgres', name: 'mine', config: pg('a.example') }], []);
    await v.manager.bindLegacySecrets(['ds1']);
    v.catalog.records = [{ id: 'ds1', type: 'nocoflo.postgres', name: 'mine', config: pg('b.example') }];
    await assert.rejects(v.manager.session('ds1'), /not sent to app@b\.example/);
    assert.ok(sent.every((s) => s.where !== 'b.example'));
  });
});
