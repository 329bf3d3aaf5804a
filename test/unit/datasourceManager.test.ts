import * as assert from 'node:assert/strict';
import type { DatasourceSession } from '../../api';
import { DatasourceManager, redactUrl, type DatasourceManagerOptions } from '../../src/core/datasourceManager';
import { PluginFailure, PluginOperationError } from '../../src/core/pluginErrors';
import { PluginRegistry } from '../../src/core/registry';
import { silentLogger } from '../../src/core/log';
import { TableService } from '../../src/core/tableService';
import { datasourcePlugin, fakeSession, tableSchema } from '../support/fakePlugins';
import { MemoryCatalog, memorySecrets } from '../support/memoryStores';
import { parseEntry } from '../../src/core/secretBinding';

/** The secrets of a datasource's (single, newest) binding in the SecretStore. */
const saved = (values: Map<string, string>, id: string) => parseEntry(values.get(`nocoflo.datasource.${id}`)).bindings.at(-1)?.secrets;

function setup(connect?: () => Promise<DatasourceSession>, extra: Partial<DatasourceManagerOptions> = {}) {
  const registry = new PluginRegistry({ apiVersion: '1.0.0', log: silentLogger, isEnabled: () => true });
  registry.registerDatasource(datasourcePlugin(connect ? { connect } : {}));
  const catalog = new MemoryCatalog();
  const { store, values: secrets } = memorySecrets();
  const manager = new DatasourceManager({
    registry,
    catalog,
    secrets: store,
    log: silentLogger,
    workspaceFolders: () => [],
    slowOperationMs: () => 1e9,
    ...extra,
  });
  return { registry, catalog, secrets, manager };
}

