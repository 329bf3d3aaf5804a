import * as assert from 'node:assert/strict';
import type { RowCount, TableInfo, TableSchema } from '../../api';
import type { OverviewTable } from '../../shared/fileOverviewProtocol';
import { overviewColumns, readOverview } from '../../src/core/fileOverview';

// Pure logic of the file overview over a source in memory; tests/integration/sqliteFileOverview reads real Chinook.
const schema = (name: string, extra: Partial<TableSchema> = {}): TableSchema => ({
  table: { name },
  columns: [
    { name: 'id', kind: 'integer', declaredType: 'INTEGER', nullable: false, primaryKeyPosition: 1 },
    { name: 'artist_id', kind: 'integer', declaredType: 'INTEGER', nullable: true },
  ],
  primaryKey: ['id'],
  rowKey: ['id'],
  foreignKeys: [{ columns: ['artist_id'], references: { name: 'artist' }, referencedColumns: ['id'] }],
  ...extra,
} as TableSchema);

describe('the overview of a database file (src/core/fileOverview)', () => {
  it('shows columns with keys and what each foreign key points at', () => {
    assert.deepEqual(overviewColumns(schema('album')), [
      { name: 'id', type: 'INTEGER', nullable: false, primaryKey: 1 },
      { name: 'artist_id', type: 'INTEGER', nullable: true, references: 'artist(id)' },
    ]);
  });

  it('sends the list first, then each schema and count; a failing table keeps its own problem', async () => {
    const infos: TableInfo[] = [
      { ref: { name: 'album' }, kind: 'table' },
      { ref: { name: 'broken' }, kind: 'view' },
      { ref: { name: 'stats' }, kind: 'table', rowCount: { count: 7, exact: true } },
      { ref: { name: 'album_2024' }, kind: 'table', parent: 'album' },
    ];
    const counted: string[] = [];
    const updates: OverviewTable[][] = [];
    await readOverview(
      {
        listTables: async () => infos,
        schema: async (ref) => {
          if (ref.name === 'broken') throw new Error('no such table: gone');
          return schema(ref.name);
        },
        count: async (ref, { cap }): Promise<RowCount> => {
          counted.push(ref.name);
          if (ref.name === 'broken') throw new Error('no such table: gone');
          return { count: 20_000, exact: false, capped: cap === 10_000 };
        },
      },
      new AbortController().signal,
      (tables) => updates.push(tables),
    );
    assert.deepEqual(updates[0].map((t) => t.name), ['album', 'broken', 'stats'], 'partitions are not listed on their own');
    assert.equal(updates[0][0].columns, undefined, 'the first update is the bare list');
    const final = updates[updates.length - 1];
    assert.equal(final[0].columns?.length, 2);
    assert.deepEqual(final[0].rows, { count: 20_000, exact: false, capped: true });
    assert.equal(final[1].schemaProblem, 'no such table: gone');
    assert.equal(final[1].countProblem, 'no such table: gone');
    assert.deepEqual(final[2].rows, { count: 7, exact: true });
    assert.deepEqual(counted.sort(), ['album', 'broken'], 'a count the datasource already knew is not asked again');
  });

  it('stops reading when the editor closes', async () => {
    const controller = new AbortController();
    const asked: string[] = [];
    await readOverview(
      {
        listTables: async () => [{ ref: { name: 'a' }, kind: 'table' }, { ref: { name: 'b' }, kind: 'table' }, { ref: { name: 'c' }, kind: 'table' }],
        schema: async (ref) => {
          asked.push(ref.name);
          controller.abort();
          return schema(ref.name);
        },
        count: async () => assert.fail('no count after the editor closed'),
      },
      controller.signal,
      () => undefined,
    );
    assert.ok(asked.length <= 2, `two workers may each have started one schema, not more (${asked.join(', ')})`);
  });
});
