// One rule for which tables can be edited, shared by the views and the host: a table is editable only with a
// primary key (shared/protocolCodec.ts readOnlyReasonFor). A unique NOT NULL key still pages rows, but does not
// make a table editable. The host (TableService) refuses a raw `changes/apply` to a table the views show read-only
// with the very reason the views show, before any datasource code runs. Real SQLite file, real PostgreSQL server.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DatasourcePlugin, TableLocator } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import type { DatasourceManager } from '../../src/core/datasourceManager';
import type { Metadata } from '../../src/core/metadata/metadata';
import { TableService } from '../../src/core/tableService';
import { handleRequest, type RequestContext } from '../../src/host/panels/requestHandler';
import { parseFromWebview } from '../../shared/protocol';
import { openHostCore, rigPerTest } from '../support/hostRig';
import { postgresSuite } from '../support/servers/postgresSuite';
import { makeDatabase, python, sqlitePlugin } from '../support/sqliteFixtures';

interface Rig {
  manager: DatasourceManager;
  metadata: Metadata;
  context(table: TableLocator): RequestContext;
}

async function rig(dir: string, plugin: DatasourcePlugin): Promise<Rig> {
  const { manager, metadata } = await openHostCore(dir, plugin);
  const tables = new TableService(manager);
  // The request context a tab builds (tablePanel.ts), minus the vscode parts.
  const context = (table: TableLocator): RequestContext => ({
    table,
    tables,
    capabilities: async () => (await manager.session(table.datasourceId)).capabilities,
    saveFile: async () => false,
    origin: { source: 'nocoflo.table' },
  });
  return { manager, metadata, context };
}

let nextId = 1;
/** A raw message as a view's client posts it, parsed and validated exactly as the host does, then handled. */
async function send(context: RequestContext, method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }> {
  const parsed = parseFromWebview({ type: 'request', id: nextId++, method, params });
  if (!parsed.ok || parsed.message.type !== 'request') throw new Error(`the host would reject this message: ${parsed.ok ? 'not a request' : parsed.error}`);
  return (await handleRequest(parsed.message, context, new AbortController().signal)) as never;
}

/** What the views are told on (re)start: the same function feeds init.readOnlyReason and schema/refresh. */
async function viewReason(context: RequestContext): Promise<string | undefined> {
  const refreshed = await send(context, 'schema/refresh', {});
  assert.equal(refreshed.ok, true, JSON.stringify(refreshed));
  return (refreshed.result as { readOnlyReason?: string }).readOnlyReason;
}

interface Setup {
  r: Rig;
  table(name: string): TableLocator;
  /** The rows of a table as stored, read without Nocoflo. */
  read(name: string): Promise<unknown[]>;
}

function readOnlyStory(name: string, setup: () => Promise<Setup>) {
  for (const [tableName, what] of [
    ['coded', 'a table whose only key is UNIQUE NOT NULL'],
    ['loose', 'a table with no key at all'],
  ] as const) {
    it(`${name}: ${what} is shown read-only, and a raw changes/apply to it is refused with that reason; nothing is written`, async () => {
      const { r, table, read } = await setup();
      const context = r.context(table(tableName));
      const reason = await viewReason(context);
      assert.match(reason ?? '', /primary key/, 'the view explains why');
      const before = await read(tableName);
      for (const change of [
        { kind: 'insert', values: { code: 'c', body: 'third' } },
        { kind: 'update', key: { code: 'a' }, changes: { body: 'edited' }, expected: { body: 'first' } },
        { kind: 'delete', key: { code: 'b' }, expected: { code: 'b', body: 'second' } },
      ]) {
        const response = await send(context, 'changes/apply', { changes: [change] });
        assert.equal(response.ok, true, JSON.stringify(response));
        assert.deepEqual(response.result, { ok: false, rolledBack: true, failure: { index: 0, code: 'read_only', message: reason } }, `${change.kind} is refused`);
        const preview = await send(context, 'changes/preview', { changes: [change] });
        assert.deepEqual(preview.error && { code: preview.error.code, message: preview.error.message }, { code: 'read_only', message: reason }, `${change.kind} preview is refused`);
      }
      assert.deepEqual(await read(tableName), before);
    });
  }

  it(`${name}: a table with a primary key is editable in the views and through the host`, async () => {
    const { r, table, read } = await setup();
    const context = r.context(table('keyed'));
    assert.equal(await viewReason(context), undefined);
    const response = await send(context, 'changes/apply', { changes: [{ kind: 'update', key: { code: 'a' }, changes: { body: 'edited' }, expected: { body: 'first' } }] });
    assert.equal((response.result as { ok: boolean }).ok, true, JSON.stringify(response));
    assert.deepEqual(await read('keyed'), [
      ['a', 'edited'],
      ['b', 'second'],
    ]);
  });
}

describe('Read-only tables on SQLite (real file)', () => {
  const start = rigPerTest('nocoflo-readonly-sqlite-', (dir) => rig(dir, sqlitePlugin()));

  readOnlyStory('SQLite', async () => {
    const { dir, rig: r } = await start();
    const file = await makeDatabase(
      path.join(dir, 'shop.db'),
      `CREATE TABLE keyed (code TEXT PRIMARY KEY, body TEXT);
       CREATE TABLE coded (code TEXT NOT NULL UNIQUE, body TEXT);
       CREATE TABLE loose (code TEXT, body TEXT);
       ${['keyed', 'coded', 'loose'].map((t) => `INSERT INTO ${t} VALUES ('a', 'first'), ('b', 'second');`).join('\n')}`,
    );
    const id = await r.manager.add({ type: 'nocoflo.sqlite', name: 'Shop', config: { path: file }, secrets: {} });
    return {
      r,
      table: (name) => ({ datasourceId: id, name }),
      read: async (name) => JSON.parse(python(`import sqlite3,sys,json\nprint(json.dumps([list(r) for r in sqlite3.connect(sys.argv[1]).execute('select code, body from ${name} order by code')]))`, file)) as unknown[],
    };
  });
});

describe('Read-only tables on PostgreSQL (real server)', function () {
  this.timeout(120_000);
  const db = postgresSuite();
  const start = rigPerTest('nocoflo-readonly-pg-', (dir) => rig(dir, createPostgresDatasource()));

  readOnlyStory('PostgreSQL', async () => {
    const { rig: r } = await start();
    await db.admin.query(`DROP TABLE IF EXISTS keyed, coded, loose;
      CREATE TABLE keyed (code text PRIMARY KEY, body text);
      CREATE TABLE coded (code text NOT NULL UNIQUE, body text);
      CREATE TABLE loose (code text, body text);
      ${['keyed', 'coded', 'loose'].map((t) => `INSERT INTO ${t} VALUES ('a', 'first'), ('b', 'second');`).join('\n')}`);
    const id = await r.manager.add({
      type: 'nocoflo.postgres',
      name: 'PG',
      config: { host: db.server.host, port: db.server.port, database: db.server.database, user: db.server.user },
      secrets: { password: db.server.password },
    });
    return {
      r,
      table: (name) => ({ datasourceId: id, schema: 'public', name }),
      read: async (name) => (await db.admin.query({ text: `SELECT code, body FROM ${name} ORDER BY code`, rowMode: 'array' })).rows,
    };
  });
});
