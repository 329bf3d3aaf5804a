// The SQLite datasource against real files: schema reading, exact values, keyset paging, filters, writes with
// conflict checks, and what happens when another program touches the file. Runs on the engine named by
// NOCOFLO_SQLITE_ENGINE (sql.js here; scripts/test-sqlite-node22.sh repeats it with node:sqlite).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CellValue, DatasourceSession, Filter, ReadRowsRequest, SortKey, TableRef } from '../../api';
import { expectedOrder, readAllPages } from '../support/pagingOracle';
import { engine, makeDatabase, openSqlite, python, sqlitePlugin, tempDir, context } from '../support/sqliteFixtures';

const SHAPES = `
  CREATE TABLE parent (a INTEGER NOT NULL, b TEXT NOT NULL, label TEXT, PRIMARY KEY (a, b));
  CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT, pa INTEGER, pb TEXT, status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done', 'it''s')),
    total REAL, doubled REAL GENERATED ALWAYS AS (total * 2) VIRTUAL, FOREIGN KEY (pa, pb) REFERENCES parent (a, b));
  CREATE TABLE loose (note TEXT, n INTEGER);
  CREATE TABLE hides_rowid (rowid TEXT, _rowid_ TEXT, oid TEXT);
  CREATE TABLE pairs (k1 TEXT, k2 INTEGER, v TEXT, PRIMARY KEY (k1, k2)) WITHOUT ROWID;
  CREATE TABLE "we""ird ta ble" ("col ""q""" TEXT PRIMARY KEY, "ünï ¢ode" INTEGER, "select" TEXT);
  CREATE VIEW child_view AS SELECT id, status FROM child;
  CREATE TABLE vals (id INTEGER PRIMARY KEY, t TEXT, i INTEGER, r REAL, b BLOB, j JSON, d DATE);
`;

