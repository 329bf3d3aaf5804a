// The audit log end to end on real engines: a TableService wired with the audit hook applies batches to a real
// SQLite file and a real PostgreSQL server; the entries say what happened; undo of one change and of a whole batch
// puts the database back (and is audited itself); and an undo after another program changed the row is refused
// with the reason, leaving that program's value in place.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { RowValues, TableLocator } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { undoAudit, UNDO_SOURCE } from '../../src/core/audit/auditUndo';
import { type GovernedRig as Rig, governedRig as rig } from '../support/governedRig';
import { rigPerTest } from '../support/hostRig';
import { postgresSuite } from '../support/servers/postgresSuite';
import { makeDatabase, python, sqlitePlugin } from '../support/sqliteFixtures';

const undoDeps = (r: Rig) => ({ store: r.audit, tables: r.tables, datasourceName: (id: string) => r.manager.get(id)?.name });

/** Runs the same story on any datasource: `read` and `otherClient` reach the database without Nocoflo. */
function auditStory(setup: () => Promise<{ r: Rig; table: TableLocator; read(): Promise<RowValues[]>; otherClient(sql: string): Promise<void> }>) {
  it('records a batch, undoes one change and then the rest of the batch, and audits the undos', async () => {
    const { r, table, read } = await setup();
    const before = await read();
    const saved = await r.tables.apply(
      table,
      [
        { kind: 'update', key: { id: 1 }, changes: { body: 'edited' }, expected: { body: 'first' } },
        { kind: 'insert', values: { id: 4, body: 'fourth' } },
        { kind: 'delete', key: { id: 2 }, expected: { id: 2, body: 'second' } },
      ],
      { source: 'nocoflo.table' },
    );
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(await read(), [{ id: 1, body: 'edited' }, { id: 3, body: 'third' }, { id: 4, body: 'fourth' }]);

    const page = r.audit.query({ datasourceId: table.datasourceId }, 0, 10);
    assert.equal(page.total, 3);
    const [del, ins, upd] = page.entries;
    assert.equal(new Set(page.entries.map((e) => e.batchId)).size, 1, 'one batch id per save');
    assert.deepEqual([upd!.operation, upd!.key, upd!.oldValues, upd!.newValues, upd!.user, upd!.source], ['update', { id: 1 }, { body: 'first' }, { body: 'edited' }, 'ada', 'nocoflo.table']);
    assert.equal(ins!.operation, 'insert');
    assert.deepEqual(ins!.key, { id: 4 });
    assert.equal((ins!.newValues as Record<string, unknown>).body, 'fourth');
    assert.deepEqual([del!.operation, del!.key, del!.oldValues, del!.newValues], ['delete', { id: 2 }, { id: 2, body: 'second' }, null]);
    assert.equal(upd!.table, table.name);

    // One change.
    const one = await undoAudit(undoDeps(r), { entryId: upd!.id });
    assert.equal(one.ok, true, JSON.stringify(one));
    assert.deepEqual(await read(), [{ id: 1, body: 'first' }, { id: 3, body: 'third' }, { id: 4, body: 'fourth' }]);
    const undoEntry = r.audit.query({ datasourceId: table.datasourceId }, 0, 1).entries[0]!;
    assert.deepEqual([undoEntry.operation, undoEntry.undoOf, undoEntry.source, undoEntry.oldValues, undoEntry.newValues], ['update', upd!.id, UNDO_SOURCE, { body: 'edited' }, { body: 'first' }]);
    assert.equal(r.audit.entry(upd!.id)!.undoneBy, undoEntry.id);
    const twice = await undoAudit(undoDeps(r), { entryId: upd!.id });
    assert.equal(twice.ok, false);
    assert.match(!twice.ok ? twice.reason : '', /already undone/);

    // The rest of the batch, last change first, in one go.
    const batch = await undoAudit(undoDeps(r), { batchId: upd!.batchId });
    assert.equal(batch.ok, true, JSON.stringify(batch));
    assert.deepEqual(batch.ok ? batch.undone : [], [del!.id, ins!.id]);
    assert.deepEqual(await read(), before, 'the table is as it was before the save');
    assert.ok(r.audit.batch(upd!.batchId).every((e) => e.undoneBy !== undefined));
    const again = await undoAudit(undoDeps(r), { batchId: upd!.batchId });
    assert.match(!again.ok ? again.reason : '', /already undone/);
    assert.equal(r.audit.count(), 6, '3 changes and 3 undos');
  });

  it('refuses an undo when another client changed the row since, and keeps their value', async () => {
    const { r, table, read, otherClient } = await setup();
    const saved = await r.tables.apply(table, [{ kind: 'update', key: { id: 3 }, changes: { body: 'mine' }, expected: { body: 'third' } }], { source: 'nocoflo.form' });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    await otherClient("UPDATE notes SET body = 'theirs' WHERE id = 3");
    const entry = r.audit.query({ datasourceId: table.datasourceId }, 0, 1).entries[0]!;
    const refused = await undoAudit(undoDeps(r), { entryId: entry.id });
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /^Row id=3 of notes changed since change #\d+ \(it now holds body="theirs"\)\. Nothing was undone\.$/);
    assert.deepEqual((await read()).find((row) => row.id === 3), { id: 3, body: 'theirs' });
    assert.equal(r.audit.entry(entry.id)!.undoneBy, undefined, 'still undoable once resolved');
    assert.equal(r.audit.count(), 1, 'a refused undo records nothing');
  });

  it('refuses an undo the role does not allow, like any edit', async () => {
    const { r, table, read } = await setup();
    await r.tables.apply(table, [{ kind: 'update', key: { id: 1 }, changes: { body: 'x' }, expected: { body: 'first' } }], { source: 'nocoflo.table' });
    const entry = r.audit.query({}, 0, 1).entries[0]!;
    await r.roles.setRole({ datasourceId: table.datasourceId }, 'viewer');
    const refused = await undoAudit(undoDeps(r), { entryId: entry.id });
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /failed: .*viewer.* Nothing was undone\.$/);
    assert.equal((await read()).find((row) => row.id === 1)?.body, 'x');
    assert.equal(r.audit.entry(entry.id)!.undoneBy, undefined);
  });

  it('refuses an undo once the datasource is gone', async () => {
    const { r, table } = await setup();
    await r.tables.apply(table, [{ kind: 'update', key: { id: 1 }, changes: { body: 'x' }, expected: { body: 'first' } }], { source: 'api' });
    const entry = r.audit.query({}, 0, 1).entries[0]!;
    await r.manager.remove(table.datasourceId);
    const refused = await undoAudit(undoDeps(r), { entryId: entry.id });
    assert.match(!refused.ok ? refused.reason : '', /no longer exists/);
  });
}

