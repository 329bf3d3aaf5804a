// What the extension-host suites of the host glue share: activating Nocoflo (and the test plugin), reading state
// through the internal commands (open tabs, the sidebar's rows, the open picker, the connection form's answers),
// waiting for a condition, and throwaway SQLite files made with the real sql.js.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import * as vscode from 'vscode';
import type { NocofloApi, TableLocator } from '../../api';

export interface OpenPanel {
  table: TableLocator;
  viewId: string;
  displayName: { table: string; datasource: string };
  active: boolean;
  started: boolean;
  readOnlyReason?: string;
  unavailable?: { insert?: string; update?: string; delete?: string };
  pending: { kind: string }[];
  proposedBy?: string;
  query: { sort?: unknown[]; filters?: unknown[] };
}

// The shapes the test hooks answer with, as the host defines them.
import type { TreeItemInfo } from '../../src/host/tree/datasourceTree';
import type { OpenPickInfo } from '../../src/host/quickPick';

export type { OpenPickInfo, TreeItemInfo };

export async function nocoflo(): Promise<NocofloApi> {
  const extension = vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo');
  assert.ok(extension, 'Nocoflo is installed');
  const api = await extension.activate();
  await vscode.extensions.getExtension('nocoflo-tests.nocoflo-test-plugin')?.activate();
  return api;
}

/** The sample database of the fixture workspace (scripts/make-sample-db.mjs). */
export function sampleDatabase(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return path.join(folder.uri.fsPath, 'shop.sqlite');
}

/** Polls `read` until `done` holds for its value; mocha's timeout bounds the wait, the deadline names what failed. */
export async function waitFor<T>(what: string, read: () => PromiseLike<T> | T, done: (value: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const openPanels = async (): Promise<OpenPanel[]> => (await vscode.commands.executeCommand<OpenPanel[]>('nocoflo.internal.openPanels')) ?? [];

export const tabsOf = async (table: TableLocator): Promise<OpenPanel[]> =>
  (await openPanels()).filter((p) => p.table.datasourceId === table.datasourceId && p.table.name === table.name);

/**
 * The sidebar's rows under the row `parentId` (the datasources without one), fetched again with their row counts in;
 * with `drawn`, the rows fetched last as they are drawn now (a row VS Code was told to redraw).
 */
export async function treeItems(parentId?: string, drawn = false): Promise<TreeItemInfo[]> {
  const read = () => vscode.commands.executeCommand<TreeItemInfo[] | undefined>('nocoflo.internal.treeItems', parentId, drawn);
  let items = await read();
  // The hook knows the rows it has handed out: a connection added since is found among the roots read again.
  if (!items && parentId?.startsWith('ds:')) {
    await vscode.commands.executeCommand('nocoflo.internal.treeItems');
    items = await read();
  }
  assert.ok(items, `the tree has a row ${parentId}`);
  return items;
}

export async function treeItem(id: string, parentId?: string, drawn = false): Promise<TreeItemInfo> {
  const item = (await treeItems(parentId, drawn)).find((i) => i.id === id);
  assert.ok(item, `the tree shows ${id} under ${parentId ?? 'the root'}`);
  return item;
}

/** The picker Nocoflo has open, once it is open. */
export const openPick = (): Promise<OpenPickInfo> =>
  waitFor('a Nocoflo picker opens', () => vscode.commands.executeCommand<OpenPickInfo | undefined>('nocoflo.internal.quickPick'), (p) => p !== undefined) as Promise<OpenPickInfo>;

/** Chooses `label` in the open picker, as if the user accepted it. */
export async function choose(label: string): Promise<void> {
  await openPick();
  await vscode.commands.executeCommand('nocoflo.internal.quickPick', label);
}

/** Closes the open picker without a choice (Escape). */
export async function dismissPick(): Promise<void> {
  await openPick();
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await waitFor('the picker closes', () => vscode.commands.executeCommand<OpenPickInfo | undefined>('nocoflo.internal.quickPick'), (p) => p === undefined);
}

export async function closeAllTabs(): Promise<void> {
  // A test that failed with a picker open must not leave it to the next test.
  if (await vscode.commands.executeCommand<OpenPickInfo | undefined>('nocoflo.internal.quickPick')) await dismissPick();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor('every tab closes', async () => (await openPanels()).length + vscode.window.tabGroups.all.reduce((n, g) => n + g.tabs.length, 0), (n) => n === 0, 10_000);
}

/** A tree node as the sidebar hands it to a command. */
export const datasourceNode = (id: string, name: string, type = 'nocoflo.sqlite') => ({ kind: 'datasource', record: { id, name, type, config: {} } });
export const tableNode = (datasourceId: string, name: string) => ({
  kind: 'table',
  locator: { datasourceId, name },
  info: { ref: { name }, kind: 'table' },
  datasourceName: datasourceId,
  partitions: [],
});

/** A new folder for this suite's files. */
export const scratchFolder = (): string => mkdtempSync(path.join(tmpdir(), 'nocoflo-host-'));

/** A SQLite file written by the real sql.js from `sql`. */
export async function sqliteFile(file: string, sql: string): Promise<string> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(sql);
  writeFileSync(file, db.export());
  db.close();
  return file;
}
