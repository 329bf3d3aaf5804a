// Keyset paging of the MySQL/MariaDB datasource over 20,000 rows on a real MariaDB server: sorts with ties and
// NULLs, ascending and descending, mixed directions, DECIMAL(38,10) values that a double cannot tell apart, and the
// row-value fast path of a composite key. Every row must come exactly once, in the order the server itself gives
// for the same ORDER BY (MariaDB sorts NULLs first ascending and last descending, which is Nocoflo's order).
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceContext, DatasourceSession, Filter, SortKey, TableRef } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

const ROWS = 20_000;
const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };

describe('MySQL/MariaDB datasource: keyset paging over 20,000 rows (real MariaDB server)', function () {
  this.timeout(60_000);
  let server: MariadbServer;
  let session: DatasourceSession;
  const big: TableRef = { name: 'big' };
  const pairs: TableRef = { name: 'pairs' };

  before(async () => {
    server = await startMariadb();
    // grp: 13 values and NULL every 7th row; name: 17 values and NULL every 5th row; amount: three values that
    // differ only in the 38th digit.
    await server.admin('CREATE TABLE big (id INT PRIMARY KEY, grp INT NULL, name VARCHAR(20) NULL, amount DECIMAL(38,10) NOT NULL, KEY (grp)) ENGINE=InnoDB');
    await server.admin(
      `INSERT INTO big SELECT seq, IF(seq % 7 = 0, NULL, seq % 13), IF(seq % 5 = 0, NULL, CONCAT('n', seq % 17)), CONCAT('1234567890123456789012345678.', LPAD(seq % 3, 10, '0')) FROM seq_1_to_${ROWS}`,
    );
    await server.admin('CREATE TABLE pairs (a INT NOT NULL, b INT NOT NULL, v VARCHAR(10), PRIMARY KEY (a, b)) ENGINE=InnoDB');
    await server.admin(`INSERT INTO pairs SELECT seq % 100, seq, CONCAT('v', seq) FROM seq_1_to_${ROWS}`);
    // No database in the table refs: the connection's default database is used.
    session = await plugin().connect({ host: server.host, port: server.port, user: server.user, database: server.database }, { password: server.password }, context);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  const plugin = () => createMysqlDatasource();

  async function pageAll(table: TableRef, sort: SortKey[], limit: number, filters: Filter[] = []): Promise<{ keys: string[]; pages: number }> {
    const keys: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await session.readRows(table, { limit, sort, filters, ...(after ? { after } : {}) });
      pages++;
      assert.ok(page.rows.length <= limit);
      if (page.next) assert.equal(page.rows.length, limit, 'only the last page is short');
      keys.push(...page.keys.map((k) => JSON.stringify(Object.values(k!).map(String))));
      after = page.next;
    } while (after);
    return { keys, pages };
  }

  async function serverOrder(table: string, orderBy: string, key: string[], where = '1=1'): Promise<string[]> {
    const rows = await server.admin<Record<string, CellValue>[]>(`SELECT ${key.join(', ')} FROM ${table} WHERE ${where} ORDER BY ${orderBy}`);
    return rows.map((r) => JSON.stringify(key.map((k) => String(r[k]))));
  }

  const cases: { sort: SortKey[]; orderBy: string }[] = [
    { sort: [], orderBy: 'id' },
    { sort: [{ column: 'grp', direction: 'asc' }], orderBy: 'grp ASC, id' },
    { sort: [{ column: 'grp', direction: 'desc' }], orderBy: 'grp DESC, id' },
    { sort: [{ column: 'grp', direction: 'desc' }, { column: 'name', direction: 'asc' }], orderBy: 'grp DESC, name ASC, id' },
    { sort: [{ column: 'name', direction: 'asc' }, { column: 'grp', direction: 'desc' }], orderBy: 'name ASC, grp DESC, id' },
    { sort: [{ column: 'name', direction: 'desc' }, { column: 'id', direction: 'desc' }], orderBy: 'name DESC, id DESC' },
    { sort: [{ column: 'amount', direction: 'desc' }], orderBy: 'amount DESC, id' },
    { sort: [{ column: 'amount', direction: 'asc' }, { column: 'grp', direction: 'asc' }], orderBy: 'amount ASC, grp ASC, id' },
  ];

  for (const { sort, orderBy } of cases) {
    it(`returns every row exactly once, in server order, sorted by ${sort.map((s) => `${s.column} ${s.direction}`).join(', ') || 'key'}`, async () => {
      const { keys, pages } = await pageAll(big, sort, 997);
      assert.equal(pages, Math.ceil(ROWS / 997));
      assert.equal(new Set(keys).size, ROWS, 'no row twice');
      assert.deepEqual(keys, await serverOrder('big', orderBy, ['id']));
    });
  }

  it('pages a composite key through the row-value fast path and the mixed-direction path alike', async () => {
    const asc = await pageAll(pairs, [{ column: 'a', direction: 'asc' }], 1500);
    assert.equal(new Set(asc.keys).size, ROWS);
    assert.deepEqual(asc.keys, await serverOrder('pairs', 'a ASC, b ASC', ['a', 'b']));
    const desc = await pageAll(pairs, [{ column: 'a', direction: 'desc' }], 1500);
    assert.deepEqual(desc.keys, await serverOrder('pairs', 'a DESC, b ASC', ['a', 'b']));
    const both = await pageAll(pairs, [{ column: 'a', direction: 'desc' }, { column: 'b', direction: 'desc' }], 1500);
    assert.deepEqual(both.keys, await serverOrder('pairs', 'a DESC, b DESC', ['a', 'b']));
  });

  it('pages a filtered sort the same way', async () => {
    const filters: Filter[] = [{ column: 'name', op: 'startswith', value: 'n1' }];
    const { keys } = await pageAll(big, [{ column: 'grp', direction: 'desc' }], 250, filters);
    assert.deepEqual(keys, await serverOrder('big', 'grp DESC, id', ['id'], "name LIKE 'n1%'"));
  });

  it('jumps by offset, and counts with a cap or an estimate', async () => {
    const page = await session.readRows(big, { limit: 3, offset: 19_998, sort: [{ column: 'id', direction: 'asc' }] });
    assert.equal(page.offset, 19_998);
    assert.deepEqual(page.keys, [{ id: 19_999 }, { id: 20_000 }]);
    assert.equal(page.next, undefined);
    assert.deepEqual(await session.countRows(big, { cap: 10_000 }), { count: 10_000, exact: false, capped: true });
    assert.deepEqual(await session.countRows(big), { count: ROWS, exact: true });
    const estimate = await session.countRows(big, { estimate: true });
    assert.equal(estimate.exact, false);
    assert.ok(estimate.count > ROWS / 2 && estimate.count < ROWS * 2, `estimate ${estimate.count}`);
  });
});
