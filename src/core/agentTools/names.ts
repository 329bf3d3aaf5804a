// The language model tools Nocoflo contributes (package.json `contributes.languageModelTools`, registered in
// src/host/agentTools). test/unit/agentTools.test.ts checks the manifest and this list agree.
export const AGENT_TOOL_NAMES = {
  listConnections: 'nocoflo_listConnections',
  listTables: 'nocoflo_listTables',
  describeTable: 'nocoflo_describeTable',
  readRows: 'nocoflo_readRows',
  runQuery: 'nocoflo_runQuery',
  proposeChanges: 'nocoflo_proposeChanges',
} as const;
