// Query references and execute on a real PostgreSQL 15 (and through PgBouncer in transaction mode): a statement's
// result read like a table (types, paging, count, aggregate, origins), read-only enforced by the server, one
// statement per call, error positions in the user's text, cancel and timeout on the server.
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceConfig, DatasourceError, DatasourceSession, TableRef } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { loadChinookPostgres } from '../support/datasets';
import { startPgBouncer, type PgBouncer } from '../support/servers/pgbouncer';
import { startPostgres, type PostgresServer } from '../support/servers/postgresServer';
import { context } from '../support/sqliteFixtures';
import { describeQueryConformance } from '../support/queryConformance';

const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const isCode = (code: string, message?: RegExp) => (e: DatasourceError) => {
  assert.equal(e.code, code, `expected a ${code} error, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.message, message);
  return true;
};
const ref = (text: string, params?: CellValue[]): TableRef => ({ name: 'query', query: { text, ...(params ? { params } : {}) } });

/** Every row of a query reference, page by page through `next`. */
async function allPages(session: DatasourceSession, table: TableRef, request: { sort?: { column: string; direction: 'asc' | 'desc' }[]; filters?: { column: string; op: 'lt' | 'gt'; value: CellValue }[] } = {}, limit = 10_000) {
  const rows: CellValue[][] = [];
  let after: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await session.readRows(table, { limit, ...request, ...(after ? { after } : {}) });
    rows.push(...page.rows);
    if (!page.next) return rows;
    after = page.next;
  }
  throw new Error('more than 1000 pages');
}

describe('PostgreSQL query references and execute', function () {
  this.timeout(300_000);
  let server: PostgresServer;
  let bouncer: PgBouncer;
  const sessions: DatasourceSession[] = [];
  const connect = async (database: string, extra: DatasourceConfig = {}, through: 'direct' | 'pooler' = 'direct') => {
    const at = through === 'direct' ? server : bouncer;
    const session = await createPostgresDatasource().connect({ host: at.host, port: at.port, database, user: server.user, ...extra }, { password: server.password }, context);
    sessions.push(session);
    return session;
  };
  const sql = async (text: string, database = server.database) => (await server.admin(`SET ROLE ${pgIdent(server.user)}; ${text}`, [], database)) as unknown as { rows: Record<string, unknown>[] }[];
  const one = async (text: string, database = server.database) => {
    const result = await server.admin(text, [], database);
    return result.rows[0] as Record<string, unknown>;
  };

  before(async () => {
    server = await startPostgres();
    bouncer = await startPgBouncer(server);
    await sql(`
      CREATE TABLE typed (id int8 PRIMARY KEY, amount numeric(20,6), big int8, at timestamptz, doc json, docb jsonb, tags text[], bytes bytea, day date, f float8);
      INSERT INTO typed VALUES
        (1, 12345678901234.123456, 9007199254740993, '2024-03-01 10:00:00.123456+01', '{"a": [1, 2.50]}', '{"b": null}', '{x,"y z",NULL}', '\\x00ff10', '2024-02-29', 0.1),
        (2, -0.000001, -9223372036854775808, '1999-12-31 23:59:59+00', '[]', '{}', '{}', '\\x', '0001-01-01', 'NaN'),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
      CREATE TABLE events (id int PRIMARY KEY, grp int NOT NULL, note text);
      INSERT INTO events SELECT i, i % 97, 'event ' || i FROM generate_series(1, 100000) i;
      ANALYZE events;
      CREATE TABLE victim (id int PRIMARY KEY);
      INSERT INTO victim VALUES (1), (2), (3);
      CREATE TABLE parent (id int PRIMARY KEY, name text);
      CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent, label text);
      INSERT INTO parent VALUES (1, 'one'), (2, 'two');
      INSERT INTO child VALUES (10, 1, 'a'), (11, 2, 'b');
      CREATE VIEW child_names AS SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent_id;
    `);
    await loadChinookPostgres(server, 'chinook');
  });
  after(async () => {
    for (const session of sessions.splice(0)) await session.close();
    await bouncer?.stop();
    await server?.stop();
  });

  for (const through of ['direct', 'pooler'] as const) {
    describe(through === 'direct' ? 'on the server' : 'through PgBouncer (transaction pooling)', () => {
      let session: DatasourceSession;
      before(async () => {
        session = await connect(server.database, { applicationName: `nocoflo-q-${through}` }, through);
      });

      it('says it takes queries', () => {
        assert.equal(session.capabilities.query, true);
        assert.equal(typeof session.execute, 'function');
      });

      it('reads a query reference with exactly the values of the table', async () => {
        const table = await session.readRows({ name: 'typed' }, { limit: 10 });
        const query = await session.readRows(ref('SELECT * FROM typed ORDER BY id'), { limit: 10 });
        assert.deepEqual(query.columns, table.columns);
        assert.deepEqual(query.rows, table.rows);
        assert.equal(typeof query.rows[0][2], 'bigint');
        assert.equal(query.rows[0][1], '12345678901234.123456');
        assert.deepEqual(query.rows[0][7], new Uint8Array([0, 255, 16]));
        const schema = await session.getSchema(ref('SELECT * FROM typed'));
        const tableSchema = await session.getSchema({ name: 'typed' });
        assert.equal(schema.kind, 'query');
        assert.deepEqual(schema.primaryKey, []);
        assert.equal(schema.rowKey, undefined);
        assert.deepEqual(schema.columns.map((c) => [c.name, c.kind, c.declaredType]), tableSchema.columns.map((c) => [c.name, c.kind, c.declaredType]));
      });

      it('pages 100,000 rows without repeating or losing one: own ORDER BY, engine order, a view sort, a filter', async () => {
        const ids = (rows: CellValue[][]) => rows.map((r) => Number(r[0]));
        const expectAll = (got: number[], expected: number[], what: string) => {
          assert.equal(new Set(got).size, got.length, `${what}: no row twice`);
          assert.deepEqual([...got].sort((a, b) => a - b), expected, `${what}: every row once`);
        };
        const every = Array.from({ length: 100_000 }, (_, i) => i + 1);
        const own = ids(await allPages(session, ref('SELECT id, grp FROM events ORDER BY grp DESC, id')));
        expectAll(own, every, 'own ORDER BY');
        const direct = (await server.admin<{ id: number }>('SELECT id FROM events ORDER BY grp DESC, id', [], server.database)).rows.map((r) => r.id);
        assert.deepEqual(own, direct, 'in the statement\'s order');
        expectAll(ids(await allPages(session, ref('SELECT * FROM events'))), every, 'engine order');
        expectAll(ids(await allPages(session, ref('SELECT e.id, e.note, g.n FROM events e JOIN (SELECT grp, count(*) AS n FROM events GROUP BY grp) g USING (grp)'))), every, 'engine order of a join');
        const sorted = ids(await allPages(session, ref('SELECT id, note FROM events'), { sort: [{ column: 'note', direction: 'desc' }] }));
        expectAll(sorted, every, 'view sort');
        const notes = sorted.map((id) => `event ${id}`);
        assert.deepEqual(notes, [...notes].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)), 'sorted by note, descending');
        const filtered = ids(await allPages(session, ref('SELECT id FROM events WHERE grp = $1', [5]), { filters: [{ column: 'id', op: 'gt', value: 50_000 }] }, 100));
        expectAll(filtered, every.filter((i) => i % 97 === 5 && i > 50_000), 'statement parameter and view filter');
      });

      it('counts and aggregates a query on the server', async () => {
        assert.deepEqual(await session.countRows(ref('SELECT * FROM events WHERE grp < $1', [10])), { count: Number((await one('SELECT count(*) AS n FROM events WHERE grp < 10', server.database)).n), exact: true });
        assert.deepEqual(await session.countRows(ref('SELECT * FROM events'), { cap: 1000 }), { count: 1000, exact: false, capped: true });
        const result = await session.aggregate!(ref('SELECT grp, id FROM events WHERE id <= $1', [1000]), { groupBy: [{ column: 'grp' }], measures: [{ op: 'count', as: 'n' }, { op: 'sum', column: 'id', as: 'total' }] });
        assert.equal(result.rows.length, 97);
        // ids 97, 194, … 970: count and sum(int4) are int8, narrowed to numbers where they fit.
        assert.deepEqual(result.rows[0], [0, 10, 5335]);
      });

      it('reports origins: joins, aliases, expressions, views and SELECT *', async () => {
        const schema = await session.getSchema(ref('SELECT c.id AS child_id, p.name AS parent, c.label || \'!\' AS shout, cn.name FROM child c JOIN parent p ON p.id = c.parent_id JOIN child_names cn ON cn.id = c.id'));
        assert.deepEqual(
          schema.columns.map((c) => [c.name, c.origin]),
          [
            ['child_id', { table: { schema: 'public', name: 'child' }, column: 'id' }],
            ['parent', { table: { schema: 'public', name: 'parent' }, column: 'name' }],
            ['shout', undefined],
            ['name', { table: { schema: 'public', name: 'child_names' }, column: 'name' }],
          ],
        );
        const star = await session.getSchema(ref('SELECT * FROM child'));
        assert.deepEqual(star.columns.map((c) => c.origin?.column), ['id', 'parent_id', 'label']);
        assert.ok(star.columns.every((c) => c.origin?.table.name === 'child'));
      });

      it('gives repeated column names unique names and reads them', async () => {
        const table = ref('SELECT c.id, p.id, c.label FROM child c JOIN parent p ON p.id = c.parent_id ORDER BY c.id');
        const schema = await session.getSchema(table);
        assert.deepEqual(schema.columns.map((c) => c.name), ['id', 'id (2)', 'label']);
        const page = await session.readRows(table, { limit: 10, sort: [{ column: 'id (2)', direction: 'desc' }] });
        assert.deepEqual(page.rows, [[11, 2, 'b'], [10, 1, 'a']]);
        assert.equal((await session.countRows(table)).count, 2);
      });

      it('refuses a write through a query reference, in the server\'s words, and changes nothing', async () => {
        await assert.rejects(session.readRows(ref('DELETE FROM victim RETURNING *'), { limit: 10 }), isCode('read_only', /read-only transaction/));
        await assert.rejects(session.readRows(ref('SELECT id, nextval(\'events_id_seq\') FROM victim'), { limit: 10 }), (e: DatasourceError) => e.code === 'read_only' || e.code === 'not_found');
        assert.equal(Number((await one('SELECT count(*) AS n FROM victim', server.database)).n), 3);
      });

      it('runs one statement at a time: two are refused whole and nothing runs', async () => {
        await assert.rejects(session.execute!({ text: 'SELECT 1; DROP TABLE victim' }), isCode('invalid_value', /one statement at a time/i));
        await assert.rejects(session.readRows(ref('SELECT 1; DROP TABLE victim'), { limit: 1 }), isCode('invalid_value', /one statement at a time/i));
        await assert.rejects(session.getSchema(ref('SELECT 1; DROP TABLE victim')), isCode('invalid_value', /one statement at a time/i));
        // The scanner is not what stops it: the server refuses a text with two statements as a whole.
        await assert.rejects(session.execute!({ text: 'DROP TABLE victim; SELECT 1' }), isCode('invalid_value', /one statement at a time/i));
        assert.equal(Number((await one('SELECT count(*) AS n FROM victim', server.database)).n), 3);
      });

      it('executes with readOnly: a DELETE and a CREATE are refused with the server\'s message', async () => {
        await assert.rejects(session.execute!({ text: 'DELETE FROM victim' }, { readOnly: true }), isCode('read_only', /cannot execute DELETE in a read-only transaction/));
        await assert.rejects(session.execute!({ text: 'CREATE TABLE sneaky (id int)' }, { readOnly: true }), isCode('read_only', /cannot execute CREATE TABLE in a read-only transaction/));
        assert.equal(Number((await one('SELECT count(*) AS n FROM victim', server.database)).n), 3);
        assert.equal((await one("SELECT to_regclass('sneaky') AS t", server.database)).t, null);
        const shown = await session.execute!({ text: 'SHOW transaction_read_only' }, { readOnly: true });
        assert.deepEqual(shown.rows, [['on']]);
      });

      it('executes a write once, with rowsAffected, RETURNING rows up to maxRows, and bound parameters', async () => {
        const table = `scratch_${through}`;
        const created = await session.execute!({ text: `CREATE TABLE ${table} (id int PRIMARY KEY, v text)` });
        assert.equal(created.rowsAffected, undefined);
        const inserted = await session.execute!({ text: `INSERT INTO ${table} SELECT i, $1 || i FROM generate_series(1, 50) i RETURNING id`, params: ['v'] }, { maxRows: 5 });
        assert.equal(inserted.rowsAffected, 50);
        assert.deepEqual(inserted.rows, [[1], [2], [3], [4], [5]]);
        assert.equal(inserted.truncated, true);
        const updated = await session.execute!({ text: `UPDATE ${table} SET v = 'x' WHERE id > $1`, params: [40] });
        assert.deepEqual(updated, { rowsAffected: 10 });
        assert.equal(Number((await one(`SELECT count(*) AS n FROM ${table} WHERE v = 'x'`, server.database)).n), 10);
      });

      it('stops a huge SELECT run through execute on the server after maxRows', async () => {
        const result = await session.execute!({ text: 'SELECT a.id FROM events a CROSS JOIN events b' }, { maxRows: 3 });
        assert.equal(result.rows?.length, 3);
        assert.equal(result.truncated, true);
        assert.equal(result.rowsAffected, undefined);
      });

      it('points errors into the user\'s text: a syntax error and an unknown column, on their lines', async () => {
        const text = '  SELECT id,\n       grp\n  FROM events\n WHERE nosuch = 1';
        for (const attempt of [() => session.readRows(ref(text), { limit: 1 }), () => session.execute!({ text })]) {
          await assert.rejects(attempt(), (e: DatasourceError) => {
            assert.equal(e.code, 'not_found');
            assert.match(e.message, /column "nosuch" does not exist/);
            assert.deepEqual(e.position, { line: 4, column: 8 });
            return true;
          });
        }
        const syntax = 'SELECT id,\n  grp\nFROM events\nWHERE id = = 1';
        for (const attempt of [() => session.getSchema(ref(syntax)), () => session.execute!({ text: syntax })]) {
          await assert.rejects(attempt(), (e: DatasourceError) => {
            assert.equal(e.code, 'invalid_value');
            assert.match(e.message, /syntax error at or near "="/);
            assert.deepEqual(e.position, { line: 4, column: 12 });
            return true;
          });
        }
      });

      it('cancels a slow query-reference read on the server and keeps working', async () => {
        const app = `nocoflo-q-${through}`;
        const active = async () => Number((await one(`SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(30)%' AND application_name = '${app}'`)).n);
        const controller = new AbortController();
        const reading = session.readRows(ref('SELECT pg_sleep(30) AS slept'), { limit: 10, signal: controller.signal });
        for (let i = 0; i < 1000 && (await active()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
        assert.equal(await active(), 1, 'the slow query runs on the server');
        controller.abort();
        await assert.rejects(reading, isCode('cancelled'));
        assert.equal(await active(), 0, 'the query is gone from the server');
        assert.equal((await session.countRows(ref('SELECT * FROM victim'))).count, 3);
      });

      it('stops a query at the statement timeout with a timeout error', async () => {
        const impatient = await connect(server.database, { statementTimeoutSeconds: 1 }, through);
        await assert.rejects(impatient.readRows(ref('SELECT pg_sleep(30)'), { limit: 1 }), isCode('timeout', /statement timeout/));
        await assert.rejects(impatient.execute!({ text: 'SELECT pg_sleep(30)' }), isCode('timeout', /statement timeout/));
        assert.equal((await impatient.countRows(ref('SELECT * FROM victim'))).count, 3);
      });
    });
  }

  describe('Chinook', () => {
    it('charts revenue by genre, a three-table join, with the number PostgreSQL gives', async () => {
      const session = await connect('chinook');
      const join = 'SELECT g.name AS genre, il.unit_price * il.quantity AS revenue\nFROM invoice_line il\nJOIN track t ON t.track_id = il.track_id\nJOIN genre g ON g.genre_id = t.genre_id';
      const result = await session.aggregate!(ref(join), { groupBy: [{ column: 'genre' }], measures: [{ op: 'sum', column: 'revenue', as: 'revenue' }] });
      const direct = (await server.admin('SELECT g.name AS genre, sum(il.unit_price * il.quantity)::text AS revenue FROM invoice_line il JOIN track t ON t.track_id = il.track_id JOIN genre g ON g.genre_id = t.genre_id GROUP BY 1 ORDER BY 1', [], 'chinook')).rows as { genre: string; revenue: string }[];
      assert.deepEqual(result.rows, direct.map((r) => [r.genre, r.revenue]));
      assert.equal(result.rows.find((r) => r[0] === 'Rock')?.[1], '826.65');
      const first = await session.readRows(ref('SELECT * FROM customer WHERE country = $1 ORDER BY customer_id', ['Brazil']), { limit: 100 });
      const own = await session.readRows({ name: 'customer' }, { limit: 100, filters: [{ column: 'country', op: 'eq', value: 'Brazil' }] });
      assert.equal(first.rows.length, 5);
      assert.deepEqual(first.rows, own.rows);
    });
  });
});