describe(`SQLite datasource (${engine} engine)`, function () {
  let dir: string;
  let file: string;
  let session: DatasourceSession;

  before(async () => {
    dir = tempDir('nocoflo-sqlite-');
    file = await makeDatabase(path.join(dir, 'shapes.sqlite'), SHAPES, (run) => {
      run('INSERT INTO parent VALUES (?, ?, ?)', [1, 'x', 'one-x']);
      run('INSERT INTO child (pa, pb, status, total) VALUES (?, ?, ?, ?)', [1, 'x', 'done', 2.5]);
      run('INSERT INTO loose VALUES (?, ?), (?, ?)', ['same', 1, 'same', 1]);
      run('INSERT INTO "we""ird ta ble" VALUES (?, ?, ?)', ["it's \"quoted\"", 7, 'drop table vals; --']);
    });
    session = await openSqlite(file);
  });
  after(async () => session?.close());

  describe('schema', () => {
    it('lists tables and views, and reads keys, foreign keys, defaults, enums and generated columns', async () => {
      const tables = await session.listTables();
      assert.deepEqual(
        tables.map((t) => `${t.ref.name}:${t.kind}`),
        ['child:table', 'child_view:view', 'hides_rowid:table', 'loose:table', 'pairs:table', 'parent:table', 'vals:table', 'we"ird ta ble:table'],
      );
      const parent = await session.getSchema({ name: 'parent' });
      assert.deepEqual(parent.primaryKey, ['a', 'b']);
      assert.deepEqual(parent.rowKey, { columns: ['a', 'b'] });
      const child = await session.getSchema({ name: 'child' });
      assert.deepEqual(child.foreignKeys, [{ columns: ['pa', 'pb'], references: { name: 'parent' }, referencedColumns: ['a', 'b'] }]);
      const status = child.columns.find((c) => c.name === 'status')!;
      assert.equal(status.kind, 'enum');
      assert.deepEqual(status.enumValues, ['new', 'done', "it's"]);
      assert.equal(status.defaultValue, "'new'");
      assert.equal(status.nullable, false);
      const doubled = child.columns.find((c) => c.name === 'doubled')!;
      assert.equal(doubled.generated, true);
      assert.equal(doubled.readOnly, true);
      assert.equal(child.columns.find((c) => c.name === 'id')!.autoIncrement, true);
    });

    it('opens a table without a primary key read-only with the reason, still paging it by rowid', async () => {
      const loose = await session.getSchema({ name: 'loose' });
      assert.deepEqual(loose.rowKey, { columns: ['rowid'], synthetic: true });
      assert.match(loose.readOnlyReason ?? '', /no primary key.*read-only/);
      const page = await session.readRows({ name: 'loose' }, { limit: 1 });
      const next = await session.readRows({ name: 'loose' }, { limit: 1, after: page.next! });
      assert.equal(next.rows.length, 1);
      await assert.rejects(session.updateRow({ name: 'loose' }, page.keys[0]!, { note: 'x' }, { note: 'same' }), (e: Error & { code?: string }) => e.code === 'read_only' && /no primary key/.test(e.message));
      const hidden = await session.getSchema({ name: 'hides_rowid' });
      assert.equal(hidden.rowKey, undefined);
      assert.match(hidden.readOnlyReason ?? '', /no primary key.*read-only/);
    });

    it('opens views read-only with the reason, and WITHOUT ROWID tables by their key', async () => {
      const view = await session.getSchema({ name: 'child_view' });
      assert.equal(view.rowKey, undefined);
      assert.match(view.readOnlyReason ?? '', /view/);
      const pairs = await session.getSchema({ name: 'pairs' });
      assert.deepEqual(pairs.rowKey, { columns: ['k1', 'k2'] });
    });

    it('treats hostile identifiers as names, never as SQL', async () => {
      const table = { name: 'we"ird ta ble' };
      const schema = await session.getSchema(table);
      assert.deepEqual(schema.columns.map((c) => c.name), ['col "q"', 'ünï ¢ode', 'select']);
      const page = await session.readRows(table, { limit: 10, sort: [{ column: 'ünï ¢ode', direction: 'desc' }], filters: [{ column: 'select', op: 'contains', value: 'drop' }] });
      assert.deepEqual(page.rows, [["it's \"quoted\"", 7, 'drop table vals; --']]);
      await session.updateRow(table, { 'col "q"': "it's \"quoted\"" }, { select: 'still a value' }, { select: 'drop table vals; --' });
      assert.equal((await session.countRows({ name: 'vals' })).count, 0, 'vals still exists and is untouched');
    });

    it('says which table is missing', async () => {
      await assert.rejects(session.getSchema({ name: 'nope' }), (e: Error & { code?: string }) => e.code === 'not_found' && /nope/.test(e.message));
    });
  });

  describe('values', () => {
    const table = { name: 'vals' };
    const big = 2n ** 62n + 1n;
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);

    it('round-trips NULL and the empty string apart, exact big integers, floats, BLOBs and JSON text', async () => {
      await session.insertRow(table, { id: 1, t: '', i: big, r: 0.1, b: bytes, j: '{"a":[1,2]}', d: '2024-02-29' });
      await session.insertRow(table, { id: 2, t: null, i: -big, r: -1e300, b: new Uint8Array(), j: null, d: null });
      const page = await session.readRows(table, { limit: 10, sort: [{ column: 'id', direction: 'asc' }] });
      assert.deepEqual(page.columns, ['id', 't', 'i', 'r', 'b', 'j', 'd']);
      assert.deepEqual(page.rows[0], [1, '', big, 0.1, bytes, '{"a":[1,2]}', '2024-02-29']);
      assert.deepEqual(page.rows[1], [2, null, -big, -1e300, new Uint8Array(), null, null]);
      const nulls = await session.readRows(table, { limit: 10, filters: [{ column: 't', op: 'isnull' }] });
      assert.deepEqual(nulls.rows.map((r) => r[0]), [2]);
      const empties = await session.readRows(table, { limit: 10, filters: [{ column: 't', op: 'eq', value: '' }] });
      assert.deepEqual(empties.rows.map((r) => r[0]), [1]);
    });
  });

  describe('writes', () => {
    const parent = { name: 'parent' };

    it('inserts with defaults applied, updates and deletes by key', async () => {
      const inserted = await session.insertRow({ name: 'child' }, { pa: 1, pb: 'x', total: 4 });
      assert.ok(inserted.key && typeof inserted.key.id === 'number');
      assert.equal(inserted.row?.status, 'new');
      assert.equal(inserted.row?.doubled, 8);
      const key = inserted.key!;
      await session.updateRow({ name: 'child' }, key, { status: 'done' }, { status: 'new' });
      await session.deleteRow({ name: 'child' }, key, { status: 'done' });
      assert.equal((await session.readRows({ name: 'child' }, { limit: 5, filters: [{ column: 'id', op: 'eq', value: key.id }] })).rows.length, 0);
    });

    it('refuses an update when the row changed since it was read, and reports the current row', async () => {
      await session.insertRow(parent, { a: 2, b: 'y', label: 'before' });
      await session.updateRow(parent, { a: 2, b: 'y' }, { label: 'theirs' }, { label: 'before' });
      await assert.rejects(session.updateRow(parent, { a: 2, b: 'y' }, { label: 'mine' }, { label: 'before' }), (e: Error & { code?: string; current?: Record<string, CellValue> | null }) => {
        assert.equal(e.code, 'conflict');
        assert.equal(e.current?.label, 'theirs');
        return true;
      });
      await assert.rejects(session.deleteRow(parent, { a: 2, b: 'nope' }, { label: 'x' }), (e: Error & { code?: string; current?: unknown }) => e.code === 'conflict' && e.current === null);
    });

    it('applies a batch in one transaction: a failing statement leaves nothing half-applied, with the database message', async () => {
      const before = await session.readRows(parent, { limit: 100 });
      await assert.rejects(
        session.transaction!(async (tx) => {
          await tx.insertRow(parent, { a: 3, b: 'z', label: 'first' });
          await tx.insertRow(parent, { a: 3, b: 'z', label: 'duplicate' });
        }),
        (e: Error & { code?: string }) => e.code === 'constraint' && /UNIQUE constraint failed: parent\.a, parent\.b/.test(e.message),
      );
      assert.deepEqual((await session.readRows(parent, { limit: 100 })).rows, before.rows);
      await assert.rejects(session.insertRow({ name: 'child' }, { pa: 1, pb: 'x', status: 'bogus' }), (e: Error & { code?: string }) => e.code === 'constraint' && /CHECK constraint failed/.test(e.message));
    });

    it('previews the exact statements of a batch without running them', async () => {
      const before = await session.readRows(parent, { limit: 100 });
      const statements = await session.previewChanges!(parent, [
        { kind: 'insert', values: { a: 5, b: "it's", label: null } },
        { kind: 'update', key: { a: 1, b: 'x' }, changes: { label: 'new' }, expected: { label: 'one-x' } },
        { kind: 'delete', key: { a: 1, b: 'x' }, expected: { label: 'one-x' } },
      ]);
      assert.deepEqual(statements, [
        { text: 'INSERT INTO "parent" ("a", "b", "label") VALUES (?, ?, ?)', params: [5, "it's", null] },
        { text: 'UPDATE "parent" SET "label" = ? WHERE "a" = ? AND "b" = ? AND "label" IS ?', params: ['new', 1, 'x', 'one-x'] },
        { text: 'DELETE FROM "parent" WHERE "a" = ? AND "b" = ? AND "label" IS ?', params: [1, 'x', 'one-x'] },
      ]);
      assert.deepEqual((await session.readRows(parent, { limit: 100 })).rows, before.rows, 'nothing ran');
      await assert.rejects(session.previewChanges!({ name: 'child_view' }, [{ kind: 'delete', key: { id: 1 }, expected: {} }]), (e: Error & { code?: string }) => e.code === 'read_only');
    });

    it('refuses to write generated columns and views', async () => {
      await assert.rejects(session.insertRow({ name: 'child' }, { pa: 1, pb: 'x', doubled: 3 }), (e: Error & { code?: string }) => e.code === 'read_only' || e.code === 'invalid_value');
      await assert.rejects(session.updateRow({ name: 'child_view' }, { id: 1 }, { status: 'new' }, { status: 'done' }), (e: Error & { code?: string }) => e.code === 'read_only');
    });

    it('refuses every write on a datasource added read-only', async () => {
      const readOnly = await openSqlite(file, { readOnly: true });
      try {
        await assert.rejects(readOnly.insertRow(parent, { a: 9, b: 'q' }), (e: Error & { code?: string }) => e.code === 'read_only');
      } finally {
        await readOnly.close();
      }
    });
  });
});

