// One file (507 lines) so that a plugin author reads the whole contract as tests in one place.
// The datasource contract as tests: one suite that any datasource plugin runs against itself. A target only has to
// put a small, known table into its store; the suite then checks what every view relies on — the schema, paging
// with ties and NULLs (every row once, in the promised order), each filter operator with the contract's NULL rules,
// exact value round trips, conflicts on stale updates and deletes, and hostile identifiers and values stored
// literally. Runs under mocha (describe/it); node:assert only, no other dependency; Nocoflo's TableService only to
// check that an aggregate request to a datasource without aggregate() is refused as the user would see it.
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceSession, Filter, RowPage, SortKey, TableRef } from '../../api';
import type { DatasourceManager } from '../../src/core/datasourceManager';
import { TableService } from '../../src/core/tableService';
import { expectedOrder, readAllPages } from '../support/pagingOracle';

export interface ConformanceRow {
  id: number;
  /** Lower-case ASCII letters only, so every collation sorts them alike; many ties. */
  name: string;
  /** Ties and NULLs. */
  score: number | null;
  /** Free text: quotes, emoji, SQL-looking values, empty strings and NULLs. */
  note: string | null;
}

export interface ConformanceSession {
  session: DatasourceSession;
  table: TableRef;
}

export interface ConformanceTarget {
  name: string;
  /**
   * Puts a table holding exactly `rows` (columns id integer primary key, name text, score integer nullable, note text
   * nullable) into the datasource under `tableName` (replacing an earlier one) and opens a session that sees it.
   */
  open(rows: readonly ConformanceRow[], tableName: string): Promise<ConformanceSession>;
  /** Called once after the suite (stop servers, delete files). */
  dispose?(): Promise<void>;
  /** Whether table names may contain quotes, semicolons and spaces (SQL databases: yes; a folder of files: maybe not). */
  arbitraryTableNames?: boolean;
  /** Default true; false skips nothing silently: the suite then checks that writes are refused as read-only. */
  writes?: boolean;
  /**
   * Whether the datasource aggregates (`capabilities.aggregate` and `aggregate()`). The suite holds it to the claim:
   * true runs the aggregate checks; false checks that the capability is off and that an aggregate request is
   * refused with 'unsupported' rather than answered or left hanging.
   */
  aggregates: boolean;
  /**
   * Whether the datasource answers `AggregateRequest.sample` with an estimate for a big table with an integer key
   * (1.3). True: the suite checks the estimate; false: it checks the sample request is answered exactly. Only for
   * datasources that aggregate.
   */
  samplesAggregates?: boolean;
  /**
   * Relations without a row key, for SQL datasources: a table `keyed` rows go into (as `open` makes it), a view
   * `SELECT name, score, note` over it, and a table with columns name, score, note and no primary or unique key
   * holding `keyless` rows. Absent: the datasource has no such relations, and the suite checks that every table it
   * lists has a row key.
   */
  keyless?(keyed: readonly ConformanceRow[], keyless: readonly KeylessRow[]): Promise<{ session: DatasourceSession; table: TableRef; view: TableRef }>;
  /**
   * Whether contains/startswith/endswith fold the case of letters beyond A–Z ('é' finds 'É'). Default true. SQLite's
   * LIKE folds A–Z only; PostgreSQL's ILIKE follows the database's LC_CTYPE (the test cluster's is C).
   */
  foldsNonAsciiCase?: boolean;
  /** Whether `eq` on text follows a collation that ignores case and accents ('e' finds 'É'), as MariaDB's defaults do. */
  equalityIgnoresCaseAndAccents?: boolean;
  /** The most values one statement may bind (SQL datasources); absent: no such limit, and big `in` filters work. */
  maxParameters?: number;
}

export interface KeylessRow {
  name: string;
  score: number | null;
  note: string | null;
}

const NAMES = ['ada', 'bob', 'cyd', 'dee', 'eve'];
// 'é', 'e', 'E', 'É': what text filters fold (case, accents) differs between engines and collations.
const NOTES: (string | null)[] = ["it's", 'say "hi"', "'; delete from t; --", 'emoji 🦊 ok', '', null, 'back\\slash', 'percent 100%', 'under_score', 'é', 'e', 'E', 'É'];

