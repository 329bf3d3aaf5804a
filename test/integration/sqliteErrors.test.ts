// SQLite errors that belong to one operation, not to the plugin: each must arrive as a contract code with SQLite's
// own message, and the rest of the file must keep working (a plain Error would mark the plugin failed).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DatasourceSession } from '../../api';
import { engine, makeDatabase, openSqlite, tempDir } from '../support/sqliteFixtures';

type CodedError = Error & { code?: string };

describe(`SQLite errors mapped to contract codes (${engine} engine)`, function () {
  this.timeout(60_000);
  let session: DatasourceSession;

  beforeEach(async () => {
    const file = path.join(tempDir('nocoflo-errors-'), 'errors.sqlite');
    // A view over a table that is dropped afterwards: SQLite allows it and only fails when the view is used.
    await makeDatabase(
      file,
      `CREATE TABLE gone (x INTEGER);
       CREATE VIEW orphan AS SELECT x FROM gone;
       DROP TABLE gone;
       CREATE TABLE big (id INTEGER PRIMARY KEY, k TEXT, n INTEGER);`,
      (run) => {
        // 2^62 twice: each fits in 64 bits, their sum (2^63) does not.
        run('INSERT INTO big VALUES (?, ?, ?)', [1, 'a', 2n ** 62n]);
        run('INSERT INTO big VALUES (?, ?, ?)', [2, 'a', 2n ** 62n]);
      },
    );
    session = await openSqlite(file);
  });
  afterEach(() => session.close());

  const missingTable = (error: CodedError) => {
    assert.equal(error.code, 'not_found');
    assert.match(error.message, /no such table: (main\.)?gone/);
    return true;
  };

  it('lists a view whose table was dropped, and fails its schema, count and rows with not_found naming the table', async () => {
    const names = (await session.listTables()).map((t) => t.ref.name);
    assert.deepEqual(names, ['big', 'orphan']);
    await assert.rejects(session.getSchema({ name: 'orphan' }), missingTable);
    await assert.rejects(session.countRows({ name: 'orphan' }), missingTable);
    await assert.rejects(session.readRows({ name: 'orphan' }, { limit: 10 }), missingTable);
    // The same session still serves the file's other table.
    assert.equal((await session.countRows({ name: 'big' })).count, 2);
    assert.equal((await session.readRows({ name: 'big' }, { limit: 10 })).rows.length, 2);
  });

  it('fails a SUM past 64 bits with invalid_value and SQLite\'s message, and the table still reads', async () => {
    await assert.rejects(
      session.aggregate!({ name: 'big' }, { groupBy: [{ column: 'k' }], measures: [{ op: 'sum', column: 'n', as: 'total' }] }),
      (error: CodedError) => {
        assert.equal(error.code, 'invalid_value');
        assert.match(error.message, /integer overflow/);
        return true;
      },
    );
    const page = await session.readRows({ name: 'big' }, { limit: 10 });
    assert.deepEqual(page.rows.map((r) => r[2]), [2n ** 62n, 2n ** 62n]);
  });
});
