import * as vscode from 'vscode';

export const CONFIRM_SETTING = 'confirm.destructiveActions';

/** Whether destructive actions ask first (`nocoflo.confirm.destructiveActions`, default true). */
export const confirmsDestructive = (): boolean => vscode.workspace.getConfiguration('nocoflo').get<boolean>(CONFIRM_SETTING, true);

/**
 * Asked by the host when a view's save would delete rows, so every view (the grid, the form, third-party views)
 * gets the same modal, whatever its own UI already asked. True to go on.
 */
export async function confirmDeletes(what: { table: string; datasource: string }, changes: readonly { kind: string }[]): Promise<boolean> {
  const deletes = changes.filter((c) => c.kind === 'delete').length;
  if (deletes === 0 || !confirmsDestructive()) return true;
  const others = changes.length - deletes;
  const answer = await vscode.window.showWarningMessage(
    `Delete ${deletes === 1 ? '1 row' : `${deletes} rows`} from "${what.table}" on "${what.datasource}"?`,
    {
      modal: true,
      detail: `${others > 0 ? `The save also applies ${others === 1 ? '1 other change' : `${others} other changes`}. ` : ''}Deleted rows are gone from the database once saved. (Turn this question off with the setting nocoflo.confirm.destructiveActions.)`,
    },
    'Delete and Save',
  );
  return answer === 'Delete and Save';
}

/** What views confirm themselves, from the settings: a grid paste over more than this many existing cells. */
export function viewConfirmations(): { pasteOverCells: number } | undefined {
  if (!confirmsDestructive()) return undefined;
  const threshold = vscode.workspace.getConfiguration('nocoflo').get<number>('confirm.pasteCellThreshold', 20);
  return { pasteOverCells: Number.isFinite(threshold) && threshold >= 1 ? Math.floor(threshold) : 20 };
}
