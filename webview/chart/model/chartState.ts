import type { ColumnSchema, Filter, FilterOperator } from '../../../api';
import type { WireFilter } from '../../../shared/protocol';
import { decodeFilter, encodeFilter } from '../../../shared/protocolCodec';
import { type ChartConfig, validateConfig } from './chartConfig';

// What a chart tab remembers across hide/show and window reloads (getState/setState): the builder's config and
// the filters it charts. Filters are stored in wire form (state is JSON; operands may be bigints or bytes).

export interface ChartState {
  version: 1;
  config?: ChartConfig;
  filters: WireFilter[];
}

const OPS: readonly FilterOperator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startswith', 'endswith', 'isnull', 'notnull', 'in'];

export function saveChartState(config: ChartConfig | undefined, filters: readonly Filter[]): ChartState {
  return { version: 1, ...(config ? { config } : {}), filters: filters.map(encodeFilter) };
}

/** Filters that still name a column of the table, with a known operator; anything else is dropped. */
export function validFilters(filters: readonly Filter[], columns: readonly ColumnSchema[]): Filter[] {
  return filters.filter((f) => columns.some((c) => c.name === f.column) && OPS.includes(f.op));
}

/** The saved state, checked against today's columns: foreign or stale parts are dropped, never trusted. */
export function restoreChartState(raw: unknown, columns: readonly ColumnSchema[]): { config?: ChartConfig; filters: Filter[] } {
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) return { filters: [] };
  const state = raw as { config?: unknown; filters?: unknown };
  const config = validateConfig(state.config, columns);
  const filters: Filter[] = [];
  if (Array.isArray(state.filters)) {
    for (const wire of state.filters) {
      if (typeof wire !== 'object' || wire === null || typeof (wire as WireFilter).column !== 'string') continue;
      try {
        filters.push(decodeFilter(wire as WireFilter));
      } catch {
        // A malformed operand (hand-edited or foreign state): that filter is dropped, the others stay.
      }
    }
  }
  return { ...(config ? { config } : {}), filters: validFilters(filters, columns) };
}
