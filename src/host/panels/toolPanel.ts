import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderPanelHtml } from './panelHtml';

/**
 * Nocoflo's own tool tabs (connection form, audit log, plugins): scripts on, state not retained when hidden (each
 * app keeps its UI state with setState and asks again with `ready`), and only the webview bundle folder readable.
 */
export function toolPanelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

/** The tab's document: the app's bundle `<app>.js` and stylesheet `<app>.css`, under the same strict CSP as views. */
export function renderToolHtml(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, app: string, title = panel.title): void {
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const asset = (name: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
  panel.webview.html = renderPanelHtml({
    cspSource: panel.webview.cspSource,
    nonce: randomBytes(18).toString('base64'),
    title,
    codiconCss: asset('codicon.css'),
    styles: [asset(`${app}.css`)],
    scripts: [asset(`${app}.js`)],
  });
}
