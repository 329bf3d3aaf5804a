// The row locks of one VS Code window: each tab (panel) is its own holder, so a second tab on the same table sees
// the first one's lock like another window's. The window renews its tabs' locks on a heartbeat, notices locks it
// lost (broken by an admin, or taken over after going stale), releases a closed tab's locks, and tells every tab
// which rows of its table are locked whenever that may have changed: its own tabs' actions, another window's
// change to the metadata file, or a lock going stale.
import { randomUUID } from 'node:crypto';
import type { Disposable, RowKey, TableLocator } from '../../../api';
import { rowKeyText, type WireRowLock } from '../../../shared/rowLocks';
import { errorMessage, type Logger } from '../log';
import { nocofloError } from '../pluginErrors';
import type { LockStore } from './lockStore';

export type LockAnswer = { ok: true } | { ok: false; owner: string; since: string };

/** One tab's access to row locks on its table. */
export interface PanelLocks extends Disposable {
  acquire(key: RowKey): Promise<LockAnswer>;
  release(key: RowKey): Promise<void>;
  /** Removes whoever's lock is on the row (admins only); false when there was none. */
  breakLock(key: RowKey): Promise<boolean>;
  /** The live locks on the table, as last read. */
  current(): WireRowLock[];
}

export interface WindowLocksOptions {
  log: Logger;
  /** Whether the user may break others' locks on this table; when not, the reason. */
  canBreak(table: TableLocator): { ok: true } | { ok: false; reason: string };
  /** How often held locks are renewed and others' locks re-read (default 30 s, a quarter of the lock lifetime). */
  heartbeatMs?: number;
}

interface Holder {
  id: string;
  table: TableLocator;
  held: Set<string>;
  onChange(locks: WireRowLock[]): void;
  last: string;
}

const sameTable = (a: TableLocator, b: TableLocator) => a.datasourceId === b.datasourceId && (a.schema ?? '') === (b.schema ?? '') && a.name === b.name;

export class WindowLocks implements Disposable {
  private readonly windowId = randomUUID();
  private readonly holders = new Map<string, Holder>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly subscription: Disposable;
  private closed = false;

  constructor(
    private readonly store: LockStore,
    private readonly options: WindowLocksOptions,
  ) {
    this.timer = setInterval(() => void this.heartbeat(), options.heartbeatMs ?? 30_000);
    this.timer.unref?.();
    this.subscription = store.onDidChange(() => this.notifyAll());
    // Leftovers of windows that crashed or were killed: nobody renews them any more.
    void store.expireStale().catch((error) => options.log.warn(`Row locks: removing stale locks failed: ${errorMessage(error)}`));
  }

  attach(table: TableLocator, onChange: (locks: WireRowLock[]) => void): PanelLocks {
    const holder: Holder = { id: `${this.windowId}:${randomUUID()}`, table, held: new Set(), onChange, last: '' };
    this.holders.set(holder.id, holder);
    return {
      acquire: async (key) => {
        const rowKey = rowKeyText(key);
        const result = await this.store.acquire(table, rowKey, holder.id);
        if (result.ok) holder.held.add(rowKey);
        this.notifyTable(table);
        return result.ok ? { ok: true } : { ok: false, owner: result.heldBy.owner, since: result.heldBy.acquiredAt };
      },
      release: async (key) => {
        const rowKey = rowKeyText(key);
        if (!holder.held.delete(rowKey)) return;
        await this.store.release(table, rowKey, holder.id);
        this.notifyTable(table);
      },
      breakLock: async (key) => {
        const verdict = this.options.canBreak(table);
        if (!verdict.ok) throw nocofloError('permission', verdict.reason);
        const broken = await this.store.breakLock(table, rowKeyText(key));
        if (broken) this.options.log.info(`Row locks: broke ${broken.owner}'s lock (since ${broken.acquiredAt}) on a row of ${table.name}`);
        this.forgetLost();
        this.notifyTable(table);
        return broken !== undefined;
      },
      current: () => this.read(holder),
      dispose: () => {
        if (!this.holders.delete(holder.id)) return;
        if (holder.held.size === 0) return;
        holder.held.clear();
        void this.store
          .releaseAll([holder.id])
          .then(() => this.notifyTable(table))
          .catch((error) => this.options.log.warn(`Row locks: releasing a closed tab's locks failed: ${errorMessage(error)}`));
      },
    };
  }

  /**
   * Releases every lock of this window and stops. The extension's `deactivate` calls it: VS Code disposes the
   * subscriptions (the metadata store among them) right after calling deactivate, without waiting, and the release
   * is written synchronously when no other window holds the settings file's lock (otherwise the locks go stale in
   * two minutes). A lock left behind would show the user's own tab, restored after a window reload, as locked by
   * themselves.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.subscription.dispose();
    const ids = [...this.holders.values()].filter((h) => h.held.size > 0).map((h) => h.id);
    this.holders.clear();
    try {
      await this.store.releaseAll(ids);
    } catch (error) {
      this.options.log.warn(`Row locks: releasing this window's locks failed: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    void this.close();
  }

  private async heartbeat(): Promise<void> {
    try {
      const ids = [...this.holders.values()].filter((h) => h.held.size > 0).map((h) => h.id);
      if (ids.length > 0) await this.store.renew(ids);
      this.forgetLost();
      this.notifyAll();
    } catch (error) {
      this.options.log.warn(`Row locks: renewing failed: ${errorMessage(error)}`);
    }
  }

  /** Drops held locks that are no longer ours (broken, or taken over after they went stale). */
  private forgetLost(): void {
    const withLocks = [...this.holders.values()].filter((h) => h.held.size > 0);
    if (withLocks.length === 0) return;
    const still = new Set(this.store.heldBy(withLocks.map((h) => h.id)).map((l) => `${l.holder}\n${l.rowKey}`));
    for (const holder of withLocks) {
      for (const rowKey of [...holder.held]) if (!still.has(`${holder.id}\n${rowKey}`)) holder.held.delete(rowKey);
    }
  }

  private read(holder: Holder): WireRowLock[] {
    return this.store.locksOn(holder.table).map((l) => ({ rowKey: l.rowKey, owner: l.owner, since: l.acquiredAt, mine: l.holder === holder.id }));
  }

  private notifyTable(table: TableLocator): void {
    for (const holder of this.holders.values()) if (sameTable(holder.table, table)) this.notify(holder);
  }

  private notifyAll(): void {
    for (const holder of this.holders.values()) this.notify(holder);
  }

  /** Tells a tab its table's locks, only when they changed since it was last told. */
  private notify(holder: Holder): void {
    try {
      const locks = this.read(holder);
      const text = JSON.stringify(locks);
      if (text === holder.last) return;
      holder.last = text;
      holder.onChange(locks);
    } catch (error) {
      this.options.log.warn(`Row locks: reading the locks of ${holder.table.name} failed: ${errorMessage(error)}`);
    }
  }
}
