// Query references and execute on SQLite, through the real worker and engine: the shared query conformance suite on
// Chinook (sql.js here; scripts/test-sqlite-node22.sh runs this file again on node:sqlite), then what only SQLite has.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DatasourceSession, TableRef } from '../../api';
import { copyChinookSqlite } from '../support/datasets';
import { describeQueryConformance, failure } from '../support/queryConformance';
import { engine, makeDatabase, openSqlite, python, tempDir } from '../support/sqliteFixtures';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const ref = (text: string, params?: (string | number)[]): TableRef => ({ name: 'query', query: { text, ...(params ? { params } : {}) } });


describeQueryConformance({
  name: `SQLite (${engine === 'node' ? 'node:sqlite' : 'sql.js'})`,
  open: () => openSqlite(copyChinookSqlite()),
  chinook: (name) => name,
  quote,
  placeholder: () => '?',
  setup: [
    'CREATE TABLE qc_big (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, label TEXT NOT NULL)',
    "INSERT INTO qc_big WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100000) SELECT i, i % 7, 'row ' || i FROM s",
  ],
  longQuery: 'WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000000) SELECT COUNT(*) AS n FROM c',
  writeQuery: 'DELETE FROM qc_big WHERE id = 1 RETURNING id',
  readOnlyMessage: /attempt to write a readonly database/,
  origins: engine === 'node' ? 'engine' : 'none',
});

describe(`SQLite query specifics (${engine})`, function () {
  this.timeout(120_000);
  let session: DatasourceSession;
  let file: string;

  before(async () => {
    file = path.join(tempDir('nocoflo-sqlite-query-'), 'q.sqlite');
    await makeDatabase(
      file,
      `CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born DATE, score REAL, photo BLOB);
       CREATE TABLE pet (id INTEGER PRIMARY KEY, owner INTEGER REFERENCES person(id), name TEXT);
       CREATE VIEW adult AS SELECT id AS person_id, upper(name) AS loud FROM person;
       INSERT INTO person VALUES (1, 'Ada', '1815-12-10', 1.5, x'00ff'), (2, 'Alan', '1912-06-23', NULL, NULL);
       INSERT INTO pet VALUES (1, 1, 'Rex'), (2, 2, 'Tom');`,
    );
    session = await openSqlite(file);
  });
  after(async () => session?.close());

  it('reports origins conservatively: aliases, joins, views, subqueries, SELECT *, expressions', async () => {
    const schema = await session.getSchema(
      ref(`SELECT p.id, p.name AS who, pet.name, p.id + 0 AS plus, a.loud, a.person_id, (SELECT name FROM pet LIMIT 1) AS first_pet, s.n
           FROM person p JOIN pet ON pet.owner = p.id JOIN adult a ON a.person_id = p.id JOIN (SELECT name AS n, id FROM person) s ON s.id = p.id`),
    );
    const origins = Object.fromEntries(schema.columns.map((c) => [c.name, c.origin ? `${c.origin.table.name}.${c.origin.column}` : undefined]));
    if (engine === 'node') {
      assert.deepEqual(origins, {
        id: 'person.id',
        who: 'person.name',
        name: 'pet.name',
        plus: undefined,
        loud: undefined,
        person_id: 'person.id',
        // SQLite follows a scalar subquery's column to its table; it is still a plain copy of pet.name.
        first_pet: 'pet.name',
        n: 'person.name',
      });
    } else {
      assert.deepEqual(Object.values(origins).filter(Boolean), []);
      assert.match(schema.readOnlyReason ?? '', /sql\.js/);
    }
  });

  it('keeps types exactly: dates as text, reals, blobs, NULLs', async () => {
    const page = await session.readRows(ref('SELECT id, name, born, score, photo FROM person ORDER BY id'), { limit: 10 });
    assert.deepEqual(page.rows, [
      [1, 'Ada', '1815-12-10', 1.5, new Uint8Array([0, 255])],
      [2, 'Alan', '1912-06-23', null, null],
    ]);
  });

  it('restores query_only after a read, also after a failing one, so edits still save', async () => {
    await failure(session.readRows(ref('SELECT nope FROM person'), { limit: 1 }));
    await session.readRows(ref('SELECT * FROM person'), { limit: 1 });
    await session.updateRow({ name: 'pet' }, { id: 2 }, { name: 'Tommy' }, { name: 'Tom' });
    assert.equal(python('import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute("select name from pet where id=2").fetchone()[0])', file), 'Tommy');
  });

  it('refuses PRAGMA and EXPLAIN as query references (not pageable) but runs them with execute', async () => {
    assert.equal((await failure(session.readRows(ref('PRAGMA table_info(person)'), { limit: 5 }))).code, 'invalid_value');
    const info = await session.execute!({ text: 'PRAGMA table_info(person)' });
    assert.deepEqual(info.rows!.map((r) => r[1]), ['id', 'name', 'born', 'score', 'photo']);
  });

  it('runs a write with RETURNING in full even past maxRows, and saves it to the file', async () => {
    const result = await session.execute!({ text: "INSERT INTO pet (owner, name) VALUES (1, 'a'), (1, 'b'), (1, 'c') RETURNING name" }, { maxRows: 1 });
    assert.deepEqual(result.rows, [['a']]);
    assert.equal(result.truncated, true);
    assert.equal(result.rowsAffected, 3);
    assert.equal(python('import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute("select count(*) from pet").fetchone()[0])', file), '5');
  });

  it('saves schema changes made with execute', async () => {
    await session.execute!({ text: 'CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)' });
    assert.equal(python('import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute("select count(*) from sqlite_schema where name=\'note\'").fetchone()[0])', file), '1');
    assert.ok((await session.listTables()).some((t) => t.ref.name === 'note'));
  });

  it('points at an unknown table and gives no position when the name is ambiguous', async () => {
    const missing = await failure(session.getSchema(ref('SELECT *\nFROM persons')));
    assert.deepEqual(missing.position, { line: 2, column: 6 });
    assert.equal(missing.code, 'invalid_value');
    const twice = await failure(session.getSchema(ref('SELECT nme FROM person WHERE nme = 1')));
    assert.equal(twice.position, undefined);
  });

  it('stops an aggregate of a long query (one statement, not chunks) and keeps the session usable', async () => {
    const long = ref('WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000000) SELECT i % 3 AS k, i FROM c');
    const error = await failure(session.aggregate!(long, { groupBy: [{ column: 'k' }], measures: [{ op: 'count', as: 'n' }], signal: AbortSignal.timeout(300) }));
    assert.equal(error.code, 'cancelled');
    const page = await session.readRows(ref('SELECT name FROM person WHERE id = 1'), { limit: 1 });
    assert.deepEqual(page.rows, [['Ada']]);
  });

  it('reads a query with a trailing semicolon and comment, and names a parameter’s value only as bound', async () => {
    const page = await session.readRows(ref("SELECT name FROM person WHERE name = ?; -- it's Ada\n", ['Ada']), { limit: 5 });
    assert.deepEqual(page.rows, [['Ada']]);
  });
});
