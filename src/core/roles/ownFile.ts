import type { ConfigField } from '../../../api';

/**
 * Whether a connection is the user's own file: its datasource is reached through a file path (a required `file`
 * field) with no credentials (no secret field), and the user added it here rather than the workspace declaring it
 * for a team. Such a connection starts as admin (defaultRole); a server or a shared definition starts as editor.
 */
export function isOwnFile(fields: readonly ConfigField[] | undefined, declaredByWorkspace: boolean): boolean {
  if (!fields || declaredByWorkspace) return false;
  const opensAFile = fields.some((f) => f.type === 'file' && f.required === true);
  const needsCredentials = fields.some((f) => f.secret === true || f.type === 'password');
  return opensAFile && !needsCredentials;
}
