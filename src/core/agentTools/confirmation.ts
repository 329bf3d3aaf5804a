// What VS Code's confirmation before a tool call says: what will be read or proposed, and — first — that the
// connection is a production one, so nobody approves a read of production data without seeing it.

export interface ConfirmationText {
  title: string;
  message: string;
}

export interface ConnectionNames {
  name: string;
  production: boolean;
}

/**
 * Text from the model (a table name, its reason) or a connection name, made inert in the confirmation's Markdown: no
 * links, images, emphasis or code spans a model could use to make the question say something else; one line, cut.
 */
export function plain(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const cut = line.length > max ? `${line.slice(0, max)}…` : line;
  return cut.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`);
}

const where = (c: ConnectionNames) => `"${plain(c.name)}"${c.production ? ' (a production connection)' : ''}`;
const productionLine = (c: ConnectionNames) => (c.production ? `\n\n**Production:** "${plain(c.name)}" is marked as a production connection.` : '');

export function listConnectionsConfirmation(production: readonly string[]): ConfirmationText {
  const names = production.map((n) => `"${plain(n)}"`).join(', ');
  return {
    title: 'List Nocoflo connections',
    message: `The agent will see the names, types and settings (never passwords or tokens) of your Nocoflo connections.${production.length > 0 ? `\n\n**Production:** ${names} ${production.length === 1 ? 'is' : 'are'} marked as production.` : ''}`,
  };
}

export const listTablesConfirmation = (c: ConnectionNames): ConfirmationText => ({
  title: 'List tables',
  message: `The agent will see the tables and views of ${where(c)}.${productionLine(c)}`,
});

export const describeTableConfirmation = (c: ConnectionNames, table: string): ConfirmationText => ({
  title: 'Describe a table',
  message: `The agent will see the columns, keys and row count of ${plain(table)} in ${where(c)}.${productionLine(c)}`,
});

export function readRowsConfirmation(c: ConnectionNames, table: string, limit: number, conditions: { filters: number; sort: string[] }): ConfirmationText {
  const filtered = conditions.filters > 0 ? ` matching ${conditions.filters} filter${conditions.filters === 1 ? '' : 's'}` : '';
  const sorted = conditions.sort.length > 0 ? `, sorted by ${plain(conditions.sort.join(', '))}` : '';
  return {
    title: 'Read rows',
    message: `The agent will read up to ${limit} row${limit === 1 ? '' : 's'} of ${plain(table)}${filtered}${sorted} from ${where(c)}; the values are sent to the language model.${productionLine(c)}`,
  };
}

export const proposeChangesConfirmation = (c: ConnectionNames, table: string, what: string, reason?: string): ConfirmationText => ({
  title: 'Propose changes',
  message: `The agent proposes ${what} in ${plain(table)} of ${where(c)}. They open as unsaved edits in a table tab; nothing is written until you review and save them.${reason ? `\n\nThe agent's reason: ${plain(reason)}` : ''}${productionLine(c)}`,
});

/**
 * The statement is shown whole (up to 2,000 characters) in a fenced block, where Markdown does not apply, so the
 * person approving reads exactly what will run; a fence in the text itself is broken up.
 */
export function runQueryConfirmation(c: ConnectionNames, sql: string, limit: number): ConfirmationText {
  const shown = sql.length > 2_000 ? `${sql.slice(0, 2_000)}\n…` : sql;
  return {
    title: 'Run a read-only query',
    message: `The agent will run this query on ${where(c)}, read-only (the database refuses any write), and read up to ${limit} row${limit === 1 ? '' : 's'} of its result; the values are sent to the language model.\n\n\`\`\`sql\n${shown.replace(/```/g, '`\u200b``')}\n\`\`\`${productionLine(c)}`,
  };
}
