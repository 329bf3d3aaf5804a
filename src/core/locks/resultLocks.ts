// Row locks of an editable query result are the locks of its base table's rows: a lock taken on a row of
// `SELECT * FROM Customer WHERE Country = 'Brazil'` is the same lock the Customer tab (in this window or another)
// sees and respects, and the other way round. The result names columns its own way (aliases), so keys are
// translated between the result's column names and the table's on the way in and out.
import type { RowKey } from '../../../api';
import { rowKeyFromText, rowKeyText, type WireRowLock } from '../../../shared/rowLocks';
import type { ResultMapping } from '../queries/queryResults';
import type { PanelLocks } from './windowLocks';

type KeyMapping = Pick<ResultMapping, 'toBase' | 'toResult'>;

function renamed(key: RowKey, names: ReadonlyMap<string, string>): RowKey | undefined {
  const out: RowKey = {};
  for (const [column, value] of Object.entries(key)) {
    const name = names.get(column);
    if (name === undefined) return undefined;
    out[name] = value;
  }
  return out;
}

/** A base table's lock as the result shows it; undefined when the result does not show that key (never for an editable result). */
function lockForResult(lock: WireRowLock, mapping: KeyMapping): WireRowLock | undefined {
  const key = renamed(rowKeyFromText(lock.rowKey), mapping.toResult);
  return key ? { ...lock, rowKey: rowKeyText(key) } : undefined;
}

export const locksForResult = (locks: readonly WireRowLock[], mapping: KeyMapping): WireRowLock[] =>
  locks.map((lock) => lockForResult(lock, mapping)).filter((lock): lock is WireRowLock => lock !== undefined);

/**
 * A result tab's PanelLocks over `onBase`, the locks attached to the base table (whose change callback the caller
 * maps with locksForResult): keys the view sends are the result's, the store's are the table's.
 */
export function resultLocks(onBase: PanelLocks, mapping: KeyMapping): PanelLocks {
  const toBase = (key: RowKey): RowKey => {
    const base = renamed(key, mapping.toBase);
    if (!base) throw new Error(`The row key names a column that is not a column of the result's table: ${Object.keys(key).join(', ')}.`);
    return base;
  };
  return {
    acquire: async (key) => onBase.acquire(toBase(key)),
    release: async (key) => onBase.release(toBase(key)),
    breakLock: async (key) => onBase.breakLock(toBase(key)),
    current: () => locksForResult(onBase.current(), mapping),
    dispose: () => onBase.dispose(),
  };
}
