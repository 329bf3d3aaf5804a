// Registers Nocoflo's language model tools (declared in package.json `contributes.languageModelTools`, which also
// makes VS Code activate Nocoflo on a tool's first use: `onLanguageModelTool:<name>` is implied).
import * as vscode from 'vscode';
import { AGENT_TOOL_NAMES } from '../../core/agentTools/names';
import { proposeChangesTool } from './proposeTool';
import { describeTableTool, listConnectionsTool, listTablesTool, readRowsTool, runQueryTool } from './readTools';
import type { AgentToolDeps } from './toolKit';

export function registerAgentTools(deps: AgentToolDeps): vscode.Disposable[] {
  // A VS Code without the language model API (or one that has it disabled) simply gets no tools.
  if (typeof vscode.lm?.registerTool !== 'function') {
    deps.log.info('[agent tools] this VS Code has no language model tool API; the tools are not registered');
    return [];
  }
  const tools: Record<string, vscode.LanguageModelTool<Record<string, unknown>>> = {
    [AGENT_TOOL_NAMES.listConnections]: listConnectionsTool(deps),
    [AGENT_TOOL_NAMES.listTables]: listTablesTool(deps),
    [AGENT_TOOL_NAMES.describeTable]: describeTableTool(deps),
    [AGENT_TOOL_NAMES.readRows]: readRowsTool(deps),
    [AGENT_TOOL_NAMES.runQuery]: runQueryTool(deps),
    [AGENT_TOOL_NAMES.proposeChanges]: proposeChangesTool(deps),
  };
  return [
    ...Object.entries(tools).map(([name, tool]) => vscode.lm.registerTool(name, tool)),
    // Not contributed (no palette entry): lets extension-host tests read the confirmation a tool asks VS Code to
    // show. Outside a chat VS Code shows it as a modal dialog, which VS Code skips while it runs extension tests.
    vscode.commands.registerCommand(AGENT_TOOL_CONFIRMATION_COMMAND, async (name: string, input: Record<string, unknown>) => {
      const source = new vscode.CancellationTokenSource();
      const prepared = await Promise.resolve(tools[name]?.prepareInvocation?.({ input }, source.token)).finally(() => source.dispose());
      const messages = prepared?.confirmationMessages;
      return messages && { title: messages.title, message: typeof messages.message === 'string' ? messages.message : messages.message.value };
    }),
  ];
}

export const AGENT_TOOL_CONFIRMATION_COMMAND = 'nocoflo.internal.agentToolConfirmation';
