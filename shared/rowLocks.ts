// Advisory row locks as host and views see them. A lock names its row by one canonical text of the row key, the
// same on both sides (and in the metadata file), so a view can match locks to the rows it shows without another
// round trip.
import type { RowKey } from '../api';
import type { RowLockInfo } from '../api/webview';
import { decodeValue, encodeValue, type WireValue } from './values';

/**
 * A lock on a row of the panel's table, as the `locks` notification carries it: the API's RowLockInfo with the key
 * as `rowKeyText`, which the view client turns back into a key.
 */
export type WireRowLock = Omit<RowLockInfo, 'key'> & { rowKey: string };

/** One text per row key whatever the order of its columns; values keep their type (1 ≠ "1", bigints, bytes). */
export function rowKeyText(key: RowKey): string {
  return JSON.stringify(
    Object.keys(key)
      .sort()
      .map((column) => [column, encodeValue(key[column]!)]),
  );
}

/** The row key back from its text; throws on text that `rowKeyText` did not write. */
export function rowKeyFromText(text: string): RowKey {
  const entries = JSON.parse(text) as unknown;
  if (!Array.isArray(entries)) throw new Error('a row key text is a list of [column, value] pairs');
  return Object.fromEntries(
    entries.map((entry: unknown) => {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') throw new Error('a row key text is a list of [column, value] pairs');
      return [entry[0], decodeValue(entry[1] as WireValue)];
    }),
  );
}

/** "14:02" in the user's time zone, or the date too when the lock is from another day. */
export function lockTime(since: string, now = new Date()): string {
  const at = new Date(since);
  if (Number.isNaN(at.getTime())) return since;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  return at.toDateString() === now.toDateString() ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}
