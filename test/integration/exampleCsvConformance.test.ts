// The datasource conformance suite (test/conformance) against the example plugin's CSV folder datasource
// (examples/csv-kanban), on real files in a temporary folder: every table is a .csv file written here, read and
// rewritten by the datasource. Plus what only a file-backed datasource has: another program changing the file,
// atomic rewrites, and files that are not CSV.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DatasourceSession } from '../../api';
import { createCsvDatasource, parseCsvUrl } from '../../examples/csv-kanban/src/csvDatasource';
import { formatCsv } from '../../examples/csv-kanban/src/csv';
import { type ConformanceRow, describeDatasourceConformance } from '../conformance/datasourceConformance';
import { context } from '../support/sqliteFixtures';

const folders: string[] = [];
function tempFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'nocoflo-csv-'));
  folders.push(folder);
  return folder;
}

let folder: string | undefined;
let session: DatasourceSession | undefined;

describeDatasourceConformance({
  name: 'CSV folder (example plugin)',
  aggregates: false,
  // A file name holds quotes, semicolons and spaces on every system the tests run on.
  arbitraryTableNames: true,
  async open(rows: readonly ConformanceRow[], tableName: string) {
    folder ??= tempFolder();
    const text = formatCsv(
      ['id', 'name', 'score', 'note'],
      rows.map((r) => [String(r.id), r.name, r.score === null ? null : String(r.score), r.note]),
    );
    writeFileSync(path.join(folder, `${tableName}.csv`), text);
    session ??= await createCsvDatasource().connect({ folder }, {}, context);
    return { session, table: { name: tableName } };
  },
  async dispose() {
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  },
});

