// Journey steps for roles: the way a person sets one, through the command palette.
import type { Workbench } from './workbench';

/** "Nocoflo: Set Role…" for a whole connection, picked by name; `role` is a label of the role quick pick. */
export async function setConnectionRole(workbench: Workbench, connection: string, role: 'viewer' | 'editor' | 'admin'): Promise<void> {
  await workbench.runCommand('Nocoflo: Set Role…');
  await workbench.answerQuickInput(connection, 'Set Role');
  await workbench.answerQuickInput(role, `Set Role for "${connection}"`);
}

/** Answers the host's modal before a save that deletes rows. */
export async function confirmDeletion(workbench: Workbench, text: string | RegExp = /^Delete \d+ rows? from/): Promise<void> {
  const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: text });
  await dialog.waitFor();
  await dialog.locator('.monaco-button', { hasText: 'Delete and Save' }).click();
}