describe('DatasourceManager', () => {
  it('keeps secrets out of the catalog, whether given as a URL, as secrets, or wrongly as config', async () => {
    const { manager, catalog, secrets } = setup();
    const fromUrl = await manager.add({ name: 'a', url: 'testds://bob:s3cr%3At@db.local' });
    const fromConfig = await manager.add({ name: 'b', type: 'test.ds', config: { host: 'h', password: 'oops-in-config' } });
    assert.deepEqual(catalog.getDatasource(fromUrl)!.config, { host: 'db.local' });
    assert.deepEqual(catalog.getDatasource(fromConfig)!.config, { host: 'h' });
    assert.ok(!JSON.stringify(catalog.records).includes('s3cr'), 'no secret in the catalog');
    assert.ok(!JSON.stringify(catalog.records).includes('oops-in-config'));
    assert.deepEqual(saved(secrets, fromUrl), { password: 's3cr:t' });
    assert.deepEqual(saved(secrets, fromConfig), { password: 'oops-in-config' });
    await manager.remove(fromUrl);
    assert.equal(secrets.has(`nocoflo.datasource.${fromUrl}`), false, 'removing a datasource deletes its secrets');
  });

  it('passes stored secrets to connect', async () => {
    let seen: Record<string, string> | undefined;
    const { manager, registry } = setup();
    registry.registerDatasource(
      datasourcePlugin({ id: 'spy', schemes: ['spy'], connect: async (_c, s) => ((seen = s), fakeSession()) }),
    );
    const id = await manager.add({ type: 'spy', name: 'spy', config: { host: 'h' }, secrets: { password: 'pw' } });
    await manager.session(id);
    assert.deepEqual(seen, { password: 'pw' });
  });

  it('updates name and settings, keeps stored secrets the form left empty, and reconnects with the new settings', async () => {
    const seen: { config: unknown; secrets: unknown }[] = [];
    const { manager, registry, catalog, secrets } = setup();
    registry.registerDatasource(datasourcePlugin({ id: 'spy', schemes: ['spy'], connect: async (c, s) => (seen.push({ config: c, secrets: s }), fakeSession()) }));
    const id = await manager.add({ type: 'spy', name: 'before', config: { host: 'old' }, secrets: { password: 'pw1' } });
    await manager.session(id);
    await manager.update(id, { name: ' after ', config: { host: 'new', password: 'moved-out-of-config' }, secrets: {} });
    assert.deepEqual(catalog.getDatasource(id), { id, type: 'spy', name: 'after', config: { host: 'new' } });
    assert.equal(manager.isConnected(id), false, 'the old session is closed');
    await manager.session(id);
    assert.deepEqual(seen[1], { config: { host: 'new' }, secrets: { password: 'moved-out-of-config' } });
    await manager.update(id, { name: 'after', config: { host: 'new' }, secrets: { password: '' } });
    assert.deepEqual(saved(secrets, id), { password: 'moved-out-of-config' }, 'an empty secret keeps the stored one');
    assert.deepEqual(await manager.storedSecretKeys(id), ['password']);
    await assert.rejects(manager.update(id, { name: '  ', config: { host: 'x' } }), /name cannot be empty/);
    await assert.rejects(manager.update(id, { name: 'x', config: {} }), /Missing "Host"/);
    await assert.rejects(manager.update('gone', { name: 'x', config: { host: 'x' } }), /does not exist/);
  });

  it('tests a connection with the stored secrets of the datasource being edited, and gives up on a silent server', async () => {
    let seen: Record<string, string> | undefined;
    const { manager, registry } = setup(undefined, { testTimeoutMs: 50 });
    registry.registerDatasource(
      datasourcePlugin({
        id: 'spy',
        schemes: ['spy'],
        testConnection: async (c, s) => {
          seen = s;
          if (c.host === 'silent') await new Promise(() => undefined);
          return { ok: true, message: 'hello' };
        },
      }),
    );
    const id = await manager.add({ type: 'spy', name: 'spy', config: { host: 'h' }, secrets: { password: 'stored' } });
    assert.equal(await manager.test({ type: 'spy', name: 'spy', config: { host: 'h' } }, id), 'hello');
    assert.deepEqual(seen, { password: 'stored' });
    await manager.test({ type: 'spy', name: 'spy', config: { host: 'h' }, secrets: { password: 'typed' } }, id);
    assert.deepEqual(seen, { password: 'typed' }, 'what the form holds wins');
    await assert.rejects(manager.test({ type: 'spy', name: 'spy', config: { host: 'silent' } }), (e: Error & { code?: string }) => e.code === 'timeout' && /No answer within/.test(e.message));
  });

  it('asks for the password when the server refuses the stored one, stores the answer once, and stops when declined', async () => {
    const asked: string[] = [];
    let answer: Record<string, string> | undefined = { password: 'right' };
    const { manager, registry, secrets } = setup(undefined, {
      askSecrets: async (record, fields, reason) => (asked.push(`${record.name}:${fields.map((f) => f.key).join(',')}:${reason}`), answer),
    });
    registry.registerDatasource(
      datasourcePlugin({
        id: 'auth',
        schemes: ['auth'],
        connect: async (_c, s) => {
          if (s.password !== 'right') throw Object.assign(new Error('password authentication failed for user "bob"'), { code: 'auth' });
          return fakeSession();
        },
      }),
    );
    const id = await manager.add({ type: 'auth', name: 'team db', config: { host: 'h' } });
    await manager.session(id);
    assert.deepEqual(asked, ['team db:password:password authentication failed for user "bob"']);
    assert.deepEqual(saved(secrets, id), { password: 'right' });
    await manager.close(id);
    await manager.session(id);
    assert.equal(asked.length, 1, 'a stored password is not asked again');

    answer = undefined;
    secrets.set(`nocoflo.datasource.${id}`, JSON.stringify({ password: 'changed-on-server' }));
    await manager.close(id);
    await assert.rejects(manager.session(id), /password authentication failed/);
    assert.equal(asked.length, 2, 'declining gives the server\'s message');
  });

  it('refuses missing required fields and unknown types with clear messages', async () => {
    const { manager } = setup();
    await assert.rejects(manager.add({ name: 'x', type: 'test.ds', config: {} }), /Missing "Host"/);
    await assert.rejects(manager.add({ name: 'x', type: 'nope' }), /No enabled datasource plugin handles type "nope"/);
    await assert.rejects(manager.add({ name: 'x', url: 'zz://u:pw@h' }), (e: Error) => /zz:\/\/u:\*\*\*@h/.test(e.message) && !e.message.includes('pw'));
  });

  it('reuses one session per datasource and does not cache a failed connect', async () => {
    let attempts = 0;
    const { manager } = setup(async () => {
      attempts++;
      if (attempts === 1) throw Object.assign(new Error('connection refused'), { code: 'connection' });
      return fakeSession();
    });
    const id = await manager.add({ name: 'a', type: 'test.ds', config: { host: 'h' } });
    await assert.rejects(manager.session(id), /connection refused/);
    const first = await manager.session(id);
    assert.equal(await manager.session(id), first);
    assert.equal(attempts, 2);
  });

  it('isolates a session whose methods throw unexpected errors: that call fails naming the plugin, which stays active', async () => {
    const { manager, registry } = setup(async () => fakeSession({ listTables: async () => { throw new TypeError('undefined is not a function'); } }));
    const id = await manager.add({ name: 'a', type: 'test.ds', config: { host: 'h' } });
    const session = await manager.session(id);
    await assert.rejects(session.listTables(), (e: unknown) => e instanceof PluginOperationError && e.pluginId === 'test.ds' && e.code === 'internal');
    assert.equal(registry.list()[0].state, 'active');
  });

  it('marks the plugin failed when a session method resolves to something that is not its contract', async () => {
    const { manager, registry } = setup(async () => fakeSession({ listTables: async () => ({ tables: [] }) as never }));
    const id = await manager.add({ name: 'a', type: 'test.ds', config: { host: 'h' } });
    const session = await manager.session(id);
    await assert.rejects(session.listTables(), (e: unknown) => e instanceof PluginFailure && e.pluginId === 'test.ds');
    assert.equal(registry.list()[0].state, 'failed');
  });
});

