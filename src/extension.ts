// Over 400 lines (412) and one file on purpose: the composition root wires every service together once, in order;
// the pieces it wires live in src/core and src/host and are registered from there.
import { bundleStart } from './host/loadClock';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataChangeEvent, NocofloApi } from '../api';
import { Emitter } from './core/events';
import { extensionSource } from './core/dataAccess';
import { DatasourceManager, type DatasourceRecord } from './core/datasourceManager';
import { PluginRegistry } from './core/registry';
import { TableService } from './core/tableService';
import { API_VERSION, createApi } from './host/api';
import { createAudit, registerAuditCommands } from './host/audit/auditCommands';
import { registerBuiltInPlugins, BUILT_IN_PLUGIN_IDS } from './host/builtInPlugins';
import { registerCreatePlugin } from './host/commands/createPlugin';
import { registerCommands } from './host/commands/registerCommands';
import { CONNECTION_FORM_MESSAGE_COMMAND, ConnectionFormPanel } from './host/connections/connectionFormPanel';
import { ConnectionStatusBar } from './host/connectionStatusBar';
import { isOwnFile } from './core/roles/ownFile';
import { currentUser } from './host/currentUser';
import { DevPluginLoader } from './host/devPlugins';
import { openHostMetadata } from './host/metadataAdapter';
import { activatePluginExtensions } from './host/pluginExtensions';
import { createOutputLogger } from './host/outputLog';
import { registerViewCommands } from './host/panels/viewCommands';
import { PanelManager, VIEW_PANEL_TYPE } from './host/panels/panelManager';
import { askSecrets } from './host/secretPrompt';
import { secretStoreFrom } from './host/secretStore';
import { TableOpener } from './host/tableOpener';
import { answerOpenPick, QUICK_PICK_COMMAND } from './host/quickPick';
import { storeViewPreference } from './host/viewPreferences';
import { DatasourceTreeProvider, TREE_ITEMS_COMMAND } from './host/tree/datasourceTree';
import { RoleService } from './core/roles/roleService';
import { RoleStore } from './core/roles/roleStore';
import { confirmDeletes, viewConfirmations } from './host/roles/confirmDestructive';
import { registerRoleCommands } from './host/roles/roleCommands';
import { PluginAdmin } from './core/pluginAdmin';
import { PluginsPanel } from './host/plugins/pluginsPanel';
import { LockStore } from './core/locks/lockStore';
import { WindowLocks } from './core/locks/windowLocks';
import { CombinedCatalog, declaredConnections, isDeclared } from './host/workspaceConnections';
import { OpenedFiles } from './core/openedFiles';
import { registerSqliteFileEditor } from './host/files/sqliteFileEditor';
import { registerAgentTools } from './host/agentTools/registerAgentTools';
import { TABLE_VIEW_ID } from '../plugins/table-view';
import { AGENT_TOOLS_SOURCE } from './core/agentTools/proposal';
import { QueryTabs } from './host/queries/queryTabs';
import { statementTimeoutMs } from './host/queries/registerQueries';
import { preferenceTarget } from './core/queries/queryPreferences';
import { activateQueries } from './host/queries/activateQueries';
import { SavedQueryStore } from './core/queries/savedQueries';

