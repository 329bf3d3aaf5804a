import * as assert from 'node:assert/strict';
import type { AggregateRequest, CellValue } from '../../api';
import { fromMysqlError } from '../../plugins/mysql/mysqlErrors';
import type { Runner } from '../../plugins/mysql/runner';
import { MysqlTables } from '../../plugins/mysql/tableOperations';

// MySQL-protocol engines we cannot run here (TiDB, Vitess), simulated by a fake catalogue that fails the statements
// those engines fail, with the error number, SQLSTATE and message they send, mapped the way the session maps them
// (fromMysqlError). docs/compatibility.md lists the engines' behaviour and its sources.

/** An error as mysql2 gives it for a server error packet, mapped as the session maps it. */
const engineError = (errno: number, sqlState: string, message: string) =>
  fromMysqlError(Object.assign(new Error(message), { errno, sqlState, sqlMessage: message, code: 'ER_' + errno }), { where: 'vtgate:15306' });

const VITESS_CROSS_SHARD_JOIN = () => engineError(1105, 'HY000', 'unsupported: cross-shard left join and where clause');
const VITESS_VT12001 = () => engineError(1235, '42000', 'VT12001: unsupported: JOIN between derived tables');
const TIDB_OTHER_ERROR = () => engineError(1105, 'HY000', 'other error: region unavailable');

type Rule = [RegExp, (sql: string, params: CellValue[]) => CellValue[][]];

function fakeEngine(rules: Rule[]) {
  const seen: string[] = [];
  const runner: Runner = {
    query: async (sql, params = []) => {
      seen.push(sql);
      const rule = rules.find(([pattern]) => pattern.test(sql));
      if (!rule) throw new Error(`the fake engine has no answer for: ${sql.slice(0, 120)}`);
      return rule[1](sql, params);
    },
    write: async () => ({ affectedRows: 1, insertId: 0n }),
  };
  return { runner, seen, count: (pattern: RegExp) => seen.filter((s) => pattern.test(s)).length };
}
const fail = (error: () => unknown) => () => {
  throw error();
};

/** app.orders (id BIGINT primary key, status VARCHAR(10)) on an InnoDB-like engine. */
const ordersCatalogue = (overrides: Rule[] = []): Rule[] => [
  ...overrides,
  [/LEFT JOIN information_schema\.ENGINES/, () => [['BASE TABLE', 'InnoDB', '', 'YES']]],
  [/FROM information_schema\.TABLES WHERE TABLE_SCHEMA = \? AND TABLE_NAME = \?/, () => [['BASE TABLE', 'InnoDB', '']]],
  [
    /FROM information_schema\.COLUMNS/,
    () => [
      ['id', 'bigint', 'bigint(20)', 'NO', null, '', '', null, 19n, 0n, ''],
      ['status', 'varchar', 'varchar(10)', 'YES', null, '', '', 10n, null, null, ''],
    ],
  ],
  [/FROM information_schema\.STATISTICS/, () => [['PRIMARY', 1n, 'id']]],
  [/FROM information_schema\.KEY_COLUMN_USAGE/, () => []],
];
const orders = { schema: 'app', name: 'orders' };
const server = { mariadb: false, version: '8.0.31-Vitess' };

