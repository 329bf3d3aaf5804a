// The real-data suite: a public dataset (Chinook, Northwind) loaded into a real engine, read and written through the
// datasource plugin's public contract, with the engine's own answer to each question (raw sql.js / node:sqlite,
// pg, mysql2 queries) as the oracle. Datasets nobody on the project wrote find what our own fixtures never thought
// of: accented text, composite keys, self-references, decimals, dates, bytes and views.
import * as assert from 'node:assert/strict';
import type { Filter, SortKey, TableRef, TableSchema } from '../../api';
import { cell } from '../support/datasets';
import { catalogueColumns, catalogueForeignKeys, cataloguePrimaryKey, catalogueTables, type CatalogueEntry, typeClass } from './catalogue';
import { assertSameRunsOfTies, engineCount, engineFilter, engineRows, everything, multiset, orderTerm, PAGE_SIZE, qualified, quote, readAll } from './oracle';
import type { Opened, RealDatabaseTarget } from './target';
import { describeRealDataWrites } from './writes';

/**
 * Runs `check` for each item and reports every failure at once: one table the datasource gets wrong should not hide
 * what it does with the others.
 */
export async function eachOf<T>(items: readonly T[], name: (item: T) => string, check: (item: T) => Promise<void>): Promise<void> {
  const problems: string[] = [];
  for (const item of items) {
    try {
      await check(item);
    } catch (error) {
      problems.push(`${name(item)}: ${(error as Error).message}`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n\n'));
}

export function describeRealDatabaseSuite(target: RealDatabaseTarget): void {
  describe(`real data: ${target.name}`, function () {
    // Loading a dataset into a fresh server takes seconds; a whole-table read of every table a few more.
    this.timeout(300_000);
    let opened: Opened | undefined;
    let catalogue: CatalogueEntry[] = [];
    const schemas = new Map<string, TableSchema>();
    const ref = (name: string): TableRef => (target.schema ? { schema: target.schema, name } : { name });
    const db = () => {
      if (!opened) throw new Error('the dataset is opened in before()');
      return opened;
    };
    const schemaOf = async (name: string) => {
      const known = schemas.get(name) ?? (await db().session.getSchema(ref(name)));
      schemas.set(name, known);
      return known;
    };
    /** The row key's columns in key order; for a synthetic key (SQLite's rowid) the engine knows the same name. */
    const keyOf = (schema: TableSchema) => schema.rowKey?.columns ?? [];

    before(async () => {
      opened = await target.open();
      catalogue = await catalogueTables(opened.raw, target.schema);
      // The suite is only as good as the data it sees: an empty catalogue would make every loop below vacuous.
      assert.ok(catalogue.filter((e) => e.kind === 'table').length >= 8, `${target.name}: the dataset did not load (${catalogue.length} relations)`);
      assert.ok(catalogue.some((e) => e.name === target.view.name && e.kind === 'view'), `${target.name}: the view ${target.view.name} was not created`);
    });
    after(() => target.dispose());

    it('lists every table and view of the dataset, with its kind', async () => {
      const listed = (await db().session.listTables())
        .filter((info) => (info.ref.schema ?? undefined) === target.schema)
        .map((info) => ({ name: info.ref.name, kind: info.kind }));
      const sort = (entries: { name: string; kind: string }[]) => [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      assert.deepEqual(sort(listed), sort(catalogue));
    });

    it('reads each schema: columns in order, nullability, primary key and foreign keys', async () => {
      await eachOf(catalogue, (e) => e.name, async ({ name, kind }) => {
        const schema = await schemaOf(name);
        const { raw } = db();
        assert.equal(schema.kind, kind);
        const columns = await catalogueColumns(raw, target.schema, name);
        assert.deepEqual(
          schema.columns.map((c) => [c.name, c.nullable]),
          columns.map((c) => [c.name, c.nullable]),
          'columns and their nullability',
        );
        // The logical kind drives editors and validation: text must not be edited as a number, nor bytes as text.
        const kinds = { text: ['text'], number: ['integer', 'float', 'decimal'], bytes: ['blob'] } as const;
        for (const [i, column] of columns.entries()) {
          const kindClass = typeClass(column.type);
          if (kindClass === 'other') continue;
          assert.ok((kinds[kindClass] as readonly string[]).includes(schema.columns[i].kind), `${column.name} (${column.type}) has kind ${schema.columns[i].kind}`);
        }
        assert.deepEqual(schema.primaryKey, await cataloguePrimaryKey(raw, target.schema, name), 'primary key');
        const fks = schema.foreignKeys
          .map((fk) => ({ columns: fk.columns, references: fk.references.name, referencedColumns: fk.referencedColumns }))
          .sort((a, b) => a.columns.join().localeCompare(b.columns.join()));
        assert.deepEqual(fks, await catalogueForeignKeys(raw, target.schema, name), 'foreign keys');
        // Every table of these datasets has a primary key, so every table must be editable by it.
        if (kind === 'table') assert.ok(schema.rowKey && schema.rowKey.columns.length > 0, 'a table with a primary key has a row key');
      });
    });

    it('counts every table and view exactly', async () => {
      await eachOf(catalogue, (e) => e.name, async ({ name }) => {
        const count = await db().session.countRows(ref(name));
        const expected = await engineCount(db().raw, ref(name), everything);
        assert.deepEqual({ count: count.count, exact: count.exact }, { count: expected, exact: true });
      });
    });

    it(`reads every table and view whole, ${PAGE_SIZE} rows a page, in key order (views: every row once)`, async () => {
      let total = 0;
      await eachOf(catalogue, (e) => e.name, async ({ name }) => {
        const schema = await schemaOf(name);
        const { raw, session } = db();
        const read = await readAll(session, ref(name), {});
        assert.deepEqual(read.columns, schema.columns.map((c) => c.name), 'page columns are the schema columns');
        const key = keyOf(schema);
        const expected = await engineRows(raw, ref(name), read.columns, everything, key.map((k) => `${quote(raw.dialect, k)} ASC`));
        total += expected.length;
        if (key.length > 0) {
          assert.equal(read.rows.length, expected.length, 'row count');
          // Row by row, so the first difference names its row.
          read.rows.forEach((row, i) => assert.deepEqual(row, expected[i], `row ${i} in key order`));
        } else {
          assert.deepEqual(multiset(read.rows), multiset(expected), 'the rows as a multiset');
        }
      });
      assert.ok(total > 1_000, `${target.name}: only ${total} rows were compared`);
    });

    it('returns decimals as text (PostgreSQL, MariaDB) and integers as numbers: the first page of every table and view', async () => {
      const { raw, session } = db();
      // SQLite stores NUMERIC(10,2) with REAL affinity: the value on disk is a double, and a number is its honest form.
      const decimalsAsText = raw.dialect !== 'sqlite';
      await eachOf(catalogue, (e) => e.name, async ({ name }) => {
        const schema = await schemaOf(name);
        const page = await session.readRows(ref(name), { limit: PAGE_SIZE });
        for (const [i, column] of schema.columns.entries()) {
          for (const value of page.rows.map((row) => row[i]).filter((v) => v !== null)) {
            if (column.kind === 'decimal' && decimalsAsText) {
              assert.equal(typeof value, 'string', `${column.name} (${column.declaredType}) value ${String(value)}`);
            }
            if (column.kind === 'integer') assert.ok(typeof value === 'number' || typeof value === 'bigint', `${column.name} (${column.declaredType}) value ${String(value)} is a ${typeof value}`);
          }
        }
      });
    });

    const sorted = [...target.tableSorts.map((s) => ({ ...s, keyless: false })), ...target.view.sorts.map((sort) => ({ table: target.view.name, sort, keyless: true }))];
    for (const { table, sort, keyless } of sorted) {
      it(`reads ${table} sorted by ${sort.column} ${sort.direction} (ties${keyless ? ' in a keyless view' : ' broken by the key'}) as the engine's ORDER BY`, async () => {
        const schema = await schemaOf(table);
        const { raw, session } = db();
        const key = keyOf(schema);
        assert.equal(key.length === 0, keyless, keyless ? 'the view has no row key' : 'the table has a row key');
        const read = await readAll(session, ref(table), { sort: [sort] });
        const order = [orderTerm(raw.dialect, sort.column, sort.direction), ...key.map((k) => `${quote(raw.dialect, k)} ASC`)];
        const expected = await engineRows(raw, ref(table), read.columns, everything, order);
        const sortIndex = read.columns.indexOf(sort.column);
        assert.ok(sortIndex >= 0, `${sort.column} is one of the page's columns`);
        assertSameRunsOfTies(read.rows, expected, sortIndex, `${table} by ${sort.column} ${sort.direction}`);
        // Keyed: the contract breaks ties by the row key, so the whole order is the engine's, row for row.
        if (!keyless) read.rows.forEach((row, i) => assert.deepEqual(row, expected[i], `row ${i}`));
      });
    }

    it('jumps to offsets (a scrollbar drag) and gets the rows reading from the top gets there', async () => {
      const { raw, session } = db();
      const jumps: { table: string; sort: SortKey[]; keyless: boolean }[] = [
        { table: target.filters.table, sort: [], keyless: false },
        { table: target.view.name, sort: [target.view.sorts[0]], keyless: true },
      ];
      await eachOf(jumps, (j) => `${j.table} ${JSON.stringify(j.sort)}`, async ({ table, sort, keyless }) => {
        const whole = await readAll(session, ref(table), { sort });
        const key = keyOf(await schemaOf(table));
        // Keyed: the engine's own LIMIT/OFFSET page. Keyless: ties have no order of the engine's to compare with, so
        // the page must be the same slice of the datasource's own sequential read (checked against the engine above).
        const expected = keyless ? whole.rows : await engineRows(raw, ref(table), whole.columns, everything, key.map((k) => `${quote(raw.dialect, k)} ASC`));
        const total = whole.rows.length;
        for (const offset of [1, Math.floor(total / 3), total - 5, total]) {
          const page = await session.readRows(ref(table), { limit: PAGE_SIZE, sort, offset });
          assert.deepEqual(page.rows.map((row) => row.map((v) => cell(v))), expected.slice(offset, offset + PAGE_SIZE), `the page at offset ${offset} of ${total}`);
        }
      });
    });

    describe('filters, as the engine answers them', () => {
      const f = target.filters;
      const filters: Filter[] = [
        ...(['eq', 'ne', 'lt', 'lte', 'gt', 'gte'] as const).map((op) => ({ column: f.number.column, op, value: f.number.value })),
        // On a column with NULLs, `ne` keeps them and `lt` never matches them (the contract's NULL rules).
        { column: f.nullable.column, op: 'ne', value: f.nullable.values[0] },
        { column: f.nullable.column, op: 'lt', value: f.nullable.values[0] },
        { column: f.nullable.column, op: 'isnull' },
        { column: f.nullable.column, op: 'notnull' },
        { column: f.nullable.column, op: 'in', value: f.nullable.values },
        { column: f.text.column, op: 'contains', value: f.text.contains },
        { column: f.text.column, op: 'startswith', value: f.text.startswith },
        { column: f.text.column, op: 'endswith', value: f.text.endswith },
      ];
      for (const filter of filters) {
        it(`${filter.column} ${filter.op} ${JSON.stringify(filter.value ?? null)}: the same count and rows`, async () => {
          const { raw, session } = db();
          const table = ref(f.table);
          const where = engineFilter(raw.dialect, filter);
          const [expectedCount, total] = [await engineCount(raw, table, where), await engineCount(raw, table, everything)];
          // A filter that keeps every row or none would pass even if the datasource ignored it.
          assert.ok(expectedCount > 0 && expectedCount < total, `the operand should select some rows but not all (engine: ${expectedCount} of ${total})`);
          const count = await session.countRows(table, { filters: [filter] });
          assert.deepEqual({ count: count.count, exact: count.exact }, { count: expectedCount, exact: true });
          const schema = await schemaOf(f.table);
          const read = await readAll(session, table, { filters: [filter] });
          const expected = await engineRows(raw, table, read.columns, where, keyOf(schema).map((k) => `${quote(raw.dialect, k)} ASC`));
          assert.deepEqual(read.rows, expected);
        });
      }

      it(`${f.text.column} contains keeps accents: "${f.text.contains}" and "${f.text.unaccented}" find different rows`, async () => {
        const { raw, session } = db();
        const table = ref(f.table);
        const accented: Filter = { column: f.text.column, op: 'contains', value: f.text.contains };
        const plain: Filter = { column: f.text.column, op: 'contains', value: f.text.unaccented };
        const expected = [await engineCount(raw, table, engineFilter(raw.dialect, accented)), await engineCount(raw, table, engineFilter(raw.dialect, plain))];
        assert.notEqual(expected[0], expected[1], 'the needles must tell accent folding apart in this data');
        const counts = [(await session.countRows(table, { filters: [accented] })).count, (await session.countRows(table, { filters: [plain] })).count];
        assert.deepEqual(counts, expected);
      });
    });

    for (const { table, groupBy, measure } of target.aggregates) {
      it(`aggregates ${measure} by ${groupBy} in ${table} as the engine's GROUP BY`, async () => {
        const { raw, session } = db();
        assert.ok(session.aggregate, 'the datasource aggregates');
        const result = await session.aggregate(ref(table), {
          groupBy: [{ column: groupBy }],
          measures: [
            { op: 'count', as: 'n' },
            { op: 'sum', column: measure, as: 'sum' },
            { op: 'min', column: measure, as: 'min' },
            { op: 'max', column: measure, as: 'max' },
            { op: 'mean', column: measure, as: 'mean' },
          ],
        });
        assert.equal(result.sample, undefined, 'an aggregate without `sample` is exact');
        const at = (name: string) => {
          const index = result.columns.indexOf(name);
          assert.ok(index >= 0, `the result has a column ${name} (has ${result.columns.join(', ')})`);
          return index;
        };
        const [g, n, sum, min, max, mean] = [groupBy, 'n', 'sum', 'min', 'max', 'mean'].map(at);
        const q = (c: string) => quote(raw.dialect, c);
        const expected = await raw.query(
          `SELECT ${q(groupBy)}, COUNT(*), SUM(${q(measure)}), MIN(${q(measure)}), MAX(${q(measure)}), AVG(${q(measure)}) FROM ${qualified(raw.dialect, ref(table))} GROUP BY ${q(groupBy)}`,
        );
        assert.ok(expected.length > 1, 'the grouping column has several groups');
        const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
        const actual = result.rows.map((row) => [text(row[g]), text(row[n]), text(row[sum]), text(row[min]), text(row[max])]);
        const sortByGroup = (rows: (string | null)[][]) => [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        // Counts, sums, minimums and maximums are exact: the same digits as the engine's own answer.
        assert.deepEqual(sortByGroup(actual), sortByGroup(expected.map((row) => row.slice(0, 5))));
        // Means are a division: engines print them with different numbers of digits, so they agree to 12 places.
        const means = new Map(expected.map((row) => [String(row[0]), Number(row[5])]));
        for (const row of result.rows) {
          const want = means.get(String(row[g]));
          assert.ok(want !== undefined && Math.abs(Number(row[mean]) - want) <= 1e-12 * Math.max(1, Math.abs(want)), `mean of ${String(row[g])}: ${String(row[mean])} vs the engine's ${want}`);
        }
      });
    }

    describeRealDataWrites(target);
  });
}