describe(`SQLite keyset paging and filters (${engine} engine)`, function () {
  const ROWS = 100_000;
  const table: TableRef = { name: 'events' };
  let session: DatasourceSession;
  // Row i: kind has ties (7 values), score has ties and NULLs, name has NULLs and case differences.
  const kindOf = (i: number) => ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta'][i % 7];
  const scoreOf = (i: number) => (i % 11 === 0 ? null : (i * 7919) % 97);
  const nameOf = (i: number) => (i % 13 === 0 ? null : i % 2 ? `Name_${i % 50}%` : `name_${i % 50}`);

  before(async () => {
    const dir = tempDir('nocoflo-paging-');
    const file = await makeDatabase(path.join(dir, 'events.sqlite'), 'CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, score INTEGER, name TEXT)', (run) => {
      for (let i = 1; i <= ROWS; i++) run('INSERT INTO events VALUES (?, ?, ?, ?)', [i, kindOf(i), scoreOf(i), nameOf(i)]);
    });
    session = await openSqlite(file);
  });
  after(async () => session?.close());

  const readAll = (request: Omit<ReadRowsRequest, 'limit' | 'after'>, limit = 997) => readAllPages(session, table, request, limit);
  const allIds = Array.from({ length: ROWS }, (_, i) => i + 1);
  const valueOf = (i: number, column: string): CellValue => ({ id: i, kind: kindOf(i), score: scoreOf(i), name: nameOf(i) })[column] ?? null;

  for (const sort of [
    [{ column: 'score', direction: 'asc' }],
    [{ column: 'score', direction: 'desc' }],
    [{ column: 'kind', direction: 'asc' }, { column: 'score', direction: 'desc' }],
    [{ column: 'name', direction: 'desc' }, { column: 'id', direction: 'desc' }],
  ] as SortKey[][]) {
    it(`returns every row exactly once, in order, sorted by ${sort.map((s) => `${s.column} ${s.direction}`).join(', ')}`, async () => {
      const ids = (await readAll({ sort })).map((r) => Number(r[0]));
      assert.equal(new Set(ids).size, ROWS);
      assert.deepEqual(ids, expectedOrder(allIds, valueOf, sort));
    });
  }

  it('jumps by offset for scrollbar drags and continues by cursor from there', async () => {
    const sort: SortKey[] = [{ column: 'score', direction: 'asc' }];
    const jump = await session.readRows(table, { limit: 100, sort, offset: 12_345 });
    assert.equal(jump.offset, 12_345);
    const next = await session.readRows(table, { limit: 100, sort, after: jump.next! });
    assert.deepEqual([...jump.rows, ...next.rows].map((r) => Number(r[0])), expectedOrder(allIds, valueOf, sort).slice(12_345, 12_545));
  });

  it('refuses a cursor from another ordering instead of returning wrong rows', async () => {
    const page = await session.readRows(table, { limit: 10, sort: [{ column: 'score', direction: 'asc' }] });
    await assert.rejects(session.readRows(table, { limit: 10, sort: [{ column: 'kind', direction: 'asc' }], after: page.next! }));
  });

  const expectations: [Filter, (i: number) => boolean][] = [
    [{ column: 'kind', op: 'eq', value: 'beta' }, (i) => kindOf(i) === 'beta'],
    [{ column: 'kind', op: 'ne', value: 'beta' }, (i) => kindOf(i) !== 'beta'],
    [{ column: 'score', op: 'lt', value: 10 }, (i) => scoreOf(i) !== null && scoreOf(i)! < 10],
    [{ column: 'score', op: 'lte', value: 10 }, (i) => scoreOf(i) !== null && scoreOf(i)! <= 10],
    [{ column: 'score', op: 'gt', value: 90 }, (i) => scoreOf(i) !== null && scoreOf(i)! > 90],
    [{ column: 'score', op: 'gte', value: 90 }, (i) => scoreOf(i) !== null && scoreOf(i)! >= 90],
    [{ column: 'name', op: 'contains', value: 'E_1%' }, (i) => nameOf(i)?.toLowerCase().includes('e_1%') ?? false],
    [{ column: 'name', op: 'startswith', value: 'NAME_4' }, (i) => nameOf(i)?.toLowerCase().startsWith('name_4') ?? false],
    [{ column: 'name', op: 'endswith', value: '_7' }, (i) => nameOf(i)?.toLowerCase().endsWith('_7') ?? false],
    [{ column: 'score', op: 'isnull' }, (i) => scoreOf(i) === null],
    [{ column: 'score', op: 'notnull' }, (i) => scoreOf(i) !== null],
    [{ column: 'kind', op: 'in', value: ['eta', 'zeta', 'nope'] }, (i) => ['eta', 'zeta'].includes(kindOf(i))],
  ];
  for (const [filter, matches] of expectations) {
    it(`filters with ${filter.op} (wildcards in the operand match literally) and counts the same rows`, async () => {
      const expected = Array.from({ length: ROWS }, (_, i) => i + 1).filter(matches);
      const ids = (await readAll({ filters: [filter] }, 5_000)).map((r) => Number(r[0]));
      assert.deepEqual(ids, expected);
      assert.deepEqual(await session.countRows(table, { filters: [filter] }), { count: expected.length, exact: true });
    });
  }

  it('searches text columns case-insensitively and caps counts', async () => {
    const expected = Array.from({ length: ROWS }, (_, i) => i + 1).filter((i) => (nameOf(i) ?? '').toLowerCase().includes('me_49') || kindOf(i).includes('me_49'));
    const ids = (await readAll({ search: { text: 'ME_49' } }, 5_000)).map((r) => Number(r[0]));
    assert.deepEqual(ids, expected);
    assert.deepEqual(await session.countRows(table, { cap: 1_000 }), { count: 1_000, exact: false, capped: true });
  });

  it('aggregates in the database: count and mean per kind', async () => {
    const result = await session.aggregate!(table, { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }, { op: 'max', column: 'score', as: 'top' }] });
    assert.equal(result.rows.length, 7);
    const beta = result.rows.find((r) => r[result.columns.indexOf('kind')] === 'beta')!;
    assert.equal(Number(beta[result.columns.indexOf('n')]), Array.from({ length: ROWS }, (_, i) => i + 1).filter((i) => kindOf(i) === 'beta').length);
  });
});

