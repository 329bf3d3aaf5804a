// The form's side of advisory row locks: it holds the lock of every record it has unsaved edits for (taken when
// the user starts editing or deletes it, released once those edits are saved or discarded, and by the host when the
// tab closes), and it knows which records someone else — another tab or window — is editing, so those show as
// "Locked by alice since 14:02" and stay read-only here. Locks are advisory: a save is still checked against the
// values read, so a lock that could not be taken never loses anyone's data.
import type { RowKey } from '../../api';
import type { RowLockInfo } from '../../api/webview';
import { rowKeyText } from '../../shared/rowLocks';

export { lockTime } from '../../shared/rowLocks';
import type { FormClient } from './formClient';

export interface RecordLocksEvents {
  /** The set of locks changed (someone took or released one, or it expired). */
  changed(): void;
  /** A lock could not be taken: someone else holds it. */
  refused(owner: string, since: string): void;
  failed(message: string): void;
}

export class RecordLocks {
  private others = new Map<string, RowLockInfo>();
  /** Locks this tab holds (or is taking), by row key text. */
  private readonly held = new Map<string, RowKey>();
  private readonly available: boolean;

  constructor(
    private readonly client: FormClient,
    private readonly events: RecordLocksEvents,
  ) {
    this.available = typeof client.lockRow === 'function' && typeof client.unlockRow === 'function';
    client.onLocks?.((locks) => {
      this.others = new Map(locks.filter((l) => !l.mine).map((l) => [rowKeyText(l.key), l]));
      events.changed();
    });
  }

  /** Someone else's lock on this record, if any. */
  heldByOther(key: RowKey): RowLockInfo | undefined {
    return this.others.get(rowKeyText(key));
  }

  /** Whether the user may try to break locks (the host decides; an older Nocoflo has no breakLock). */
  get canTryBreak(): boolean {
    return typeof this.client.breakLock === 'function';
  }

  async breakLock(key: RowKey): Promise<boolean> {
    return (await this.client.breakLock?.(key)) ?? false;
  }

  /** Holds exactly the locks of `keys` (the records with unsaved edits): takes the missing, releases the rest. */
  sync(keys: readonly RowKey[]): void {
    if (!this.available) return;
    const wanted = new Map(keys.map((k) => [rowKeyText(k), k]));
    for (const [text, key] of wanted) {
      if (this.held.has(text)) continue;
      this.held.set(text, key);
      this.client.lockRow!(key).then(
        (result) => {
          if (!result.ok) {
            this.held.delete(text);
            this.events.refused(result.owner, result.since);
          }
        },
        (error: unknown) => {
          this.held.delete(text);
          this.events.failed(error instanceof Error ? error.message : String(error));
        },
      );
    }
    for (const [text, key] of [...this.held]) {
      if (wanted.has(text)) continue;
      this.held.delete(text);
      this.client.unlockRow!(key).catch((error: unknown) => this.events.failed(error instanceof Error ? error.message : String(error)));
    }
  }
}
