// The MySQL fallbacks of docs/compatibility.md run for real: a real MariaDB is made to refuse one catalogue query or
// statement form at a time, with the error Vitess sends for it, and the plainer query that replaces it runs on the
// real server.
import * as assert from 'node:assert/strict';
import type { AggregateRequest, CellValue } from '../../api';
import * as mysql from 'mysql2/promise';
import { fromMysqlError } from '../../plugins/mysql/mysqlErrors';
import type { Runner } from '../../plugins/mysql/runner';
import { MysqlTables } from '../../plugins/mysql/tableOperations';
import { readRows, type FieldMeta } from '../../plugins/mysql/typeKinds';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

describe('Engine fallbacks on a real MariaDB refusing one feature at a time', function () {
  this.timeout(120_000);
  let server: MariadbServer;
  let connection: mysql.Connection;
  let refused: RegExp | undefined;
  let refusal = { errno: 1235, sqlState: '42000', message: '' };
  const bind = (values: readonly CellValue[]) => values.map((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? mysql.TypedParameter.LONGLONG(v) : typeof v === 'bigint' ? mysql.TypedParameter.LONGLONG(v) : v));
  const execute = async (sql: string, params: readonly CellValue[]) => {
    if (refused?.test(sql)) throw fromMysqlError(Object.assign(new Error(refusal.message), { ...refusal, sqlMessage: refusal.message }), { where: 'test' });
    try {
      return await connection.execute({ sql, rowsAsArray: true } as never, bind(params) as never);
    } catch (error) {
      throw fromMysqlError(error, { where: 'test' });
    }
  };
  const runner: Runner = {
    query: async (sql, params = []) => {
      const [rows, fields] = (await execute(sql, params)) as unknown as [unknown[][], FieldMeta[]];
      return readRows(rows, fields);
    },
    write: async (sql, params = []) => {
      const [header] = (await execute(sql, params)) as unknown as [mysql.ResultSetHeader];
      return { affectedRows: header.affectedRows, insertId: BigInt(header.insertId ?? 0) };
    },
  };
  const refuse = (pattern: RegExp, errno: number, sqlState: string, message: string) => {
    refused = pattern;
    refusal = { errno, sqlState, message };
  };
  const serverInfo = { mariadb: true, version: '' };
  let orders: { schema: string; name: string };
  let legacy: { schema: string; name: string };

  before(async () => {
    server = await startMariadb();
    await server.admin('CREATE TABLE customers (id BIGINT PRIMARY KEY) ENGINE=InnoDB');
    await server.admin('CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT, status VARCHAR(10), FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB');
    await server.admin('CREATE TABLE legacy (id INT PRIMARY KEY, note TEXT) ENGINE=MyISAM');
    await server.admin('INSERT INTO customers VALUES (1), (2)');
    await server.admin("INSERT INTO orders SELECT seq, 1 + seq % 2, IF(seq % 4 = 0, 'paid', 'open') FROM seq_1_to_20000");
    await server.admin('ANALYZE TABLE orders');
    connection = await mysql.createConnection({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
    orders = { schema: server.database, name: 'orders' };
    legacy = { schema: server.database, name: 'legacy' };
  });
  after(async () => {
    await connection?.end();
    await server?.stop();
  });
  afterEach(() => {
    refused = undefined;
  });

  it('without the information_schema join (Vitess) InnoDB is transactional and MyISAM not, as with it', async () => {
    const full = new MysqlTables(serverInfo, server.database);
    const expected = [(await full.details(runner, orders)).transactional, (await full.details(runner, legacy)).transactional];
    assert.deepEqual(expected, [true, false]);
    refuse(/LEFT JOIN information_schema\.ENGINES/, 1105, 'HY000', 'unsupported: cross-shard left join and where clause');
    const tables = new MysqlTables(serverInfo, server.database);
    const orderDetails = await tables.details(runner, orders);
    assert.deepEqual([orderDetails.transactional, (await tables.details(runner, legacy)).transactional], expected);
    assert.deepEqual(orderDetails.schema, (await full.details(runner, orders, { refresh: true })).schema);
    assert.ok(tables.fallbacks.has('engine catalogue'));
  });

  it('without KEY_COLUMN_USAGE the table opens with its key and no foreign keys', async () => {
    refuse(/KEY_COLUMN_USAGE/, 1235, '42000', 'VT12001: unsupported: KEY_COLUMN_USAGE');
    const { schema } = await new MysqlTables(serverInfo, server.database).details(runner, orders);
    assert.deepEqual(schema.rowKey, { columns: ['id'] });
    assert.deepEqual(schema.foreignKeys, []);
  });

  it('without TABLE_ROWS an estimated count is the capped count', async () => {
    refuse(/SELECT TABLE_ROWS/, 1054, '42S22', "Unknown column 'TABLE_ROWS' in 'field list'");
    assert.deepEqual(await new MysqlTables(serverInfo, server.database).countRows(runner, orders, { estimate: true, cap: 5_000 }), { count: 5_000, exact: false, capped: true });
  });

  it('a key-window join the engine refuses (Vitess VT12001) gives the exact chart', async () => {
    const chart: AggregateRequest = { groupBy: [{ column: 'status' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 2_000 } };
    assert.ok((await new MysqlTables(serverInfo, server.database).aggregate(runner, orders, chart)).sample, 'sampled when the engine allows it');
    refuse(/STRAIGHT_JOIN/, 1235, '42000', 'VT12001: unsupported: JOIN between derived tables');
    const result = await new MysqlTables(serverInfo, server.database).aggregate(runner, orders, chart);
    assert.equal(result.sample, undefined);
    assert.deepEqual(result.rows, [['open', 15_000], ['paid', 5_000]]);
  });
});