describe('CSV folder datasource (example plugin): files', function () {
  let dir: string;
  let csv: DatasourceSession;
  const file = (name: string) => path.join(dir, `${name}.csv`);

  beforeEach(async () => {
    dir = tempFolder();
    csv = await createCsvDatasource().connect({ folder: dir }, {}, context);
  });
  afterEach(async () => {
    await csv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists only .csv files, sorted, and infers integer, float and text columns', async () => {
    writeFileSync(file('b'), 'id,price,label,code\r\n1,2.5,x,007\r\n2,3,,010\r\n');
    writeFileSync(file('a'), 'id\n1\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a table');
    assert.deepEqual((await csv.listTables()).map((t) => t.ref.name), ['a', 'b']);
    const schema = await csv.getSchema({ name: 'b' });
    assert.deepEqual(schema.columns.map((c) => [c.name, c.kind]), [['id', 'integer'], ['price', 'float'], ['label', 'text'], ['code', 'text']]);
    assert.deepEqual(schema.rowKey, { columns: ['id'] });
    const page = await csv.readRows({ name: 'b' }, { limit: 10 });
    assert.deepEqual(page.rows, [[1, 2.5, 'x', '007'], [2, 3, null, '010']]);
  });

  it('rewrites the file on save keeping NULL apart from "", untouched values as they were, and the CRLF line breaks', async () => {
    writeFileSync(file('t'), 'id,code,note\r\n1,007,"a ""b"""\r\n2,010,""\r\n');
    await csv.updateRow({ name: 't' }, { id: 2 }, { note: 'two\nlines' }, { note: '' });
    assert.equal(readFileSync(file('t'), 'utf8'), 'id,code,note\r\n1,007,"a ""b"""\r\n2,010,"two\nlines"\r\n');
    await csv.updateRow({ name: 't' }, { id: 1 }, { note: null }, { note: 'a "b"' });
    assert.equal(readFileSync(file('t'), 'utf8'), 'id,code,note\r\n1,007,\r\n2,010,"two\nlines"\r\n');
    assert.deepEqual(readdirSync(dir), ['t.csv'], 'no temporary file is left behind');
    chmodSync(file('t'), 0o640);
    await csv.updateRow({ name: 't' }, { id: 1 }, { note: 'x' }, { note: null });
    assert.equal(statSync(file('t')).mode & 0o777, 0o640, 'the rewritten file keeps its permissions');
  });

  it('refuses a write with stale_file when another program changed the file since it was read, and reads the new content', async () => {
    writeFileSync(file('t'), 'id,name\n1,ada\n2,bob\n');
    assert.equal((await csv.countRows({ name: 't' })).count, 2);
    writeFileSync(file('t'), 'id,name\n1,ada\n2,bob\n3,cyd\n');
    await assert.rejects(csv.updateRow({ name: 't' }, { id: 1 }, { name: 'zed' }, { name: 'ada' }), (e: Error & { code?: string }) => e.code === 'stale_file' && /changed on disk/.test(e.message));
    assert.equal(readFileSync(file('t'), 'utf8'), 'id,name\n1,ada\n2,bob\n3,cyd\n', 'nothing was written');
    assert.equal((await csv.countRows({ name: 't' })).count, 3, 'the next read sees the new file');
    await csv.updateRow({ name: 't' }, { id: 1 }, { name: 'zed' }, { name: 'ada' });
    assert.equal(readFileSync(file('t'), 'utf8'), 'id,name\n1,zed\n2,bob\n3,cyd\n');
  });

  it('applies a transaction whole or not at all', async () => {
    writeFileSync(file('t'), 'id,name\n1,ada\n2,bob\n');
    const before = readFileSync(file('t'), 'utf8');
    await assert.rejects(
      csv.transaction!(async (tx) => {
        await tx.updateRow({ name: 't' }, { id: 1 }, { name: 'zed' }, { name: 'ada' });
        await tx.insertRow({ name: 't' }, { id: 2, name: 'dup' });
      }),
      (e: Error & { code?: string }) => e.code === 'constraint',
    );
    assert.equal(readFileSync(file('t'), 'utf8'), before);
    const { key } = await csv.insertRow({ name: 't' }, { name: 'cyd' });
    assert.deepEqual(key, { id: 3 }, 'an integer key without a value gets the next one');
  });

  it('makes tables without a usable key read only, with the reason', async () => {
    writeFileSync(file('nokey'), 'name,score\nada,1\n');
    writeFileSync(file('dupkey'), 'id,name\n1,ada\n1,bob\n');
    assert.match((await csv.getSchema({ name: 'nokey' })).readOnlyReason ?? '', /no "id" column/);
    assert.match((await csv.getSchema({ name: 'dupkey' })).readOnlyReason ?? '', /the value 1 twice/);
    await assert.rejects(csv.updateRow({ name: 'dupkey' }, { id: 1 }, { name: 'x' }, { name: 'ada' }), (e: Error & { code?: string }) => e.code === 'read_only');
    const keyed = await createCsvDatasource().connect({ folder: dir, key: 'name' }, {}, context);
    assert.deepEqual((await keyed.getSchema({ name: 'nokey' })).rowKey, { columns: ['name'] });
    await keyed.close();
  });

  it('reports bad input clearly: malformed CSV, a missing folder or table, a bad URL, a value of the wrong type', async () => {
    writeFileSync(file('bad'), 'id,name\n1,"open\n');
    await assert.rejects(csv.getSchema({ name: 'bad' }), (e: Error & { code?: string }) => e.code === 'invalid_value' && /bad\.csv is not valid CSV: line 2: a quoted field is never closed/.test(e.message));
    await assert.rejects(csv.getSchema({ name: '../etc/passwd' }), (e: Error & { code?: string }) => e.code === 'not_found');
    await assert.rejects(csv.getSchema({ name: 'missing' }), (e: Error & { code?: string }) => e.code === 'not_found');
    await assert.rejects(createCsvDatasource().connect({ folder: path.join(dir, 'nope') }, {}, context), (e: Error & { code?: string }) => e.code === 'not_found' && /does not exist/.test(e.message));
    assert.throws(() => parseCsvUrl('/tmp/x.sqlite'), (e: Error & { code?: string }) => e.code === 'invalid_value');
    assert.deepEqual(parseCsvUrl('csv:///data/my%20tables?key=code').config, { folder: '/data/my tables', key: 'code' });
    writeFileSync(file('t'), 'id,score\n1,5\n');
    await assert.rejects(csv.updateRow({ name: 't' }, { id: 1 }, { score: 'many' }, { score: 5 }), (e: Error & { code?: string; column?: string }) => e.code === 'invalid_value' && e.column === 'score');
  });
});
