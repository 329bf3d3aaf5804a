// Advisory row locks, shared by every panel and every VS Code window through the metadata file (table `row_locks`,
// migration 2). A lock says "someone is editing this record in a form"; it protects nothing by itself (writes are
// still checked against the values read, see TableService), it only lets others see and wait. So a lock must never
// outlive its editor: holders renew it (heartbeat), and one not renewed for `ttlMs` is stale and anyone may take it.
import type { SqlValue } from 'sql.js';
import type { Disposable, TableLocator } from '../../../api';

export { rowKeyText } from '../../../shared/rowLocks';

/** The part of sql.js's Database a write uses. */
interface LockDb {
  run(sql: string, params?: SqlValue[]): unknown;
  exec(sql: string, params?: SqlValue[]): { columns: string[]; values: SqlValue[][] }[];
  getRowsModified(): number;
}

/** The part of MetadataFile the lock store uses. */
export interface LockStorage {
  rows(sql: string, params?: SqlValue[]): Record<string, SqlValue>[];
  write<T>(mutate: (db: LockDb) => T): Promise<T>;
  onDidChange(listener: () => void): Disposable;
}

export interface RowLock {
  table: TableLocator;
  /** Canonical text of the row key (shared/rowLocks.ts rowKeyText). */
  rowKey: string;
  /** The user shown as holder ("Locked by alice"). */
  owner: string;
  /** Who holds it: one panel in one window. */
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

export type AcquireResult = { ok: true; lock: RowLock } | { ok: false; heldBy: RowLock };

export interface LockStoreOptions {
  /** Shown to others as the lock's owner. */
  owner: string;
  /** A lock not renewed for this long is stale. Default two minutes. */
  ttlMs?: number;
  now?: () => number;
}

export const DEFAULT_LOCK_TTL_MS = 120_000;

const COLUMNS = 'datasource_id, schema_name, table_name, row_key, owner, session_id, acquired_at, expires_at';

function toLock(r: Record<string, SqlValue>): RowLock {
  const schema = String(r.schema_name ?? '');
  return {
    table: { datasourceId: String(r.datasource_id), ...(schema ? { schema } : {}), name: String(r.table_name) },
    rowKey: String(r.row_key),
    owner: String(r.owner),
    holder: String(r.session_id),
    acquiredAt: String(r.acquired_at),
    expiresAt: String(r.expires_at),
  };
}

export class LockStore {
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly storage: LockStorage,
    private readonly options: LockStoreOptions,
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Fires when another window changed the metadata file (locks may have come or gone). */
  onDidChange(listener: () => void): Disposable {
    return this.storage.onDidChange(listener);
  }

  /**
   * Takes the lock for `holder`, or renews it when `holder` has it already. Refused, with the live lock, when
   * someone else holds it and it is not stale. A stale lock is replaced.
   */
  async acquire(table: TableLocator, rowKey: string, holder: string): Promise<AcquireResult> {
    const at = this.now();
    return this.storage.write((db) => {
      const current = this.find(db, table, rowKey);
      if (current && current.holder !== holder && Date.parse(current.expiresAt) > at) return { ok: false, heldBy: current };
      const lock: RowLock = {
        table,
        rowKey,
        owner: this.options.owner,
        holder,
        acquiredAt: current?.holder === holder ? current.acquiredAt : new Date(at).toISOString(),
        expiresAt: new Date(at + this.ttlMs).toISOString(),
      };
      db.run(`INSERT OR REPLACE INTO row_locks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
        table.datasourceId,
        table.schema ?? '',
        table.name,
        rowKey,
        lock.owner,
        holder,
        lock.acquiredAt,
        lock.expiresAt,
      ]);
      return { ok: true, lock };
    });
  }

  /** Extends every lock of the given holders (the heartbeat); a lock that was broken meanwhile stays gone. */
  async renew(holders: readonly string[]): Promise<void> {
    if (holders.length === 0) return;
    const expiresAt = new Date(this.now() + this.ttlMs).toISOString();
    const marks = holders.map(() => '?').join(', ');
    await this.storage.write((db) => db.run(`UPDATE row_locks SET expires_at = ? WHERE session_id IN (${marks})`, [expiresAt, ...holders]));
  }

  /** Releases a lock if `holder` has it; someone else's lock is left alone. */
  async release(table: TableLocator, rowKey: string, holder: string): Promise<void> {
    await this.storage.write((db) =>
      db.run('DELETE FROM row_locks WHERE datasource_id = ? AND schema_name = ? AND table_name = ? AND row_key = ? AND session_id = ?', [
        table.datasourceId,
        table.schema ?? '',
        table.name,
        rowKey,
        holder,
      ]),
    );
  }

  /** Releases everything `holders` have (a closed panel, a closing window). */
  async releaseAll(holders: readonly string[]): Promise<void> {
    if (holders.length === 0) return;
    await this.storage.write((db) => db.run(`DELETE FROM row_locks WHERE session_id IN (${holders.map(() => '?').join(', ')})`, [...holders]));
  }

  /** Removes whoever's lock is on the row (an admin's "Break lock"); returns the lock that was broken. */
  async breakLock(table: TableLocator, rowKey: string): Promise<RowLock | undefined> {
    return this.storage.write((db) => {
      const current = this.find(db, table, rowKey);
      db.run('DELETE FROM row_locks WHERE datasource_id = ? AND schema_name = ? AND table_name = ? AND row_key = ?', [
        table.datasourceId,
        table.schema ?? '',
        table.name,
        rowKey,
      ]);
      return current;
    });
  }

  /** Live (not stale) locks on a table, as the latest committed state of the file has them. */
  locksOn(table: TableLocator): RowLock[] {
    const at = new Date(this.now()).toISOString();
    return this.storage
      .rows(`SELECT ${COLUMNS} FROM row_locks WHERE datasource_id = ? AND schema_name = ? AND table_name = ? AND expires_at > ? ORDER BY acquired_at`, [
        table.datasourceId,
        table.schema ?? '',
        table.name,
        at,
      ])
      .map(toLock);
  }

  /** Which of `holders`' locks are still theirs and live; used to notice a broken or taken-over lock. */
  heldBy(holders: readonly string[]): RowLock[] {
    if (holders.length === 0) return [];
    const at = new Date(this.now()).toISOString();
    return this.storage.rows(`SELECT ${COLUMNS} FROM row_locks WHERE session_id IN (${holders.map(() => '?').join(', ')}) AND expires_at > ?`, [...holders, at]).map(toLock);
  }

  /** Deletes stale locks (so the table does not grow with crashed windows' leftovers); returns how many. */
  async expireStale(): Promise<number> {
    const at = new Date(this.now()).toISOString();
    return this.storage.write((db) => {
      db.run('DELETE FROM row_locks WHERE expires_at <= ?', [at]);
      return db.getRowsModified();
    });
  }

  /** Reads inside a write, on the fresh copy the write took under the cross-window lock. */
  private find(db: LockDb, table: TableLocator, rowKey: string): RowLock | undefined {
    const result = db.exec(`SELECT ${COLUMNS} FROM row_locks WHERE datasource_id = ? AND schema_name = ? AND table_name = ? AND row_key = ?`, [
      table.datasourceId,
      table.schema ?? '',
      table.name,
      rowKey,
    ])[0];
    const values = result?.values[0];
    return result && values ? toLock(Object.fromEntries(result.columns.map((c, i) => [c, values[i]!]))) : undefined;
  }
}
