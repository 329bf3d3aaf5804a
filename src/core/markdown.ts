// Text from users and plugins (datasource names, plugin names) ends up in Markdown tooltips. Unescaped, a name like
// "[Click](command:…)" or "<img src=…>" would render as a link or markup inside Nocoflo's UI.

/**
 * Escapes text for Markdown: every ASCII punctuation character gets a backslash (CommonMark lets any of them be
 * escaped, and escaping `:` and `.` also keeps bare URLs from being auto-linked), and line breaks become spaces so
 * a name cannot start a new block (a heading, a list, a link definition).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** Text for inside a code span, where only a backtick needs care. */
export function markdownCode(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/`/g, "'");
}
