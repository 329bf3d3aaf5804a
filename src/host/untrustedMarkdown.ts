import * as vscode from 'vscode';

/** Markdown that can run nothing: no command links, no HTML, no theme icons (the defaults, stated so they stay). */
export function untrustedMarkdown(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
