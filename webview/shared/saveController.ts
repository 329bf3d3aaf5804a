// The save flow of the grid and the form, written once: send the pending changes, then clear them, or record the
// refusal on its row and say what was (not) saved, with the conflict dialog for a conflict. What differs between
// the two views (what to re-read, where the refused row is, the form's field messages) comes in through hooks.
// No DOM here (the conflict dialog is passed in), so the flow runs in plain Node tests.
import type { ColumnSchema, RowValues } from '../../api';
import type { ViewApplyResult, ViewChange, ViewChangeFailure } from '../../api/webview';
import { sentence } from '../../shared/sentence';
import { messageOf } from './errorMessage';
import type { MessageStrip } from './messageStrip';
import type { PendingChanges, RowProblem } from './model/pendingChanges';

export type SavedResult = Extract<ViewApplyResult, { ok: true }>;
export type StripAction = { label: string; run(): void };

export interface SaveHooks {
  columns(): readonly ColumnSchema[];
  /** Saving started or ended: the toolbar says "Saving…" and disables its actions meanwhile. */
  savingChanged(): void;
  /** The pending changes changed: tell the host, persist, redraw. */
  pendingChanged(): void;
  /** Some changes were written before one failed (no transaction): the rows on screen are stale. */
  reloadRows(): void;
  /** Before the redraw after a successful save. */
  cleared?(): void;
  /** Before the redraw after a refusal; returns the column the database named, for the message. */
  refused?(failure: ViewChangeFailure, id: string | undefined): string | undefined;
  /** After the redraw: buttons that lead to the refused row, and, for other failures than a conflict, a move to it. */
  locate(id: string | undefined): { actions: StripAction[]; select?(): void };
  /** "Overwrite with mine" in the conflict dialog saves again through the view's own Save. */
  retry(): void;
  /** "Reload row" in the conflict dialog dropped this row's edits (before the redraw). */
  reverted?(id: string): void;
  /** …and, after the redraw, the view re-reads what it shows. */
  reloadAfterConflict(): void;
}

export type ConflictDialog = (change: Extract<ViewChange, { kind: 'update' | 'delete' }>, problem: RowProblem, columns: readonly ColumnSchema[], actions: { overwrite(current: RowValues): void; reload(): void }) => void;

export class SaveController {
  private busy = false;

  constructor(
    private readonly client: { applyChanges(changes: ViewChange[]): Promise<ViewApplyResult> },
    private readonly pending: PendingChanges,
    private readonly strip: Pick<MessageStrip, 'show' | 'hide'>,
    private readonly showConflict: ConflictDialog,
    private readonly hooks: SaveHooks,
  ) {}

  get saving(): boolean {
    return this.busy;
  }

  /** Saves every pending change in one request; `saved` runs after a success, once the changes are cleared. */
  async save(saved?: (result: SavedResult, ids: string[], changes: readonly ViewChange[]) => void): Promise<void> {
    if (this.busy || this.pending.isEmpty) return;
    const { changes, ids } = this.pending.toChanges();
    this.busy = true;
    this.strip.hide();
    this.hooks.savingChanged();
    try {
      const result = await this.client.applyChanges(changes);
      if (result.ok) {
        this.pending.discard();
        this.hooks.cleared?.();
        this.hooks.pendingChanged();
        this.strip.show('success', savedText(changes.length), [], 4_000);
        saved?.(result, ids, changes);
        return;
      }
      this.failed(result.failure, result.rolledBack, ids);
    } catch (error) {
      this.strip.show('error', `Save failed: ${messageOf(error)}. Your changes are still pending.`);
    } finally {
      this.busy = false;
      this.hooks.savingChanged();
    }
  }

  private failed(failure: ViewChangeFailure, rolledBack: boolean, ids: string[]): void {
    const id = this.pending.recordFailure(failure, ids);
    // Found among the rows on screen now: the re-read below empties them until its pages arrive.
    const place = this.hooks.locate(id);
    const partial = !rolledBack && failure.index > 0;
    if (partial) this.pending.forgetApplied(ids, failure.index);
    const column = this.hooks.refused?.(failure, id);
    this.hooks.pendingChanged();
    const conflict = failure.code === 'conflict' && id !== undefined;
    this.strip.show('error', refusalText(failure, rolledBack, conflict, column), place.actions);
    if (conflict) this.openConflict(id);
    else place.select?.();
    // Some changes were written: what is on screen is stale.
    if (partial) this.hooks.reloadRows();
  }

  /** The conflict dialog for the change with `id`, when its row has a recorded conflict. */
  openConflict(id: string): void {
    const problem = this.pending.problem(id);
    if (!problem) return;
    const { changes, ids } = this.pending.toChanges();
    const change = changes[ids.indexOf(id)];
    if (!change || change.kind === 'insert') return;
    this.showConflict(change, problem, this.hooks.columns(), {
      overwrite: (current) => {
        this.pending.acceptCurrent(id, current);
        this.hooks.pendingChanged();
        this.hooks.retry();
      },
      reload: () => {
        this.pending.revertRow(id);
        this.hooks.reverted?.(id);
        this.hooks.pendingChanged();
        this.strip.hide();
        this.hooks.reloadAfterConflict();
      },
    });
  }
}

export function savedText(count: number): string {
  return `Saved ${count === 1 ? '1 change' : `${count} changes`}.`;
}

/**
 * The refusal as the strip shows it: the database's message (a conflict says so; otherwise the column it named, if
 * any, comes first) and what was saved: nothing after a rollback, else the changes before the failed one.
 */
export function refusalText(failure: ViewChangeFailure, rolledBack: boolean, conflict: boolean, column?: string): string {
  const outcome = rolledBack ? 'Nothing was saved.' : `${failure.index} change(s) before it were saved.`;
  if (conflict) return `Conflict: ${sentence(failure.message)} ${outcome}`;
  return `${column ? `"${column}": ` : ''}${sentence(failure.message)} ${outcome}`;
}
