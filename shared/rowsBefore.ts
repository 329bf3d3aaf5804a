import type { CellValue, Filter, SortKey } from '../api';

// Where a record stands in a view's order, told with the filters every datasource already understands. The
// datasources order rows by the sort keys, then by the row key columns (ascending) as the tiebreak, with NULLs
// first ascending and last descending (plugins/kit/sql/queryBuilder.ts `ordering` and `after`, the REST plugin's
// queryPlan.ts). The rows before a record are then a disjunction: `s1 before v1`, `s1 = v1 AND s2 before v2`, …
// Filters are AND-only, so each disjunct is one branch; the branches are disjoint, so counting each (with the
// view's own filters ANDed in) and adding the counts gives the record's index. Pure, for plain-Node tests.

export type RowsBefore = { ok: true; branches: Filter[][] } | { ok: false; why: string };

/**
 * The branches whose counts add up to the number of rows before the record with `values` (its cells, and its key
 * for columns such as a rowid that are not cells) in the order `sort` then `keyColumns`. `nullable` says whether a
 * sort column may hold NULL; an unknown column is taken as nullable, which only costs a count that comes back 0.
 * `why` (for "cannot be told") completes "its position in this order cannot be told: …".
 */
export function rowsBeforeBranches(
  values: Readonly<Record<string, CellValue | undefined>>,
  keyColumns: readonly string[],
  sort: readonly SortKey[] | undefined,
  nullable: (column: string) => boolean = () => true,
): RowsBefore {
  if (keyColumns.length === 0) return { ok: false, why: 'the table has no row key to break ties between equal rows' };
  const order: { column: string; direction: 'asc' | 'desc'; nullable: boolean }[] = [];
  for (const s of sort ?? []) {
    // A column sorted twice is decided by its first place (equal there, equal again).
    if (!order.some((o) => o.column === s.column)) order.push({ column: s.column, direction: s.direction, nullable: !keyColumns.includes(s.column) && nullable(s.column) });
  }
  for (const column of keyColumns) if (!order.some((o) => o.column === column)) order.push({ column, direction: 'asc', nullable: false });

  const branches: Filter[][] = [];
  const equal: Filter[] = [];
  const keysLeft = new Set(keyColumns);
  for (const { column, direction, nullable: mayBeNull } of order) {
    // Once every key column is fixed, only this record is left: later columns order nothing.
    if (keysLeft.size === 0) break;
    const value = values[column];
    if (value === undefined) return { ok: false, why: `the value of "${column}" is not known` };
    if (value instanceof Uint8Array) return { ok: false, why: `it is ordered by "${column}", binary data the filters cannot compare` };
    if (typeof value === 'number' && Number.isNaN(value)) return { ok: false, why: `"${column}" is NaN, which has no place in an order` };
    if (value === null) {
      // NULL sorts first ascending (nothing before it here) and last descending (every non-NULL value is before).
      if (direction === 'desc') branches.push([...equal, { column, op: 'notnull' }]);
      equal.push({ column, op: 'isnull' });
    } else {
      if (direction === 'asc') {
        branches.push([...equal, { column, op: 'lt', value }]);
        if (mayBeNull) branches.push([...equal, { column, op: 'isnull' }]);
      } else branches.push([...equal, { column, op: 'gt', value }]);
      equal.push({ column, op: 'eq', value });
    }
    keysLeft.delete(column);
  }
  return { ok: true, branches };
}
