// What every Nocoflo tool shares: its dependencies, JSON results, the confirmation VS Code shows, and errors that
// reach the model with URLs redacted.
import * as vscode from 'vscode';
import type { TableLocator } from '../../../api';
import type { AgentCatalog } from '../../core/agentTools/catalog';
import { findConnection } from '../../core/agentTools/catalog';
import type { ConfirmationText } from '../../core/agentTools/confirmation';
import type { Checked } from '../../core/agentTools/inputs';
import type { AgentTables } from '../../core/agentTools/reads';
import type { DatasourceRecord } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import { redactUrlsIn } from '../../core/redactUrl';
import type { ViewAccess } from '../../core/roles/roleService';
import type { WirePendingChange } from '../../../shared/protocol';

export interface AgentToolDeps {
  catalog: AgentCatalog;
  tables: AgentTables;
  /** What the user's role allows on a table (RoleService.viewAccess). */
  access(table: TableLocator): ViewAccess;
  /** Opens the table's grid with `pending` as unsaved edits proposed by the agent tools (PanelManager.propose). */
  propose(table: TableLocator, names: { table: string; datasource: string }, pending: WirePendingChange[]): Promise<{ existing: boolean }>;
  log: Logger;
}

export function jsonResult(value: unknown): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(value, null, 1))]);
}

export function confirmation(text: ConfirmationText, invocationMessage: string): vscode.PreparedToolInvocation {
  return { invocationMessage, confirmationMessages: { title: text.title, message: new vscode.MarkdownString(text.message) } };
}

/** A refusal the model can act on: thrown errors reach it as the tool's answer. */
export class ToolInputError extends Error {}

export function unwrap<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new ToolInputError(checked.error);
  return checked.value;
}

export function connectionOf(deps: AgentToolDeps, named: string): DatasourceRecord {
  const found = findConnection(deps.catalog, named);
  if (!found.ok) throw new ToolInputError(found.error);
  return found.record;
}

/** The connection's name with its production mark, for confirmations; undefined when it is not found. */
export function namesFor(deps: AgentToolDeps, named: unknown): { name: string; production: boolean } | undefined {
  if (typeof named !== 'string') return undefined;
  const found = findConnection(deps.catalog, named);
  if (!found.ok) return undefined;
  return { name: found.record.name, production: deps.catalog.role({ datasourceId: found.record.id }).production };
}

/** Runs a tool's work; a failure reaches the model as one sentence, logged, without credentials in URLs. */
export async function run(deps: AgentToolDeps, tool: string, work: () => Promise<vscode.LanguageModelToolResult>): Promise<vscode.LanguageModelToolResult> {
  try {
    return await work();
  } catch (error) {
    const message = redactUrlsIn(errorMessage(error));
    deps.log.warn(`[agent tools] ${tool}: ${message}`);
    // No `cause`: VS Code serializes it with the error, and the original message may hold a URL with its password.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(message);
  }
}
