// API 1.5 `api.data`: another extension reads and writes a real Chinook SQLite file through Nocoflo, and its writes
// go through what a save in a view goes through — the user's role, expected values (a conflict with the current
// row), other tabs' row locks, the delete confirmation — and the audit log names the extension as the source.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CancellationToken, DataChangeEvent, NocofloData, RowChange, TableLocator } from '../../api';
import { rowKeyText } from '../../shared/rowLocks';
import { createDataAccess, extensionSource } from '../../src/core/dataAccess';
import { Emitter } from '../../src/core/events';
import { repoRoot } from '../support/codeServer';
import { type GovernedRig, governedRig } from '../support/governedRig';
import { rigPerTest } from '../support/hostRig';
import { python, sqlitePlugin } from '../support/sqliteFixtures';

const CHINOOK = path.join(repoRoot(), 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite');
const CALLER = 'acme.reports';

interface Setup {
  rig: GovernedRig;
  data: NocofloData;
  file: string;
  genre: TableLocator;
  locks: { rowKey: string; owner: string; acquiredAt: string }[];
  confirmations: { changes: readonly RowChange[]; caller: string }[];
  events: DataChangeEvent[];
  answer: { confirm: boolean };
}

const token = (cancelled: boolean): CancellationToken => ({ isCancellationRequested: cancelled, onCancellationRequested: () => ({ dispose: () => undefined }) });
const genreName = (file: string, id: number) => python('import sqlite3,sys\nr=sqlite3.connect(sys.argv[1]).execute("select Name from Genre where GenreId = ?", (int(sys.argv[2]),)).fetchone()\nprint(r[0] if r else "<gone>")', file, String(id)).trim();

describe('api.data: another extension reads and writes through Nocoflo (real Chinook file)', () => {
  const start = rigPerTest('nocoflo-data-api-', (dir) => governedRig(dir, sqlitePlugin()));

  async function setup(): Promise<Setup> {
    const { dir, rig } = await start();
    const file = path.join(dir, 'Chinook.sqlite');
    copyFileSync(CHINOOK, file);
    const id = await rig.manager.add({ type: 'nocoflo.sqlite', name: 'Chinook', config: { path: file }, secrets: {} });
    const locks: Setup['locks'] = [];
    const confirmations: Setup['confirmations'] = [];
    const answer = { confirm: true };
    const changed = new Emitter<DataChangeEvent>();
    const events: DataChangeEvent[] = [];
    changed.event((e) => events.push(e));
    // The host fires onDidChangeData from the applied hook; the rig's hook is the audit's, so fire after a save here.
    const tables = rig.tables;
    const apply = tables.apply.bind(tables);
    tables.apply = async (table, changes, origin) => {
      const result = await apply(table, changes, origin);
      if (result.ok) changed.fire({ table, inserted: changes.filter((c) => c.kind === 'insert').length, updated: changes.filter((c) => c.kind === 'update').length, deleted: changes.filter((c) => c.kind === 'delete').length, source: origin?.source ?? 'unknown' });
      return result;
    };
    const data = createDataAccess(
      {
        datasources: rig.manager,
        tables,
        role: (datasourceId) => rig.roleService.resolve({ datasourceId }),
        locksOn: () => locks,
        confirm: async (_table, changes, caller) => {
          if (changes.some((c) => c.kind === 'delete')) confirmations.push({ changes, caller });
          return answer.confirm;
        },
        changed,
      },
      CALLER,
    );
    return { rig, data, file, genre: { datasourceId: id, name: 'Genre' }, locks, confirmations, events, answer };
  }

  it('lists connections without their settings, tables, schemas, rows, counts and aggregates', async () => {
    const { data, genre } = await setup();
    const [info] = data.listDatasources();
    assert.deepEqual(Object.keys(info).sort(), ['id', 'name', 'production', 'role', 'type', 'typeName']);
    assert.equal(info.name, 'Chinook');
    assert.equal((await data.listTables(genre.datasourceId)).length, 11);
    const track = { datasourceId: genre.datasourceId, name: 'Track' };
    assert.deepEqual((await data.getSchema(track)).primaryKey, ['TrackId']);
    const page = await data.readRows(track, { limit: 3, sort: [{ column: 'Milliseconds', direction: 'desc' }], filters: [{ column: 'GenreId', op: 'eq', value: 1 }] });
    assert.equal(page.rows.length, 3);
    assert.deepEqual(await data.countRows(track, { filters: [{ column: 'GenreId', op: 'eq', value: 1 }] }), { count: 1297, exact: true });
    const byGenre = await data.aggregate(track, { groupBy: [{ column: 'GenreId' }], measures: [{ op: 'count', as: 'tracks' }] });
    assert.equal(byGenre.rows.length, 25);
  });

  it('writes as a save does, and the audit log names the extension', async () => {
    const { data, genre, file, rig, events } = await setup();
    const result = await data.applyChanges(genre, [{ kind: 'update', key: { GenreId: 1 }, changes: { Name: 'Rock & Roll' }, expected: { Name: 'Rock' } }]);
    assert.deepEqual(result.ok, true);
    assert.equal(genreName(file, 1), 'Rock & Roll');
    const entry = rig.audit.query({}, 0, 1).entries[0]!;
    assert.equal(entry.source, extensionSource(CALLER));
    assert.equal(entry.table, 'Genre');
    assert.deepEqual(events.map((e) => [e.updated, e.source]), [[1, 'extension:acme.reports']]);
  });

  it('refuses a stale write as a conflict with the current row, and writes nothing', async () => {
    const { data, genre, file } = await setup();
    python('import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute("update Genre set Name = \'Jazz (other program)\' where GenreId = 2")\nc.commit()', file);
    const result = await data.applyChanges(genre, [{ kind: 'update', key: { GenreId: 2 }, changes: { Name: 'Jazz (ours)' }, expected: { Name: 'Jazz' } }]);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure.code, 'conflict');
    assert.deepEqual(!result.ok && result.failure.current?.Name, 'Jazz (other program)');
    assert.equal(genreName(file, 2), 'Jazz (other program)');
  });

  it('refuses rows someone is editing in a form, and follows the user\'s role', async () => {
    const { data, genre, file, locks, rig } = await setup();
    locks.push({ rowKey: rowKeyText({ GenreId: 3 }), owner: 'grace', acquiredAt: '2026-12-05T08:00:00Z' });
    const locked = await data.applyChanges(genre, [{ kind: 'update', key: { GenreId: 3 }, changes: { Name: 'Metal!' }, expected: { Name: 'Metal' } }]);
    if (locked.ok) assert.fail('a locked row was written');
    assert.equal(locked.failure.code, 'conflict');
    assert.match(locked.failure.message, /grace is editing this row/);
    locks.length = 0;
    await rig.roles.setRole({ datasourceId: genre.datasourceId }, 'viewer');
    const refused = await data.applyChanges(genre, [{ kind: 'update', key: { GenreId: 3 }, changes: { Name: 'Metal!' }, expected: { Name: 'Metal' } }]);
    assert.equal(!refused.ok && refused.failure.code, 'permission');
    assert.equal(genreName(file, 3), 'Metal');
  });

  it('asks before deleting, naming the extension; declined or cancelled, nothing is written', async () => {
    const { data, genre, file, confirmations, answer, rig } = await setup();
    await rig.roles.setRole({ datasourceId: genre.datasourceId }, 'admin');
    python('import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute("insert into Genre (GenreId, Name) values (26, \'Sea Shanty\')")\nc.commit()', file);
    const remove: RowChange[] = [{ kind: 'delete', key: { GenreId: 26 }, expected: { Name: 'Sea Shanty' } }];
    answer.confirm = false;
    const declined = await data.applyChanges(genre, remove);
    assert.equal(!declined.ok && declined.failure.code, 'cancelled');
    assert.deepEqual(confirmations.map((c) => c.caller), [CALLER]);
    assert.equal(genreName(file, 26), 'Sea Shanty');
    answer.confirm = true;
    const cancelled = await data.applyChanges(genre, remove, token(true));
    assert.equal(!cancelled.ok && cancelled.failure.code, 'cancelled');
    assert.equal(genreName(file, 26), 'Sea Shanty');
    assert.equal((await data.applyChanges(genre, remove, token(false))).ok, true);
    assert.equal(genreName(file, 26), '<gone>');
  });

  it('checks what another extension passes, with messages that say what is wrong', async () => {
    const { data, genre } = await setup();
    await assert.rejects(data.readRows({ datasourceId: genre.datasourceId } as never, { limit: 1 }), /A table is/);
    await assert.rejects(data.getSchema({ datasourceId: 'nope', name: 'Genre' }), /No datasource with id "nope"/);
    await assert.rejects(data.applyChanges(genre, [{ kind: 'update', key: { GenreId: 1 }, changes: { Name: 'x' } } as never]), /changes\[0\] needs key, changes and expected/);
    await assert.rejects(data.applyChanges(genre, 'DROP TABLE Genre' as never), /changes must be an array/);
    await assert.rejects(data.readRows(genre, { limit: 10, filters: [{ column: 'Nope', op: 'eq', value: 1 }] }), /Nope/);
  });
});
