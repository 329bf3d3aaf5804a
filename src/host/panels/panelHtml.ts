// The HTML document of a view tab. Nothing inline: scripts carry a fresh nonce, styles come from files, and the
// view sets any dynamic style through CSSOM, which a style-src without inline permission still allows.

export interface PanelHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh for every render. */
  nonce: string;
  title: string;
  /** Webview URIs (from asWebviewUri), in load order. */
  codiconCss: string;
  styles: string[];
  /** The view client first, then the view's own script. */
  scripts: string[];
}

/**
 * The one Content-Security-Policy of every Nocoflo webview (views, tool tabs, the "not available" page). Nothing
 * loads unless listed; scripts only with this render's nonce (no script-src at all without one); no eval. The
 * documents never hold a form or a <base>, so `form-action` and `base-uri` are 'none': injected markup can neither
 * submit data anywhere nor re-point relative URLs.
 */
export function contentSecurityPolicy(cspSource: string, nonce?: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    ...(nonce ? [`script-src 'nonce-${nonce}'`] : []),
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function renderPanelHtml(input: PanelHtmlInput): string {
  const attr = escapeHtml;
  const styles = input.styles.map((href) => `    <link rel="stylesheet" href="${attr(href)}">`).join('\n');
  const scripts = input.scripts.map((src) => `    <script type="module" nonce="${attr(input.nonce)}" src="${attr(src)}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, input.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${attr(input.codiconCss)}">
${styles}
    <title>${escapeHtml(input.title)}</title>
  </head>
  <body>
    <div id="nocoflo-root"></div>
${scripts}
  </body>
</html>`;
}

/** A page with one sentence and no script, shown in a tab whose view cannot run. */
export function renderMessageHtml(cspSource: string, message: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(cspSource))}"></head><body><p>${escapeHtml(message)}</p></body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
