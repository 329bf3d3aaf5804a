// What a MySQL transaction (mysqlSession.ts) keeps track of: which writes went to engines that cannot roll back,
// and whether the server rolled the whole transaction back because a concurrent one won.
import { datasourceError, isDatasourceError } from '../kit/errors';
import type { TableDetails } from './introspection';
import type { WriteHooks } from './tableOperations';

/** A transaction the server rolled back whole because a concurrent one won (deadlock, certification failure). */
export class RetryableAbort extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** Which writes of one transaction went to tables that cannot roll back. */
export class TransactionState implements WriteHooks {
  private readonly written = new Map<string, { details: TableDetails; count: number }>();

  constructor(private readonly warn: (details: TableDetails) => void) {}

  beforeWrite(details: TableDetails): void {
    if (!details.transactional) this.warn(details);
  }

  afterWrite(details: TableDetails): void {
    if (details.transactional) return;
    const id = `${details.database}.${details.schema.table.name}`;
    const entry = this.written.get(id) ?? { details, count: 0 };
    entry.count++;
    this.written.set(id, entry);
  }

  /** Whether the rollback undid every write (none went to a non-transactional engine). */
  rollsBackEverything(): boolean {
    return this.written.size === 0;
  }

  /** The error of a failed transaction, saying which earlier changes a non-transactional engine kept. */
  explain(error: Error): Error {
    if (this.written.size === 0 || !isDatasourceError(error)) return error;
    const kept = [...this.written.values()]
      .map(({ details, count }) => `${count} change${count === 1 ? '' : 's'} to \`${details.database}\`.\`${details.schema.table.name}\` (${details.engine ?? 'non-transactional'} engine)`)
      .join(', ');
    const message = `${error.message} The rest of the save was rolled back, but ${kept} stayed written: that storage engine cannot roll back. Convert the table to InnoDB to save all-or-nothing.`;
    return datasourceError(error.code, message, {
      cause: error,
      ...('current' in error ? { current: error.current ?? null } : {}),
      ...(error.column !== undefined ? { column: error.column } : {}),
    });
  }
}