describe('TableService.apply', () => {
  async function service(session: DatasourceSession, schema = tableSchema()) {
    const { manager } = setup(async () => ({ ...session, getSchema: async () => schema }));
    const id = await manager.add({ name: 'a', type: 'test.ds', config: { host: 'h' } });
    return { tables: new TableService(manager), table: { datasourceId: id, name: 't' } };
  }

  it('refuses writes to read-only tables and generated or unknown columns before touching the datasource', async () => {
    let writes = 0;
    const session = fakeSession({ updateRow: async () => ((writes++), {}) });
    const ro = await service(session, tableSchema({ readOnlyReason: 'This view has no primary key.' }));
    const r1 = await ro.tables.apply(ro.table, [{ kind: 'update', key: { id: 1 }, changes: { name: 'x' }, expected: {} }]);
    assert.deepEqual(r1, { ok: false, failure: { index: 0, code: 'read_only', message: 'This view has no primary key.' }, rolledBack: true });
    const rw = await service(session, tableSchema({ columns: [...tableSchema().columns, { name: 'total', declaredType: 'INT', kind: 'integer', nullable: true, generated: true }] }));
    const r2 = await rw.tables.apply(rw.table, [{ kind: 'update', key: { id: 1 }, changes: { total: 3 }, expected: {} }]);
    assert.equal(r2.ok, false);
    assert.match(!r2.ok ? r2.failure.message : '', /generated/);
    const r3 = await rw.tables.apply(rw.table, [{ kind: 'insert', values: { nope: 1 } }]);
    assert.match(!r3.ok ? r3.failure.message : '', /"nope" does not exist/);
    assert.equal(writes, 0);
  });

  it('runs a batch in one transaction and reports the failing change with the database message', async () => {
    const applied: string[] = [];
    const session = fakeSession({
      capabilities: { insert: true, update: true, delete: true, transactions: true, aggregate: false, schemas: false },
      transaction: async (work) => {
        const staged: string[] = [];
        const result = await work({
          insertRow: async () => ((staged.push('insert'), { key: null })),
          updateRow: async () => {
            throw Object.assign(new Error('CHECK constraint failed: price > 0'), { code: 'constraint', column: 'price' });
          },
          deleteRow: async () => void staged.push('delete'),
        });
        applied.push(...staged);
        return result;
      },
    });
    const { tables, table } = await service(session);
    const result = await tables.apply(table, [
      { kind: 'insert', values: { name: 'a' } },
      { kind: 'update', key: { id: 1 }, changes: { name: 'b' }, expected: { name: 'a' } },
    ]);
    assert.deepEqual(result, { ok: false, failure: { index: 1, code: 'constraint', message: 'CHECK constraint failed: price > 0', column: 'price' }, rolledBack: true });
    assert.deepEqual(applied, [], 'nothing half-applied');
  });

  it('rejects filters and sorts on unknown columns', async () => {
    const { tables, table } = await service(fakeSession());
    await assert.rejects(tables.readRows(table, { limit: 10, sort: [{ column: 'x"; drop table t; --', direction: 'asc' }] }), /Unknown column/);
  });
});

describe('redactUrl', () => {
  it('hides passwords in URLs', () => {
    assert.equal(redactUrl('postgres://bob:hunter2@h:5432/db'), 'postgres://bob:***@h:5432/db');
    assert.equal(redactUrl('https://api.example.com/x'), 'https://api.example.com/x');
  });
});

describe('DatasourceManager plugin log', () => {
  it('drops credentials from URLs a plugin logs', async () => {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const { manager, registry } = setup(undefined, { log });
    registry.registerDatasource(
      datasourcePlugin({
        id: 'chatty',
        schemes: ['chatty'],
        connect: async (_config, _secrets, context) => {
          context.log('warn', 'connecting to postgres://bob:p@ss@db.internal/app?sslmode=require&password=hunter2');
          return fakeSession();
        },
      }),
    );
    const id = await manager.add({ type: 'chatty', name: 'Logged', config: { host: 'h' } });
    await manager.session(id);
    assert.ok(lines.some((l) => l.includes('postgres://bob:***@db.internal/app?sslmode=require&password=***')), lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('p@ss') || l.includes('hunter2')), lines.join('\n'));
  });
});