describe('Audit log and undo on SQLite (real file)', () => {
  const start = rigPerTest('nocoflo-audit-sqlite-', (dir) => rig(dir, sqlitePlugin()));

  auditStory(async () => {
    const { dir, rig: r } = await start();
    const file = await makeDatabase(path.join(dir, 'notes.db'), "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'first'), (2, 'second'), (3, 'third');");
    const id = await r.manager.add({ type: 'nocoflo.sqlite', name: 'Notes', config: { path: file }, secrets: {} });
    // Deleting rows (the batch, and undoing an insert) takes an admin.
    await r.roles.setRole({ datasourceId: id }, 'admin');
    return {
      r,
      table: { datasourceId: id, name: 'notes' },
      read: async () => JSON.parse(python("import sqlite3,sys,json\nprint(json.dumps([{'id':a,'body':b} for a,b in sqlite3.connect(sys.argv[1]).execute('select id, body from notes order by id')]))", file)) as RowValues[],
      otherClient: async (sql) => void python('import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute(sys.argv[2])\nc.commit()', file, sql),
    };
  });
});

describe('Audit log and undo on PostgreSQL (real server)', function () {
  this.timeout(120_000);
  const db = postgresSuite();
  const start = rigPerTest('nocoflo-audit-pg-', (dir) => rig(dir, createPostgresDatasource()));

  auditStory(async () => {
    const { rig: r } = await start();
    await db.admin.query("DROP TABLE IF EXISTS notes; CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'first'), (2, 'second'), (3, 'third');");
    const id = await r.manager.add({
      type: 'nocoflo.postgres',
      name: 'PG',
      config: { host: db.server.host, port: db.server.port, database: db.server.database, user: db.server.user },
      secrets: { password: db.server.password },
    });
    await r.roles.setRole({ datasourceId: id }, 'admin');
    return {
      r,
      table: { datasourceId: id, schema: 'public', name: 'notes' },
      read: async () => (await db.admin.query('SELECT id, body FROM notes ORDER BY id')).rows as RowValues[],
      otherClient: async (sql) => void (await db.admin.query(sql)),
    };
  });
});
