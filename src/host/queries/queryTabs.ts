import type * as vscode from 'vscode';
import type { TableLocator } from '../../../api';

interface QueryTabRecord {
  datasourceId: string;
  name: string;
  text: string;
  savedQuery?: string;
  at: number;
}

const KEY = 'nocoflo.queryTabs';
/** Enough for every tab a window keeps open; older records only matter to tabs that are long closed. */
const MAX_RECORDS = 100;

/**
 * The host's own record of the query tabs it opened, kept per workspace. A restored tab's query must match one: its
 * webview's saved state only says which record it is, and text a view script wrote there is never run.
 */
export class QueryTabs {
  constructor(private readonly state: vscode.Memento) {}

  private records(): QueryTabRecord[] {
    const stored = this.state.get<unknown>(KEY, []);
    return Array.isArray(stored) ? (stored as QueryTabRecord[]).filter((r) => typeof r?.text === 'string' && typeof r.datasourceId === 'string' && typeof r.name === 'string') : [];
  }

  async remember(table: TableLocator, savedQuery?: string): Promise<void> {
    if (!table.query) return;
    const text = table.query.text;
    const others = this.records().filter((r) => !(r.datasourceId === table.datasourceId && r.text === text && r.name === table.name));
    const record: QueryTabRecord = { datasourceId: table.datasourceId, name: table.name, text, ...(savedQuery !== undefined ? { savedQuery } : {}), at: Date.now() };
    await this.state.update(KEY, [record, ...others].slice(0, MAX_RECORDS));
  }

  /** The recorded query for a tab being restored, or undefined when this window never opened it. */
  restore(table: TableLocator): TableLocator | undefined {
    const text = table.query?.text;
    const record = this.records().find((r) => r.datasourceId === table.datasourceId && r.name === table.name && r.text === text);
    return record ? { datasourceId: record.datasourceId, name: record.name, query: { text: record.text } } : undefined;
  }
}
