// The read-only tools: list connections, list tables, describe a table, read rows. Each asks VS Code's confirmation
// with what it will read (naming production connections) and reads through TableService.
import type * as vscode from 'vscode';
import { listConnections } from '../../core/agentTools/catalog';
import { describeTableConfirmation, listConnectionsConfirmation, listTablesConfirmation, readRowsConfirmation, runQueryConfirmation } from '../../core/agentTools/confirmation';
import { checkDescribeTable, checkListTables, checkReadRows, checkRunQuery, DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT } from '../../core/agentTools/inputs';
import { AGENT_TOOL_NAMES } from '../../core/agentTools/names';
import { describeTable, locatorOf, queryRows, readRows, tablesOf } from '../../core/agentTools/reads';
import { type AgentToolDeps, confirmation, connectionOf, jsonResult, namesFor, run, unwrap } from './toolKit';

type Input = Record<string, unknown>;
const unknownConnection = (named: unknown) => ({ name: typeof named === 'string' ? named : '(not named)', production: false });

export function listConnectionsTool(deps: AgentToolDeps): vscode.LanguageModelTool<Input> {
  return {
    prepareInvocation: () => {
      const production = deps.catalog.connections().filter((r) => deps.catalog.role({ datasourceId: r.id }).production).map((r) => r.name);
      return confirmation(listConnectionsConfirmation(production), 'Listing Nocoflo connections');
    },
    invoke: () =>
      run(deps, AGENT_TOOL_NAMES.listConnections, async () => {
        const connections = listConnections(deps.catalog);
        return jsonResult({ connections, ...(connections.length === 0 ? { note: 'No connections yet: the user can add one in the Nocoflo sidebar.' } : {}) });
      }),
  };
}

export function listTablesTool(deps: AgentToolDeps): vscode.LanguageModelTool<Input> {
  return {
    prepareInvocation: (options) => confirmation(listTablesConfirmation(namesFor(deps, options.input.connection) ?? unknownConnection(options.input.connection)), 'Listing tables'),
    invoke: (options, token) =>
      run(deps, AGENT_TOOL_NAMES.listTables, async () => {
        const input = unwrap(checkListTables(options.input));
        const record = connectionOf(deps, input.connection);
        return jsonResult({ connection: { id: record.id, name: record.name }, tables: await tablesOf(deps.tables, record.id, signalOf(token)) });
      }),
  };
}

export function describeTableTool(deps: AgentToolDeps): vscode.LanguageModelTool<Input> {
  return {
    prepareInvocation: (options) =>
      confirmation(describeTableConfirmation(namesFor(deps, options.input.connection) ?? unknownConnection(options.input.connection), String(options.input.table ?? '')), 'Describing the table'),
    invoke: (options) =>
      run(deps, AGENT_TOOL_NAMES.describeTable, async () => {
        const input = unwrap(checkDescribeTable(options.input));
        const record = connectionOf(deps, input.connection);
        const table = locatorOf(record.id, input);
        const role = deps.catalog.role(table);
        const access = deps.access(table);
        return jsonResult({ connection: { id: record.id, name: record.name }, ...(await describeTable(deps.tables, table, { ...role, ...(access.readOnlyReason ? { readOnlyReason: access.readOnlyReason } : {}) })) });
      }),
  };
}

export function readRowsTool(deps: AgentToolDeps): vscode.LanguageModelTool<Input> {
  return {
    prepareInvocation: (options) => {
      const checked = checkReadRows(options.input);
      const limit = checked.ok ? checked.value.limit : DEFAULT_ROW_LIMIT;
      const conditions = checked.ok ? { filters: checked.value.filters.length, sort: checked.value.sort.map((s) => `${s.column} ${s.direction}`) } : { filters: 0, sort: [] };
      return confirmation(
        readRowsConfirmation(namesFor(deps, options.input.connection) ?? unknownConnection(options.input.connection), String(options.input.table ?? ''), Math.min(limit, MAX_ROW_LIMIT), conditions),
        'Reading rows',
      );
    },
    invoke: (options, token) =>
      run(deps, AGENT_TOOL_NAMES.readRows, async () => {
        const input = unwrap(checkReadRows(options.input));
        const record = connectionOf(deps, input.connection);
        return jsonResult({ connection: { id: record.id, name: record.name }, ...(await readRows(deps.tables, locatorOf(record.id, input), input, signalOf(token))) });
      }),
  };
}

export function runQueryTool(deps: AgentToolDeps): vscode.LanguageModelTool<Input> {
  return {
    prepareInvocation: (options) => {
      const checked = checkRunQuery(options.input);
      const limit = checked.ok ? checked.value.limit : DEFAULT_ROW_LIMIT;
      return confirmation(runQueryConfirmation(namesFor(deps, options.input.connection) ?? unknownConnection(options.input.connection), String(options.input.sql ?? ''), Math.min(limit, MAX_ROW_LIMIT)), 'Running a read-only query');
    },
    invoke: (options, token) =>
      run(deps, AGENT_TOOL_NAMES.runQuery, async () => {
        const input = unwrap(checkRunQuery(options.input));
        const record = connectionOf(deps, input.connection);
        const { table: _title, ...rows } = await queryRows(deps.tables, record.id, input, signalOf(token));
        return jsonResult({ connection: { id: record.id, name: record.name }, ...rows });
      }),
  };
}

/** An AbortSignal that follows the invocation's cancellation token. */
export function signalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