/** The standard data set: `count` rows with ties in name and score, NULLs in score and note. */
export function conformanceRows(count = 203): ConformanceRow[] {
  return Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    return {
      id,
      name: NAMES[(id * 7) % NAMES.length]!,
      score: id % 11 === 0 ? null : (id * 37) % 23,
      note: NOTES[id % NOTES.length]!,
    };
  });
}

const HOSTILE_TABLE = 'x"; drop table y; --';

/** How a target folds text in filters (see ConformanceTarget). */
interface TextRules {
  foldsNonAsciiCase: boolean;
  equalityIgnoresCaseAndAccents: boolean;
}

/** What the contract says each filter keeps (see Filter in api/index.d.ts and the SQL kit). */
function keeps(row: ConformanceRow, filter: Filter, rules: TextRules): boolean {
  const v = row[filter.column as keyof ConformanceRow] as string | number | null;
  const x = filter.value as CellValue;
  // Case-insensitive and accent-sensitive on every engine; only which letters have a case differs.
  const text = (s: unknown) => (rules.foldsNonAsciiCase ? String(s).toLowerCase() : String(s).replace(/[A-Z]/g, (c) => c.toLowerCase()));
  const loose = (s: unknown) => String(s).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const equal = (a: unknown, b: unknown) => (rules.equalityIgnoresCaseAndAccents && typeof a === 'string' && typeof b === 'string' ? loose(a) === loose(b) : a === b);
  switch (filter.op) {
    case 'eq':
      return x === null ? v === null : equal(v, x);
    case 'ne':
      // "Not equal to X" keeps NULLs, as people reading the filter expect.
      return x === null ? v !== null : !equal(v, x);
    case 'lt':
      return v !== null && (v as number) < (x as number);
    case 'lte':
      return v !== null && (v as number) <= (x as number);
    case 'gt':
      return v !== null && (v as number) > (x as number);
    case 'gte':
      return v !== null && (v as number) >= (x as number);
    case 'contains':
      return v !== null && text(v).includes(text(x));
    case 'startswith':
      return v !== null && text(v).startsWith(text(x));
    case 'endswith':
      return v !== null && text(v).endsWith(text(x));
    case 'isnull':
      return v === null;
    case 'notnull':
      return v !== null;
    case 'in':
      return (filter.value as CellValue[]).some((item) => (item === null ? v === null : item === v));
  }
}

const FILTERS: Filter[] = [
  { column: 'name', op: 'eq', value: 'bob' },
  { column: 'score', op: 'ne', value: 5 },
  { column: 'score', op: 'lt', value: 4 },
  { column: 'score', op: 'lte', value: 4 },
  { column: 'score', op: 'gt', value: 19 },
  { column: 'score', op: 'gte', value: 19 },
  { column: 'note', op: 'contains', value: 'HI' },
  { column: 'note', op: 'contains', value: '100%' },
  { column: 'note', op: 'contains', value: '_' },
  { column: 'name', op: 'startswith', value: 'e' },
  { column: 'note', op: 'endswith', value: '--' },
  { column: 'note', op: 'contains', value: 'é' },
  { column: 'note', op: 'contains', value: 'É' },
  { column: 'note', op: 'startswith', value: 'E' },
  { column: 'note', op: 'endswith', value: 'é' },
  { column: 'note', op: 'eq', value: 'é' },
  { column: 'note', op: 'ne', value: 'E' },
  { column: 'score', op: 'isnull' },
  { column: 'note', op: 'notnull' },
  { column: 'id', op: 'in', value: [3, 5, 8, 1000] },
  { column: 'score', op: 'in', value: [1, null] },
];

const SORTS: SortKey[][] = [
  [],
  [{ column: 'name', direction: 'asc' }],
  [{ column: 'name', direction: 'desc' }],
  [{ column: 'score', direction: 'asc' }],
  [{ column: 'score', direction: 'desc' }],
  [
    { column: 'name', direction: 'asc' },
    { column: 'score', direction: 'desc' },
  ],
];

