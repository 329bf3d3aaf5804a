import type { ViewPlugin } from '../../api';

export type ViewSelectionStrategy = 'auto' | 'manual' | 'priority';

export type ViewChoice =
  | { kind: 'view'; view: ViewPlugin; reason: 'requested' | 'preference' | 'auto' | 'priority' | 'only' }
  | { kind: 'ask'; candidates: ViewPlugin[] }
  | { kind: 'none'; reason: string };

export interface ViewSelectionInput {
  /** Views whose canHandle is true, highest priority first (from PluginRegistry.viewsFor). */
  candidates: ViewPlugin[];
  strategy: ViewSelectionStrategy;
  /** Plugin ids in preference order for the "priority" strategy. */
  order: readonly string[];
  /** A view id the caller asked for explicitly (Open as…, openTable(table, viewId)). */
  requested?: string;
  /** The stored (table, user) preference. */
  preferred?: string;
}

/**
 * Decides which view opens a table. An explicit request or a stored preference wins when that view can handle
 * the table; otherwise the configured strategy decides. Views that are disabled or failed never reach here.
 */
export function chooseView(input: ViewSelectionInput): ViewChoice {
  const { candidates } = input;
  if (candidates.length === 0) return { kind: 'none', reason: 'No enabled view can show this table.' };
  const byId = (id: string | undefined) => (id ? candidates.find((v) => v.id === id) : undefined);

  if (input.requested !== undefined) {
    const view = byId(input.requested);
    return view
      ? { kind: 'view', view, reason: 'requested' }
      : { kind: 'none', reason: `View "${input.requested}" is not available for this table (disabled, failed, or it cannot show it).` };
  }
  const preferred = byId(input.preferred);
  if (preferred) return { kind: 'view', view: preferred, reason: 'preference' };
  if (candidates.length === 1) return { kind: 'view', view: candidates[0], reason: 'only' };

  switch (input.strategy) {
    case 'manual':
      return { kind: 'ask', candidates };
    case 'priority': {
      const first = input.order.map((id) => byId(id)).find((v) => v !== undefined);
      return first ? { kind: 'view', view: first, reason: 'priority' } : { kind: 'view', view: candidates[0], reason: 'auto' };
    }
    case 'auto':
      return { kind: 'view', view: candidates[0], reason: 'auto' };
  }
}
