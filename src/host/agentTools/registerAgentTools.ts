// Registers Nocoflo's language model tools (declared in package.json `contributes.languageModelTools`, which also
// makes VS Code activate Nocoflo on a tool's first use: `onLanguageModelTool:<name>` is implied).
import * as vscode from 'vscode';
import { AGENT_TOOL_NAMES } from '../../core/agentTools/names';
import { proposeChangesTool } from './proposeTool';
import { describeTableTool, listConnectionsTool, listTablesTool, readRowsTool } from './readTools';
import type { AgentToolDeps } from './toolKit';

export function registerAgentTools(deps: AgentToolDeps): vscode.Disposable[] {
  // A VS Code without the language model API (or one that has it disabled) simply gets no tools.
  if (typeof vscode.lm?.registerTool !== 'function') {
    deps.log.info('[agent tools] this VS Code has no language model tool API; the tools are not registered');
    return [];
  }
  return [
    vscode.lm.registerTool(AGENT_TOOL_NAMES.listConnections, listConnectionsTool(deps)),
    vscode.lm.registerTool(AGENT_TOOL_NAMES.listTables, listTablesTool(deps)),
    vscode.lm.registerTool(AGENT_TOOL_NAMES.describeTable, describeTableTool(deps)),
    vscode.lm.registerTool(AGENT_TOOL_NAMES.readRows, readRowsTool(deps)),
    vscode.lm.registerTool(AGENT_TOOL_NAMES.proposeChanges, proposeChangesTool(deps)),
  ];
}
