import type { RowKey } from '../../../api';
import type { ViewQuery } from '../../../api/webview';
import type { WirePendingChange, WireQuery } from '../../../shared/protocol';
import { decodeQuery, encodeQuery } from '../../../shared/protocolCodec';
import { decodeRecord, type WireRecord } from '../../../shared/values';

// What a form tab remembers across hide/show and window reloads (getState/setState): the query it walks, where it
// stands, and the unsaved edits. Restored defensively: state written by another version is ignored, and a tab
// that Nocoflo hands a different query or a row to focus (a view switch, a followed foreign key) starts there.

export interface FormState {
  version: 1;
  query: WireQuery;
  /** Index in the query's rows; absent while a record is shown on its own (`focus`). */
  position?: number;
  /** The record shown on its own (opened by key and not locatable in the query, or just inserted). */
  focus?: WireRecord;
  /** Index into the pending inserts when a new record is shown. */
  insert?: number;
  pending: WirePendingChange[];
  /** Text typed that is not a valid value yet: an existing row by its id, a new record by its index among inserts. */
  drafts?: SavedDraft[];
}

export interface SavedDraft {
  row: { id: string } | { insert: number };
  column: string;
  text: string;
  error: string;
}

export interface RestoredForm {
  query: ViewQuery;
  position: number;
  focus?: RowKey;
  insert?: number;
  pending?: WirePendingChange[];
  drafts?: SavedDraft[];
}

const isDraft = (d: unknown): d is SavedDraft => {
  if (typeof d !== 'object' || d === null) return false;
  const { row, column, text, error } = d as Partial<SavedDraft>;
  const rowOk = typeof row === 'object' && row !== null && (typeof (row as { id?: unknown }).id === 'string' || Number.isInteger((row as { insert?: unknown }).insert));
  return rowOk && typeof column === 'string' && typeof text === 'string' && typeof error === 'string';
};

const sameQuery = (a: ViewQuery | undefined, b: WireQuery | undefined): boolean => JSON.stringify(encodeQuery(a ?? {})) === JSON.stringify(encodeQuery(decodeQuery(b ?? {})));

/**
 * `initQuery` is what Nocoflo says the tab shows (after a reload: the form's own latest query; after a switch: the
 * previous view's), `initFocus` a row it was asked to show.
 */
export function restoreFormState(saved: unknown, initQuery: ViewQuery | undefined, initFocus: RowKey | undefined): RestoredForm {
  const fresh: RestoredForm = { query: initQuery ?? {}, position: 0, ...(initFocus ? { focus: initFocus } : {}) };
  if (typeof saved !== 'object' || saved === null) return fresh;
  const state = saved as Partial<FormState>;
  if (state.version !== 1 || !Array.isArray(state.pending)) return fresh;
  // Unsaved edits (and text still being fixed) are kept whatever else changed: losing work takes an explicit Discard.
  const drafts = Array.isArray(state.drafts) ? state.drafts.filter(isDraft) : [];
  const withPending: RestoredForm = { ...fresh, pending: state.pending, ...(drafts.length > 0 ? { drafts } : {}) };
  try {
    if (initFocus || (initQuery !== undefined && !sameQuery(initQuery, state.query))) return withPending;
    const query = decodeQuery(state.query ?? {});
    const focus = state.focus ? decodeRecord(state.focus) : undefined;
    const position = typeof state.position === 'number' && Number.isInteger(state.position) && state.position >= 0 ? state.position : 0;
    return { ...withPending, query, position, ...(focus ? { focus } : {}), ...(typeof state.insert === 'number' && state.insert >= 0 ? { insert: state.insert } : {}) };
  } catch {
    return withPending;
  }
}
