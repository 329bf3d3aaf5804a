import * as vscode from 'vscode';
import { deletePrompt } from '../../core/destructivePrompt';

export const CONFIRM_SETTING = 'confirm.destructiveActions';

/** Whether destructive actions ask first (`nocoflo.confirm.destructiveActions`, default true). */
export const confirmsDestructive = (): boolean => vscode.workspace.getConfiguration('nocoflo').get<boolean>(CONFIRM_SETTING, true);

/**
 * Asked by the host when a save would delete rows, so every view (the grid, the form, third-party views) and every
 * way of saving (Ctrl+S, *Save* on closing a tab or switching views) gets the same modal, whatever the view's own UI
 * already asked. True to go on.
 */
export async function confirmDeletes(what: { table: string; datasource: string }, changes: readonly { kind: string }[], requestedBy?: string): Promise<boolean> {
  const prompt = deletePrompt(what, changes);
  if (!prompt || !confirmsDestructive()) return true;
  // Another extension's delete (api.data) says who asks: the user is deciding for that extension, not for a tab.
  const detail = requestedBy ? `Requested by the extension ${requestedBy}. ${prompt.detail}` : prompt.detail;
  const answer = await vscode.window.showWarningMessage(prompt.message, { modal: true, detail }, prompt.confirm);
  return answer === prompt.confirm;
}

/** What views confirm themselves, from the settings: a grid paste over more than this many existing cells. */
export function viewConfirmations(): { pasteOverCells: number } | undefined {
  if (!confirmsDestructive()) return undefined;
  const threshold = vscode.workspace.getConfiguration('nocoflo').get<number>('confirm.pasteCellThreshold', 20);
  return { pasteOverCells: Number.isFinite(threshold) && threshold >= 1 ? Math.floor(threshold) : 20 };
}
