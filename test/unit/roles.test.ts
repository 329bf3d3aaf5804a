import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TableSchema } from '../../api';
import type { DatasourceRecord } from '../../src/core/datasourceManager';
import { exportConfiguration, importConfiguration } from '../../src/core/metadata/configTransfer';
import { DatasourceRepository } from '../../src/core/metadata/datasourceRepository';
import { openMetadata } from '../../src/core/metadata/metadata';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import { importGuards } from '../support/importGuards';
import { isOwnFile } from '../../src/core/roles/ownFile';
import {
  allows,
  defaultRole,
  isRaise,
  manageRefusal,
  refusalReason,
  resolveRole,
  roleDescription,
  roleReadOnlyReason,
  unavailableReasons,
} from '../../src/core/roles/roleModel';
import { RoleService } from '../../src/core/roles/roleService';
import { RoleStore } from '../../src/core/roles/roleStore';
import { overwrittenCells, pasteNeedsConfirmation } from '../../webview/table/model/pasteGuard';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

describe('role model', () => {
  it('resolves table override > connection role > default from the production mark', () => {
    assert.deepEqual(resolveRole({ production: false }), { role: 'editor', source: 'default', production: false });
    assert.deepEqual(resolveRole({ production: true }), { role: 'viewer', source: 'default', production: true });
    assert.deepEqual(resolveRole({ production: true, connectionRole: 'admin' }), { role: 'admin', source: 'connection', production: true });
    assert.deepEqual(resolveRole({ production: false, connectionRole: 'admin', tableRole: 'viewer' }), { role: 'viewer', source: 'table', production: false });
    assert.deepEqual(resolveRole({ production: true, tableRole: 'editor' }), { role: 'editor', source: 'table', production: true });
    assert.equal(defaultRole(false), 'editor');
    assert.equal(defaultRole(true), 'viewer');
    // A file the user added is theirs: admin, unless marked production.
    assert.equal(defaultRole(false, true), 'admin');
    assert.equal(defaultRole(true, true), 'viewer');
    assert.deepEqual(resolveRole({ production: false, ownFile: true }), { role: 'admin', source: 'default', production: false });
    assert.deepEqual(resolveRole({ production: false, ownFile: true, connectionRole: 'editor' }), { role: 'editor', source: 'connection', production: false });
  });

  it('counts as the user\'s own file a datasource opened by a required file path without credentials, added here', () => {
    const file = { key: 'path', label: 'File', type: 'file', required: true } as const;
    const password = { key: 'password', label: 'Password', type: 'password', secret: true } as const;
    const host = { key: 'host', label: 'Host', type: 'string', required: true } as const;
    assert.equal(isOwnFile([file, { key: 'readOnly', label: 'Read-only', type: 'boolean' }], false), true);
    assert.equal(isOwnFile([file], true), false, 'declared by the workspace: a shared definition');
    assert.equal(isOwnFile([file, password], false), false, 'a file that needs credentials is somebody\'s service');
    assert.equal(isOwnFile([host, password], false), false, 'a server');
    assert.equal(isOwnFile([{ ...file, required: false }, host], false), false, 'an optional file is not what it opens');
    assert.equal(isOwnFile(undefined, false), false, 'the plugin is not installed');
  });

  it('allows per change kind: viewer nothing, editor insert and update, admin also delete', () => {
    const table = (role: 'viewer' | 'editor' | 'admin') => (['insert', 'update', 'delete'] as const).map((k) => allows(role, k));
    assert.deepEqual(table('viewer'), [false, false, false]);
    assert.deepEqual(table('editor'), [true, true, false]);
    assert.deepEqual(table('admin'), [true, true, true]);
  });

  it('says why, naming the role, the connection, the production mark and how to change it', () => {
    const prod = resolveRole({ production: true });
    assert.equal(
      refusalReason(prod, { connectionName: 'Prod DB', table: 'orders' }, 'update'),
      'You are a viewer on "Prod DB" (production connection): rows cannot be changed here. You can change your role with Nocoflo: Set Role…',
    );
    const editor = resolveRole({ production: false, connectionRole: 'editor' });
    assert.equal(
      refusalReason(editor, { connectionName: 'Shop', table: 'orders' }, 'delete'),
      'You are an editor on "Shop": editors can insert and update rows but not delete them. You can change your role with Nocoflo: Set Role…',
    );
    assert.equal(refusalReason(editor, { connectionName: 'Shop' }, 'insert'), undefined);
    const override = resolveRole({ production: true, connectionRole: 'admin', tableRole: 'viewer' });
    assert.match(refusalReason(override, { connectionName: 'Prod DB', table: 'payments' }, 'insert')!, /^You are a viewer of "payments" on "Prod DB" \(set for this table, production connection\)/);
  });

  it('tells views: viewers read only, editors without delete (with the reason), admins everything', () => {
    const subject = { connectionName: 'Shop', table: 't' };
    const viewer = resolveRole({ production: false, connectionRole: 'viewer' });
    assert.match(roleReadOnlyReason(viewer, subject)!, /viewer on "Shop"/);
    assert.deepEqual(Object.keys(unavailableReasons(viewer, subject)!), ['insert', 'update', 'delete']);
    const editor = resolveRole({ production: false });
    assert.equal(roleReadOnlyReason(editor, subject), undefined);
    assert.deepEqual(Object.keys(unavailableReasons(editor, subject)!), ['delete']);
    assert.match(unavailableReasons(editor, subject)!.delete!, /not delete them/);
    assert.equal(unavailableReasons(resolveRole({ production: false, connectionRole: 'admin' }), subject), undefined);
  });

  it('keeps connection management for admins, and describes the role for the tree', () => {
    assert.equal(manageRefusal(resolveRole({ production: false, connectionRole: 'admin' }), { connectionName: 'Shop' }, 'Renaming'), undefined);
    assert.equal(
      manageRefusal(resolveRole({ production: false }), { connectionName: 'Shop' }, 'Renaming'),
      'Renaming "Shop" needs the admin role; you are an editor on "Shop". Change it with Nocoflo: Set Role…',
    );
    assert.equal(roleDescription(resolveRole({ production: true })), 'viewer · production');
    assert.equal(roleDescription(resolveRole({ production: false, connectionRole: 'admin' })), 'admin');
    assert.equal(isRaise('viewer', 'editor'), true);
    assert.equal(isRaise('admin', 'editor'), false);
    assert.equal(isRaise('editor', 'editor'), false);
  });
});

