import * as assert from 'node:assert/strict';
import type { CellValue } from '../../api';
import { narrowBigint } from '../../plugins/kit/numbers';
import { decodeCursor, encodeCursor } from '../../plugins/kit/sql/cursor';
import { mysqlDialect, postgresDialect } from '../../plugins/kit/sql/dialect';
import { SqlBuilder } from '../../plugins/kit/sql/queryBuilder';
import { keyWindows } from '../../plugins/kit/sql/sampling';
import { readersFor } from '../../plugins/mysql/typeKinds';
import { typeParsers } from '../../plugins/postgres/typeKinds';
import { decodeChange, decodeRowPage, encodeChange, encodeRowPage } from '../../shared/protocolCodec';
import { column, tableSchema } from '../support/fakePlugins';

// The pure parts of a 64-bit key's way from the driver to the webview and back (bigintKeys integration test runs the
// whole way on real servers): CockroachDB's unique_rowid() and TiDB's AUTO_RANDOM make keys like these by default.
const KEYS = [9007199254740993n, 1084732384701628417n, -9223372036854775808n, 9223372036854775807n];

describe('64-bit keys: never a JavaScript number on the way', () => {
  it('PostgreSQL int8 text parses to the exact bigint', () => {
    const int8 = typeParsers.getTypeParser(20, 'text');
    for (const key of KEYS) assert.equal(int8(key.toString()), key);
  });

  it('MySQL BIGINT (mysql2 with bigNumberStrings hands it over as text) reads as the exact bigint', () => {
    const [read] = readersFor([{ columnType: 8, decimals: 0, flags: 0 }]);
    for (const key of KEYS) assert.equal(read!(key.toString()), key);
  });

  it('a page key crosses the webview protocol as JSON text and comes back as the same bigint', () => {
    for (const key of KEYS) {
      const wire = JSON.stringify(encodeRowPage({ columns: ['id'], rows: [[key]], keys: [{ id: key }] }));
      assert.ok(wire.includes(`"${key}"`), 'the key travels as decimal text, not a JSON number');
      const page = decodeRowPage(JSON.parse(wire));
      assert.equal(page.keys[0]!.id, key);
      assert.equal(page.rows[0]![0], key);
      const change = decodeChange(JSON.parse(JSON.stringify(encodeChange({ kind: 'update', key: { id: key }, changes: { note: 'x' }, expected: { id: key } }))));
      assert.deepEqual(change.kind === 'update' ? change.key : undefined, { id: key });
    }
  });

  it('a keyset cursor keeps the exact key', () => {
    for (const key of KEYS) assert.deepEqual(decodeCursor(encodeCursor('o', [key]), 'o', 1), [key]);
  });

  it('an update by key binds the bigint itself, in both dialects', () => {
    const schema = tableSchema({ table: { name: 't' }, columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('note')], primaryKey: ['id'], rowKey: { columns: ['id'] } });
    for (const dialect of [postgresDialect, mysqlDialect]) {
      const statement = new SqlBuilder(dialect).update(schema, { id: KEYS[1]! }, { note: 'x' }, {});
      assert.ok(statement.params.some((p: CellValue) => p === KEYS[1]), `${dialect.name}: ${JSON.stringify(statement.params.map(String))}`);
    }
  });

  it('only values a double holds exactly become numbers; key windows refuse a span beyond 2^53 (the chart is then exact)', () => {
    assert.equal(narrowBigint(9007199254740991n), 9007199254740991);
    for (const key of KEYS) assert.equal(narrowBigint(key), key);
    assert.equal(keyWindows(Number(KEYS[1]), Number(KEYS[1]) + 1e9, 1_000), undefined);
  });
});