// The shared, engine-agnostic suite (test/support/queryConformance.ts) on a writable Chinook of its own.
const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
for (const through of ['direct', 'pooler'] as const) {
  let server: PostgresServer | undefined;
  let bouncer: PgBouncer | undefined;
  describeQueryConformance({
    name: through === 'direct' ? 'PostgreSQL' : 'PostgreSQL through PgBouncer',
    async open() {
      server = await startPostgres();
      await loadChinookPostgres(server, 'chinook');
      const at = through === 'direct' ? server : (bouncer = await startPgBouncer(server));
      return createPostgresDatasource().connect({ host: at.host, port: at.port, database: 'chinook', user: server.user }, { password: server.password }, context);
    },
    async dispose() {
      await bouncer?.stop();
      await server?.stop();
    },
    chinook: snake,
    quote: pgIdent,
    placeholder: (n) => `$${n}`,
    setup: [
      'CREATE TABLE qc_big (id integer PRIMARY KEY, grp integer NOT NULL, label text NOT NULL)',
      "INSERT INTO qc_big SELECT i, i % 7, 'row ' || i FROM generate_series(1, 100000) i",
      'ANALYZE qc_big',
    ],
    longQuery: 'SELECT pg_sleep(600) AS slept',
    writeQuery: 'DELETE FROM qc_big WHERE id = 1 RETURNING *',
    readOnlyMessage: /cannot execute DELETE in a read-only transaction/,
    origins: 'engine',
  });
}