describe('Engines we cannot run here: MySQL-protocol fallbacks', () => {
  it('Vitess: a join of information_schema tables it refuses gives way to the table alone; InnoDB counts as transactional', async () => {
    const engineFake = fakeEngine(ordersCatalogue([[/LEFT JOIN information_schema\.ENGINES/, fail(VITESS_CROSS_SHARD_JOIN)]]));
    const tables = new MysqlTables(server, 'app');
    const details = await tables.details(engineFake.runner, orders);
    assert.equal(details.transactional, true);
    assert.deepEqual(details.schema.rowKey, { columns: ['id'] });
    assert.ok(tables.fallbacks.has('engine catalogue'));
  });

  it('the same fallback knows MyISAM cannot roll back', async () => {
    const engineFake = fakeEngine(
      ordersCatalogue([
        [/LEFT JOIN information_schema\.ENGINES/, fail(VITESS_VT12001)],
        [/FROM information_schema\.TABLES WHERE TABLE_SCHEMA = \? AND TABLE_NAME = \?/, () => [['BASE TABLE', 'MyISAM', '']]],
      ]),
    );
    assert.equal((await new MysqlTables(server, 'app').details(engineFake.runner, orders)).transactional, false);
  });

  it('foreign keys the engine will not list are left out, not the table', async () => {
    const engineFake = fakeEngine(ordersCatalogue([[/KEY_COLUMN_USAGE/, fail(VITESS_VT12001)]]));
    assert.deepEqual((await new MysqlTables(server, 'app').details(engineFake.runner, orders)).schema.foreignKeys, []);
  });

  it('TiDB: a 1105 that is not "unsupported" is a real failure and fails the table', async () => {
    const engineFake = fakeEngine(ordersCatalogue([[/LEFT JOIN information_schema\.ENGINES/, fail(TIDB_OTHER_ERROR)]]));
    await assert.rejects(new MysqlTables(server, 'app').details(engineFake.runner, orders), /region unavailable/);
  });

  it('without statistics (TABLE_ROWS unreadable) an estimate becomes the capped count', async () => {
    const engineFake = fakeEngine(
      ordersCatalogue([
        [/SELECT TABLE_ROWS/, fail(() => engineError(1054, '42S22', "Unknown column 'TABLE_ROWS' in 'field list'"))],
        [/count\(\*\)/i, () => [[5_001n]]],
      ]),
    );
    const tables = new MysqlTables(server, 'app');
    assert.deepEqual(await tables.countRows(engineFake.runner, orders, { estimate: true, cap: 5_000 }), { count: 5_000, exact: false, capped: true });
    assert.ok(tables.fallbacks.has('table statistics'));
  });

  describe('a sampled chart', () => {
    const chart: AggregateRequest = { groupBy: [{ column: 'status' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 1_000 } };
    const sampling = (windows: Rule[1]): Rule[] =>
      ordersCatalogue([
        [/SELECT \(SELECT MIN/, () => [[1n, 1_000_000n]]],
        [/STRAIGHT_JOIN/, windows],
        [/GROUP BY/, () => [['paid', 7n]]],
      ]);

    it('Vitess: a window join it refuses (VT12001) gives the exact answer, and later charts skip the attempt', async () => {
      const engineFake = fakeEngine(sampling(fail(VITESS_VT12001)));
      const tables = new MysqlTables(server, 'app');
      for (let i = 0; i < 2; i++) {
        const result = await tables.aggregate(engineFake.runner, orders, chart);
        assert.equal(result.sample, undefined);
        assert.deepEqual(result.rows, [['paid', 7]]);
      }
      assert.equal(engineFake.count(/STRAIGHT_JOIN/), 1);
    });

    it('older Vitess (1105 "unsupported: …") is recognised the same way', async () => {
      const engineFake = fakeEngine(sampling(fail(() => engineError(1105, 'HY000', "unsupported: cross-shard join with derived table"))));
      assert.equal((await new MysqlTables(server, 'app').aggregate(engineFake.runner, orders, chart)).sample, undefined);
    });

    it('a table dropped meanwhile (1146) is not a missing feature: the error reaches the session, which reads the schema again', async () => {
      const engineFake = fakeEngine(sampling(fail(() => engineError(1146, '42S02', "Table 'app.orders' doesn't exist"))));
      const tables = new MysqlTables(server, 'app');
      await assert.rejects(tables.aggregate(engineFake.runner, orders, chart), (e: Error & { code?: string }) => e.code === 'not_found');
      assert.equal(tables.fallbacks.taken.size, 0);
    });
  });
});