const bundleLoaded = performance.now();
export async function activate(context: vscode.ExtensionContext): Promise<NocofloApi> {
  const activateStart = performance.now();
  const { logger: log, channel } = createOutputLogger();
  context.subscriptions.push(channel);

  const metadata = await openHostMetadata({
    storagePath: context.globalStorageUri.fsPath,
    wasmPath: path.join(context.extensionPath, 'dist', 'sql-wasm.wasm'),
    log,
    onCorrupt: (backup) => {
      void vscode.window.showWarningMessage(
        `Nocoflo's settings database was damaged and could not be read. It was kept as ${backup} and Nocoflo started with empty settings. Import a configuration export to restore your connections.`,
      );
    },
  });
  context.subscriptions.push(metadata);
  const metadataOpened = performance.now();

  const registry = new PluginRegistry({ apiVersion: API_VERSION, log, isEnabled: (id) => metadata.plugins.isEnabled(id) });
  context.subscriptions.push(registry);

  // Database files opened from the Explorer join the sidebar while their editor is open (src/core/openedFiles.ts);
  // their ids and paths are remembered per workspace so their table tabs come back after a reload.
  const openedKey = 'nocoflo.openedFiles';
  const knownFiles = new Map(Object.entries(context.workspaceState.get<Record<string, string>>(openedKey, {})));
  const opened = new OpenedFiles(
    () => registry.resolveDatasource('sqlite')?.id ?? 'nocoflo.sqlite',
    knownFiles,
    (id, file) => {
      knownFiles.set(id, file);
      void context.workspaceState.update(openedKey, Object.fromEntries(knownFiles));
    },
  );
  context.subscriptions.push(opened);
  const catalog = new CombinedCatalog(metadata.datasources, () => declaredConnections((m) => log.warn(m)), (type) => registry.resolveDatasource(type)?.id ?? type, opened);
  const datasources = new DatasourceManager({
    registry,
    catalog,
    secrets: secretStoreFrom(context.secrets),
    log,
    workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    slowOperationMs: () => vscode.workspace.getConfiguration('nocoflo').get<number>('log.slowOperationMs', 500),
    askSecrets,
    idleCloseMs: () => Math.max(0, vscode.workspace.getConfiguration('nocoflo').get<number>('idleSessionSeconds', 60)) * 1000,
  });
  context.subscriptions.push(
    { dispose: () => void datasources.closeAll() },
    // Not contributed (no palette entry): lets extension-host tests see which sessions are open.
    vscode.commands.registerCommand('nocoflo.internal.connectedDatasources', () => datasources.list().filter((r) => datasources.isConnected(r.id)).map((r) => r.id)),
  );
  // Roles per connection and table (TableService's `authorize` hook refuses what the role does not allow).
  const roleStore = new RoleStore(metadata.file);
  const roles = new RoleService({
    store: roleStore,
    datasource: (id) => datasources.get(id),
    datasources: () => datasources.list(),
    ownFile: (id) => {
      const record = datasources.get(id);
      return record !== undefined && isOwnFile(datasources.pluginFor(record)?.configFields, isDeclared(id));
    },
  });
  // Every write that reaches a database is recorded in the audit log (TableService's `applied` hook).
  const audit = createAudit(metadata.file, currentUser, log);
  context.subscriptions.push(audit.recorder);
  // Every write made through Nocoflo, for other extensions (api.data's onDidChangeData).
  const dataChanged = new Emitter<DataChangeEvent>();
  context.subscriptions.push(dataChanged);
  const tables = new TableService(
    datasources,
    {
      authorize: roles.authorize,
      applied: async (table, changes, results, origin, schema) => {
        await audit.recorder.applied(table, changes, results, origin, schema);
        const count = (kind: string) => changes.filter((c) => c.kind === kind).length;
        dataChanged.fire({ table: { ...table }, inserted: count('insert'), updated: count('update'), deleted: count('delete'), source: origin.source });
        // An insert or delete changes the row count the sidebar shows for the table.
        if (changes.some((c) => c.kind !== 'update')) tree.recount(table);
      },
    },
    { queryTimeoutMs: (datasourceId) => statementTimeoutMs(datasources.get(datasourceId)) },
  );

  const savedQueries = new SavedQueryStore(metadata.file);
  const tree = new DatasourceTreeProvider(datasources, tables, log, roles, savedQueries);
  const treeView = vscode.window.createTreeView('nocoflo.datasources', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, treeView);

  // The panel manager registers the tab serializer, so it must exist before activation returns.
  // Advisory row locks while a record is edited, shared with other windows through the metadata file.
  const lockStore = new LockStore(metadata.file, { owner: currentUser() });
  const locks = new WindowLocks(
    lockStore,
    { log, canBreak: (table) => roles.canManageConnection(table.datasourceId, 'Breaking row locks on') },
  );
  context.subscriptions.push(locks);
  closeLocks = () => locks.close();
  // Query result tabs come back after a reload only from this record (src/host/queries/queryTabs.ts).
  const queryTabs = new QueryTabs(context.workspaceState);
  const panels = new PanelManager({
    restoreQuery: (table) => queryTabs.restore(table),
    locks,
    context,
    registry,
    datasources,
    tables,
    log,
    viewConfig: (table, viewId) => {
      const preference = metadata.viewPreferences.get(preferenceTarget(table), currentUser());
      return preference?.viewId === viewId ? preference.config : undefined;
    },
    // An editable query result is governed as the table its edits are saved to.
    access: (table) => roles.viewAccess(tables.baseTable(table) ?? table),
    confirmApply: (table, changes) => confirmDeletes({ table: table.name, datasource: datasources.get(table.datasourceId)?.name ?? table.datasourceId }, changes),
    confirmations: viewConfirmations,
  });
  context.subscriptions.push(panels);
  context.subscriptions.push(
    ...registerRoleCommands({
      roles,
      store: roleStore,
      datasources,
      log,
      changed: (datasourceId) => {
        tree.refresh();
        panels.restart(datasourceId);
      },
    }),
  );

  const opener = new TableOpener(registry, datasources, tables, { preferredView: (table) => metadata.viewPreferences.get(preferenceTarget(table), currentUser())?.viewId }, panels);
  panels.useOpener(opener);
  context.subscriptions.push(
    ...activateQueries(context, {
      datasources,
      tables,
      roles,
      queryTabs,
      audit: audit.recorder,
      open: (table, viewId) => opener.open(table, viewId),
      refreshTabs: (id) => panels.refresh(id),
      refreshTree: () => tree.refresh(),
      activeQuery: () => panels.activePanel()?.identity.table,
      log,
      metadata: metadata.file,
      savedQueries,
      onDidRefreshTree: tree.onDidChangeTreeData,
    }),
  );
  const api = createApi({
    registry,
    datasources,
    metadata,
    opener,
    user: currentUser,
    builtIns: BUILT_IN_PLUGIN_IDS,
    tables,
    role: (datasourceId) => roles.resolve({ datasourceId }),
    locksOn: (table) => lockStore.locksOn(table),
    confirm: (table, changes, caller) => confirmDeletes({ table: table.name, datasource: datasources.get(table.datasourceId)?.name ?? table.datasourceId }, changes, caller),
    dataChanged,
    isInstalled: (id) => vscode.extensions.getExtension(id) !== undefined,
  });
  const pluginAdmin = new PluginAdmin({
    registry,
    store: metadata.plugins,
    // Managing plugins needs the admin role on every production connection (src/core/roles).
    canManagePlugins: () => roles.canManagePlugins(),
    afterEnablement: async (pluginId, kind, enabled) => {
      if (kind !== 'datasource') return;
      // A disabled datasource keeps no connection open; its tree node then says that the plugin is disabled.
      for (const record of datasources.list().filter((r) => r.type === pluginId)) {
        if (!enabled) await datasources.close(record.id);
        tables.forget(record.id);
        panels.refresh(record.id);
      }
      tree.refresh();
    },
  });
  context.subscriptions.push(
    vscode.commands.registerCommand('nocoflo.managePlugins', () =>
      PluginsPanel.show({ extensionUri: context.extensionUri, admin: pluginAdmin, onDidChangePlugins: (listener) => registry.onDidChange(listener), log }),
    ),
    { dispose: () => PluginsPanel.disposeAll() },
    // Another window enabled or disabled a plugin: the registry's state is read from the store, so just tell listeners.
    metadata.file.onDidChange(() => registry.notifyEnablementChanged()),
  );
  context.subscriptions.push(
    ...registerAuditCommands({
      extensionUri: context.extensionUri,
      store: audit.store,
      recorder: audit.recorder,
      tables,
      datasources,
      refreshTabs: (id) => panels.refresh(id),
      // Views by name, and extensions that wrote through api.data (source 'extension:<id>') by theirs.
      viewNames: () => [
        ...registry.list({ kind: 'view' }).map((p) => ({ id: p.id, name: p.displayName })),
        ...vscode.extensions.all.map((e) => ({ id: extensionSource(e.id), name: `${(e.packageJSON as { displayName?: string }).displayName ?? e.id} (extension)` })),
      ],
      onDidChangeViews: (listener) => registry.onDidChange(listener),
      onDidChangeExternally: (listener) => metadata.file.onDidChange(listener),
      log,
    }),
  );
  const keepOpenedFile = async (record: DatasourceRecord) => {
    if (metadata.datasources.getDatasource(record.id)) return;
    await metadata.datasources.addDatasource({ id: record.id, type: record.type, name: record.name, config: record.config });
    opened.forget(record.id);
    tree.refresh();
  };
  context.subscriptions.push(
    opened.onDidChange(() => tree.refresh()),
    ...registerSqliteFileEditor({
      extensionUri: context.extensionUri,
      log,
      opened,
      datasources,
      tables,
      sqliteType: () => registry.resolveDatasource('sqlite')?.id ?? 'nocoflo.sqlite',
      openTable: (table) => opener.open(table),
      keep: keepOpenedFile,
      fileChanged: (id) => panels.refresh(id),
    }),
    vscode.commands.registerCommand('nocoflo.keepInSidebar', async (node?: { kind?: string; record?: DatasourceRecord }) => {
      if (node?.kind !== 'datasource' || !node.record) return;
      await keepOpenedFile(node.record);
      void vscode.window.showInformationMessage(`${node.record.name} stays in the Nocoflo sidebar.`);
    }),
  );
  // Language model tools for AI agents (issue 16 §3): reads through TableService, proposals as pending edits.
  context.subscriptions.push(
    ...registerAgentTools({
      catalog: {
        connections: () => datasources.list(),
        configFields: (record) => datasources.pluginFor(record)?.configFields,
        role: (target) => {
          const { role, production } = roles.resolve('name' in target ? { datasourceId: target.datasourceId, ...(target.schema !== undefined ? { schema: target.schema } : {}), table: target.name } : target);
          return { role, production };
        },
      },
      tables,
      access: (table) => roles.viewAccess(table),
      propose: (table, names, pending) => panels.propose(table, TABLE_VIEW_ID, names, pending, AGENT_TOOLS_SOURCE),
      log,
    }),
  );
  context.subscriptions.push(
    ...registerViewCommands({
      panels,
      candidates: (table) => opener.candidates(table),
      tables,
      storePreference: (table, viewId, config) => storeViewPreference({ registry, datasources, preferences: metadata.viewPreferences, user: currentUser }, table, viewId, config),
      log,
    }),
  );

  context.subscriptions.push(
    ...registerCommands({
      registry,
      datasources,
      tables,
      metadata,
      tree,
      opener,
      log,
      output: channel,
      roles,
      openConnectionForm: (target) =>
        ConnectionFormPanel.show(
          {
            extensionUri: context.extensionUri,
            registry,
            datasources,
            log,
            onSaved: (id) => {
              tables.forget(id);
              tree.refresh();
              panels.refresh(id);
            },
          },
          target,
        ),
    }),
    { dispose: () => ConnectionFormPanel.disposeAll() },
    // Test hooks (not contributed): the sidebar's rows, the connection form's answers and the open picker, which a
    // test in the extension host cannot read from (or type into) the workbench.
    vscode.commands.registerCommand(CONNECTION_FORM_MESSAGE_COMMAND, (key: string, raw: unknown) => ConnectionFormPanel.deliver(key, raw)),
    vscode.commands.registerCommand(TREE_ITEMS_COMMAND, (parentId?: string, drawn?: boolean) => tree.describeChildren(parentId, drawn === true)),
    vscode.commands.registerCommand(QUICK_PICK_COMMAND, (label?: string) => answerOpenPick(label)),
    ...watchActiveTable(panels, new ConnectionStatusBar(datasources)),
    registry.onDidChange(() => tree.refresh()),
    metadata.file.onDidChange(() => tree.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nocoflo.connections') || e.affectsConfiguration('nocoflo.tree')) tree.refresh();
    }),
    // nocoflo.connections is a restricted setting: VS Code hides the workspace's value until the folder is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    ...registerBuiltInPlugins(api, context.extensionPath, log),
    activatePluginExtensions(log),
    registerCreatePlugin(context, log),
  );
  // Plugins under development: registered from their folders and again after every rebuild (dev setting).
  const devPlugins = new DevPluginLoader(api, log, ({ views, datasources: types }) => {
    panels.restartViews(views);
    for (const record of datasources.list().filter((r) => types.includes(r.type))) {
      void datasources.close(record.id);
      tables.forget(record.id);
    }
    tree.refresh();
  });
  const devFolders = () => vscode.workspace.getConfiguration('nocoflo').get<string[]>('dev.pluginFolders', []);
  context.subscriptions.push(
    devPlugins,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nocoflo.dev.pluginFolders')) void devPlugins.configure(devFolders());
    }),
    vscode.commands.registerCommand('nocoflo.reloadDevPlugins', async () => {
      const count = await devPlugins.reloadAll();
      void vscode.window.showInformationMessage(count === 0 ? 'No dev plugin folders are configured (nocoflo.dev.pluginFolders).' : `Reloaded ${count} dev plugin folder${count === 1 ? '' : 's'}.`);
    }),
  );
  if (devFolders().length > 0) setTimeout(() => void devPlugins.configure(devFolders()), 0);
  // What activation cost, for anyone asking why a window is slow (bench/memory.mjs reads VS Code's own figure).
  const ms = (from: number, to: number) => `${Math.round(to - from)} ms`;
  log.info(
    `Nocoflo ${context.extension.packageJSON.version} activated (API ${API_VERSION}, Node ${process.versions.node}) in ${ms(activateStart, performance.now())}: ` +
      `modules evaluated in ${ms(bundleStart, bundleLoaded)}, settings database opened in ${ms(activateStart, metadataOpened)}`,
  );
  return api;
}

/**
 * Keeps the status bar on the active Nocoflo tab's connection. A tab switch is reported before the panel's view state
 * changes, so both are followed: the last of the two events sees the panel that is really active.
 */
function watchActiveTable(panels: PanelManager, statusBar: ConnectionStatusBar): vscode.Disposable[] {
  const update = () => {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const isView = tab?.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(VIEW_PANEL_TYPE);
    const table = isView ? panels.activePanel()?.identity.table : undefined;
    void statusBar.show(table);
    // Shows "Save Query…" in the title bar of a query's result tab.
    void vscode.commands.executeCommand('setContext', 'nocoflo.queryTabActive', table?.query !== undefined);
  };
  return [
    statusBar,
    vscode.window.tabGroups.onDidChangeTabs(update),
    vscode.window.tabGroups.onDidChangeTabGroups(update),
    panels.onDidChangeActivePanel(update),
  ];
}

/** Set by activate: releases this window's row locks while the metadata store is still open. */
let closeLocks: (() => Promise<void>) | undefined;

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions, which VS Code does right after calling this.
  await closeLocks?.();
}
