// A plugin that throws in any of its hooks breaks only that call: the call fails with an error naming the plugin and
// another datasource and view registered beside it keep working. An Error thrown by one operation (a database error,
// a RangeError on one bad file) is that operation's error and the plugin stays active for its other connections;
// only a broken contract (a non-Error thrown, a malformed result, a synchronous view hook crashing) marks it failed.
// Every hook of the contract is tried, so a new hook without isolation fails here.
import * as assert from 'node:assert/strict';
import type { DatasourcePlugin, DatasourceSession } from '../../api';
import { DatasourceManager } from '../../src/core/datasourceManager';
import { silentLogger } from '../../src/core/log';
import { PluginRegistry } from '../../src/core/registry';
import { TableService } from '../../src/core/tableService';
import { datasourcePlugin, fakeSession, tableSchema, viewPlugin } from '../support/fakePlugins';
import { MemoryCatalog, memorySecrets } from '../support/memoryStores';

const bug = () => {
  throw new TypeError('a bug in the plugin');
};
const notAnError = () => {
  // Rejecting with a string breaks the contract: callers cannot even read a message from it.
  return Promise.reject('a string, not an Error');
};
const table = (datasourceId: string) => ({ datasourceId, name: 't' });
const update = { kind: 'update' as const, key: { id: 1 }, changes: { name: 'x' }, expected: { name: 'y' } };

type SessionHook = 'listTables' | 'getSchema' | 'readRows' | 'countRows' | 'aggregate' | 'insertRow' | 'updateRow' | 'deleteRow' | 'transaction' | 'previewChanges';
const SESSION_HOOKS: { hook: SessionHook; call: (tables: TableService, manager: DatasourceManager, id: string) => Promise<unknown> }[] = [
  { hook: 'listTables', call: (t, _m, id) => t.listTables(id) },
  { hook: 'getSchema', call: (t, _m, id) => t.schema(table(id)) },
  { hook: 'readRows', call: (t, _m, id) => t.readRows(table(id), { limit: 10 }) },
  { hook: 'countRows', call: (t, _m, id) => t.countRows(table(id)) },
  { hook: 'aggregate', call: (t, _m, id) => t.aggregate(table(id), { groupBy: [], measures: [{ op: 'count', as: 'n' }] }) },
  { hook: 'previewChanges', call: (t, _m, id) => t.preview(table(id), [update]) },
  { hook: 'updateRow', call: (t, _m, id) => applyOrThrow(t, id, [update]) },
  { hook: 'insertRow', call: (t, _m, id) => applyOrThrow(t, id, [{ kind: 'insert', values: { name: 'x' } }]) },
  { hook: 'deleteRow', call: (t, _m, id) => applyOrThrow(t, id, [{ kind: 'delete', key: { id: 1 }, expected: { name: 'y' } }]) },
  { hook: 'transaction', call: (t, _m, id) => applyOrThrow(t, id, [update]) },
];

/** A save reports a plugin bug as a failed change rather than throwing; both count as "the call failed". */
async function applyOrThrow(tables: TableService, id: string, changes: Parameters<TableService['apply']>[1]): Promise<void> {
  const result = await tables.apply(table(id), changes);
  if (!result.ok) throw new Error(`${result.failure.code}: ${result.failure.message}`);
}

function setup(broken: DatasourcePlugin) {
  const registry = new PluginRegistry({ apiVersion: '1.2.0', log: silentLogger, isEnabled: () => true });
  const catalog = new MemoryCatalog();
  const manager = new DatasourceManager({
    registry,
    catalog,
    secrets: memorySecrets().store,
    log: silentLogger,
    workspaceFolders: () => [],
    slowOperationMs: () => 1e9,
  });
  registry.registerDatasource(broken);
  registry.registerDatasource(datasourcePlugin({ id: 'healthy', schemes: ['healthy'] }));
  registry.registerView(viewPlugin({ id: 'healthy.view' }));
  return { registry, manager, tables: new TableService(manager) };
}

