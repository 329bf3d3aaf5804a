// The propose-changes tool: the proposal becomes pending edits in the table's grid tab, for the person to review.
// Nothing is written here. When the person saves, the tab's save goes through TableService like any edit (roles,
// conflict checks against the `expected` rows read now, the delete confirmation, the audit log), and the audit
// entry's source is AGENT_TOOLS_SOURCE.
import type * as vscode from 'vscode';
import { proposeChangesConfirmation } from '../../core/agentTools/confirmation';
import { checkProposal } from '../../core/agentTools/inputs';
import { AGENT_TOOL_NAMES } from '../../core/agentTools/names';
import { buildProposal, countsOf, describeCounts, roleNotes } from '../../core/agentTools/proposal';
import { locatorOf } from '../../core/agentTools/reads';
import { encodeChange } from '../../../shared/protocolCodec';
import { type AgentToolDeps, confirmation, connectionOf, jsonResult, namesFor, run, unwrap } from './toolKit';

export function proposeChangesTool(deps: AgentToolDeps): vscode.LanguageModelTool<Record<string, unknown>> {
  return {
    prepareInvocation: (options) => {
      const checked = checkProposal(options.input);
      const what = checked.ok ? describeCounts(countsOf(checked.value)) : 'changes';
      const names = namesFor(deps, options.input.connection) ?? { name: String(options.input.connection ?? '(not named)'), production: false };
      return confirmation(proposeChangesConfirmation(names, String(options.input.table ?? ''), what, checked.ok ? checked.value.reason : undefined), 'Opening the proposed changes for review');
    },
    invoke: (options) =>
      run(deps, AGENT_TOOL_NAMES.proposeChanges, async () => {
        const input = unwrap(checkProposal(options.input));
        const record = connectionOf(deps, input.connection);
        const table = locatorOf(record.id, input);
        const built = unwrap(await buildProposal(deps.tables, table, input));
        const { existing } = await deps.propose(table, { table: table.name, datasource: record.name }, built.changes.map(encodeChange));
        const access = deps.access(table);
        const { role, production } = deps.catalog.role(table);
        const what = describeCounts(built.counts);
        const readOnly = access.readOnlyReason !== undefined;
        return jsonResult({
          status: readOnly ? 'opened read-only: cannot be saved' : 'awaiting the user\'s review',
          message: readOnly
            ? `The ${what} opened in the ${table.name} tab of "${record.name}", read-only: ${access.readOnlyReason} Nothing was written.`
            : `The ${what} are open as unsaved edits in the ${table.name} tab of "${record.name}"${existing ? ' (the tab was already open)' : ''}. Nothing was written: the user reviews them and saves (or discards) them. Do not assume they were applied; read the rows again later to see what was saved.`,
          connection: { id: record.id, name: record.name, production },
          table: table.name,
          proposed: built.counts,
          yourRole: role,
          ...(readOnly ? { readOnlyReason: access.readOnlyReason } : {}),
          notes: [...(readOnly ? [] : roleNotes(role, built.counts, record.name)), ...(production ? [`"${record.name}" is a production connection: saving asks the user to confirm destructive changes.`] : [])],
        });
      }),
  };
}