describe('RoleService over the real metadata store', () => {
  let dir: string;
  let store: MetadataFile;
  let records: DatasourceRecord[];
  let roles: RoleService;
  const schema = { table: { name: 'orders' }, kind: 'table', columns: [], primaryKey: ['id'], foreignKeys: [], rowKey: { columns: ['id'] } } satisfies TableSchema;
  const update = { kind: 'update' as const, key: { id: 1 }, changes: { total: 2 }, expected: { total: 1 } };
  const del = { kind: 'delete' as const, key: { id: 1 }, expected: { id: 1 } };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-roles-'));
    store = await MetadataFile.open({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    records = [await new DatasourceRepository(store).addDatasource({ type: 'nocoflo.sqlite', name: 'Shop', config: { path: '/x.db' } }), { id: 'workspace:Team', type: 'postgres', name: 'Team', config: {}, production: true }];
    roles = new RoleService({ store: new RoleStore(store), datasource: (id) => records.find((r) => r.id === id), datasources: () => records });
  });
  afterEach(() => {
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults to editor, reads the production mark from the metadata and from settings, stores roles across reopen', async () => {
    const shop = records[0].id;
    assert.equal(roles.resolve({ datasourceId: shop }).role, 'editor');
    assert.equal(roles.resolve({ datasourceId: 'workspace:Team' }).role, 'viewer', 'declared with "production": true');
    await new RoleStore(store).setProduction(shop, true);
    assert.equal(roles.resolve({ datasourceId: shop, table: 'orders' }).role, 'viewer');
    await roles.setRole({ datasourceId: shop }, 'admin');
    await roles.setRole({ datasourceId: shop, table: 'orders' }, 'viewer');
    store.dispose();
    store = await MetadataFile.open({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    roles = new RoleService({ store: new RoleStore(store), datasource: (id) => records.find((r) => r.id === id), datasources: () => records });
    assert.equal(roles.resolve({ datasourceId: shop }).role, 'admin');
    assert.deepEqual(roles.resolve({ datasourceId: shop, table: 'orders' }), { role: 'viewer', source: 'table', production: true });
    assert.equal(roles.resolve({ datasourceId: shop, table: 'customers' }).role, 'admin');
    assert.deepEqual(new RoleStore(store).list(shop), [
      { datasourceId: shop, role: 'admin' },
      { datasourceId: shop, table: 'orders', role: 'viewer' },
    ]);
    await roles.setRole({ datasourceId: shop, table: 'orders' }, undefined);
    assert.equal(roles.resolve({ datasourceId: shop, table: 'orders' }).role, 'admin', 'back to the connection role');
    await new RoleStore(store).forget(shop);
    assert.deepEqual(new RoleStore(store).list(shop), []);
  });

  it('authorize refuses the first change the role does not allow, with code permission and the reason', async () => {
    const shop = records[0].id;
    const table = { datasourceId: shop, name: 'orders' };
    assert.equal(await roles.authorize(table, [update], schema), undefined);
    assert.deepEqual(await roles.authorize(table, [update, del], schema), {
      index: 1,
      code: 'permission',
      message: 'You are an editor on "Shop": editors can insert and update rows but not delete them. You can change your role with Nocoflo: Set Role…',
    });
    await roles.setRole({ datasourceId: shop }, 'admin');
    assert.equal(await roles.authorize(table, [update, del], schema), undefined);
    await roles.setRole({ datasourceId: shop, table: 'orders' }, 'viewer');
    assert.equal((await roles.authorize(table, [update], schema))?.index, 0);
    assert.equal(await roles.authorize({ datasourceId: shop, name: 'customers' }, [del], schema), undefined, 'the override is for orders only');
  });

  it('checks connection and plugin management, and asks to confirm only raises on production', async () => {
    const shop = records[0].id;
    assert.deepEqual(roles.canManageConnection(shop, 'Removing'), { ok: false, reason: 'Removing "Shop" needs the admin role; you are an editor on "Shop". Change it with Nocoflo: Set Role…' });
    assert.throws(() => roles.assertManageConnection(shop, 'Editing'), (e: Error & { code?: string }) => e.code === 'permission' && /Editing "Shop" needs the admin role/.test(e.message));
    await roles.setRole({ datasourceId: shop }, 'admin');
    assert.deepEqual(roles.canManageConnection(shop, 'Removing'), { ok: true });

    const refused = roles.canManagePlugins();
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.reason, /you are a viewer on "Team" \(production connection\): managing plugins needs the admin role on every production connection/);
    assert.equal(roles.needsConfirmation({ datasourceId: 'workspace:Team' }, 'editor'), true, 'raising production');
    assert.equal(roles.needsConfirmation({ datasourceId: 'workspace:Team', table: 't' }, 'admin'), true, 'raising a table of production');
    assert.equal(roles.needsConfirmation({ datasourceId: shop }, 'viewer'), false, 'not production');
    await roles.setRole({ datasourceId: 'workspace:Team' }, 'admin');
    assert.deepEqual(roles.canManagePlugins(), { ok: true });
    assert.equal(roles.needsConfirmation({ datasourceId: 'workspace:Team' }, 'viewer'), false, 'lowering');
    assert.equal(roles.needsConfirmation({ datasourceId: 'workspace:Team' }, undefined), false, 'back to the default (viewer) lowers');
  });
});

describe('the production mark in configuration exports', () => {
  let dir: string;
  const open = (name: string) => openMetadata({ path: path.join(dir, name), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-roles-export-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('travels with its connection, is never removed by an import, and roles stay behind', async () => {
    const source = await open('a.sqlite');
    const prod = await source.datasources.addDatasource({ type: 'nocoflo.sqlite', name: 'Prod', config: { path: '/p.db' } });
    const dev = await source.datasources.addDatasource({ type: 'nocoflo.sqlite', name: 'Dev', config: { path: '/d.db' } });
    await new RoleStore(source.file).setProduction(prod.id, true);
    await new RoleStore(source.file).setRole({ datasourceId: prod.id }, 'admin');
    const exported = JSON.parse(JSON.stringify(exportConfiguration(source))) as { datasources: { id: string; production?: boolean }[] };
    assert.deepEqual(exported.datasources.map((d) => [d.id, d.production]), [
      [dev.id, undefined],
      [prod.id, true],
    ]);
    source.dispose();

    const target = await open('b.sqlite');
    await target.datasources.addDatasource({ id: dev.id, type: 'nocoflo.sqlite', name: 'Dev', config: { path: '/d.db' } });
    await new RoleStore(target.file).setProduction(dev.id, true);
    await importConfiguration(target, exported, importGuards(target));
    const store = new RoleStore(target.file);
    assert.equal(store.isProduction(prod.id), true, 'marked on import');
    assert.equal(store.isProduction(dev.id), true, 'the local mark stays although the file has none');
    assert.equal(store.role({ datasourceId: prod.id }), undefined, 'an exported admin role does not come along');
    await assert.rejects(
      importConfiguration(target, { format: 'nocoflo-config', version: 1, datasources: [{ id: 'x', type: 't', name: 'n', config: {}, production: 'yes' }] }, importGuards(target)),
      /datasources\[0\]\.production must be true or false/,
    );
    target.dispose();
  });
});

describe('grid paste confirmation', () => {
  it('counts only cells of existing rows and asks above the threshold, never with confirmations off', () => {
    const cells = Array.from({ length: 30 }, (_, i) => ({ row: i % 10 }));
    const existing = (row: number) => row < 7; // rows 7–9 were inserted in this tab
    assert.equal(overwrittenCells(cells, existing), 21);
    assert.equal(pasteNeedsConfirmation(21, { pasteOverCells: 20 }), true);
    assert.equal(pasteNeedsConfirmation(20, { pasteOverCells: 20 }), false, 'exactly the threshold does not ask');
    assert.equal(pasteNeedsConfirmation(500, undefined), false);
    assert.equal(overwrittenCells(cells, () => false), 0, 'pasting into new rows destroys nothing');
  });
});
