// One question before any save that deletes rows, whichever way the save starts: Ctrl+S in a view (the panel
// request handler), *Save* when a tab with pending edits is closed, or *Save* before switching views. Before this
// module the last two applied deletes without asking. The host shows the prompt (core has no `vscode`).

/** The modal that asks before deleting rows. */
export interface DeletePrompt {
  message: string;
  detail: string;
  /** The one button that goes on; anything else (Cancel, Escape) declines. */
  confirm: string;
}

export const DELETE_AND_SAVE = 'Delete and Save';

/** The question for a batch of changes, or undefined when nothing in it deletes a row. */
export function deletePrompt(what: { table: string; datasource: string }, changes: readonly { kind: string }[]): DeletePrompt | undefined {
  const deletes = changes.filter((c) => c.kind === 'delete').length;
  if (deletes === 0) return undefined;
  const others = changes.length - deletes;
  return {
    message: `Delete ${deletes === 1 ? '1 row' : `${deletes} rows`} from "${what.table}" on "${what.datasource}"?`,
    detail:
      `${others > 0 ? `The save also applies ${others === 1 ? '1 other change' : `${others} other changes`}. ` : ''}` +
      'Deleted rows are gone from the database once saved. (Turn this question off with the setting nocoflo.confirm.destructiveActions.)',
    confirm: DELETE_AND_SAVE,
  };
}

/** What became of pending edits the user chose to save while leaving a tab or a view. */
export type PendingSaveOutcome<R> =
  /** The user did not confirm the deletes: nothing was applied, the edits are still pending. */
  | { kind: 'declined' }
  | { kind: 'applied'; result: R };

/**
 * Saves pending edits the way Ctrl+S does: the confirmation first (the same `confirmApply` hook the request handler
 * uses), then the apply. Leaving paths call this instead of applying directly, so they cannot skip the question.
 */
export async function savePending<C extends { kind: string }, R>(
  changes: readonly C[],
  steps: { confirm?: (changes: readonly C[]) => Promise<boolean>; apply: (changes: readonly C[]) => Promise<R> },
): Promise<PendingSaveOutcome<R>> {
  if (steps.confirm && !(await steps.confirm(changes))) return { kind: 'declined' };
  return { kind: 'applied', result: await steps.apply(changes) };
}