/** Normalizes numbers as datasources may return them (bigint, numeric text) for comparisons. */
function num(value: CellValue): number | null {
  if (value === null) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return value as number;
}

function rowsOf(page: Pick<RowPage, 'columns' | 'rows'>): ConformanceRow[] {
  const at = (name: string) => {
    const index = page.columns.indexOf(name);
    assert.ok(index >= 0, `the page has a column "${name}" (it has ${page.columns.join(', ')})`);
    return index;
  };
  const [id, name, score, note] = ['id', 'name', 'score', 'note'].map(at) as [number, number, number, number];
  return page.rows.map((r) => ({ id: num(r[id]!)!, name: r[name] as string, score: num(r[score]!), note: r[note] as string | null }));
}

/**
 * Rows for a table without a key: the standard data without ids, whole rows twice, and rows that differ only in
 * case, accents or trailing spaces (which a collation may call equal, so only a tiebreaker that tells them apart
 * pages them each once).
 */
function keylessRows(): KeylessRow[] {
  const base = conformanceRows(150).map(({ name, score, note }) => ({ name, score, note }));
  // Enough of them to span several pages, first when sorted by score ascending (NULLs first, 'ada' first among
  // them), so that each page's query orders the tie group afresh.
  const variants = [...Array.from({ length: 4 }, () => ['e', 'E', 'é', 'É', 'e ', 'É ']).flat(), null, null].map((note) => ({ name: 'ada', score: null, note }));
  // Spread through the table, so the storage order does not happen to keep the tie group in one order.
  const rows = [...base, ...base.slice(0, 20)];
  variants.forEach((row, i) => rows.splice(i * 7, 0, row));
  return rows;
}

const KEYLESS_SORTS: SortKey[][] = [
  [],
  [{ column: 'score', direction: 'asc' }],
  [{ column: 'score', direction: 'desc' }],
  [
    { column: 'name', direction: 'asc' },
    { column: 'score', direction: 'desc' },
  ],
];

function keylessRowsOf(columns: string[], rows: CellValue[][]): KeylessRow[] {
  const [name, score, note] = ['name', 'score', 'note'].map((c) => {
    const index = columns.indexOf(c);
    assert.ok(index >= 0, `the page has a column "${c}" (it has ${columns.join(', ')})`);
    return index;
  }) as [number, number, number];
  return rows.map((r) => ({ name: r[name] as string, score: num(r[score]!), note: r[note] as string | null }));
}

/**
 * Every expected row exactly once, and in the sort's order: the runs of equal sort values come in the promised
 * order (NULLs first ascending, last descending), each run holding the same rows in any order.
 */
function assertPagedInOrder(got: KeylessRow[], expected: readonly KeylessRow[], sort: readonly SortKey[]): void {
  const text = (r: KeylessRow) => JSON.stringify([r.name, r.score, r.note]);
  const multiset = (rows: readonly KeylessRow[]) => rows.map(text).sort();
  assert.deepEqual(multiset(got), multiset(expected), 'every row exactly once');
  if (sort.length === 0) return;
  const key = (r: KeylessRow) => sort.map((s) => r[s.column as keyof KeylessRow]);
  const ordered = expectedOrder(
    expected.map((_, i) => i),
    (i, column) => expected[i]![column as keyof KeylessRow],
    sort,
  ).map((i) => expected[i]!);
  const runs = (rows: readonly KeylessRow[]) => {
    const out: { key: string; rows: string[] }[] = [];
    for (const r of rows) {
      const k = JSON.stringify(key(r));
      if (out[out.length - 1]?.key !== k) out.push({ key: k, rows: [] });
      out[out.length - 1]!.rows.push(text(r));
    }
    return out.map((run) => ({ key: run.key, rows: run.rows.sort() }));
  };
  assert.deepEqual(runs(got), runs(ordered));
}

