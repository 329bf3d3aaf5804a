import * as assert from 'node:assert/strict';
import type { CellValue, Filter, SortKey } from '../../api';
import { rowsBeforeBranches } from '../../shared/rowsBefore';

// The branches are checked two ways: their exact shape for the cases a reader can follow, and against a model of
// the datasources' order (sort keys, then the key ascending; NULLs first ascending, last descending) over many
// generated tables, where the counted rows must be exactly the rows that sort before each record.

const asc = (column: string): SortKey => ({ column, direction: 'asc' });
const desc = (column: string): SortKey => ({ column, direction: 'desc' });

function branchesOf(values: Record<string, CellValue>, keys: string[], sort?: SortKey[], nullable?: (c: string) => boolean): Filter[][] {
  const plan = rowsBeforeBranches(values, keys, sort, nullable);
  assert.ok(plan.ok, plan.ok ? '' : plan.why);
  return plan.branches;
}

type Row = Record<string, CellValue>;

function compare(a: CellValue, b: CellValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The datasources' order, as plugins/kit/sql/queryBuilder.ts builds it. */
function nocofloOrder(rows: Row[], keys: string[], sort: SortKey[]): Row[] {
  const order = [...sort, ...keys.filter((k) => !sort.some((s) => s.column === k)).map(asc)];
  return [...rows].sort((x, y) => {
    for (const { column, direction } of order) {
      const c = compare(x[column] ?? null, y[column] ?? null);
      if (c !== 0) return direction === 'asc' ? c : -c;
    }
    return 0;
  });
}

/** What a datasource's WHERE does with one filter (SQL semantics: comparisons with NULL are false). */
function matches(row: Row, f: Filter): boolean {
  const cell = row[f.column] ?? null;
  if (f.op === 'isnull') return cell === null;
  if (f.op === 'notnull') return cell !== null;
  if (cell === null) return false;
  const c = compare(cell, f.value as CellValue);
  return f.op === 'eq' ? c === 0 : f.op === 'lt' ? c < 0 : f.op === 'gt' ? c > 0 : assert.fail(`unexpected op ${f.op}`);
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('rows before a record in the view\'s order (shared/rowsBefore)', () => {
  it('counts with one branch for a single key with no sort or a sort by the key', () => {
    assert.deepEqual(branchesOf({ id: 7, name: 'x' }, ['id']), [[{ column: 'id', op: 'lt', value: 7 }]]);
    assert.deepEqual(branchesOf({ id: 7 }, ['id'], [desc('id')]), [[{ column: 'id', op: 'gt', value: 7 }]]);
    assert.deepEqual(branchesOf({ id: 7, name: 'b' }, ['id'], [desc('id'), asc('name')]), [[{ column: 'id', op: 'gt', value: 7 }]], 'after the key, nothing orders');
  });

  it('sorts by a non-key column with the key as the tiebreak, NULLs first ascending', () => {
    assert.deepEqual(branchesOf({ id: 7, name: 'b' }, ['id'], [asc('name')]), [
      [{ column: 'name', op: 'lt', value: 'b' }],
      [{ column: 'name', op: 'isnull' }],
      [{ column: 'name', op: 'eq', value: 'b' }, { column: 'id', op: 'lt', value: 7 }],
    ]);
    assert.deepEqual(
      branchesOf({ id: 7, name: 'b' }, ['id'], [asc('name')], (c) => c !== 'name'),
      [[{ column: 'name', op: 'lt', value: 'b' }], [{ column: 'name', op: 'eq', value: 'b' }, { column: 'id', op: 'lt', value: 7 }]],
      'a NOT NULL column needs no isnull branch',
    );
  });

  it('flips to gt descending, where NULLs come last', () => {
    assert.deepEqual(branchesOf({ id: 7, name: 'b' }, ['id'], [desc('name')]), [
      [{ column: 'name', op: 'gt', value: 'b' }],
      [{ column: 'name', op: 'eq', value: 'b' }, { column: 'id', op: 'lt', value: 7 }],
    ]);
  });

  it('places a NULL value: nothing before it ascending, every non-NULL value before it descending', () => {
    assert.deepEqual(branchesOf({ id: 7, name: null }, ['id'], [asc('name')]), [[{ column: 'name', op: 'isnull' }, { column: 'id', op: 'lt', value: 7 }]]);
    assert.deepEqual(branchesOf({ id: 7, name: null }, ['id'], [desc('name')]), [
      [{ column: 'name', op: 'notnull' }],
      [{ column: 'name', op: 'isnull' }, { column: 'id', op: 'lt', value: 7 }],
    ]);
  });

  it('breaks ties by every column of a composite key, in the key\'s order', () => {
    assert.deepEqual(branchesOf({ order_id: 3, sku: 'B', qty: 1 }, ['order_id', 'sku']), [
      [{ column: 'order_id', op: 'lt', value: 3 }],
      [{ column: 'order_id', op: 'eq', value: 3 }, { column: 'sku', op: 'lt', value: 'B' }],
    ]);
    assert.deepEqual(branchesOf({ order_id: 3, sku: 'B', qty: 1 }, ['order_id', 'sku'], [desc('sku'), asc('qty')]), [
      [{ column: 'sku', op: 'gt', value: 'B' }],
      [{ column: 'sku', op: 'eq', value: 'B' }, { column: 'qty', op: 'lt', value: 1 }],
      [{ column: 'sku', op: 'eq', value: 'B' }, { column: 'qty', op: 'isnull' }],
      [{ column: 'sku', op: 'eq', value: 'B' }, { column: 'qty', op: 'eq', value: 1 }, { column: 'order_id', op: 'lt', value: 3 }],
    ]);
  });

  it('takes a column sorted twice at its first place', () => {
    assert.deepEqual(branchesOf({ id: 1, n: 5 }, ['id'], [asc('n'), desc('n')], () => false), branchesOf({ id: 1, n: 5 }, ['id'], [asc('n')], () => false));
  });

  it('says why when the position cannot be told', () => {
    const why = (plan: ReturnType<typeof rowsBeforeBranches>) => (plan.ok ? assert.fail('expected cannot tell') : plan.why);
    assert.match(why(rowsBeforeBranches({ k: new Uint8Array([1, 2]) }, ['k'], undefined)), /"k", binary data/);
    assert.match(why(rowsBeforeBranches({ id: 1, blob: new Uint8Array([1]) }, ['id'], [asc('blob')])), /"blob", binary data/);
    assert.match(why(rowsBeforeBranches({ id: 1 }, ['id'], [asc('name')])), /value of "name" is not known/);
    assert.match(why(rowsBeforeBranches({ a: 1 }, [], undefined)), /no row key/);
    assert.match(why(rowsBeforeBranches({ id: 1, x: NaN }, ['id'], [asc('x')])), /NaN/);
    assert.ok(rowsBeforeBranches({ id: 1, blob: new Uint8Array([1]) }, ['id'], [asc('id'), asc('blob')]).ok, 'a binary column after the key orders nothing');
  });

  it('counts exactly the rows before each record, over generated tables with NULLs, ties, desc and composite keys', () => {
    const random = seeded(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    for (let table = 0; table < 60; table++) {
      const composite = random() < 0.5;
      const keys = composite ? ['a', 'b'] : ['id'];
      const rows: Row[] = [];
      const seen = new Set<string>();
      // 25 distinct keys: composite ones have 8 × 4 to choose from.
      while (rows.length < 25) {
        const row: Row = { id: Math.floor(random() * 1000), a: Math.floor(random() * 8), b: pick(['x', 'y', 'z', 'w']), s: random() < 0.3 ? null : pick(['p', 'q', 'r']), n: random() < 0.3 ? null : Math.floor(random() * 3) };
        const id = JSON.stringify(keys.map((k) => row[k]));
        if (seen.has(id)) continue;
        seen.add(id);
        rows.push(row);
      }
      const sorts = [[], [asc('s')], [desc('s')], [asc('n'), desc('s')], [desc('n'), asc('s')], [asc('s'), desc(keys[0]!)], [desc('b'), asc('n')]] as SortKey[][];
      for (const sort of sorts) {
        const ordered = nocofloOrder(rows, keys, sort);
        ordered.forEach((row, index) => {
          const counted = branchesOf(row, keys, sort)
            .map((branch) => rows.filter((r) => branch.every((f) => matches(r, f))).length)
            .reduce((x, y) => x + y, 0);
          assert.equal(counted, index, `table ${table}, sort ${JSON.stringify(sort)}, row ${JSON.stringify(row)}`);
        });
      }
    }
  });
});
