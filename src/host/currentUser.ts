import * as os from 'node:os';
import * as vscode from 'vscode';

/** The name recorded for preferences (and, later, audit entries): the configured name or the OS user. */
export function currentUser(): string {
  const configured = vscode.workspace.getConfiguration('nocoflo').get<string>('userName', '').trim();
  if (configured) return configured;
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
