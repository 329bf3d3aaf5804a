import type { SortKey } from '../../../api';

/**
 * A header click: a plain click sorts by that column alone (ascending → descending → unsorted); a shift-click
 * adds the column to the sort or cycles it in place, keeping the other keys.
 */
export function toggleSort(sort: readonly SortKey[], column: string, additive: boolean): SortKey[] {
  const index = sort.findIndex((s) => s.column === column);
  const current = index >= 0 ? sort[index] : undefined;
  if (!additive) {
    if (sort.length === 1 && current?.direction === 'asc') return [{ column, direction: 'desc' }];
    if (sort.length === 1 && current?.direction === 'desc') return [];
    return [{ column, direction: 'asc' }];
  }
  if (!current) return [...sort, { column, direction: 'asc' }];
  if (current.direction === 'asc') return sort.map((s, i) => (i === index ? { column, direction: 'desc' } : s));
  return sort.filter((_, i) => i !== index);
}
