// Roles' edges that roles.test.ts leaves open, found by mutation testing (scripts/mutation.sh): what counts as the
// user's own file, unknown role names, where a role came from, schemas in role targets, unknown connections, what
// a view is told per role, plugin management with only non-production connections, and which role changes on a
// production connection need a confirmation.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ConfigField } from '../../api';
import type { DatasourceRecord } from '../../src/core/datasourceManager';
import { DatasourceRepository } from '../../src/core/metadata/datasourceRepository';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import { isOwnFile } from '../../src/core/roles/ownFile';
import { isRole, roleClause } from '../../src/core/roles/roleModel';
import { RoleService } from '../../src/core/roles/roleService';
import { RoleStore } from '../../src/core/roles/roleStore';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

describe('Role edges', () => {
  it('a file is the user\'s own only without credentials of either kind', () => {
    const file: ConfigField = { key: 'path', label: 'File', type: 'file', required: true };
    assert.equal(isOwnFile([file, { key: 'mode', label: 'Mode', type: 'string' }], false), true);
    assert.equal(isOwnFile([file, { key: 'key', label: 'Key', type: 'string', secret: true }], false), false, 'a secret field');
    assert.equal(isOwnFile([file, { key: 'pw', label: 'Password', type: 'password' }], false), false, 'a password field');
    assert.equal(isOwnFile([file], true), false, 'declared by the workspace');
  });

  it('knows only its three role names, and says "on" the connection unless the role was set for the table', () => {
    for (const role of ['viewer', 'editor', 'admin']) assert.equal(isRole(role), true);
    for (const other of ['owner', '', null, undefined, 1, ['admin']]) assert.equal(isRole(other), false, String(other));
    assert.equal(roleClause({ role: 'viewer', source: 'connection', production: true }, { connectionName: 'Shop', table: 'orders' }), 'a viewer on "Shop" (production connection)');
    assert.equal(roleClause({ role: 'editor', source: 'table', production: false }, { connectionName: 'Shop', table: 'orders' }), 'an editor of "orders" on "Shop" (set for this table)');
    assert.equal(roleClause({ role: 'admin', source: 'table', production: false }, { connectionName: 'Shop' }), 'an admin on "Shop" (set for this table)', 'no table named');
  });

  describe('on a real metadata file', () => {
    let dir: string;
    let metadata: MetadataFile;
    let store: RoleStore;
    let records: DatasourceRecord[];
    let shop: string;
    let ownFiles: Set<string>;
    let roles: RoleService;

    beforeEach(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-role-edges-'));
      metadata = await MetadataFile.open({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
      store = new RoleStore(metadata);
      const added = await new DatasourceRepository(metadata).addDatasource({ type: 'nocoflo.sqlite', name: 'Shop', config: { path: '/x.db' } });
      shop = added.id;
      records = [added, { id: 'workspace:Team', type: 'postgres', name: 'Team', config: {}, production: true }];
      ownFiles = new Set();
      roles = new RoleService({ store, datasource: (id) => records.find((r) => r.id === id), datasources: () => records, ownFile: (id) => ownFiles.has(id) });
    });
    afterEach(() => {
      metadata.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps a table\'s role per schema, ignores a schema given without a table, and lists both', async () => {
      await store.setRole({ datasourceId: shop, schema: 'aux', table: 'orders' }, 'viewer');
      await store.setRole({ datasourceId: shop, schema: 'ignored' }, 'admin');
      assert.equal(store.role({ datasourceId: shop, schema: 'aux', table: 'orders' }), 'viewer');
      assert.equal(store.role({ datasourceId: shop, table: 'orders' }), undefined, 'another schema');
      assert.equal(store.role({ datasourceId: shop }), 'admin', 'the connection\'s role');
      assert.equal(store.role({ datasourceId: shop, schema: 'ignored' }), 'admin', 'a schema without a table is the connection');
      assert.deepEqual(store.list(shop), [{ datasourceId: shop, role: 'admin' }, { datasourceId: shop, table: 'orders', schema: 'aux', role: 'viewer' }]);
      assert.equal(roles.storedRole({ datasourceId: shop, schema: 'aux', table: 'orders' }), 'viewer');
      assert.ok(await roles.authorize({ datasourceId: shop, schema: 'aux', name: 'orders' }, [{ kind: 'insert', values: {} }], {} as never), 'refused in schema aux');
      assert.equal(await roles.authorize({ datasourceId: shop, name: 'orders' }, [{ kind: 'delete', key: { id: 1 }, expected: {} }], {} as never), undefined, 'the admin connection role elsewhere');
      await roles.forget(shop);
      assert.deepEqual(store.list(shop), []);
    });

    it('answers for a connection it does not know: not production, an editor, named by its id', async () => {
      assert.equal(store.isProduction('gone'), false);
      assert.equal(roles.isProduction('gone'), false);
      assert.deepEqual(roles.resolve({ datasourceId: 'gone' }), { role: 'editor', source: 'default', production: false });
      assert.deepEqual(roles.canManageConnection('gone', 'Renaming'), { ok: false, reason: 'Renaming "gone" needs the admin role; you are an editor on "gone". Change it with Nocoflo: Set Role…' });
      await assert.rejects(store.setProduction('gone', true), /Datasource gone no longer exists/);
    });

    it('says where a role came from, and starts the user\'s own file as admin', async () => {
      await roles.setRole({ datasourceId: shop }, 'viewer');
      assert.deepEqual(roles.resolve({ datasourceId: shop }), { role: 'viewer', source: 'connection', production: false });
      await roles.setRole({ datasourceId: shop }, undefined);
      assert.equal(roles.defaultRole(shop), 'editor');
      ownFiles.add(shop);
      assert.deepEqual(roles.resolve({ datasourceId: shop }), { role: 'admin', source: 'default', production: false });
      assert.equal(roles.defaultRole(shop), 'admin');
      assert.equal(roles.defaultRole('workspace:Team'), 'viewer');
      assert.doesNotThrow(() => roles.assertManageConnection(shop, 'Removing'));
      assert.throws(() => roles.assertManageConnection('workspace:Team', 'Removing'), (e: Error & { code?: string }) => e.code === 'permission' && e.message.startsWith('Removing "Team" needs the admin role; you are a viewer on "Team" (production connection).'));
    });

    it('tells a view what its role leaves out: everything for a viewer, deletes for an editor, nothing for an admin', async () => {
      const table = { datasourceId: shop, name: 'orders' };
      assert.deepEqual(roles.viewAccess(table), { unavailable: { delete: 'You are an editor on "Shop": editors can insert and update rows but not delete them. You can change your role with Nocoflo: Set Role…' } });
      await roles.setRole({ datasourceId: shop, table: 'orders' }, 'viewer');
      const viewer = roles.viewAccess(table);
      assert.equal(viewer.readOnlyReason, 'You are a viewer of "orders" on "Shop" (set for this table): rows cannot be changed here. You can change your role with Nocoflo: Set Role…');
      assert.deepEqual(Object.keys(viewer.unavailable ?? {}), ['insert', 'update', 'delete']);
      await roles.setRole({ datasourceId: shop, table: 'orders' }, 'admin');
      assert.deepEqual(roles.viewAccess(table), {});
    });

    it('lets plugins be managed when every production connection is admin, whatever the others are', async () => {
      await roles.setRole({ datasourceId: shop }, 'viewer');
      assert.equal(roles.canManagePlugins().ok, false, 'Team is production and a viewer');
      await roles.setRole({ datasourceId: 'workspace:Team' }, 'admin');
      assert.deepEqual(roles.canManagePlugins(), { ok: true }, 'Shop is a viewer but not production');
    });

    it('asks to confirm only what raises a role on a production connection, tables included', async () => {
      assert.equal(roles.needsConfirmation({ datasourceId: shop }, 'admin'), false, 'not production');
      assert.equal(roles.needsConfirmation({ datasourceId: 'workspace:Team' }, 'editor'), true);
      assert.equal(roles.needsConfirmation({ datasourceId: 'workspace:Team' }, 'viewer'), false);
      const orders = { datasourceId: 'workspace:Team', table: 'orders' };
      await roles.setRole(orders, 'viewer');
      assert.equal(roles.needsConfirmation(orders, undefined), false, 'back to the connection\'s default: viewer');
      await roles.setRole({ datasourceId: 'workspace:Team' }, 'admin');
      assert.equal(roles.needsConfirmation(orders, undefined), true, 'back to the connection\'s admin');
      assert.equal(roles.needsConfirmation(orders, 'editor'), true);
    });
  });
});
