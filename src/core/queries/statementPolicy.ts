// Who may run what, decided before a statement reaches the database. What a viewer may not do is enforced by the
// database itself (every statement of a viewer runs read-only), so the first words of a statement only choose the
// flow and the prompts: they are never what keeps a viewer from writing.
import type { Role } from '../roles/roleModel';

/** How a statement reads from its first words (plugins/kit/sql/sqlText.ts classifyStatement). */
export type StatementKind = 'query' | 'rows' | 'write' | 'schema' | 'other';

export type RunPlan =
  /** Rows that are paged in a result tab, always read-only. */
  | { kind: 'result' }
  /** Run once; `confirm` is the question to ask first (a statement that may write on a production connection). */
  | { kind: 'execute'; readOnly: boolean; confirm?: string }
  | { kind: 'refuse'; message: string };

export interface StatementContext {
  kind: StatementKind;
  role: Role;
  production: boolean;
  /** The connection's name, for messages. */
  connection: string;
  /** The statement as written, for the question. */
  text: string;
}

/** A statement's first line, shortened, to name it in a question. */
export function statementLabel(text: string, max = 80): string {
  const line = text.trim().split('\n', 1)[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function planStatement(context: StatementContext): RunPlan {
  const { kind, role, production, connection, text } = context;
  if (kind === 'query') return { kind: 'result' };
  // SHOW, PRAGMA and EXPLAIN read; if one writes after all (EXPLAIN ANALYZE of a DELETE), the database refuses it.
  if (kind === 'rows' || role === 'viewer') return { kind: 'execute', readOnly: true };
  if (kind === 'schema' && role !== 'admin') {
    return { kind: 'refuse', message: `Schema changes (CREATE, ALTER, DROP, TRUNCATE, GRANT…) need the admin role on ${connection}; your role there is ${role}.` };
  }
  if (!production) return { kind: 'execute', readOnly: false };
  return {
    kind: 'execute',
    readOnly: false,
    confirm: `"${statementLabel(text)}" may change ${kind === 'schema' ? 'the schema' : 'data'} on the production connection ${connection}. Run it?`,
  };
}

/**
 * After a query-like statement turned out to write (a data-modifying WITH refused by a read-only transaction): the
 * plan for running it as the write it is.
 */
export function planAsWrite(context: Omit<StatementContext, 'kind'>): RunPlan {
  return planStatement({ ...context, kind: 'write' });
}
