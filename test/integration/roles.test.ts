// Roles enforced on real engines: a TableService wired with the roles hook (as the extension wires it) over a real
// metadata file, a real SQLite file and a real PostgreSQL server. A viewer's batch is refused with the reason and
// the database is unchanged, an editor's delete is refused, an admin's goes through, a table's own role wins over
// the connection's; and the same refusal reaches every path a view can take: the panel request handler fed the raw
// messages the grid, the form and a third-party view's client send (all views share that client and handler).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Capabilities, DatasourcePlugin, RowValues, TableLocator } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import type { DatasourceManager } from '../../src/core/datasourceManager';
import type { Metadata } from '../../src/core/metadata/metadata';
import { RoleService } from '../../src/core/roles/roleService';
import { RoleStore } from '../../src/core/roles/roleStore';
import { TableService } from '../../src/core/tableService';
import { handleRequest, type RequestContext } from '../../src/host/panels/requestHandler';
import { parseFromWebview, type WireApplyResult, type WirePendingChange } from '../../shared/protocol';
import { openHostCore, rigPerTest } from '../support/hostRig';
import { postgresSuite } from '../support/servers/postgresSuite';
import { makeDatabase, python, sqlitePlugin } from '../support/sqliteFixtures';

interface Rig {
  tables: TableService;
  roles: RoleService;
  store: RoleStore;
  manager: DatasourceManager;
  metadata: Metadata;
}

async function rig(dir: string, plugin: DatasourcePlugin): Promise<Rig> {
  const { manager, metadata } = await openHostCore(dir, plugin);
  const store = new RoleStore(metadata.file);
  const roles = new RoleService({ store, datasource: (id) => manager.get(id), datasources: () => manager.list() });
  const tables = new TableService(manager, { authorize: roles.authorize });
  return { tables, roles, store, manager, metadata };
}

/** The request context a tab builds (tablePanel.ts), minus the vscode parts. */
function panelContext(r: Rig, table: TableLocator, confirm?: (changes: WirePendingChange[]) => Promise<boolean>): RequestContext {
  return {
    table,
    tables: r.tables,
    capabilities: async (): Promise<Capabilities> => (await r.manager.session(table.datasourceId)).capabilities,
    saveFile: async () => false,
    roleReadOnlyReason: () => r.roles.viewAccess(table).readOnlyReason,
    ...(confirm ? { confirmApply: confirm } : {}),
  };
}

let nextId = 1;
/** A raw message as a view's client posts it, parsed and validated exactly as the host does, then handled. */
async function send(context: RequestContext, method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }> {
  const parsed = parseFromWebview({ type: 'request', id: nextId++, method, params });
  if (!parsed.ok || parsed.message.type !== 'request') throw new Error(`the host would reject this message: ${parsed.ok ? 'not a request' : parsed.error}`);
  return (await handleRequest(parsed.message, context, new AbortController().signal)) as never;
}

const UPDATE_1 = { kind: 'update', key: { id: 1 }, changes: { body: 'edited' }, expected: { body: 'first' } } as const;
const DELETE_2 = { kind: 'delete', key: { id: 2 }, expected: { id: 2, body: 'second' } } as const;
const INSERT_4 = { kind: 'insert', values: { id: 4, body: 'fourth' } } as const;
const ORIGINAL = [
  { id: 1, body: 'first' },
  { id: 2, body: 'second' },
  { id: 3, body: 'third' },
];

