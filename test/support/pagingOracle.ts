// Paging checks shared by every datasource's tests: read a whole result by following `next` cursors, and compute
// the order Nocoflo promises independently of any database.
import * as assert from 'node:assert/strict';
import type { CellValue, DatasourceSession, ReadRowsRequest, SortKey, TableRef } from '../../api';

export async function readAllPages(session: DatasourceSession, table: TableRef, request: Omit<ReadRowsRequest, 'limit' | 'after'>, limit: number): Promise<CellValue[][]> {
  const rows: CellValue[][] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const page = await session.readRows(table, { ...request, limit, ...(after ? { after } : {}) });
    assert.ok(page.rows.length <= limit, 'a page holds at most `limit` rows');
    rows.push(...page.rows);
    if (!page.next) return rows;
    after = page.next;
  }
  throw new Error('paging did not end');
}

/**
 * Row ids in the order Nocoflo promises: the sort keys with NULLs first ascending (last descending), then the id
 * ascending as the tiebreak. `value` gives a row's value of a column.
 */
export function expectedOrder(ids: readonly number[], value: (id: number, column: string) => CellValue, sort: readonly SortKey[]): number[] {
  return [...ids].sort((x, y) => {
    for (const { column, direction } of sort) {
      const a = value(x, column);
      const b = value(y, column);
      if (a === b) continue;
      const cmp = a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
      return direction === 'asc' ? cmp : -cmp;
    }
    return x - y;
  });
}
