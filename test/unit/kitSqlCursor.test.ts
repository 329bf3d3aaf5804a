import * as assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import type { CellValue, DatasourceError, SortKey, TableSchema } from '../../api';
import { decodeCursor, encodeCursor } from '../../plugins/kit/sql/cursor';
import { sqliteDialect } from '../../plugins/kit/sql/dialect';
import { SqlBuilder } from '../../plugins/kit/sql/queryBuilder';
import { column, tableSchema } from '../support/fakePlugins';

// Continuation cursors (plugins/kit/sql/cursor.ts) come back from a view, so they are untrusted: every value type a
// row can order by must survive the round trip exactly, and anything else must be refused with invalid_value and a
// message that says why, never a TypeError.
describe('SQL kit: page cursors (plugins/kit/sql/cursor)', () => {
  const raw = (body: unknown): string => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64url');
  const refused = (cursor: string, why: string, ordering = 'o', length = 1) =>
    assert.throws(
      () => decodeCursor(cursor, ordering, length),
      (e: DatasourceError) => e.code === 'invalid_value' && e.message === `This page cursor cannot be used (${why}); reload the table.`,
    );

  it('carries every cell type through JSON exactly: bigint, bytes, NaN and ±Infinity, booleans, NULL', () => {
    const values: CellValue[] = [12345678901234567890n, -5n, new Uint8Array([0, 255, 254, 10]), Number.NaN, Infinity, -Infinity, true, false, null, 'text', 1.5, 0];
    const back = decodeCursor(encodeCursor('sig', values), 'sig', values.length);
    assert.deepEqual(back, values);
    assert.equal(typeof back[0], 'bigint');
    assert.ok(back[2] instanceof Uint8Array);
    // The tags are what JSON carries: a bigint as its digits, bytes as base64, non-finite numbers by name.
    assert.deepEqual(JSON.parse(Buffer.from(encodeCursor('sig', values.slice(0, 6)), 'base64url').toString('utf8')), {
      o: 'sig',
      v: [{ b: '12345678901234567890' }, { b: '-5' }, { u: 'AP/+Cg==' }, { f: 'NaN' }, { f: 'Infinity' }, { f: '-Infinity' }],
    });
  });

  it('refuses a cursor of another sort, of the wrong length, or not a cursor at all, saying which', () => {
    const good = encodeCursor('o', [1]);
    refused(good, 'it was made for a different sort order', 'other');
    refused(good, 'it has the wrong shape', 'o', 2);
    refused(raw({ o: 'o', v: 1 }), 'it has the wrong shape');
    refused(raw({ o: 'o' }), 'it has the wrong shape', 'o', 0);
    refused('!!!not base64 json', 'it is malformed');
    refused(raw('{"o":'), 'it is malformed');
    // JSON that is not an object: `null` used to throw a TypeError reading `.o`.
    refused(raw('null'), 'it is malformed');
    refused(raw('7'), 'it is malformed');
    assert.deepEqual(decodeCursor(raw({ o: 'o', v: [] }), 'o', 0), []);
  });

  it('refuses tagged values that are not what encodeCursor writes', () => {
    for (const value of [
      { b: '12x' },
      { b: '0x10' }, // BigInt() would read hex
      { b: ' 12' }, // and surrounding blanks
      { b: '12 ' },
      { b: '' }, // and the empty string, as 0
      { b: 12 },
      { u: 5 },
      { f: 'Inf' },
      { f: 1 },
      {},
      [],
    ]) {
      refused(raw({ o: 'o', v: [value] }), 'it holds an unreadable value');
    }
    assert.deepEqual(decodeCursor(raw({ o: 'o', v: [{ b: '0' }, { b: '-0' }] }), 'o', 2), [0n, 0n]);
  });

  describe('keyset pages over values JSON cannot hold as they are, on sql.js', () => {
    let db: Database;
    const schema: TableSchema = tableSchema({
      columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('r', { kind: 'float' }), column('b', { kind: 'blob' })],
    });
    const rows: [number, number | null, Uint8Array | null][] = [
      [1, Infinity, new Uint8Array([2])],
      [2, -Infinity, new Uint8Array([1, 0])],
      [3, 0.5, null],
      [4, Infinity, new Uint8Array([1])],
      [5, null, new Uint8Array([255])],
      [6, -Infinity, new Uint8Array([1, 0])],
    ];
    const sql = new SqlBuilder(sqliteDialect);
    before(async () => {
      const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
      db = new SQL.Database();
      db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, r REAL, b BLOB)');
      for (const row of rows) db.run('INSERT INTO t VALUES (?, ?, ?)', row as never);
    });
    after(() => db.close());

    const pageThrough = (sort: SortKey[]): CellValue[] => {
      const seen: CellValue[] = [];
      let after: string | undefined;
      do {
        const statement = sql.selectPage(schema, { limit: 1, sort, after });
        const page = sql.shapePage(schema, statement, db.exec(statement.sql, statement.params as never)[0]?.values ?? [], 1);
        seen.push(...page.rows.map((r) => r[0]));
        after = page.next;
      } while (after && seen.length < 20);
      return seen;
    };

    it('pages through ±Infinity one row at a time, in ORDER BY order', () => {
      assert.deepEqual(pageThrough([{ column: 'r', direction: 'asc' }]), [5, 2, 6, 3, 1, 4]);
      assert.deepEqual(pageThrough([{ column: 'r', direction: 'desc' }]), [1, 4, 3, 2, 6, 5]);
    });

    it('pages through blobs one row at a time, in ORDER BY order', () => {
      assert.deepEqual(pageThrough([{ column: 'b', direction: 'asc' }]), [3, 4, 2, 6, 1, 5]);
    });
  });
});
