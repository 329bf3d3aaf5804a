import * as assert from 'node:assert/strict';
import { PluginRegistry } from '../../src/core/registry';
import { PluginFailure, PluginOperationError } from '../../src/core/pluginErrors';
import { datasourcePlugin, tableSchema, viewPlugin } from '../support/fakePlugins';

function makeRegistry(disabled: string[] = []) {
  const logs: string[] = [];
  const registry = new PluginRegistry({
    apiVersion: '1.2.0',
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    isEnabled: (id) => !disabled.includes(id),
  });
  return { registry, logs };
}

describe('PluginRegistry', () => {
  describe('routing by scheme', () => {
    it('routes the built-in schemes and third-party schemes to their plugins', () => {
      const { registry } = makeRegistry();
      registry.registerDatasource(datasourcePlugin({ id: 'nocoflo.sqlite', schemes: ['sqlite', 'sqlite3'] }));
      registry.registerDatasource(datasourcePlugin({ id: 'nocoflo.postgres', schemes: ['postgres', 'postgresql'] }));
      registry.registerDatasource(datasourcePlugin({ id: 'nocoflo.mysql', schemes: ['mysql', 'mariadb'] }));
      registry.registerDatasource(datasourcePlugin({ id: 'nocoflo.rest', schemes: ['http', 'https'] }));
      registry.registerDatasource(datasourcePlugin({ id: 'acme.csv', schemes: ['csv'] }));
      const route = (url: string) => registry.resolveUrl(url)?.id;
      assert.equal(route('sqlite:///tmp/a.db'), 'nocoflo.sqlite');
      assert.equal(route('sqlite3:/tmp/a.db'), 'nocoflo.sqlite');
      assert.equal(route('postgres://u@h/db'), 'nocoflo.postgres');
      assert.equal(route('POSTGRESQL://u@h/db'), 'nocoflo.postgres');
      assert.equal(route('mysql://h/db'), 'nocoflo.mysql');
      assert.equal(route('mariadb://h/db'), 'nocoflo.mysql');
      assert.equal(route('https://api.example.com/v1'), 'nocoflo.rest');
      assert.equal(route('http://127.0.0.1:8080'), 'nocoflo.rest');
      assert.equal(route('csv:///data'), 'acme.csv');
      assert.equal(route('ftp://x'), undefined);
      assert.equal(registry.resolveDatasource('nocoflo.mysql')?.id, 'nocoflo.mysql', 'by plugin id');
      assert.equal(registry.resolveDatasource('mariadb')?.id, 'nocoflo.mysql', 'by scheme');
    });

    it('routes a bare file path through the plugins that parse it', () => {
      const { registry } = makeRegistry();
      registry.registerDatasource(datasourcePlugin({ id: 'nocoflo.rest', schemes: ['http'], parseUrl: () => { throw Object.assign(new Error('not a URL'), { code: 'invalid_value' }); } }));
      registry.registerDatasource(
        datasourcePlugin({
          id: 'nocoflo.sqlite',
          schemes: ['sqlite'],
          parseUrl: (p) => {
            if (!/\.(db|sqlite3?)$/.test(p)) throw Object.assign(new Error('not sqlite'), { code: 'invalid_value' });
            return { config: { path: p }, secrets: {} };
          },
        }),
      );
      assert.equal(registry.resolveUrl('/home/me/data.sqlite')?.id, 'nocoflo.sqlite');
      assert.equal(registry.resolveUrl('C:\\data\\x.db')?.id, 'nocoflo.sqlite', 'a drive letter is not a scheme');
      assert.equal(registry.resolveUrl('/home/me/notes.txt'), undefined);
      assert.deepEqual(registry.list().filter((p) => p.state === 'failed'), [], 'expected parse errors do not fail plugins');
    });

    it('does not route to disabled plugins', () => {
      const { registry } = makeRegistry(['nocoflo.sqlite']);
      registry.registerDatasource(datasourcePlugin({ id: 'nocoflo.sqlite', schemes: ['sqlite'] }));
      assert.equal(registry.resolveUrl('sqlite:///a.db'), undefined);
      assert.equal(registry.list()[0].state, 'disabled');
    });
  });

  describe('registration checks', () => {
    it('refuses a duplicate id, naming it', () => {
      const { registry } = makeRegistry();
      registry.registerView(viewPlugin({ id: 'x.view' }));
      assert.throws(() => registry.registerView(viewPlugin({ id: 'x.view' })), /"x\.view" is already registered/);
      assert.throws(() => registry.registerDatasource(datasourcePlugin({ id: 'x.view' })), /already registered/);
    });

    it('refuses a scheme that another plugin already handles', () => {
      const { registry } = makeRegistry();
      registry.registerDatasource(datasourcePlugin({ id: 'a', schemes: ['sqlite'] }));
      assert.throws(() => registry.registerDatasource(datasourcePlugin({ id: 'b', schemes: ['sqlite'] })), /scheme "sqlite" is already handled by plugin "a"/);
    });

    it('refuses an incompatible API major version with both versions in the message', () => {
      const { registry, logs } = makeRegistry();
      assert.throws(
        () => registry.registerView(viewPlugin({ id: 'old.view', apiVersion: '0.9.0' })),
        (e: Error) => /old\.view/.test(e.message) && /0\.9\.0/.test(e.message) && /1\.2\.0/.test(e.message),
      );
      assert.throws(() => registry.registerView(viewPlugin({ id: 'new.view', apiVersion: '2.0.0' })), /2\.0\.0.*1\.2\.0/);
      assert.throws(() => registry.registerView(viewPlugin({ id: 'bad.view', apiVersion: 'latest' })), /not a version/);
      assert.doesNotThrow(() => registry.registerView(viewPlugin({ id: 'minor.view', apiVersion: '1.0.0' })));
      assert.ok(logs.some((l) => l.startsWith('error') && l.includes('old.view')), 'refusals are logged');
    });

    it('lists every problem of a malformed plugin', () => {
      const { registry } = makeRegistry();
      assert.throws(
        () => registry.registerDatasource({ id: 'broken', displayName: '', version: '1', apiVersion: '1.0.0' } as never),
        (e: Error) => /displayName/.test(e.message) && /schemes/.test(e.message) && /connect/.test(e.message),
      );
      assert.throws(() => registry.registerView(viewPlugin({ webview: { root: '/x', script: '../../etc/passwd' } })), /inside "webview.root"/);
      assert.throws(() => registry.registerView(null as never), /not an object/);
    });

    it('unregisters on dispose and fires change events', () => {
      const { registry } = makeRegistry();
      let changes = 0;
      registry.onDidChange(() => changes++);
      const disposable = registry.registerView(viewPlugin());
      assert.equal(registry.list({ kind: 'view' }).length, 1);
      disposable.dispose();
      disposable.dispose();
      assert.equal(registry.list({ kind: 'view' }).length, 0);
      assert.equal(changes, 2);
    });
  });

  describe('listPlugins', () => {
    it('reports kind, versions, state, built-in flag and contributing extension', () => {
      const { registry } = makeRegistry(['off.view']);
      registry.registerDatasource(datasourcePlugin({ id: 'nocoflo.sqlite', extensionId: 'nocoflo.nocoflo' }), { builtIn: true });
      registry.registerView(viewPlugin({ id: 'off.view', extensionId: 'acme.views' }));
      const all = registry.list();
      assert.deepEqual(
        all.map((p) => [p.id, p.kind, p.state, p.enabled, p.builtIn, p.extensionId]),
        [
          ['nocoflo.sqlite', 'datasource', 'active', true, true, 'nocoflo.nocoflo'],
          ['off.view', 'view', 'disabled', false, false, 'acme.views'],
        ],
      );
      assert.deepEqual(registry.list({ kind: 'view' }).map((p) => p.id), ['off.view']);
      assert.deepEqual(registry.list({ kind: 'datasource' }).map((p) => p.id), ['nocoflo.sqlite']);
    });
  });

  describe('view candidates', () => {
    it('orders by priority, drops views that cannot handle the table, and evaluates priority functions', () => {
      const { registry } = makeRegistry();
      registry.registerView(viewPlugin({ id: 'table', priority: 100 }));
      registry.registerView(viewPlugin({ id: 'form', priority: (s) => (s.columns.length > 10 ? 150 : 50) }));
      registry.registerView(viewPlugin({ id: 'chart', priority: 10, canHandle: (s) => s.columns.some((c) => c.kind === 'integer') }));
      registry.registerView(viewPlugin({ id: 'never', priority: 1000, canHandle: () => false }));
      assert.deepEqual(registry.viewsFor(tableSchema()).map((v) => v.id), ['table', 'form', 'chart']);
      const wide = tableSchema({ columns: Array.from({ length: 12 }, (_, i) => ({ name: `c${i}`, declaredType: 'TEXT', kind: 'text' as const, nullable: true })) });
      assert.deepEqual(registry.viewsFor(wide).map((v) => v.id), ['form', 'table']);
    });
  });

  describe('isolation', () => {
    it('a throwing canHandle marks only that view failed; others keep working', () => {
      const { registry, logs } = makeRegistry();
      registry.registerView(viewPlugin({ id: 'good', priority: 1 }));
      registry.registerView(viewPlugin({ id: 'bad', priority: 99, canHandle: () => { throw new TypeError('boom'); } }));
      assert.deepEqual(registry.viewsFor(tableSchema()).map((v) => v.id), ['good']);
      const bad = registry.list().find((p) => p.id === 'bad')!;
      assert.equal(bad.state, 'failed');
      assert.match(bad.error!, /canHandle: boom/);
      assert.ok(logs.some((l) => l.startsWith('error [bad] canHandle failed: boom')));
      assert.equal(registry.getView('bad'), undefined, 'failed views are not offered');
      registry.resetFailures();
      assert.equal(registry.list().find((p) => p.id === 'bad')!.state, 'active');
    });

    it('a rejected Error is that operation\'s error naming the plugin; a non-Error marks it failed; expected errors pass through', async () => {
      const { registry, logs } = makeRegistry();
      registry.registerDatasource(datasourcePlugin({ id: 'flaky' }));
      await assert.rejects(
        registry.callAsync('flaky', 'connect', async () => { throw new RangeError('bad state'); }),
        (e: unknown) => e instanceof PluginOperationError && e.pluginId === 'flaky' && e.code === 'internal' && /bad state \(plugin "flaky", connect\)/.test(e.message),
      );
      assert.equal(registry.list()[0].state, 'active', 'one operation\'s error does not fail the plugin');
      assert.ok(logs.some((l) => l.startsWith('error [flaky] connect failed (the plugin stays active): bad state')));
      await assert.rejects(
        registry.callAsync('flaky', 'connect', () => Promise.reject('not an error')),
        (e: unknown) => e instanceof PluginFailure && /Plugin "flaky" failed in connect: not an error/.test(e.message),
      );
      assert.equal(registry.list()[0].state, 'failed');
      registry.resetFailures();
      const authError = Object.assign(new Error('password authentication failed for user "bob"'), { code: 'auth' });
      await assert.rejects(registry.callAsync('flaky', 'connect', async () => { throw authError; }), (e) => e === authError);
      assert.equal(registry.list()[0].state, 'active', 'a wrong password is not a plugin bug');
    });

    it('a result the check refuses marks the plugin failed', async () => {
      const { registry } = makeRegistry();
      registry.registerDatasource(datasourcePlugin({ id: 'shape' }));
      await assert.rejects(
        registry.callAsync('shape', 'countRows', async () => 'many', (r) => (typeof r === 'number' ? undefined : 'a string instead of a count')),
        (e: unknown) => e instanceof PluginFailure && /failed in countRows: returned a string instead of a count/.test(e.message),
      );
      assert.equal(registry.list()[0].state, 'failed');
    });

    it('says why a plugin is unavailable: missing, disabled or failed with its error', async () => {
      const { registry } = makeRegistry(['off']);
      registry.registerDatasource(datasourcePlugin({ id: 'off', schemes: ['off'] }));
      registry.registerDatasource(datasourcePlugin({ id: 'bad', schemes: ['bad'] }));
      registry.registerDatasource(datasourcePlugin({ id: 'good', schemes: ['good'] }));
      await assert.rejects(registry.callAsync('bad', 'connect', () => Promise.reject('oops')));
      assert.match(registry.unavailableReason('nope') ?? '', /"nope" is not installed/);
      assert.match(registry.unavailableReason('off') ?? '', /"off" is disabled/);
      assert.match(registry.unavailableReason('bad') ?? '', /"bad" failed in connect: oops/);
      assert.equal(registry.unavailableReason('good'), undefined);
    });

    it('a synchronous throw inside an async hook is caught too', async () => {
      const { registry } = makeRegistry();
      registry.registerDatasource(datasourcePlugin({ id: 'sync' }));
      await assert.rejects(registry.callAsync('sync', 'listTables', () => { throw new Error('sync throw'); }), PluginOperationError);
    });
  });
});
