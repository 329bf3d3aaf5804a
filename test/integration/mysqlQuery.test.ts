// Query references and execute on a real MariaDB server (issue 15 §6): a statement's result read like a table
// (exact types, paging over 100k rows, count, aggregate of a join on Chinook), read-only enforced by the server,
// cancel and timeout stopped on the server, error positions, column origins, one statement per call, bound `?`; then
// the shared query conformance suite (test/support/queryConformance.ts) on a server and Chinook of its own.
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceContext, DatasourceSession, Filter, ReadRowsRequest, SortKey, TableRef } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { loadChinookMariadb } from '../support/datasets';
import { describeQueryConformance, failure } from '../support/queryConformance';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

const ROWS = 100_000;
const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };
const q = (text: string, params?: CellValue[]): TableRef => ({ name: 'query', query: { text, ...(params ? { params } : {}) } });


describe('MySQL/MariaDB datasource: query references and execute (real MariaDB server)', function () {
  this.timeout(120_000);
  let server: MariadbServer;
  let session: DatasourceSession;

  const connect = (extra: Record<string, unknown> = {}) =>
    createMysqlDatasource().connect({ host: server.host, port: server.port, user: server.user, database: server.database, ...extra }, { password: server.password }, context);

  /** Threads of the test login running `text` (the processlist as root). */
  const running = async (fragment: string) =>
    (await server.admin<{ ID: number }[]>("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND COMMAND IN ('Query', 'Execute') AND INFO LIKE ?", [server.user, `%${fragment}%`], null)).length;

  /** Polls (bounded) until no thread of the test login runs `fragment`. */
  const count = async (sql: string) => Number((await server.admin<{ n: unknown }[]>(sql))[0].n);

  async function goneFromServer(fragment: string) {
    for (let attempt = 0; attempt < 200; attempt++) {
      if ((await running(fragment)) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.fail(`"${fragment}" still runs on the server after 200 polls`);
  }

  async function startedOnServer(fragment: string) {
    for (let attempt = 0; attempt < 400; attempt++) {
      if ((await running(fragment)) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.fail(`"${fragment}" never appeared in the processlist`);
  }

  async function pageAll(ref: TableRef, request: Omit<ReadRowsRequest, 'limit'> = {}, limit = 7_000): Promise<{ rows: CellValue[][]; pages: number }> {
    const rows: CellValue[][] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await session.readRows(ref, { ...request, limit, ...(after ? { after } : {}) });
      rows.push(...page.rows);
      after = page.next;
      pages++;
    } while (after && pages < 1_000);
    return { rows, pages };
  }

  before(async () => {
    server = await startMariadb();
    await server.admin('CREATE TABLE big (id INT PRIMARY KEY, x INT NOT NULL, label VARCHAR(20)) ENGINE=InnoDB');
    await server.admin(`INSERT INTO big SELECT seq, seq % 1000, CONCAT('n', seq) FROM seq_1_to_${ROWS}`);
    await server.admin(`CREATE TABLE typed (id BIGINT PRIMARY KEY, amount DECIMAL(38,10), huge BIGINT UNSIGNED, day DATE, at DATETIME(6), stamp TIMESTAMP(3) NULL,
      doc JSON, mood ENUM('sad','ok','happy'), tags SET('a','b','c'), bytes BLOB, flag TINYINT(1), ratio DOUBLE, t TIME(2)) ENGINE=InnoDB`);
    await server.admin(`INSERT INTO typed VALUES
      (1, '1234567890123456789012345678.0000000001', 18446744073709551615, '2024-02-29', '2024-01-02 03:04:05.123456', '2024-05-06 07:08:09.120', '{"a": [1, 2]}', 'happy', 'a,c', x'00ff10', 1, 0.1, '-838:59:59.00'),
      (2, NULL, 9007199254740993, '1000-01-01', '9999-12-31 23:59:59.000000', NULL, NULL, NULL, '', x'', 0, -1e300, '00:00:00.50'),
      (3, '-0.5000000000', 0, NULL, NULL, '1970-01-01 00:00:01.000', '"text"', 'sad', 'b', NULL, NULL, NULL, NULL)`);
    await server.admin('CREATE TABLE victim (id INT PRIMARY KEY) ENGINE=InnoDB');
    await server.admin('INSERT INTO victim VALUES (1), (2), (3)');
    await server.admin('CREATE TABLE writes (n INT) ENGINE=InnoDB');
    await server.admin(`CREATE FUNCTION writer() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO writes VALUES (1); RETURN 1; END`);
    await server.admin(`GRANT EXECUTE ON FUNCTION ${server.database}.writer TO ?@?`, [server.user, '%'], null);
    await server.admin('CREATE VIEW big_view AS SELECT id, x * 2 AS doubled, label FROM big');
    await loadChinookMariadb(server, 'Chinook');
    session = await connect();
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('says it takes queries', () => {
    assert.equal(session.capabilities.query, true);
    assert.equal(typeof session.execute, 'function');
  });

  describe('schema and column origins', () => {
    it('gives a join its columns in result order with the base table column of each plain column', async () => {
      const ref = q('SELECT t.TrackId, t.Name AS title, g.Name, t.UnitPrice * 2 AS doubled, g.GenreId AS gid\nFROM Chinook.Track t JOIN Chinook.Genre g ON g.GenreId = t.GenreId');
      const schema = await session.getSchema(ref);
      assert.equal(schema.kind, 'query');
      assert.deepEqual(schema.table, ref);
      assert.deepEqual(schema.primaryKey, []);
      assert.deepEqual(schema.foreignKeys, []);
      assert.equal(schema.rowKey, undefined);
      assert.deepEqual(
        schema.columns.map((c) => [c.name, c.origin ? `${c.origin.table.schema}.${c.origin.table.name}.${c.origin.column}` : null]),
        [
          ['TrackId', 'Chinook.Track.TrackId'],
          ['title', 'Chinook.Track.Name'],
          ['Name', 'Chinook.Genre.Name'],
          ['doubled', null],
          ['gid', 'Chinook.Genre.GenreId'],
        ],
      );
      const [trackId, title, , doubled] = schema.columns;
      assert.equal(trackId.kind, 'integer');
      assert.equal(title.declaredType, 'varchar(200)');
      assert.equal(doubled.kind, 'decimal');
    });

    it('gives SELECT * of a table every column with its origin, and views, derived tables and expressions none', async () => {
      const star = await session.getSchema(q('SELECT * FROM Chinook.Genre'));
      assert.deepEqual(
        star.columns.map((c) => [c.name, c.origin?.column]),
        [
          ['GenreId', 'GenreId'],
          ['Name', 'Name'],
        ],
      );
      const table = await session.getSchema({ schema: 'Chinook', name: 'Genre' });
      assert.deepEqual(
        star.columns.map((c) => [c.kind, c.declaredType]),
        table.columns.map((c) => [c.kind, c.declaredType]),
      );
      // MariaDB reports orgTable = the view, and = the derived table's alias: neither is a stored table.
      const view = await session.getSchema(q('SELECT * FROM big_view'));
      assert.deepEqual(view.columns.map((c) => [c.name, c.origin]), [['id', undefined], ['doubled', undefined], ['label', undefined]]);
      const derived = await session.getSchema(q('SELECT * FROM (SELECT id, x FROM big) d'));
      assert.deepEqual(derived.columns.map((c) => c.origin), [undefined, undefined]);
      // A derived table or CTE named like a stored table: MariaDB reports its name as orgTable all the same.
      for (const text of ['SELECT * FROM (SELECT id, x + 1 AS x FROM big) AS victim', 'WITH victim AS (SELECT id, x + 1 AS x FROM big) SELECT id, x FROM victim']) {
        const shadowed = await session.getSchema(q(text));
        assert.deepEqual(shadowed.columns.map((c) => c.origin), [undefined, undefined], text);
      }
      const expressions = await session.getSchema(q("SELECT COUNT(*) AS n, CONCAT(label, '!') AS loud FROM big GROUP BY label"));
      assert.deepEqual(expressions.columns.map((c) => [c.name, c.kind, c.origin]), [['n', 'integer', undefined], ['loud', 'text', undefined]]);
    });

    it('names repeated columns apart and reads them', async () => {
      const ref = q('SELECT a.id, b.id, a.x FROM big a JOIN big b ON b.id = a.id + 1 WHERE a.id <= 3 ORDER BY a.id');
      const schema = await session.getSchema(ref);
      assert.deepEqual(schema.columns.map((c) => c.name), ['id', 'id (2)', 'x']);
      assert.deepEqual(schema.columns.map((c) => c.origin?.column), ['id', 'id', 'x']);
      const page = await session.readRows(ref, { limit: 10 });
      assert.deepEqual(page.columns, ['id', 'id (2)', 'x']);
      assert.deepEqual(page.rows, [[1, 2, 1], [2, 3, 2], [3, 4, 3]]);
      const sorted = await session.readRows(ref, { limit: 10, sort: [{ column: 'id (2)', direction: 'desc' }], filters: [{ column: 'id (2)', op: 'gte', value: 3 }] });
      assert.deepEqual(sorted.rows, [[3, 4, 3], [2, 3, 2]]);
    });
  });

  it('reads exactly the values a table read gives (decimals, bigint, dates, json, enum/set, blobs)', async () => {
    const table = await session.readRows({ name: 'typed' }, { limit: 10 });
    const query = await session.readRows(q('SELECT * FROM typed ORDER BY id'), { limit: 10 });
    assert.deepEqual(query.columns, table.columns);
    assert.deepEqual(query.rows, table.rows);
    assert.equal(query.rows[0][2], 18446744073709551615n);
    assert.equal(query.rows[0][1], '1234567890123456789012345678.0000000001');
    const [tableSchema, querySchema] = [await session.getSchema({ name: 'typed' }), await session.getSchema(q('SELECT * FROM typed'))];
    assert.deepEqual(
      querySchema.columns.map((c) => [c.name, c.kind, c.declaredType, c.enumValues]),
      tableSchema.columns.map((c) => [c.name, c.kind, c.declaredType, c.enumValues]),
    );
  });

  describe('paging 100,000 rows', () => {
    it("keeps the statement's own ORDER BY without a view sort (MariaDB drops it in a CTE otherwise)", async () => {
      const { rows, pages } = await pageAll(q('SELECT id, x FROM big ORDER BY x DESC, id DESC'));
      assert.ok(pages > 10);
      assert.equal(rows.length, ROWS);
      const expected = Array.from({ length: ROWS }, (_, i) => i + 1).sort((a, b) => b % 1000 - a % 1000 || b - a);
      assert.deepEqual(
        rows.map((r) => r[0]),
        expected,
      );
    });

    it('gives every row once without an ORDER BY', async () => {
      const { rows } = await pageAll(q('SELECT id, label FROM big'));
      assert.equal(rows.length, ROWS);
      assert.equal(new Set(rows.map((r) => r[0])).size, ROWS);
    });

    it('gives every row once, in the view sort, with a filter, over an ordered statement', async () => {
      const filters: Filter[] = [{ column: 'x', op: 'lt', value: 500 }];
      const sort: SortKey[] = [{ column: 'x', direction: 'asc' }];
      const { rows } = await pageAll(q('SELECT id, x, label FROM big ORDER BY id DESC'), { sort, filters }, 6_000);
      assert.equal(rows.length, ROWS / 2);
      assert.equal(new Set(rows.map((r) => r[0])).size, ROWS / 2);
      for (let i = 1; i < rows.length; i++) assert.ok((rows[i - 1][1] as number) <= (rows[i][1] as number), `row ${i} out of order`);
    });

    it('counts, with and without a filter and a cap', async () => {
      assert.deepEqual(await session.countRows(q('SELECT id FROM big ORDER BY id DESC')), { count: ROWS, exact: true });
      assert.deepEqual(await session.countRows(q('SELECT id, x FROM big WHERE id > ?', [90_000]), { filters: [{ column: 'x', op: 'eq', value: 7 }] }), { count: 10, exact: true });
      assert.deepEqual(await session.countRows(q('SELECT id FROM big'), { cap: 1_000 }), { count: 1_000, exact: false, capped: true });
    });
  });

  it('binds the statement\'s own ? first, then the view\'s values', async () => {
    const ref = q('SELECT id, x FROM big WHERE x = ? AND id < ?', [7, 50_000]);
    const page = await session.readRows(ref, { limit: 100, sort: [{ column: 'id', direction: 'desc' }], filters: [{ column: 'id', op: 'gt', value: 40_000 }] });
    const expected = Array.from({ length: ROWS }, (_, i) => i + 1).filter((id) => id % 1000 === 7 && id < 50_000 && id > 40_000).reverse();
    assert.deepEqual(page.rows.map((r) => r[0]), expected);
    assert.deepEqual(page.rows.map((r) => r[1]), expected.map(() => 7));
  });

  it('aggregates a join on the server: revenue by genre on Chinook equals what MariaDB gives', async () => {
    const ref = q(`SELECT g.Name AS genre, il.UnitPrice * il.Quantity AS amount
FROM Chinook.InvoiceLine il
JOIN Chinook.Track t ON t.TrackId = il.TrackId
JOIN Chinook.Genre g ON g.GenreId = t.GenreId`);
    const result = await session.aggregate!(ref, { groupBy: [{ column: 'genre' }], measures: [{ op: 'sum', column: 'amount', as: 'revenue' }], sample: { rows: 100 } });
    const direct = await server.admin<{ genre: string; revenue: string }[]>(
      'SELECT g.Name AS genre, SUM(il.UnitPrice * il.Quantity) AS revenue FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId GROUP BY g.Name',
      [],
      'Chinook',
    );
    assert.equal(result.sample, undefined);
    const got = new Map(result.rows.map((r) => [r[0], String(r[1])]));
    assert.equal(got.size, direct.length);
    for (const row of direct) assert.equal(got.get(row.genre), String(row.revenue), row.genre);
    assert.equal(got.get('Rock'), '826.65');
  });

  describe('read-only', () => {
    it('refuses a query reference whose statement writes (a function that inserts), with the server\'s message', async () => {
      const error = await failure(session.readRows(q('SELECT writer() AS w'), { limit: 10 }));
      assert.equal(error.code, 'read_only');
      assert.match(error.message, /READ ONLY transaction/);
      assert.equal(await count('SELECT COUNT(*) AS n FROM writes'), 0);
    });

    it('refuses a viewer\'s DELETE and CREATE TABLE through execute, and the connections write again afterwards', async () => {
      const del = await failure(session.execute!({ text: 'DELETE FROM victim' }, { readOnly: true }));
      assert.equal(del.code, 'read_only');
      assert.equal(del.message, 'Cannot execute statement in a READ ONLY transaction');
      const ddl = await failure(session.execute!({ text: 'CREATE TABLE made_by_viewer (a INT)' }, { readOnly: true }));
      assert.equal(ddl.code, 'read_only');
      const drop = await failure(session.execute!({ text: 'DROP TABLE victim' }, { readOnly: true }));
      assert.equal(drop.code, 'read_only');
      assert.equal(await count('SELECT COUNT(*) AS n FROM victim'), 3);
      assert.equal(await count("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_NAME = 'made_by_viewer'"), 0);
      const shown = await session.execute!({ text: 'SHOW TABLES' }, { readOnly: true });
      assert.ok(shown.rows!.some((r) => r[0] === 'victim'));
      // Every pooled connection back in read-write mode: more writes than the pool has connections.
      for (let i = 0; i < 6; i++) assert.deepEqual(await session.execute!({ text: 'INSERT INTO writes VALUES (?)', params: [100 + i] }), { rowsAffected: 1 });
      assert.deepEqual(await session.execute!({ text: 'DELETE FROM writes WHERE n >= ?', params: [100] }), { rowsAffected: 6 });
    });
  });

  describe('execute', () => {
    it('reports rows affected, binds ?, returns rows of SHOW, EXPLAIN and DESCRIBE', async () => {
      assert.deepEqual(await session.execute!({ text: 'UPDATE big SET label = ? WHERE id <= ?', params: ['changed', 5] }), { rowsAffected: 5 });
      assert.equal(await count("SELECT COUNT(*) AS n FROM big WHERE label = 'changed'"), 5);
      await session.execute!({ text: "UPDATE big SET label = CONCAT('n', id) WHERE id <= 5" });
      const explain = await session.execute!({ text: 'EXPLAIN SELECT * FROM big WHERE id = ?', params: [1] });
      assert.ok(explain.columns!.includes('select_type'));
      assert.equal(explain.truncated, false);
      const describe = await session.execute!({ text: 'DESCRIBE big' });
      assert.deepEqual(describe.rows!.map((r) => r[0]), ['id', 'x', 'label']);
    });

    it('never lets a statement that changes the session leak into later operations on a pooled connection', async () => {
      // Each execute runs on its own; an open transaction, another default database or a lock would otherwise stay
      // on the connection the pool lends next (six calls: more than the pool's five connections).
      for (const text of ['START TRANSACTION', 'USE Chinook', 'LOCK TABLES writes READ', "SET time_zone = '+05:00'", 'CREATE TEMPORARY TABLE big (id INT)']) {
        await session.execute!({ text });
        for (let i = 0; i < 6; i++) await session.execute!({ text: 'INSERT INTO writes VALUES (?)', params: [200 + i] });
        assert.equal(await count('SELECT COUNT(*) AS n FROM writes WHERE n >= 200'), 6, text);
        assert.equal((await session.countRows({ name: 'big' })).count, ROWS, text);
        await session.execute!({ text: 'DELETE FROM writes WHERE n >= 200' });
      }
    });

    it('returns up to maxRows and stops the rest on the server', async () => {
      const result = await session.execute!({ text: 'SELECT seq FROM seq_1_to_50000000' }, { maxRows: 10 });
      // seq_1_to_N's column is BIGINT UNSIGNED.
      assert.deepEqual(result.rows, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n].map((n) => [n]));
      assert.equal(result.truncated, true);
      await goneFromServer('seq_1_to_50000000');
      assert.deepEqual((await session.execute!({ text: 'SELECT 1 AS one' })).rows, [[1]]);
    });
  });

  describe('one statement per call', () => {
    it('refuses two statements and drops nothing', async () => {
      const two = 'SELECT 1; DROP TABLE victim';
      for (const work of [() => session.readRows(q(two), { limit: 5 }), () => session.getSchema(q(two)), () => session.execute!({ text: two }), () => session.countRows(q(two))]) {
        const error = await failure(work());
        assert.equal(error.code, 'invalid_value');
        assert.match(error.message, /Run one statement at a time/);
      }
      assert.equal(await count('SELECT COUNT(*) AS n FROM victim'), 3);
      // A second statement the text scanner cannot see (in a versioned comment, which the server runs as SQL) is
      // refused by the server: statements are prepared one at a time and multipleStatements is off.
      const hidden = 'SELECT 1 /*!; DROP TABLE victim */';
      for (const work of [() => session.readRows(q(hidden), { limit: 5 }), () => session.execute!({ text: hidden })]) {
        assert.match((await failure(work())).message, /SQL syntax/);
      }
      assert.equal(await count('SELECT COUNT(*) AS n FROM victim'), 3);
      // A trailing semicolon is still one statement.
      assert.deepEqual((await session.execute!({ text: 'SELECT COUNT(*) AS n FROM victim;' })).rows, [[3n]]);
    });
  });

  describe('error positions', () => {
    it('maps a syntax error of a multi-line statement to its line and column in the text as given', async () => {
      const text = '\n  SELECT id,\n    x\n  FROM big\n  WHERE x = = 3';
      for (const work of [() => session.readRows(q(text), { limit: 5 }), () => session.execute!({ text })]) {
        const error = await failure(work());
        assert.match(error.message, /syntax/);
        assert.deepEqual(error.position, { line: 5, column: 13 });
      }
      const cut = await failure(session.readRows(q('SELECT id,\nFROM big'), { limit: 5 }));
      assert.deepEqual(cut.position, { line: 2, column: 1 });
    });

    it('locates an unknown column written once', async () => {
      const error = await failure(session.readRows(q('SELECT id,\n  nope\nFROM big'), { limit: 5 }));
      assert.match(error.message, /Unknown column 'nope'/);
      assert.deepEqual(error.position, { line: 2, column: 3 });
    });
  });

  describe('cancel and timeout', () => {
    it('stops a long query-ref read on the server when cancelled, and the session keeps working', async () => {
      const controller = new AbortController();
      const pending = session.readRows(q('SELECT SLEEP(30) AS slept'), { limit: 5, signal: controller.signal });
      await startedOnServer('SLEEP(30)');
      controller.abort();
      const error = await failure(pending);
      assert.equal(error.code, 'cancelled');
      await goneFromServer('SLEEP(30)');
      assert.equal((await session.readRows(q('SELECT id FROM big WHERE id = ?', [42]), { limit: 5 })).rows[0][0], 42);
    });

    it('stops a big recursive CTE when cancelled, as a query reference and in execute', async () => {
      // MariaDB stops recursing after max_recursive_iterations (1,000 here): the cross join makes it 10^9 rows.
      const text = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000000) SELECT COUNT(*) AS n FROM r a, r b, r c';
      for (const run of [(signal: AbortSignal) => session.countRows(q(text), { signal }), (signal: AbortSignal) => session.execute!({ text }, { signal })]) {
        const controller = new AbortController();
        const pending = run(controller.signal);
        await startedOnServer('WITH RECURSIVE r(n)');
        controller.abort();
        assert.equal((await failure(pending)).code, 'cancelled');
        await goneFromServer('WITH RECURSIVE r(n)');
      }
      assert.equal(await session.execute!({ text: 'DO 1' }).then((r) => r.rowsAffected), 0);
    });

    it('stops a query-ref read over the connection\'s query timeout', async () => {
      const timed = await connect({ queryTimeoutSeconds: 1 });
      try {
        const error = await failure(timed.readRows(q('SELECT SLEEP(20) AS slept'), { limit: 5 }));
        // Whichever stops it first, the client's timer (KILL QUERY) or the server's max_statement_time: 'timeout'.
        assert.equal(error.code, 'timeout');
        await goneFromServer('SLEEP(20)');
        assert.deepEqual((await timed.readRows(q('SELECT 1 AS one'), { limit: 5 })).rows, [[1]]);
      } finally {
        await timed.close();
      }
    });
  });
});

// The shared, engine-agnostic suite (test/support/queryConformance.ts) on a MariaDB server and Chinook of its own.
{
  let server: MariadbServer | undefined;
  describeQueryConformance({
    name: 'MariaDB',
    async open() {
      server = await startMariadb();
      const database = await loadChinookMariadb(server, 'Chinook');
      return createMysqlDatasource().connect({ host: server.host, port: server.port, user: server.user, database }, { password: server.password }, context);
    },
    async dispose() {
      await server?.stop();
    },
    chinook: (name) => name,
    quote: (name) => `\`${name.replace(/`/g, '``')}\``,
    placeholder: () => '?',
    setup: [
      'CREATE TABLE qc_big (id INT PRIMARY KEY, grp INT NOT NULL, label VARCHAR(20) NOT NULL) ENGINE=InnoDB',
      "INSERT INTO qc_big SELECT seq, seq % 7, CONCAT('row ', seq) FROM seq_1_to_100000",
    ],
    longQuery: 'SELECT SLEEP(600) AS slept',
    writeQuery: 'DELETE FROM qc_big WHERE id = 1 RETURNING *',
    readOnlyMessage: /READ ONLY transaction/i,
    origins: 'engine',
  });
}
