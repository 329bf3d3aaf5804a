import type { Filter, SortKey } from '../../api';
import type { NocofloViewClient, ViewInit } from '../../api/webview';

// View client members added in API 1.2 (optional on the interfaces: a view must work with a 1.0 client too).
// Read through these helpers so the chart keeps working, with less, where a client does not have them.

export interface InitQuery {
  sort?: SortKey[];
  filters?: Filter[];
  search?: { text: string; columns?: string[] };
}

export interface SaveFileRequest {
  suggestedName: string;
  filters?: Record<string, string[]>;
  data: Uint8Array | string;
}

interface ClientExtras {
  setViewConfig?(config: unknown): void;
  saveFile?(file: SaveFileRequest): Promise<boolean>;
}

/** The query of the view the user switched from, when the client hands one over. */
export function initQuery(init: ViewInit): InitQuery | undefined {
  const query = (init as ViewInit & { query?: unknown }).query;
  return typeof query === 'object' && query !== null ? (query as InitQuery) : undefined;
}

export const extras = (client: NocofloViewClient): ClientExtras => client as NocofloViewClient & ClientExtras;
