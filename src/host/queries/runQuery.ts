import * as vscode from 'vscode';
import type { DatasourceError, ExecuteResult, TableLocator } from '../../../api';
import { classifyStatement, splitStatements, trimStatement } from '../../../plugins/kit/sql/sqlText';
import type { DatasourceManager } from '../../core/datasourceManager';
import { Emitter } from '../../core/events';
import { errorMessage, type Logger } from '../../core/log';
import { isExpectedError } from '../../core/pluginErrors';
import { planAsWrite, planStatement, statementLabel, type RunPlan } from '../../core/queries/statementPolicy';
import { withStatementTimeout } from '../../core/queries/statementTimeout';
import type { ResolvedRole } from '../../core/roles/roleModel';
import type { TableService } from '../../core/tableService';
import type { QueryRun, QueryRunner, RunQueryOutcome, RunQueryRequest } from './queryRunner';
import { sqlFlavourOf } from './sqlFlavour';

/** Rows of a statement that runs once (SHOW, PRAGMA, … RETURNING) kept for its result tab; the rest are not fetched. */
export const EXECUTE_MAX_ROWS = 10_000;

/** One executed statement that may have written, for the audit log. */
export interface ExecutedStatement {
  datasourceId: string;
  text: string;
  params: readonly unknown[];
  rowsAffected?: number;
  source: string;
}

export interface QueryRunnerDeps {
  datasources: DatasourceManager;
  tables: TableService;
  role(datasourceId: string): ResolvedRole;
  /** Opens a query's result in a tab (the preferred view, or `viewId`). */
  openResult(table: TableLocator, options: { viewId?: string; savedQuery?: string }): Promise<void>;
  /** Shows the rows of a statement that ran once. */
  showRows(table: TableLocator, result: ExecuteResult): Promise<void>;
  /** Asks a yes/no question (modal); true to go on. */
  confirm(question: string, action: string): Promise<boolean>;
  /** The audit log's entry for a statement that ran writable. */
  audit(statement: ExecutedStatement): Promise<void>;
  /** After a statement that may have changed data or the schema: refresh tabs and the tree. */
  changed(datasourceId: string, schema: boolean): void;
  timeoutMs(datasourceId: string): number | undefined;
  log: Logger;
}

const failed = (error: unknown): RunQueryOutcome => {
  const expected = isExpectedError(error) ? (error as DatasourceError) : undefined;
  return {
    kind: 'failed',
    code: expected?.code ?? 'internal',
    message: errorMessage(error),
    ...(expected?.position ? { position: { line: expected.position.line, column: expected.position.column } } : {}),
  };
};

/**
 * Runs statements from SQL editors, the history and saved queries: rows that can be paged open as a result tab (read
 * through TableService, always read-only); anything else runs once through the datasource's `execute`, read-only for
 * viewers, refused for schema changes below admin, asked about first on production, audited when it may write.
 */
export class StatementRunner implements QueryRunner {
  private readonly ran = new Emitter<QueryRun>();
  readonly onDidRun = (listener: (run: QueryRun) => void) => this.ran.event(listener);

  constructor(private readonly deps: QueryRunnerDeps) {}

  dispose(): void {
    this.ran.dispose();
  }

  async run(request: RunQueryRequest, signal?: AbortSignal): Promise<RunQueryOutcome> {
    const startedAt = Date.now();
    let outcome: RunQueryOutcome;
    let rowsAffected: number | undefined;
    try {
      ({ outcome, rowsAffected } = await this.runOnce(request, signal));
    } catch (error) {
      outcome = failed(error);
    }
    if (outcome.kind === 'failed' && outcome.code === 'internal') this.deps.log.error(`Statement on ${request.datasourceId} failed: ${outcome.message}`);
    this.ran.fire({
      datasourceId: request.datasourceId,
      text: trimStatement(request.text),
      startedAt,
      durationMs: Date.now() - startedAt,
      outcome: outcome.kind,
      ...(rowsAffected !== undefined ? { rowsAffected } : {}),
      ...(outcome.kind === 'failed' ? { error: outcome.message } : {}),
    });
    return outcome;
  }

