import * as path from 'node:path';
import * as vscode from 'vscode';
import { type ScaffoldKind, scaffoldNameProblem, scaffoldPlugin } from '../../core/scaffold/pluginScaffold';
import { errorMessage, type Logger } from '../../core/log';
import { API_VERSION } from '../api';

/** Versions of the build and test tools Nocoflo itself builds with, so a new plugin starts on a known-good set. */
function toolVersions(packageJSON: { devDependencies?: Record<string, string> }) {
  const dev = packageJSON.devDependencies ?? {};
  const v = (name: string, fallback: string) => dev[name] ?? fallback;
  return {
    esbuild: v('esbuild', '^0.28.0'),
    typescript: v('typescript', '^5.9.0'),
    mocha: v('mocha', '^11.0.0'),
    typesMocha: v('@types/mocha', '^10.0.0'),
    typesNode: v('@types/node', '^20.0.0'),
    typesVscode: v('@types/vscode', '^1.100.0'),
  };
}

/** "Nocoflo: Create Plugin…": asks what and where, writes a buildable plugin extension, offers to open it. */
export async function createPlugin(context: vscode.ExtensionContext): Promise<void> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: '$(database) Datasource', description: 'a new kind of data in the Nocoflo sidebar', plugin: 'datasource' as ScaffoldKind },
      { label: '$(preview) View', description: 'a new way to show a table in a tab', plugin: 'view' as ScaffoldKind },
    ],
    { title: 'Create Nocoflo Plugin (1/3)', placeHolder: 'What does the plugin add?', ignoreFocusOut: true },
  );
  if (!choice) return;
  const kind = choice.plugin;
  const name = await vscode.window.showInputBox({
    title: 'Create Nocoflo Plugin (2/3)',
    prompt: 'Package name of the new extension',
    value: kind === 'datasource' ? 'my-datasource' : 'my-view',
    validateInput: scaffoldNameProblem,
    ignoreFocusOut: true,
  });
  if (!name) return;
  const parent = (await vscode.window.showOpenDialog({ title: 'Create Nocoflo Plugin (3/3): where?', canSelectFolders: true, canSelectFiles: false, openLabel: 'Create Here' }))?.[0];
  if (!parent) return;
  const target = vscode.Uri.joinPath(parent, name);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (exists) throw new Error(`${target.fsPath} already exists; choose another name or folder.`);
  const files = scaffoldPlugin({
    kind: kind,
    name,
    publisher: 'my-publisher',
    apiVersion: API_VERSION,
    // The API types ship inside Nocoflo's own package until they are published.
    apiDependency: `file:${path.join(context.extensionPath, 'api')}`,
    toolVersions: toolVersions(context.extension.packageJSON as { devDependencies?: Record<string, string> }),
  });
  for (const [file, content] of Object.entries(files)) {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(target, ...file.split('/')), new TextEncoder().encode(content));
  }
  const open = await vscode.window.showInformationMessage(
    `Created the ${kind} plugin "${name}" in ${target.fsPath}. Run "npm install" there, then "npm test".`,
    'Open in New Window',
    'Add to Workspace',
  );
  if (open === 'Open in New Window') await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: true });
  if (open === 'Add to Workspace') vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: target });
}

export function registerCreatePlugin(context: vscode.ExtensionContext, log: Logger): vscode.Disposable {
  return vscode.commands.registerCommand('nocoflo.createPlugin', async () => {
    try {
      await createPlugin(context);
    } catch (error) {
      log.error(`nocoflo.createPlugin: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Could not create the plugin: ${errorMessage(error)}`);
    }
  });
}