describe(`SQLite and other programs (${engine} engine)`, function () {
  const table = { name: 'notes' };

  async function notesFile(): Promise<string> {
    return makeDatabase(path.join(tempDir('nocoflo-ext-'), 'notes.sqlite'), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)', (run) => {
      for (let i = 1; i <= 3; i++) run('INSERT INTO notes VALUES (?, ?)', [i, `note ${i}`]);
    });
  }

  it('sees rows another program wrote, and an edit of a row it changed is a conflict, not an overwrite', async () => {
    const file = await notesFile();
    const session = await openSqlite(file);
    try {
      await session.readRows(table, { limit: 10 });
      python("import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute(\"update notes set body='theirs' where id=1\")\nc.execute(\"insert into notes values (4,'new')\")\nc.commit()", file);
      const page = await session.readRows(table, { limit: 10 });
      assert.deepEqual(page.rows.map((r) => r[1]), ['theirs', 'note 2', 'note 3', 'new']);
      await assert.rejects(session.updateRow(table, { id: 1 }, { body: 'mine' }, { body: 'note 1' }), (e: Error & { code?: string }) => e.code === 'conflict');
      await session.updateRow(table, { id: 2 }, { body: 'mine' }, { body: 'note 2' });
      assert.equal(python("import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute('select group_concat(body, \"|\") from notes').fetchone()[0])", file), 'theirs|mine|note 3|new');
    } finally {
      await session.close();
    }
  });

  it('shows the latest data of a WAL database with uncheckpointed changes', async () => {
    const file = await notesFile();
    // The other program keeps its connection open (so the WAL is not checkpointed away) while we read.
    const holder = python(
      [
        'import sqlite3,sys,subprocess,json',
        'c=sqlite3.connect(sys.argv[1])',
        "c.execute('pragma journal_mode=wal')",
        "c.execute('pragma wal_autocheckpoint=0')",
        "c.execute(\"update notes set body='from wal' where id=3\")",
        'c.commit()',
        "import os; print(os.path.getsize(sys.argv[1]+'-wal'))",
        // Copy the three files while the connection is open: what our engine would find on disk.
        "import shutil; [shutil.copy(sys.argv[1]+s, sys.argv[1]+'.copy'+s) for s in ['', '-wal']]",
      ].join('\n'),
      file,
    );
    assert.ok(Number(holder) > 0, 'the WAL file holds the change');
    const session = await openSqlite(`${file}.copy`);
    try {
      const page = await session.readRows(table, { limit: 10 });
      assert.equal(page.rows[2][1], 'from wal');
      if (engine === 'sqljs') {
        const schema = await session.getSchema(table);
        assert.match(schema.readOnlyReason ?? '', /WAL mode/);
        await assert.rejects(session.updateRow(table, { id: 1 }, { body: 'x' }, { body: 'note 1' }), (e: Error & { code?: string }) => e.code === 'read_only');
      }
    } finally {
      await session.close();
    }
  });

  it('opens a file that is not a database with a clear error, and an over-size file with the limit named', async () => {
    const dir = tempDir('nocoflo-bad-');
    const junk = path.join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is not a database, just text '.repeat(200));
    await assert.rejects(openSqlite(junk), (e: Error) => /not a (readable SQLite )?database|file is not a database/i.test(e.message));
    await assert.rejects(openSqlite(path.join(dir, 'missing.sqlite')), (e: Error & { code?: string }) => e.code === 'not_found' && /does not exist/.test(e.message));
    if (engine === 'sqljs') {
      const file = await notesFile();
      await assert.rejects(openSqlite(file, { sqljsMaxBytes: 1024 }), (e: Error & { code?: string }) => e.code === 'too_large' && /node:sqlite/.test(e.message));
    }
  });

  it('tests a connection and reports the engine, and parses sqlite: URLs and bare paths', async () => {
    const file = await notesFile();
    const plugin = sqlitePlugin();
    const result = await plugin.testConnection({ path: file }, {}, context);
    assert.match(result.message ?? '', /SQLite 3\.\d+.*1 tables/);
    assert.deepEqual(plugin.parseUrl!(`sqlite://${file}`).config, { path: file });
    assert.deepEqual(plugin.parseUrl!('data/app.db').config, { path: 'data/app.db' });
    assert.throws(() => plugin.parseUrl!('postgres://x/y'), /neither a sqlite: URL/);
  });
});