  private async runOnce(request: RunQueryRequest, signal?: AbortSignal): Promise<{ outcome: RunQueryOutcome; rowsAffected?: number }> {
    const { datasources } = this.deps;
    const record = datasources.get(request.datasourceId);
    if (!record) return { outcome: { kind: 'failed', code: 'not_found', message: `No connection with id "${request.datasourceId}".` } };
    const text = trimStatement(request.text);
    if (text === '') return { outcome: { kind: 'failed', code: 'invalid_value', message: 'There is no statement to run.' } };
    const flavour = sqlFlavourOf(datasources.pluginFor(record));
    const statements = splitStatements(text, flavour);
    if (statements.length > 1) {
      return { outcome: { kind: 'failed', code: 'invalid_value', message: `Run one statement at a time: the text holds ${statements.length} statements. Put the cursor in one, or select it.` } };
    }
    const session = await datasources.session(record.id);
    if (!session.capabilities.query || !session.execute) {
      return { outcome: { kind: 'failed', code: 'unsupported', message: `${record.name} cannot run SQL statements (its datasource has no query support).` } };
    }
    const { role, production } = this.deps.role(record.id);
    const context = { role, production, connection: record.name, text };
    let plan: RunPlan = planStatement({ ...context, kind: classifyStatement(text, flavour) });
    const title = request.title ?? statementLabel(text, 40);
    if (plan.kind === 'result') {
      const table: TableLocator = { datasourceId: record.id, name: title, query: { text } };
      try {
        await this.deps.tables.schema(table, { refresh: true });
        await this.deps.openResult(table, { ...(request.viewId ? { viewId: request.viewId } : {}), ...(request.savedQuery ? { savedQuery: request.savedQuery } : {}) });
        return { outcome: { kind: 'result' } };
      } catch (error) {
        // A WITH that changes data is refused by the read-only transaction results are read in: run it as the
        // write it is, if the role allows (a viewer gets the database's refusal as it is).
        if (!(isExpectedError(error) && error.code === 'read_only' && role !== 'viewer')) return { outcome: failed(error) };
        plan = planAsWrite(context);
      }
    }
    if (plan.kind === 'refuse') return { outcome: { kind: 'failed', code: 'permission', message: plan.message } };
    if (plan.kind !== 'execute') return { outcome: { kind: 'failed', code: 'internal', message: 'Unknown plan.' } };
    if (plan.confirm && !(await this.deps.confirm(plan.confirm, 'Run'))) {
      return { outcome: { kind: 'cancelled', message: 'The statement was not run.' } };
    }
    const readOnly = plan.readOnly;
    try {
      const result = await withStatementTimeout(this.deps.timeoutMs(record.id), signal, (s) =>
        session.execute!({ text }, { readOnly, maxRows: EXECUTE_MAX_ROWS, ...(s ? { signal: s } : {}) }),
      );
      if (!readOnly) {
        await this.deps.audit({ datasourceId: record.id, text, params: [], ...(result.rowsAffected !== undefined ? { rowsAffected: result.rowsAffected } : {}), source: 'nocoflo.query' });
        this.deps.changed(record.id, classifyStatement(text, flavour) !== 'write');
      }
      if (result.columns && result.rows) {
        await this.deps.showRows({ datasourceId: record.id, name: title, query: { text } }, result);
      }
      return { outcome: { kind: 'executed', ...(result.rowsAffected !== undefined ? { rowsAffected: result.rowsAffected } : {}), message: executedMessage(record.name, result) }, ...(result.rowsAffected !== undefined ? { rowsAffected: result.rowsAffected } : {}) };
    } catch (error) {
      if (signal?.aborted && !(isExpectedError(error) && error.code === 'timeout')) return { outcome: { kind: 'cancelled', message: 'The statement was cancelled.' } };
      return { outcome: failed(error) };
    }
  }
}

function executedMessage(connection: string, result: ExecuteResult): string {
  const parts: string[] = [];
  if (result.rows) parts.push(`${result.rows.length.toLocaleString('en-US')}${result.truncated ? '+' : ''} row${result.rows.length === 1 ? '' : 's'} returned`);
  if (result.rowsAffected !== undefined) parts.push(`${result.rowsAffected.toLocaleString('en-US')} row${result.rowsAffected === 1 ? '' : 's'} affected`);
  return `Ran on ${connection}${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** A modal yes/no question, for the runner's confirmations. */
export async function confirmModal(question: string, action: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(question, { modal: true }, action);
  return answer === action;
}
