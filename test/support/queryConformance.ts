// The query conformance suite (issue 15 §6): what every datasource with `capabilities.query` must do with a query
// reference and `execute`, checked through the DatasourceSession API only, on the Chinook sample plus one generated
// 100k-row table. Engine-agnostic: each engine's test file passes a session factory and its dialect's snippets
// (SQLite: test/integration/sqliteQuery.test.ts; PostgreSQL and MariaDB reuse it the same way).
import assert from 'node:assert/strict';
import type { CellValue, DatasourceError, DatasourceSession, TableRef } from '../../api';

export interface QueryConformanceTarget {
  /** e.g. "SQLite (sql.js)". */
  name: string;
  /** A session on a fresh, writable copy of Chinook (the suite adds table `qc_big` through `execute`). */
  open(): Promise<DatasourceSession>;
  /** Cleans up what `open` started (servers, files); the suite closes the session itself. */
  dispose?(): Promise<void>;
  /** Chinook's own spelling of a table or column given in its PascalCase name ('InvoiceLine' → 'invoice_line'). */
  chinook(name: string): string;
  quote(identifier: string): string;
  /** The dialect's placeholder for the n-th (1-based) bound value. */
  placeholder(n: number): string;
  /**
   * Statements run through `execute` before the suite: they create `qc_big (id integer primary key, grp integer not
   * null, label text not null)` with ids 1…100000, grp = id % 7, label = 'row ' || id.
   */
  setup: string[];
  /** A read that takes far longer than the test (minutes), so it can only end by being cancelled. */
  longQuery: string;
  /** A single statement that writes to qc_big (deletes the row with id 1) and returns rows, e.g. DELETE … RETURNING. */
  writeQuery: string;
  /** How the engine words a refused write in a read-only run (its own message, not Nocoflo's). */
  readOnlyMessage: RegExp;
  /** 'engine': every plain column of a table has its origin; 'none': the engine does not say (then readOnlyReason). */
  origins: 'engine' | 'none';
}

const PAGE = 7_000;
const BIG = 100_000;

/** The error a promise rejects with (fails if it resolves). */
export async function failure(promise: Promise<unknown>): Promise<DatasourceError> {
  try {
    await promise;
  } catch (error) {
    return error as DatasourceError;
  }
  assert.fail('expected the call to fail');
}

