// The overview a SQLite file opens in from the Explorer, read from the real Chinook file through the real SQLite
// datasource (worker and engine): every table and view, columns, keys, exact counts, and a broken view that shows
// its own problem while the rest of the file still shows.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import type { OverviewTable } from '../../shared/fileOverviewProtocol';
import { readOverview } from '../../src/core/fileOverview';
import { TableService } from '../../src/core/tableService';
import { repoRoot } from '../support/codeServer';
import { type HostCore, openHostCore, rigPerTest } from '../support/hostRig';
import { python, sqlitePlugin } from '../support/sqliteFixtures';

const CHINOOK = path.join(repoRoot(), 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite');

describe('SQLite file overview (real Chinook file)', () => {
  const start = rigPerTest('nocoflo-overview-', (dir) => openHostCore(dir, sqlitePlugin()));

  async function overview(rig: HostCore, file: string): Promise<{ final: OverviewTable[]; updates: number }> {
    const id = await rig.manager.add({ type: 'nocoflo.sqlite', name: 'Chinook', config: { path: file }, secrets: {} });
    const tables = new TableService(rig.manager);
    let final: OverviewTable[] = [];
    let updates = 0;
    await readOverview(
      {
        listTables: async (signal) => (await rig.manager.session(id)).listTables({ signal }),
        schema: (ref) => tables.schema({ datasourceId: id, ...ref }),
        count: (ref, options) => tables.countRows({ datasourceId: id, ...ref }, { ...options, estimate: true }),
      },
      new AbortController().signal,
      (list) => {
        final = list;
        updates++;
      },
    );
    return { final, updates };
  }

  it('lists every table with its columns, keys and exact row counts', async () => {
    const { rig } = await start();
    const { final, updates } = await overview(rig, CHINOOK);
    assert.deepEqual(final.map((t) => t.name).sort(), ['Album', 'Artist', 'Customer', 'Employee', 'Genre', 'Invoice', 'InvoiceLine', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track']);
    assert.ok(updates > final.length, 'the list, then each schema and count as it arrives');
    const invoice = final.find((t) => t.name === 'Invoice')!;
    assert.deepEqual(invoice.rows, { count: 412, exact: true });
    assert.deepEqual(invoice.columns!.find((c) => c.name === 'InvoiceId'), { name: 'InvoiceId', type: 'INTEGER', nullable: false, primaryKey: 1 });
    assert.deepEqual(invoice.columns!.find((c) => c.name === 'CustomerId'), { name: 'CustomerId', type: 'INTEGER', nullable: false, references: 'Customer(CustomerId)' });
    assert.deepEqual(final.find((t) => t.name === 'Track')!.rows, { count: 3503, exact: true });
    // PlaylistTrack's key has two columns, each its own position.
    const playlistTrack = final.find((t) => t.name === 'PlaylistTrack')!.columns!;
    assert.deepEqual(playlistTrack.map((c) => c.primaryKey), [1, 2]);
  });

  it('shows a broken view\'s own problem and every other table as usual', async () => {
    const { dir, rig } = await start();
    const file = path.join(dir, 'Chinook_broken.sqlite');
    copyFileSync(CHINOOK, file);
    python('import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.executescript("CREATE TABLE Scratch (x); CREATE VIEW Broken AS SELECT x FROM Scratch; DROP TABLE Scratch;")\nc.commit()', file);
    const { final } = await overview(rig, file);
    const broken = final.find((t) => t.name === 'Broken')!;
    assert.equal(broken.kind, 'view');
    assert.match(broken.schemaProblem ?? broken.countProblem ?? '', /Scratch/);
    assert.deepEqual(final.find((t) => t.name === 'Genre')!.rows, { count: 25, exact: true });
  });
});
