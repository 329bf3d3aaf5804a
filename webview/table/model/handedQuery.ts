import type { ColumnSchema } from '../../../api';
import type { ViewQuery } from '../../../api/webview';
import { valueText } from '../../shared/model/cellFormat';
import type { FilterDraft } from '../../shared/model/filterModel';
import type { GridState } from './gridState';

/**
 * The query another view of this tab handed over (init.query, API 1.2) as grid state: sort, filters as editable
 * drafts, search text. Used only when the grid has no state of its own; columns the table lacks are dropped, and
 * a search limited to some columns becomes the grid's search over all text columns (the grid has no column list).
 */
export function stateFromQuery(state: GridState, query: ViewQuery | undefined, columns: readonly ColumnSchema[]): GridState {
  if (!query) return state;
  const byName = new Map(columns.map((c) => [c.name, c]));
  const sort = (query.sort ?? []).filter((s) => byName.has(s.column)).map((s) => ({ column: s.column, direction: s.direction }));
  const filters: FilterDraft[] = [];
  for (const f of query.filters ?? []) {
    const column = byName.get(f.column);
    if (!column) continue;
    const text = f.value === undefined ? '' : Array.isArray(f.value) ? f.value.map((v) => valueText(v, column)).join(', ') : valueText(f.value, column);
    filters.push({ column: f.column, op: f.op, text });
  }
  const search = query.search?.text ?? '';
  return { ...state, sort, filters, search, showFilters: state.showFilters || filters.length > 0 };
}
