import * as vscode from 'vscode';
import type { ConfigField } from '../../api';
import type { DatasourceRecord } from '../core/datasourceManager';

/**
 * Asks for the secrets of a datasource whose server refused the stored ones, or that has none yet (connections
 * declared in workspace settings never carry a password). DatasourceManager stores the answer in SecretStorage,
 * bound to the target named in the title, so each is asked once per target. Escape declines, and the server's
 * own message is shown instead.
 */
export async function askSecrets(record: DatasourceRecord, fields: ConfigField[], reason: string, target: string): Promise<Record<string, string> | undefined> {
  const answers: Record<string, string> = {};
  for (const [index, field] of fields.entries()) {
    const value = await vscode.window.showInputBox({
      // The target is in the title, so a password is typed knowing which server receives it.
      title: `${field.label} for "${record.name}" (${target})`,
      prompt: `${reason} ${index === 0 ? '' : '(Leave empty if not used.) '}It is kept in VS Code's secret storage.`.trim(),
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    if (value !== '') answers[field.key] = value;
  }
  return Object.keys(answers).length > 0 ? answers : undefined;
}
