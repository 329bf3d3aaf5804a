// The tables and columns a SQL editor completes and explains, per connection: loaded once when first asked (never at
// activation), kept until the tree refreshes that connection, and always read within a time budget so that a slow or
// dead connection gives no items rather than a stalled editor. A load that overran its budget goes on in the
// background, so the next keystroke finds it.
import type { TableInfo, TableLocator, TableSchema } from '../../../api';

export interface CatalogSource {
  tableInfos(datasourceId: string): Promise<TableInfo[]>;
  schema(table: TableLocator): Promise<TableSchema>;
}

/** How long a failed load is remembered before a keystroke tries the connection again. */
const FAILURE_MEMORY_MS = 30_000;

/** Resolves to undefined when `pending` has not settled within `budgetMs` or failed. */
export function withinBudget<T>(pending: Promise<T>, budgetMs: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), budgetMs);
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

export class SqlCatalog {
  private readonly tables = new Map<string, Promise<TableInfo[]>>();
  private readonly schemas = new Map<string, Promise<TableSchema>>();

  constructor(
    private readonly source: CatalogSource,
    private readonly now: () => number = Date.now,
  ) {}

  /** The tables and views of a connection, or undefined when they are not there within the budget. */
  tablesOf(datasourceId: string, budgetMs: number): Promise<TableInfo[] | undefined> {
    return withinBudget(this.remembered(this.tables, datasourceId, () => this.source.tableInfos(datasourceId)), budgetMs);
  }

  /** A table's schema, or undefined when it is not there within the budget. */
  schemaOf(table: TableLocator, budgetMs: number): Promise<TableSchema | undefined> {
    const key = JSON.stringify([table.datasourceId, table.schema ?? null, table.name]);
    return withinBudget(this.remembered(this.schemas, key, () => this.source.schema(table)), budgetMs);
  }

  /** Starts loading a connection's tables (after a binding), without waiting. */
  warm(datasourceId: string): void {
    void this.remembered(this.tables, datasourceId, () => this.source.tableInfos(datasourceId)).catch(() => undefined);
  }

  /** Drops what is known of one connection, or of all. */
  forget(datasourceId?: string): void {
    if (datasourceId === undefined) {
      this.tables.clear();
      this.schemas.clear();
      return;
    }
    this.tables.delete(datasourceId);
    for (const key of [...this.schemas.keys()]) if ((JSON.parse(key) as unknown[])[0] === datasourceId) this.schemas.delete(key);
  }

  private remembered<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let pending = cache.get(key);
    if (!pending) {
      const started = this.now();
      pending = load();
      cache.set(key, pending);
      const stored = pending;
      pending.catch(() => {
        // A failure is kept for a while: a dead connection is not dialled again on every keystroke.
        const left = Math.max(0, FAILURE_MEMORY_MS - (this.now() - started));
        setTimeout(() => {
          if (cache.get(key) === stored) cache.delete(key);
        }, left).unref?.();
      });
    }
    return pending;
  }
}
