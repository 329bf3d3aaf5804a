import * as vscode from 'vscode';
import { errorMessage, type Logger } from '../core/log';

export const NOCOFLO_EXTENSION_ID = 'nocoflo.nocoflo';

/** Extensions that declare Nocoflo as a dependency: the ones that bring plugins. */
function pluginExtensions(): vscode.Extension<unknown>[] {
  return vscode.extensions.all.filter((ext) => {
    const deps = (ext.packageJSON as { extensionDependencies?: unknown }).extensionDependencies;
    return Array.isArray(deps) && deps.some((d) => typeof d === 'string' && d.toLowerCase() === NOCOFLO_EXTENSION_ID);
  });
}

/**
 * Activates the extensions that depend on Nocoflo, so a plugin extension needs no activation event of its own
 * ("activationEvents": []) and still registers whenever Nocoflo runs — and only then. Runs after Nocoflo's own
 * activate() has returned: a plugin's activate awaits Nocoflo's API, so waiting for it here would deadlock. Newly
 * installed plugin extensions are activated as they appear. A plugin extension that fails to activate is logged
 * with its id and changes nothing else.
 */
export function activatePluginExtensions(log: Logger): vscode.Disposable {
  const activate = () => {
    for (const ext of pluginExtensions()) {
      if (ext.isActive) continue;
      ext.activate().then(
        () => log.info(`Activated plugin extension ${ext.id}`),
        (error: unknown) => log.error(`Plugin extension ${ext.id} failed to activate: ${errorMessage(error)}`),
      );
    }
  };
  const timer = setTimeout(activate, 0);
  const watcher = vscode.extensions.onDidChange(activate);
  return { dispose: () => (clearTimeout(timer), watcher.dispose()) };
}