/** `in` filters on id, at most 1,000 values each (the contract's cap per filter), binding `values` values in all. */
function inFilters(values: number): Filter[] {
  const filters: Filter[] = [];
  for (let left = values; left > 0; left -= 1_000) filters.push({ column: 'id', op: 'in', value: Array.from({ length: Math.min(1_000, left) }, (_, i) => i + 1) });
  return filters;
}

export function describeDatasourceConformance(target: ConformanceTarget): void {
  describe(`datasource conformance: ${target.name}`, function () {
    this.timeout(120_000);
    const data = conformanceRows();
    const byId = new Map(data.map((r) => [r.id, r]));
    const rules: TextRules = { foldsNonAsciiCase: target.foldsNonAsciiCase ?? true, equalityIgnoresCaseAndAccents: target.equalityIgnoresCaseAndAccents ?? false };
    let open: ConformanceSession;

    before(async () => {
      open = await target.open(data, 'conformance_items');
    });

    after(async () => {
      await open?.session.close();
      await target.dispose?.();
    });

    it('lists the table and describes its columns and row key', async () => {
      const tables = await open.session.listTables();
      assert.ok(tables.some((t) => t.ref.name === open.table.name && (t.ref.schema ?? '') === (open.table.schema ?? '')), `${open.table.name} is listed`);
      const schema = await open.session.getSchema(open.table);
      const kinds = Object.fromEntries(schema.columns.map((c) => [c.name, c.kind]));
      assert.deepEqual(Object.keys(kinds).filter((c) => ['id', 'name', 'score', 'note'].includes(c)).sort(), ['id', 'name', 'note', 'score']);
      assert.ok(['integer', 'decimal', 'float'].includes(kinds.id!), `id is numeric (${kinds.id})`);
      assert.equal(kinds.name, 'text');
      assert.deepEqual(schema.rowKey?.columns, ['id']);
    });

    for (const sort of SORTS) {
      it(`pages through every row exactly once, in order, sorted by ${sort.map((s) => `${s.column} ${s.direction}`).join(', ') || 'the row key'}`, async () => {
        const all = await readAllPages(open.session, open.table, { sort }, 17);
        const ids = rowsOf({ columns: (await open.session.readRows(open.table, { limit: 1 })).columns, rows: all }).map((r) => r.id);
        const expected = expectedOrder(
          data.map((r) => r.id),
          (id, column) => byId.get(id)![column as keyof ConformanceRow] as CellValue,
          sort,
        );
        assert.equal(new Set(ids).size, ids.length, 'no row twice');
        assert.deepEqual(ids, expected);
      });
    }

    it('jumps to an offset and continues from there', async () => {
      const first = await open.session.readRows(open.table, { limit: 10, offset: 50, sort: [{ column: 'id', direction: 'asc' }] });
      assert.deepEqual(rowsOf(first).map((r) => r.id), data.slice(50, 60).map((r) => r.id));
    });

    for (const filter of FILTERS) {
      it(`filters ${filter.column} ${filter.op}${filter.value === undefined ? '' : ` ${JSON.stringify(filter.value)}`} as the contract says`, async () => {
        const all = await readAllPages(open.session, open.table, { filters: [filter], sort: [{ column: 'id', direction: 'asc' }] }, 50);
        const page = await open.session.readRows(open.table, { limit: 1 });
        const got = rowsOf({ columns: page.columns, rows: all }).map((r) => r.id);
        assert.deepEqual(got, data.filter((r) => keeps(r, filter, rules)).map((r) => r.id));
        assert.deepEqual(await open.session.countRows(open.table, { filters: [filter] }), { count: got.length, exact: true }, 'a count asked without cap or estimate is exact, and agrees with the rows');
      });
    }

    it('counts every row exactly when asked without cap or estimate', async () => {
      // The contract (RowCount, CountRequest): only a cap or an accepted estimate makes a count inexact.
      assert.deepEqual(await open.session.countRows(open.table), { count: data.length, exact: true });
    });

    it('counts up to a cap: exact under it, capped (a lower bound, marked so) over it', async () => {
      const under = await open.session.countRows(open.table, { cap: data.length + 10 });
      assert.deepEqual(under, { count: data.length, exact: true }, 'a table smaller than the cap is counted exactly');
      const over = await open.session.countRows(open.table, { cap: 50 });
      if (over.exact) {
        assert.deepEqual(over, { count: data.length, exact: true }, 'a count that says it is exact is the real count');
      } else {
        assert.equal(over.capped, true, 'an inexact answer to a capped count says it is capped');
        assert.ok(over.count >= 50 && over.count <= data.length, `a capped count is at least the cap and at most the real count (${over.count})`);
      }
    });


    if (target.maxParameters !== undefined) {
      const max = target.maxParameters;
      it(`refuses a request binding more than ${max} values with a clear error before running it, and answers one at the limit`, async () => {
        // The page statement binds its LIMIT besides the lists.
        await assert.rejects(open.session.readRows(open.table, { limit: 10, filters: inFilters(max), sort: [{ column: 'id', direction: 'asc' }] }), (e: Error & { code?: string }) => {
          assert.equal(e.code, 'invalid_value');
          assert.match(e.message, new RegExp(`more than ${max.toLocaleString('en-US')} values`));
          return true;
        });
        const page = await open.session.readRows(open.table, { limit: 10, filters: inFilters(max - 1), sort: [{ column: 'id', direction: 'asc' }] });
        assert.deepEqual(rowsOf(page).map((r) => r.id), data.slice(0, 10).map((r) => r.id));
      });
    } else {
      it('has no limit on bound values: 40 "in" filters of 1,000 values work', async () => {
        const page = await open.session.readRows(open.table, { limit: 10, filters: inFilters(40_000), sort: [{ column: 'id', direction: 'asc' }] });
        assert.deepEqual(rowsOf(page).map((r) => r.id), data.slice(0, 10).map((r) => r.id));
      });
    }

    describe('relations without a row key', function () {
      const keyed = conformanceRows(97);
      const keyless = keylessRows();
      let relations: { session: DatasourceSession; table: TableRef; view: TableRef } | undefined;

      if (!target.keyless) {
        it('has none: every table it lists has a row key', async () => {
          for (const t of await open.session.listTables()) assert.ok((await open.session.getSchema(t.ref)).rowKey, `${t.ref.name} has a row key`);
        });
        return;
      }

      before(async () => {
        relations = await target.keyless!(keyed, keyless);
      });

      after(async () => {
        if (relations && relations.session !== open.session) await relations.session.close();
      });

      for (const which of ['table', 'view'] as const) {
        for (const sort of KEYLESS_SORTS) {
          it(`pages a ${which} without a row key 7 rows at a time, ${sort.map((s) => `${s.column} ${s.direction}`).join(', ') || 'unsorted'}: every row once, in order`, async () => {
            const { session } = relations!;
            const relation = relations![which];
            const expected = which === 'table' ? keyless : keyed.map(({ name, score, note }) => ({ name, score, note }));
            const columns = (await session.readRows(relation, { limit: 1 })).columns;
            assertPagedInOrder(keylessRowsOf(columns, await readAllPages(session, relation, { sort }, 7)), expected, sort);
          });
        }
      }
    });

    if (target.writes === false) {
      it('refuses writes with a read-only error', async () => {
        await assert.rejects(open.session.updateRow(open.table, { id: 1 }, { name: 'zed' }, { name: byId.get(1)!.name }), (e: Error & { code?: string }) =>
          ['read_only', 'unsupported', 'permission'].includes(e.code ?? ''),
        );
      });
      return;
    }

    const readRow = async (id: number): Promise<ConformanceRow | undefined> => {
      const page = await open.session.readRows(open.table, { limit: 2, filters: [{ column: 'id', op: 'eq', value: id }] });
      return rowsOf(page)[0];
    };

    it('round-trips text exactly: quotes, emoji, SQL-looking values, the empty string apart from NULL', async () => {
      for (const [id, note] of [
        [2, "'; delete from t; --"],
        [3, 'emoji 🦊 and 中文'],
        [4, ''],
        [5, null],
        [6, 'tab\tnew\nline'],
      ] as const) {
        const before = byId.get(id)!;
        await open.session.updateRow(open.table, { id }, { note }, { note: before.note });
        assert.deepEqual(await readRow(id), { ...before, note });
        (before as { note: string | null }).note = note;
      }
      assert.deepEqual(await open.session.countRows(open.table), { count: data.length, exact: true }, 'no statement was smuggled in');
    });

    it('inserts a row and deletes it, with its values as written', async () => {
      const row = { id: 9001, name: 'zed', score: 42, note: "o'brien" };
      const { key } = await open.session.insertRow(open.table, row);
      // Some datasources (REST APIs) assign the id themselves; the returned key says which.
      const id = key?.id === undefined ? row.id : num(key.id)!;
      assert.deepEqual(await readRow(id), { ...row, id });
      await open.session.deleteRow(open.table, { id }, { ...row, id });
      assert.equal(await readRow(id), undefined);
    });

    it('refuses a stale update and a stale delete with a conflict, and changes nothing', async () => {
      const id = 10;
      const stored = (await readRow(id))!;
      const stale = { name: stored.name === 'ada' ? 'bob' : 'ada' };
      await assert.rejects(open.session.updateRow(open.table, { id }, { name: 'zed' }, stale), (e: Error & { code?: string }) => e.code === 'conflict');
      await assert.rejects(open.session.deleteRow(open.table, { id }, { ...stored, ...stale }), (e: Error & { code?: string }) => e.code === 'conflict');
      assert.deepEqual(await readRow(id), stored);
      await assert.rejects(open.session.updateRow(open.table, { id: 123456 }, { name: 'zed' }, { name: 'ada' }), (e: Error & { code?: string }) => e.code === 'conflict' || e.code === 'not_found');
    });

    describe('aggregates', function () {
      if (!target.aggregates) {
        it('says it cannot aggregate, and an aggregate request is refused as unsupported', async () => {
          assert.equal(open.session.capabilities.aggregate, false, 'capabilities.aggregate is false');
          assert.equal(target.samplesAggregates, undefined, 'a datasource that cannot aggregate does not sample');
          const request = { groupBy: [{ column: 'name' }], measures: [{ op: 'count' as const, as: 'n' }] };
          const refused = (e: Error & { code?: string }) => {
            assert.equal(e.code, 'unsupported', `refused as unsupported, not ${e.code}: ${e.message}`);
            assert.match(e.message, /aggregate/i, 'the message says what is not supported');
            return true;
          };
          if (open.session.aggregate) {
            // A datasource may have the method and still refuse: then it refuses clearly.
            await assert.rejects(open.session.aggregate(open.table, request), refused);
          } else {
            // Without the method, Nocoflo's one door to a datasource refuses on its behalf.
            const tables = new TableService({ session: () => Promise.resolve(open.session) } as unknown as DatasourceManager);
            await assert.rejects(tables.aggregate({ datasourceId: 'conformance', ...open.table }, request), refused);
          }
        });
        return;
      }

      const many = conformanceRows(4_000);
      const request = { groupBy: [{ column: 'name' }], measures: [{ op: 'count' as const, as: 'n' }, { op: 'sum' as const, column: 'score', as: 'total' }, { op: 'mean' as const, column: 'score', as: 'mean' }] };
      let big: ConformanceSession;

      before(async function () {
        assert.equal(open.session.capabilities.aggregate, true, 'a datasource that aggregates says so in its capabilities');
        assert.equal(typeof open.session.aggregate, 'function', 'and has aggregate()');
        big = await target.open(many, 'conformance_sampled');
      });

      after(async () => {
        if (big && big.session !== open.session) await big.session.close();
      });

      it('aggregates exactly', async () => {
        const exact = await big.session.aggregate!(big.table, request);
        assert.equal(exact.sample, undefined, 'no sample was asked for');
        assert.deepEqual(exact.columns, ['name', 'n', 'total', 'mean']);
        assert.equal(exact.rows.length, NAMES.length, 'one row per group');
        for (const name of NAMES) {
          const rows = many.filter((r) => r.name === name);
          const got = exact.rows.find((r) => r[0] === name);
          assert.ok(got, `a group for ${name}`);
          assert.equal(Number(got[1]), rows.length, `count of ${name}`);
          assert.equal(Number(got[2]), rows.reduce((sum, r) => sum + (r.score ?? 0), 0), `sum of ${name}`);
        }
      });

      it(target.samplesAggregates ? 'estimates from a sample of a big table when asked, and says so' : 'answers a sample request exactly', async () => {
        const exact = await big.session.aggregate!(big.table, request);
        const estimate = await big.session.aggregate!(big.table, { ...request, sample: { rows: 400 } });
        if (!target.samplesAggregates) {
          assert.equal(estimate.sample, undefined);
          return assert.deepEqual(estimate, exact);
        }
        const sample = estimate.sample;
        assert.ok(sample, 'the answer says it is sampled');
        assert.ok(sample.fraction > 0.03 && sample.fraction < 0.4, `covers a small share of the table (${sample.fraction})`);
        assert.ok(sample.rows >= 150 && sample.rows <= 1_200, `aggregated about the rows asked for (${sample.rows})`);
        assert.ok(sample.method.length > 0);
        assert.deepEqual(estimate.columns, exact.columns);
        let estimatedTotal = 0;
        for (const row of exact.rows) {
          const got = estimate.rows.find((r) => r[0] === row[0]);
          assert.ok(got, `the sample has group ${String(row[0])}`);
          const [n, total, mean] = [Number(got[1]), Number(got[2]), Number(got[3])];
          estimatedTotal += n;
          // Counts and sums are scaled to the table; the mean is the sample's own.
          assert.ok(Math.abs(n - Number(row[1])) <= 0.4 * Number(row[1]), `count of ${String(row[0])}: ${n} estimates ${String(row[1])}`);
          assert.ok(Math.abs(total - Number(row[2])) <= 0.4 * Number(row[2]), `sum of ${String(row[0])}: ${total} estimates ${String(row[2])}`);
          assert.ok(Math.abs(mean - Number(row[3])) <= 0.4 * Number(row[3]), `mean of ${String(row[0])}: ${mean} estimates ${String(row[3])}`);
        }
        assert.ok(Math.abs(estimatedTotal - many.length) <= 0.25 * many.length, `the counts add up to about the table (${estimatedTotal})`);
      });

      it('answers exactly when the table is not much bigger than the sample asked for', async () => {
        const exact = await big.session.aggregate!(big.table, request);
        const answer = await big.session.aggregate!(big.table, { ...request, sample: { rows: 3_000 } });
        assert.equal(answer.sample, undefined);
        assert.deepEqual(answer, exact);
      });
    });

    if (target.arbitraryTableNames) {
      it('keeps a hostile table name literal: it is a name, not SQL', async () => {
        const hostile = await target.open(data.slice(0, 5), HOSTILE_TABLE);
        try {
          assert.equal(hostile.table.name, HOSTILE_TABLE);
          const page = await hostile.session.readRows(hostile.table, { limit: 10, sort: [{ column: 'id', direction: 'asc' }] });
          assert.deepEqual(rowsOf(page).map((r) => r.id), [1, 2, 3, 4, 5]);
          await hostile.session.updateRow(hostile.table, { id: 1 }, { name: 'zed' }, { name: data[0]!.name });
          const again = await hostile.session.readRows(hostile.table, { limit: 1, filters: [{ column: 'id', op: 'eq', value: 1 }] });
          assert.equal(rowsOf(again)[0]!.name, 'zed');
          // The other table is still there, untouched by the name.
          assert.equal(rowsOf(await open.session.readRows(open.table, { limit: 1, offset: 0, sort: [{ column: 'id', direction: 'asc' }] }))[0]!.id, 1);
        } finally {
          if (hostile.session !== open.session) await hostile.session.close();
        }
      });
    }
  });
}

