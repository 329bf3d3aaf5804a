import type { ColumnKind, ColumnSchema, FilterOperator, SortKey } from '../../../api';
import type { WirePendingChange } from '../../../shared/protocol';
import type { FilterDraft } from '../../shared/model/filterModel';
import type { Selection } from './selection';

// What a tab remembers across hide/show and window reloads (webview getState/setState). Read back defensively:
// the table may have lost columns since, and the state may come from an older build.

export interface GridState {
  version: 1;
  sort: SortKey[];
  filters: FilterDraft[];
  search: string;
  showFilters: boolean;
  widths: Record<string, number>;
  hidden: string[];
  /** Virtual scroll offset in px and horizontal scroll. */
  scrollTop: number;
  scrollLeft: number;
  selection?: Selection;
  /** Unsaved edits, in wire form (the state is stored as JSON). */
  pending?: WirePendingChange[];
}

export const MIN_WIDTH = 40;
export const MAX_WIDTH = 2_000;

export function defaultWidth(column: Pick<ColumnSchema, 'kind' | 'name'>): number {
  const byKind: Partial<Record<ColumnKind, number>> = { integer: 90, float: 110, decimal: 110, boolean: 80, date: 110, time: 100, datetime: 170, datetimetz: 200, uuid: 290, blob: 170, json: 240 };
  const fromName = 24 + column.name.length * 8;
  return Math.max(byKind[column.kind] ?? 180, Math.min(fromName, 260));
}

export function initialState(): GridState {
  return { version: 1, sort: [], filters: [], search: '', showFilters: false, widths: {}, hidden: [], scrollTop: 0, scrollLeft: 0 };
}

const OPS: readonly FilterOperator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startswith', 'endswith', 'isnull', 'notnull', 'in'];
const finite = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);
const isPos = (v: unknown): v is { row: number; col: number } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { row?: unknown }).row) && Number.isInteger((v as { col?: unknown }).col);

/** Restores what still makes sense for `columns`; anything malformed falls back to the default. */
export function restoreState(raw: unknown, columns: readonly ColumnSchema[]): GridState {
  const state = initialState();
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) return state;
  const r = raw as Partial<Record<keyof GridState, unknown>>;
  const names = new Set(columns.map((c) => c.name));
  if (Array.isArray(r.sort)) {
    state.sort = r.sort.filter(
      (s): s is SortKey => typeof s === 'object' && s !== null && names.has((s as SortKey).column) && ((s as SortKey).direction === 'asc' || (s as SortKey).direction === 'desc'),
    );
  }
  if (Array.isArray(r.filters)) {
    state.filters = r.filters
      .filter((f): f is FilterDraft => typeof f === 'object' && f !== null && names.has((f as FilterDraft).column) && OPS.includes((f as FilterDraft).op) && typeof (f as FilterDraft).text === 'string')
      .map((f) => ({ column: f.column, op: f.op, text: f.text }));
  }
  if (typeof r.search === 'string') state.search = r.search;
  state.showFilters = r.showFilters === true || state.filters.length > 0;
  if (typeof r.widths === 'object' && r.widths !== null) {
    for (const [name, width] of Object.entries(r.widths)) {
      if (names.has(name) && typeof width === 'number' && Number.isFinite(width)) state.widths[name] = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width));
    }
  }
  if (Array.isArray(r.hidden)) state.hidden = r.hidden.filter((h): h is string => typeof h === 'string' && names.has(h));
  // Never hide every column: an empty grid with no way back is worse than forgetting the choice.
  if (state.hidden.length >= columns.length) state.hidden = [];
  state.scrollTop = finite(r.scrollTop, 0);
  state.scrollLeft = finite(r.scrollLeft, 0);
  const selection = r.selection as Selection | undefined;
  if (selection && isPos(selection.anchor) && isPos(selection.focus)) state.selection = { anchor: { ...selection.anchor }, focus: { ...selection.focus } };
  if (Array.isArray(r.pending)) state.pending = r.pending as WirePendingChange[];
  return state;
}