export function describeQueryConformance(target: QueryConformanceTarget): void {
  const q = (name: string) => target.quote(target.chinook(name));
  const ref = (text: string, params?: CellValue[]): TableRef => ({ name: 'query', query: { text, ...(params ? { params } : {}) } });

  describe(`Query references and execute: ${target.name}`, function () {
    this.timeout(300_000);
    let session: DatasourceSession;

    before(async () => {
      session = await target.open();
      for (const statement of target.setup) await session.execute!({ text: statement });
    });
    after(async () => {
      await session?.close();
      await target.dispose?.();
    });

    /** Every row of a query reference, page after page (keyset or offset, whichever the datasource hands out). */
    async function allRows(table: TableRef, request: { sort?: { column: string; direction: 'asc' | 'desc' }[]; filters?: { column: string; op: 'eq'; value: CellValue }[] } = {}): Promise<CellValue[][]> {
      const rows: CellValue[][] = [];
      let after: string | undefined;
      for (let pages = 0; pages < BIG / PAGE + 5; pages++) {
        const page = await session.readRows(table, { limit: PAGE, ...request, ...(after ? { after } : { offset: rows.length }) });
        rows.push(...page.rows);
        if (page.rows.length < PAGE && !page.next) return rows;
        after = page.next;
        if (!after && page.rows.length === 0) return rows;
      }
      assert.fail('paging did not end');
    }

    it('says it has query references and execute', () => {
      assert.equal(session.capabilities.query, true);
      assert.equal(typeof session.execute, 'function');
    });

    for (const table of ['Track', 'Invoice', 'Customer']) {
      it(`returns the same values, with the same types, as reading the table (${table})`, async () => {
        const tableRef = (await session.listTables()).find((t) => t.ref.name.toLowerCase() === target.chinook(table).toLowerCase())!.ref;
        const key = target.chinook(`${table}Id`);
        const direct = await session.readRows(tableRef, { limit: 1_000, sort: [{ column: key, direction: 'asc' }] });
        const viaQuery = await session.readRows(ref(`SELECT * FROM ${q(table)} ORDER BY ${target.quote(key)}`), { limit: 1_000 });
        assert.deepEqual(viaQuery.columns, direct.columns);
        assert.deepEqual(viaQuery.rows, direct.rows);
        const [schema, tableSchema] = await Promise.all([session.getSchema(ref(`SELECT * FROM ${q(table)}`)), session.getSchema(tableRef)]);
        assert.equal(schema.kind, 'query');
        assert.deepEqual(schema.primaryKey, []);
        assert.deepEqual(schema.foreignKeys, []);
        assert.equal(schema.rowKey, undefined);
        // Kinds come from the origin column's declared type; an engine that names no origins judges them by values.
        const shape = (columns: { name: string; kind: string }[]) => columns.map((c) => (target.origins === 'engine' ? [c.name, c.kind] : [c.name]));
        assert.deepEqual(shape(schema.columns), shape(tableSchema.columns));
      });
    }

    it('gives a computed column a kind from its values (a chart of a SUM sees a number)', async () => {
      const schema = await session.getSchema(ref(`SELECT ${q('InvoiceId')} AS invoice, SUM(${q('Quantity')} * ${q('UnitPrice')}) AS revenue, COUNT(*) AS line_count FROM ${q('InvoiceLine')} GROUP BY ${q('InvoiceId')}`));
      assert.deepEqual(schema.columns.map((c) => c.name), ['invoice', 'revenue', 'line_count']); // not `lines`: a reserved word in MySQL
      const kinds = Object.fromEntries(schema.columns.map((c) => [c.name, c.kind]));
      assert.ok(['float', 'decimal'].includes(kinds.revenue!), `revenue is ${kinds.revenue}`);
      assert.ok(['integer', 'bigint'].includes(kinds.line_count!), `line_count is ${kinds.line_count}`);
    });

    it('binds the statement’s own parameters', async () => {
      const page = await session.readRows(ref(`SELECT ${q('Name')} FROM ${q('Genre')} WHERE ${q('GenreId')} = ${target.placeholder(1)}`, [3]), { limit: 10 });
      assert.deepEqual(page.rows, [['Metal']]);
    });

    it('pages 100k rows without repeating or losing any (engine order)', async () => {
      const ids = (await allRows(ref('SELECT id, grp, label FROM qc_big'))).map((r) => Number(r[0]));
      assert.equal(ids.length, BIG);
      assert.equal(new Set(ids).size, BIG);
    });

    it('pages 100k rows in the statement’s own order', async () => {
      const ids = (await allRows(ref('SELECT id, label FROM qc_big ORDER BY id DESC'))).map((r) => Number(r[0]));
      assert.deepEqual(ids, Array.from({ length: BIG }, (_, i) => BIG - i));
    });

    it('pages a sorted, filtered view of the result in the view’s order', async () => {
      for (const text of ['SELECT id, grp, label FROM qc_big', 'SELECT id, grp, label FROM qc_big ORDER BY id DESC']) {
        const rows = await allRows(ref(text), { sort: [{ column: 'label', direction: 'asc' }], filters: [{ column: 'grp', op: 'eq', value: 3 }] });
        const expected = Array.from({ length: BIG }, (_, i) => i + 1)
          .filter((id) => id % 7 === 3)
          .map((id) => `row ${id}`)
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        assert.deepEqual(rows.map((r) => r[2]), expected);
      }
    });

    it('counts a result, filtered or not', async () => {
      assert.deepEqual(await session.countRows(ref('SELECT id, grp FROM qc_big')), { count: BIG, exact: true });
      const filtered = await session.countRows(ref('SELECT id, grp FROM qc_big WHERE id <= 1000'), { filters: [{ column: 'grp', op: 'eq', value: 0 }] });
      assert.equal(filtered.count, 142);
    });

    it('aggregates a join on the server: revenue by genre as the database gives it', async () => {
      const join = `SELECT g.${q('Name')} AS genre, il.${q('UnitPrice')} * il.${q('Quantity')} AS amount
        FROM ${q('InvoiceLine')} il JOIN ${q('Track')} t ON t.${q('TrackId')} = il.${q('TrackId')} JOIN ${q('Genre')} g ON g.${q('GenreId')} = t.${q('GenreId')}`;
      const result = await session.aggregate!(ref(join), { groupBy: [{ column: 'genre' }], measures: [{ op: 'sum', column: 'amount', as: 'revenue' }], sample: { rows: 10 } });
      const direct = await session.execute!({
        text: `SELECT g.${q('Name')}, SUM(il.${q('UnitPrice')} * il.${q('Quantity')}) FROM ${q('InvoiceLine')} il JOIN ${q('Track')} t ON t.${q('TrackId')} = il.${q('TrackId')} JOIN ${q('Genre')} g ON g.${q('GenreId')} = t.${q('GenreId')} GROUP BY g.${q('Name')}`,
      });
      const cents = (rows: CellValue[][]) => Object.fromEntries(rows.map((r) => [String(r[0]), Math.round(Number(r[1]) * 100)]));
      assert.equal(result.sample, undefined, 'a query is aggregated exactly');
      assert.deepEqual(cents(result.rows), cents(direct.rows!));
      assert.equal(cents(result.rows).Rock, 82_665);
    });

    it('cancels a long read when its signal aborts, and the session still works', async () => {
      const controller = new AbortController();
      const reading = session.readRows(ref(target.longQuery), { limit: 10, signal: controller.signal });
      setTimeout(() => controller.abort(), 300);
      assert.equal((await failure(reading)).code, 'cancelled');
      assert.deepEqual(await session.countRows(ref('SELECT id FROM qc_big')), { count: BIG, exact: true });
    });

    it('stops a long count and a long execute at the statement timeout (an AbortSignal)', async () => {
      assert.equal((await failure(session.countRows(ref(target.longQuery), { signal: AbortSignal.timeout(300) }))).code, 'cancelled');
      assert.equal((await failure(session.execute!({ text: target.longQuery }, { signal: AbortSignal.timeout(300) }))).code, 'cancelled');
      const page = await session.readRows(ref('SELECT id FROM qc_big WHERE id = 5'), { limit: 5 });
      assert.deepEqual(page.rows, [[5]]);
    });

    it('reads a query reference read-only, enforced by the database', async () => {
      const error = await failure(session.readRows(ref(target.writeQuery), { limit: 10 }));
      assert.equal(error.code, 'read_only', error.message);
      const left = await session.execute!({ text: 'SELECT COUNT(*) FROM qc_big WHERE id = 1' });
      assert.equal(Number(left.rows![0]![0]), 1, 'the row is still there');
    });

    it('refuses a write in a read-only execute with the database’s own message', async () => {
      const error = await failure(session.execute!({ text: `DELETE FROM qc_big WHERE id = ${target.placeholder(1)}`, params: [2] }, { readOnly: true }));
      assert.equal(error.code, 'read_only');
      assert.match(error.message, target.readOnlyMessage);
      assert.deepEqual(await session.countRows(ref('SELECT id FROM qc_big')), { count: BIG, exact: true });
    });

    it('executes writes once, with bound values, and says how many rows they changed', async () => {
      const p = target.placeholder;
      const inserted = await session.execute!({ text: `INSERT INTO qc_big (id, grp, label) VALUES (${p(1)}, ${p(2)}, ${p(3)})`, params: [BIG + 1, 0, "it's"] });
      assert.equal(inserted.rowsAffected, 1);
      const read = await session.execute!({ text: `SELECT label FROM qc_big WHERE id = ${p(1)}`, params: [BIG + 1] });
      assert.deepEqual(read.rows, [["it's"]]);
      const deleted = await session.execute!({ text: `DELETE FROM qc_big WHERE id > ${p(1)}`, params: [BIG] });
      assert.equal(deleted.rowsAffected, 1);
    });

    it('returns at most maxRows rows of an executed statement and says it cut them', async () => {
      const result = await session.execute!({ text: 'SELECT id FROM qc_big ORDER BY id' }, { maxRows: 10 });
      assert.deepEqual(result.columns, ['id']);
      assert.deepEqual(result.rows, Array.from({ length: 10 }, (_, i) => [i + 1]));
      assert.equal(result.truncated, true);
      const all = await session.execute!({ text: 'SELECT id FROM qc_big WHERE id <= 3' }, { maxRows: 10 });
      assert.ok(!all.truncated);
    });

    it('points errors at their place in the statement as given', async () => {
      const unknownColumn = await failure(session.readRows(ref(`SELECT ${q('TrackId')},\n  Nme FROM ${q('Track')}`), { limit: 5 }));
      assert.deepEqual(unknownColumn.position, { line: 2, column: 3 }, unknownColumn.message);
      const syntax = await failure(session.getSchema(ref(`SELECT *\n FORM ${q('Track')}`)));
      assert.deepEqual(syntax.position, { line: 2, column: 2 }, syntax.message);
      const executed = await failure(session.execute!({ text: `SELECT * FORM ${q('Track')}` }));
      assert.deepEqual(executed.position, { line: 1, column: 10 }, executed.message);
    });

    it('reports column origins only where they are plain columns of a table', async () => {
      // "track_name", not "title": PostgreSQL's Chinook spells Album.Title "title", which would make two columns of one name.
      const text = `SELECT t.${q('TrackId')}, t.${q('Name')} AS track_name, a.${q('Title')}, t.${q('Milliseconds')} / 1000 AS seconds, (SELECT COUNT(*) FROM ${q('Genre')}) AS genres
        FROM ${q('Track')} t JOIN ${q('Album')} a ON a.${q('AlbumId')} = t.${q('AlbumId')}`;
      const schema = await session.getSchema(ref(text));
      const origin = (name: string) => {
        const o = schema.columns.find((c) => c.name === name)!.origin;
        return o && `${o.table.name}.${o.column}`.toLowerCase();
      };
      const expected: Record<string, string | undefined> = {
        [target.chinook('TrackId')]: `${target.chinook('Track')}.${target.chinook('TrackId')}`,
        track_name: `${target.chinook('Track')}.${target.chinook('Name')}`,
        [target.chinook('Title')]: `${target.chinook('Album')}.${target.chinook('Title')}`,
        seconds: undefined,
        genres: undefined,
      };
      for (const [name, want] of Object.entries(expected)) {
        const got = origin(name);
        if (target.origins === 'engine' || got !== undefined) assert.equal(got, want?.toLowerCase(), `origin of ${name}`);
      }
      if (target.origins === 'none') assert.ok(schema.readOnlyReason, 'says why results cannot be edited');
      const all = await session.getSchema(ref(`SELECT * FROM ${q('Genre')}`));
      for (const column of all.columns) {
        if (target.origins === 'engine' || column.origin) assert.equal(`${column.origin?.table.name}.${column.origin?.column}`.toLowerCase(), `${target.chinook('Genre')}.${column.name}`.toLowerCase());
      }
    });

    it('runs one statement at a time, refusing a second one without running either', async () => {
      for (const text of ['SELECT 1; SELECT 2', 'SELECT 1; DELETE FROM qc_big']) {
        for (const call of [() => session.readRows(ref(text), { limit: 5 }), () => session.getSchema(ref(text)), () => session.execute!({ text })]) {
          const error = await failure(call());
          assert.equal(error.code, 'invalid_value');
          assert.match(error.message, /one statement at a time/i);
        }
      }
      assert.deepEqual(await session.countRows(ref('SELECT id FROM qc_big')), { count: BIG, exact: true });
      const trailing = await session.readRows(ref('SELECT 1 AS one; -- done\n'), { limit: 5 });
      assert.deepEqual(trailing.rows, [[1]]);
    });

    it('names duplicate result columns apart and reads, sorts and filters each', async () => {
      const text = `SELECT g.${q('GenreId')}, t.${q('GenreId')}, t.${q('TrackId')} FROM ${q('Genre')} g JOIN ${q('Track')} t ON t.${q('GenreId')} = g.${q('GenreId')} WHERE t.${q('TrackId')} <= 20`;
      const id = target.chinook('GenreId');
      const schema = await session.getSchema(ref(text));
      assert.deepEqual(schema.columns.map((c) => c.name), [id, `${id} (2)`, target.chinook('TrackId')]);
      const page = await session.readRows(ref(text), { limit: 50, sort: [{ column: `${id} (2)`, direction: 'desc' }], filters: [{ column: id, op: 'eq', value: 1 }] });
      assert.deepEqual(page.columns, schema.columns.map((c) => c.name));
      assert.ok(page.rows.length > 0);
      for (const row of page.rows) assert.deepEqual(row.slice(0, 2), [1, 1]);
    });
  });
}