async function othersStillWork(registry: PluginRegistry, manager: DatasourceManager, tables: TableService): Promise<void> {
  const healthy = await manager.add({ type: 'healthy', name: 'healthy', config: { host: 'h' } });
  assert.deepEqual((await tables.readRows(table(healthy), { limit: 5 })).rows, [[1]]);
  assert.deepEqual(registry.viewsFor(tableSchema()).map((v) => v.id), ['healthy.view']);
  assert.equal(registry.list().find((p) => p.id === 'healthy')?.state, 'active');
}

function brokenSession(hook: SessionHook, impl: (...args: unknown[]) => unknown): DatasourceSession {
  return fakeSession({
    capabilities: { insert: true, update: true, delete: true, transactions: hook === 'transaction', aggregate: true, schemas: false },
    [hook]: impl,
    ...(hook === 'transaction' ? {} : { transaction: undefined }),
    ...(hook === 'aggregate' || hook === 'previewChanges' ? {} : { aggregate: async () => ({ columns: [], rows: [] }) }),
  } as Partial<DatasourceSession>);
}

const stateOf = (registry: PluginRegistry, id: string) => registry.list().find((p) => p.id === id)?.state;

describe('plugin isolation: a throwing hook breaks only its plugin', () => {
  for (const { hook, call } of SESSION_HOOKS) {
    it(`session.${hook} throwing an Error fails that call only; the plugin stays active`, async () => {
      const { registry, manager, tables } = setup(datasourcePlugin({ id: 'broken', schemes: ['broken'], connect: async () => brokenSession(hook, bug) }));
      const id = await manager.add({ type: 'broken', name: 'broken', config: { host: 'h' } });
      await assert.rejects(call(tables, manager, id), (e: Error) => /a bug in the plugin/.test(e.message) && /broken/.test(e.message));
      assert.equal(stateOf(registry, 'broken'), 'active', `${hook} does not mark the plugin failed`);
      await othersStillWork(registry, manager, tables);
    });

    it(`session.${hook} rejecting with a non-Error marks the plugin failed`, async () => {
      const { registry, manager, tables } = setup(datasourcePlugin({ id: 'broken', schemes: ['broken'], connect: async () => brokenSession(hook, notAnError) }));
      const id = await manager.add({ type: 'broken', name: 'broken', config: { host: 'h' } });
      await assert.rejects(call(tables, manager, id), (e: Error) => /broken|plugin_failed/.test(e.message));
      assert.equal(stateOf(registry, 'broken'), 'failed');
      await othersStillWork(registry, manager, tables);
    });
  }

  for (const hook of ['listTables', 'getSchema', 'readRows', 'countRows', 'aggregate'] as const) {
    it(`session.${hook} resolving to a malformed result marks the plugin failed`, async () => {
      const { registry, manager, tables } = setup(datasourcePlugin({ id: 'broken', schemes: ['broken'], connect: async () => brokenSession(hook, async () => ({ oops: 1 })) }));
      const id = await manager.add({ type: 'broken', name: 'broken', config: { host: 'h' } });
      await assert.rejects(SESSION_HOOKS.find((h) => h.hook === hook)!.call(tables, manager, id), (e: Error) => /Plugin "broken" failed in \w+: returned an object with oops/.test(e.message));
      assert.equal(stateOf(registry, 'broken'), 'failed');
      assert.match(registry.list().find((p) => p.id === 'broken')!.error!, /returned an object with oops instead of/);
      await othersStillWork(registry, manager, tables);
    });
  }

  it("a save's failed change says 'internal' for an operation's Error (plugin active) and 'plugin_failed' for a broken contract", async () => {
    for (const [impl, code, state] of [
      [bug, 'internal', 'active'],
      [notAnError, 'plugin_failed', 'failed'],
    ] as const) {
      const { registry, manager, tables } = setup(datasourcePlugin({ id: 'broken', schemes: ['broken'], connect: async () => brokenSession('insertRow', impl) }));
      const id = await manager.add({ type: 'broken', name: 'broken', config: { host: 'h' } });
      const result = await tables.apply(table(id), [{ kind: 'insert', values: { name: 'x' } }]);
      assert.ok(!result.ok);
      assert.equal(result.failure.code, code);
      assert.equal(stateOf(registry, 'broken'), state);
    }
  });

  // Stands in for the reviewed cases (a WAL header claiming 2^32 pages, too many bound parameters, a document too
  // deep to walk): whatever RangeError the plugin raises for one file or request, its other connections keep working.
  it('a RangeError from one connection leaves the plugin serving its other connections', async () => {
    const sessions: Record<string, DatasourceSession> = {
      bad: fakeSession({ countRows: () => { throw new RangeError('Invalid array length'); } }),
      good: fakeSession(),
    };
    const { registry, manager, tables } = setup(datasourcePlugin({ id: 'broken', schemes: ['broken'], connect: async (config) => sessions[String(config.host)] }));
    const bad = await manager.add({ type: 'broken', name: 'bad', config: { host: 'bad' } });
    const good = await manager.add({ type: 'broken', name: 'good', config: { host: 'good' } });
    await assert.rejects(tables.countRows(table(bad)), (e: Error & { code?: string }) => e.code === 'internal' && /Invalid array length \(plugin "broken", countRows\)/.test(e.message));
    assert.equal(stateOf(registry, 'broken'), 'active');
    assert.equal(registry.unavailableReason('broken'), undefined);
    assert.deepEqual(await tables.countRows(table(good)), { count: 1, exact: true });
    assert.deepEqual((await tables.readRows(table(bad), { limit: 5 })).rows, [[1]], 'the same connection still serves other calls');
  });

  for (const hook of ['connect', 'testConnection', 'parseUrl'] as const) {
    it(`plugin.${hook}`, async () => {
      const { registry, manager, tables } = setup(datasourcePlugin({ id: 'broken', schemes: ['broken'], [hook]: bug }));
      const attempt =
        hook === 'parseUrl'
          ? manager.add({ name: 'broken', url: 'broken://h' })
          : hook === 'testConnection'
            ? manager.test({ type: 'broken', name: 'broken', config: { host: 'h' } })
            : manager.add({ type: 'broken', name: 'broken', config: { host: 'h' } }).then((id) => manager.session(id));
      await assert.rejects(attempt, /broken|a bug in the plugin/);
      // An Error from connect or testConnection concerns that one connection, not the plugin.
      assert.equal(stateOf(registry, 'broken'), 'active');
      await othersStillWork(registry, manager, tables);
    });
  }

  for (const hook of ['connect', 'testConnection'] as const) {
    it(`plugin.${hook} rejecting with a non-Error marks the plugin failed`, async () => {
      const { registry, manager, tables } = setup(datasourcePlugin({ id: 'broken', schemes: ['broken'], [hook]: notAnError }));
      const attempt =
        hook === 'testConnection'
          ? manager.test({ type: 'broken', name: 'broken', config: { host: 'h' } })
          : manager.add({ type: 'broken', name: 'broken', config: { host: 'h' } }).then((id) => manager.session(id));
      await assert.rejects(attempt, /broken/);
      assert.equal(stateOf(registry, 'broken'), 'failed');
      await othersStillWork(registry, manager, tables);
    });
  }

  for (const hook of ['canHandle', 'priority'] as const) {
    it(`view.${hook}`, async () => {
      const { registry, manager, tables } = setup(datasourcePlugin({ id: 'broken', schemes: ['broken'] }));
      registry.registerView(viewPlugin({ id: 'broken.view', [hook]: bug }));
      const shown = registry.viewsFor(tableSchema()).map((v) => v.id);
      assert.deepEqual(shown, ['healthy.view'], 'the broken view is not offered');
      assert.equal(registry.list().find((p) => p.id === 'broken.view')?.state, 'failed');
      await othersStillWork(registry, manager, tables);
    });
  }
});
