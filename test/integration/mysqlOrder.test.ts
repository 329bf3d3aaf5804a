// Orders MySQL/MariaDB gets wrong by default, on a real MariaDB. ENUM columns in their declared order: sorted both
// ways in small pages (keyset on a table, OFFSET on a view without a key), compared row by row with the server's own
// ORDER BY, and range filters that agree with that order. Tables without a key whose rows differ only in case,
// accents or trailing spaces: the collation calls them equal, and only a tiebreaker that tells them apart pages each
// once.
import * as assert from 'node:assert/strict';
import type { DatasourceError, DatasourceSession, Filter, TableRef } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { readAllPages } from '../support/pagingOracle';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';
import { context } from '../support/sqliteFixtures';

const RATINGS = ['G', 'PG', 'PG-13', 'R', 'NC-17'];

describe('MySQL datasource: ENUM order and collation ties (MariaDB)', function () {
  this.timeout(120_000);
  let server: MariadbServer;
  let session: DatasourceSession;
  let film: TableRef;
  let view: TableRef;
  // Ratings in a scrambled order, with NULLs, so ties and every label occur.
  const rows = Array.from({ length: 61 }, (_, i) => ({ id: i + 1, rating: i % 9 === 4 ? null : RATINGS[(i * 7) % RATINGS.length]! }));

  before(async () => {
    server = await startMariadb();
    await server.admin("CREATE TABLE film (id INT PRIMARY KEY, rating ENUM('G','PG','PG-13','R','NC-17') NULL) DEFAULT CHARSET=utf8mb4");
    await server.admin('CREATE VIEW film_view AS SELECT rating, id FROM film');
    await server.admin(`INSERT INTO film VALUES ${rows.map(() => '(?, ?)').join(', ')}`, rows.flatMap((r) => [r.id, r.rating]));
    session = await createMysqlDatasource().connect({ host: server.host, port: server.port, database: server.database, user: server.user }, { password: server.password }, context);
    film = { schema: server.database, name: 'film' };
    view = { schema: server.database, name: 'film_view' };
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  const serverOrder = async (direction: 'ASC' | 'DESC') => (await server.admin<{ id: number }[]>(`SELECT id FROM film ORDER BY rating ${direction}, id`)).map((r) => Number(r.id));

  for (const direction of ['asc', 'desc'] as const) {
    it(`pages a table sorted by rating ${direction} 4 rows at a time in the server's own ORDER BY rating ${direction.toUpperCase()}, id`, async () => {
      const all = await readAllPages(session, film, { sort: [{ column: 'rating', direction }] }, 4);
      assert.deepEqual(all.map((r) => Number(r[0])), await serverOrder(direction === 'asc' ? 'ASC' : 'DESC'));
      if (direction === 'desc') assert.equal(all[0]![1], 'NC-17');
    });

    it(`pages a view without a key sorted by rating ${direction} in the server's order`, async () => {
      const all = await readAllPages(session, view, { sort: [{ column: 'rating', direction }] }, 4);
      const expected = await serverOrder(direction === 'asc' ? 'ASC' : 'DESC');
      // Ties on rating are ordered by the other columns (id here), so the order is the server's exactly.
      assert.deepEqual(all.map((r) => Number(r[1])), expected);
    });
  }

  // TEXT values also share their first 1,100 bytes: the server sorts by the first max_sort_length (1,024) only.
  for (const [type, prefix] of [['VARCHAR(10)', ''], ['TEXT', 'x'.repeat(1_100)]] as const) {
    it(`pages a keyless ${type} column whose values the server's sort calls equal, 7 rows at a time: every row once`, async () => {
      const notes = ['e', 'E', 'é', 'É', 'e ', 'É '].map((n) => prefix + n);
      const values = Array.from({ length: 40 }, (_, i) => notes[(i * 5) % notes.length]!);
      const name = `notes_${type.slice(0, 4).toLowerCase()}`;
      await server.admin(`CREATE TABLE ${name} (note ${type}) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
      await server.admin(`INSERT INTO ${name} VALUES ${values.map(() => '(?)').join(', ')}`, values);
      for (const sort of [[], [{ column: 'note', direction: 'asc' as const }], [{ column: 'note', direction: 'desc' as const }]]) {
        const all = await readAllPages(session, { schema: server.database, name }, { sort }, 7);
        assert.deepEqual(all.map((r) => r[0]).sort(), [...values].sort(), `sorted by ${JSON.stringify(sort)}`);
      }
    });
  }

  it('compares ranges in the declared order: gt PG is PG-13, R and NC-17', async () => {
    const ids = async (filter: Filter) => (await readAllPages(session, film, { filters: [filter], sort: [{ column: 'id', direction: 'asc' }] }, 10)).map((r) => Number(r[0]));
    const at = (label: string) => RATINGS.indexOf(label);
    const where = (keep: (position: number) => boolean) => rows.filter((r) => r.rating !== null && keep(at(r.rating))).map((r) => r.id);
    assert.deepEqual(await ids({ column: 'rating', op: 'gt', value: 'PG' }), where((p) => p > at('PG')));
    assert.deepEqual(await ids({ column: 'rating', op: 'gte', value: 'PG-13' }), where((p) => p >= at('PG-13')));
    assert.deepEqual(await ids({ column: 'rating', op: 'lt', value: 'NC-17' }), where((p) => p < at('NC-17')));
    assert.deepEqual(await ids({ column: 'rating', op: 'lte', value: 'G' }), where((p) => p <= at('G')));
    assert.deepEqual(await ids({ column: 'rating', op: 'eq', value: 'PG-13' }), where((p) => p === at('PG-13')));
    await assert.rejects(ids({ column: 'rating', op: 'gt', value: 'X' }), (e: DatasourceError) => e.code === 'invalid_value' && /not one of the values of rating/.test(e.message));
  });
});
