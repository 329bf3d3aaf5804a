// Reading any of the user's connections through Nocoflo's data API (1.5): the connections and tables Nocoflo knows,
// a table's columns and its row count. Reads go through the user's roles; nothing here sees a password.
import * as vscode from 'vscode';
import type { NocofloData } from '@nocoflo/api';

export async function summarizeTable(data: NocofloData): Promise<void> {
  const connection = await vscode.window.showQuickPick(
    data.listDatasources().map((d) => ({ label: d.name, description: `${d.typeName} · ${d.role}`, id: d.id })),
    { title: 'Summarize a table: connection', ignoreFocusOut: true },
  );
  if (!connection) return;
  const tables = await data.listTables(connection.id);
  const table = await vscode.window.showQuickPick(
    tables.map((t) => ({ label: t.ref.name, description: t.ref.schema, ref: t.ref })),
    { title: 'Summarize a table: table', ignoreFocusOut: true },
  );
  if (!table) return;
  const locator = { datasourceId: connection.id, ...table.ref };
  const [schema, count] = await Promise.all([data.getSchema(locator), data.countRows(locator)]);
  const rows = `${count.count.toLocaleString('en-US')}${count.exact ? '' : ' (about)'} rows`;
  void vscode.window.showInformationMessage(`${table.label}: ${rows}, ${schema.columns.length} columns (${schema.columns.map((c) => c.name).join(', ')})`);
}