function rolesStory(name: string, setup: () => Promise<{ r: Rig; table: TableLocator; read(): Promise<RowValues[]> }>) {
  it(`${name}: a viewer's batch is refused with the reason before any datasource code runs; the database is unchanged`, async () => {
    const { r, table, read } = await setup();
    await r.store.setProduction(table.datasourceId, true);
    const refused = await r.tables.apply(table, [INSERT_4, UPDATE_1], { source: 'nocoflo.table' });
    assert.equal(refused.ok, false);
    assert.deepEqual(!refused.ok && refused.failure, {
      index: 0,
      code: 'permission',
      message: `You are a viewer on "${r.manager.get(table.datasourceId)!.name}" (production connection): rows cannot be changed here. You can change your role with Nocoflo: Set Role…`,
    });
    assert.equal(!refused.ok && refused.rolledBack, true);
    assert.deepEqual(await read(), ORIGINAL);
    // The same without the production mark, with the role set explicitly.
    await r.store.setProduction(table.datasourceId, false);
    await r.roles.setRole({ datasourceId: table.datasourceId }, 'viewer');
    const again = await r.tables.apply(table, [UPDATE_1]);
    assert.match(!again.ok ? again.failure.message : '', /^You are a viewer on "[^"]+": rows cannot be changed here/);
    assert.deepEqual(await read(), ORIGINAL);
  });

  it(`${name}: an editor (the default) may insert and update but a batch with a delete is refused whole; an admin's goes through`, async () => {
    const { r, table, read } = await setup();
    const refused = await r.tables.apply(table, [UPDATE_1, DELETE_2]);
    assert.equal(!refused.ok && refused.failure.code, 'permission');
    assert.equal(!refused.ok && refused.failure.index, 1);
    assert.match(!refused.ok ? refused.failure.message : '', /editors can insert and update rows but not delete them/);
    assert.deepEqual(await read(), ORIGINAL, 'the update before the delete was not applied either');

    const edited = await r.tables.apply(table, [UPDATE_1, INSERT_4]);
    assert.equal(edited.ok, true, JSON.stringify(edited));
    await r.roles.setRole({ datasourceId: table.datasourceId }, 'admin');
    const deleted = await r.tables.apply(table, [DELETE_2]);
    assert.equal(deleted.ok, true, JSON.stringify(deleted));
    assert.deepEqual(await read(), [
      { id: 1, body: 'edited' },
      { id: 3, body: 'third' },
      { id: 4, body: 'fourth' },
    ]);
  });

  it(`${name}: a table's own role wins over the connection's, both ways`, async () => {
    const { r, table, read } = await setup();
    const target = { datasourceId: table.datasourceId, ...(table.schema !== undefined ? { schema: table.schema } : {}), table: table.name };
    await r.roles.setRole({ datasourceId: table.datasourceId }, 'admin');
    await r.roles.setRole(target, 'viewer');
    const refused = await r.tables.apply(table, [UPDATE_1]);
    assert.match(!refused.ok ? refused.failure.message : '', /^You are a viewer of "notes" on "[^"]+" \(set for this table\)/);
    assert.deepEqual(await read(), ORIGINAL);

    await r.roles.setRole({ datasourceId: table.datasourceId }, 'viewer');
    await r.roles.setRole(target, 'editor');
    const edited = await r.tables.apply(table, [UPDATE_1]);
    assert.equal(edited.ok, true, JSON.stringify(edited));
    assert.deepEqual((await read())[0], { id: 1, body: 'edited' });
  });

  it(`${name}: every view path (grid, form, a third-party view's client) is refused for a viewer, and the view is told why`, async () => {
    const { r, table, read } = await setup();
    await r.roles.setRole({ datasourceId: table.datasourceId }, 'viewer');
    const context = panelContext(r, table);
    // The grid saves its pending batch; the form saves one record; a third-party view may send anything valid.
    const batches: { path: string; changes: unknown[] }[] = [
      { path: 'grid', changes: [UPDATE_1, INSERT_4] },
      { path: 'form', changes: [{ kind: 'update', key: { id: 3 }, changes: { body: 'from the form' }, expected: { body: 'third' } }] },
      { path: 'third-party view', changes: [DELETE_2] },
    ];
    for (const batch of batches) {
      const response = await send(context, 'changes/apply', { changes: batch.changes });
      assert.equal(response.ok, true, `${batch.path}: the request itself is answered`);
      const result = response.result as WireApplyResult;
      assert.equal(result.ok, false, batch.path);
      assert.equal(!result.ok && result.failure.code, 'permission', batch.path);
      assert.match(!result.ok ? result.failure.message : '', /You are a viewer on/, batch.path);
    }
    assert.deepEqual(await read(), ORIGINAL);
    // Reading still works, and a refresh of the schema carries the reason the view shows.
    const page = await send(context, 'rows/read', { limit: 10 });
    assert.equal(page.ok, true, JSON.stringify(page.error));
    const refreshed = await send(context, 'schema/refresh', {});
    assert.match((refreshed.result as { readOnlyReason?: string }).readOnlyReason ?? '', /^You are a viewer on .*Set Role…$/);
    assert.deepEqual(r.roles.viewAccess(table).unavailable && Object.keys(r.roles.viewAccess(table).unavailable!), ['insert', 'update', 'delete']);
  });

  it(`${name}: an admin's delete from a view asks first; declined, nothing is written`, async () => {
    const { r, table, read } = await setup();
    await r.roles.setRole({ datasourceId: table.datasourceId }, 'admin');
    const asked: WirePendingChange[][] = [];
    let answer = false;
    const context = panelContext(r, table, async (changes) => {
      asked.push(changes);
      return answer;
    });
    const declined = (await send(context, 'changes/apply', { changes: [UPDATE_1, DELETE_2] })).result as WireApplyResult;
    assert.equal(!declined.ok && declined.failure.code, 'cancelled');
    assert.deepEqual(await read(), ORIGINAL);
    answer = true;
    const saved = (await send(context, 'changes/apply', { changes: [UPDATE_1, DELETE_2] })).result as WireApplyResult;
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.deepEqual(await read(), [
      { id: 1, body: 'edited' },
      { id: 3, body: 'third' },
    ]);
    assert.equal(asked.length, 2);
    assert.deepEqual(asked[0]!.map((c) => c.kind), ['update', 'delete']);
  });
}

describe('Roles on SQLite (real file)', () => {
  const start = rigPerTest('nocoflo-roles-sqlite-', (dir) => rig(dir, sqlitePlugin()));

  rolesStory('SQLite', async () => {
    const { dir, rig: r } = await start();
    const file = await makeDatabase(path.join(dir, 'notes.db'), "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'first'), (2, 'second'), (3, 'third');");
    const id = await r.manager.add({ type: 'nocoflo.sqlite', name: 'Notes', config: { path: file }, secrets: {} });
    return {
      r,
      table: { datasourceId: id, name: 'notes' },
      read: async () => JSON.parse(python("import sqlite3,sys,json\nprint(json.dumps([{'id':a,'body':b} for a,b in sqlite3.connect(sys.argv[1]).execute('select id, body from notes order by id')]))", file)) as RowValues[],
    };
  });
});

describe('Roles on PostgreSQL (real server)', function () {
  this.timeout(120_000);
  const db = postgresSuite();
  const start = rigPerTest('nocoflo-roles-pg-', (dir) => rig(dir, createPostgresDatasource()));

  rolesStory('PostgreSQL', async () => {
    const { rig: r } = await start();
    await db.admin.query("DROP TABLE IF EXISTS notes; CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'first'), (2, 'second'), (3, 'third');");
    const id = await r.manager.add({
      type: 'nocoflo.postgres',
      name: 'PG',
      config: { host: db.server.host, port: db.server.port, database: db.server.database, user: db.server.user },
      secrets: { password: db.server.password },
    });
    return {
      r,
      table: { datasourceId: id, schema: 'public', name: 'notes' },
      read: async () => (await db.admin.query('SELECT id, body FROM notes ORDER BY id')).rows as RowValues[],
    };
  });
});
