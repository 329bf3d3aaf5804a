import * as vscode from 'vscode';
import type { DatasourceSession, SessionStatus, TableInfo, TableKind, TableLocator } from '../../../api';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import type { TableService } from '../../core/tableService';
import { roleDescription } from '../../core/roles/roleModel';
import type { RoleService } from '../../core/roles/roleService';
import { rowCountText } from '../../../shared/rowCountText';
import { countWithin, TREE_COUNT_BUDGET_MS, TREE_COUNT_CAP } from '../../core/treeCounts';
import { untrustedMarkdown } from '../untrustedMarkdown';
import type { SavedQueryStore } from '../../core/queries/savedQueries';
import { drawQueryItem, queriesChildren, savedQueryChildren } from './savedQueryItems';
import { columnDescription, datasourceTooltip, matchesFilter, nodeId, tableNodeId, type DatasourceNode, type TableNode, type TreeNode } from './treeNodes';

const TABLE_ICONS: Record<TableKind, string> = {
  table: 'table',
  view: 'eye',
  'materialized-view': 'layers',
  'partitioned-table': 'split-horizontal',
  'foreign-table': 'link-external',
  endpoint: 'globe',
  query: 'symbol-namespace',
};

/** A row of the tree as VS Code would draw it, for the test-only command nocoflo.internal.treeItems. */
export interface TreeItemInfo {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  contextValue: string;
  icon: string;
  expandable: boolean;
  command?: string;
}

/** Not contributed (no palette entry): lets extension-host tests read the sidebar's rows. */
export const TREE_ITEMS_COMMAND = 'nocoflo.internal.treeItems';

/**
 * Datasources → (schemas) → tables and views → columns. Listing is lazy (on expand); row counts arrive after the
 * tables are shown, so a slow count never delays the tree.
 */
export class DatasourceTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filter = '';
  private readonly counting = new Set<string>();
  /** Tables whose count overran its budget: not counted again (which would stall their datasource again) until the user refreshes. */
  private readonly countTimedOut = new Set<string>();
  private knownEmpty: boolean | undefined;
  /** The table rows as last handed to VS Code, so a save can recount one of them in place. */
  private readonly shownTables = new Map<string, TableNode>();
  /** The row counts started last, so the test hook can answer once they are in (see describeChildren). */
  private countsInFlight: Promise<unknown> = Promise.resolve();
  /** The status read started last, so the test hook can answer once it is in. */
  private statusCheck: Promise<void> = Promise.resolve();
  /** Nodes the test hook handed out, by id, so a test can ask for the children of one of them. */
  private readonly described = new Map<string, TreeNode>();
  /** The children the test hook fetched last, by parent id ('' for the roots). */
  private readonly describedChildren = new Map<string, TreeNode[]>();
  /** What each connection's server last said about itself (a read replica and its lag), with when it said it. */
  private readonly statuses = new Map<string, SessionStatus & { at: Date }>();

  constructor(
    private readonly datasources: DatasourceManager,
    private readonly tables: TableService,
    private readonly log: Logger,
    /** Shows each connection's role ("viewer · production") and tables' own roles; absent in tests without roles. */
    private readonly roles?: Pick<RoleService, 'resolve' | 'storedRole'>,
    /** Each connection's saved queries, shown under "Queries"; absent in tests without them. */
    private readonly savedQueries?: Pick<SavedQueryStore, 'list'>,
  ) {}

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  /**
   * Rows were inserted into or deleted from `table` (a save, an undo, the API): its count is stale, so it is counted
   * again and only its row is redrawn, keeping the rest of the tree (and what is expanded) as it is.
   */
  recount(table: TableLocator): void {
    const node = this.shownTables.get(tableNodeId(table));
    if (!node) return;
    delete node.rowCount;
    node.countTimedOut = false;
    this.countTimedOut.delete(nodeId(node));
    this.changed.fire(node);
    if (vscode.workspace.getConfiguration('nocoflo').get<boolean>('tree.rowCounts', true)) void this.countLater([node]);
  }

  /** The user asked for a refresh: count again the tables whose count timed out (of one datasource, or all). */
  recountTimedOut(datasourceId?: string): void {
    for (const id of this.countTimedOut) if (datasourceId === undefined || id.startsWith(`table:${datasourceId}:`)) this.countTimedOut.delete(id);
  }

  setFilter(text: string): void {
    this.filter = text.trim();
    void vscode.commands.executeCommand('setContext', 'nocoflo.treeFiltered', this.filter !== '');
    this.changed.fire(undefined);
  }

  get filterText(): string {
    return this.filter;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem('');
    item.id = nodeId(node);
    switch (node.kind) {
      case 'datasource': {
        const plugin = this.datasources.pluginFor(node.record);
        item.label = node.record.name;
        const role = this.roles?.resolve({ datasourceId: node.record.id });
        const pluginName = plugin ? plugin.displayName : `${node.record.type} (plugin unavailable)`;
        const status = this.statuses.get(node.record.id);
        item.description = [role ? roleDescription(role) : '', pluginName, status?.label ?? '', node.record.opened ? 'opened file' : ''].filter(Boolean).join(' · ');
        const statusText = status?.detail ? `${status.detail} (as of ${status.at.toLocaleTimeString()})` : undefined;
        item.tooltip = untrustedMarkdown(datasourceTooltip({ name: node.record.name, pluginName: plugin?.displayName ?? node.record.type, ...(role ? { role: roleDescription(role) } : {}), ...(statusText ? { status: statusText } : {}) }));
        item.iconPath = new vscode.ThemeIcon(plugin?.icon ?? 'database', plugin ? undefined : new vscode.ThemeColor('errorForeground'));
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        // The suffix picks Mark or Unmark Production in the context menu; other entries match the prefix.
        // An opened file (from the Explorer) offers Keep in Sidebar instead of Edit, Rename and Remove.
        item.contextValue = node.record.opened ? 'nocoflo.datasource.opened' : role?.production ? 'nocoflo.datasource.production' : 'nocoflo.datasource';
        break;
      }
      case 'schema':
        item.label = node.schema;
        item.description = `${node.tables.length}`;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        item.contextValue = 'nocoflo.schema';
        break;
      case 'table': {
        item.label = node.info.ref.name;
        const kind = node.info.kind === 'table' ? '' : node.info.kind.replace('-', ' ');
        const count = node.rowCount ? rowCountText(node.rowCount) : node.countTimedOut ? 'count timed out' : '';
        const tableRole = this.roles?.storedRole({ datasourceId: node.locator.datasourceId, ...(node.locator.schema !== undefined ? { schema: node.locator.schema } : {}), table: node.locator.name });
        item.description = [kind, count, tableRole ? `${tableRole} (table role)` : ''].filter(Boolean).join(' · ');
        const countTip = node.countTimedOut ? `Counting its rows took longer than ${TREE_COUNT_BUDGET_MS / 1000} seconds, so the count is unknown; open it to see its rows.` : count;
        item.tooltip = `${node.locator.schema ? `${node.locator.schema}.` : ''}${node.info.ref.name} (${node.info.kind})${countTip ? `\n${countTip}` : ''}${node.info.comment ? `\n${node.info.comment}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(TABLE_ICONS[node.info.kind] ?? 'table');
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        item.contextValue = node.info.kind === 'table' ? 'nocoflo.table' : 'nocoflo.table.readonly';
        item.command = { command: 'nocoflo.openTable', title: 'Open', arguments: [node] };
        break;
      }
      case 'column':
        item.label = node.column.name;
        item.description = columnDescription(node.column, node.foreignKey);
        item.iconPath = new vscode.ThemeIcon(node.column.primaryKeyPosition !== undefined ? 'key' : node.foreignKey ? 'references' : 'symbol-field');
        item.contextValue = 'nocoflo.column';
        break;
      case 'message':
        item.label = node.label;
        item.description = node.detail;
        item.tooltip = node.detail ? `${node.label}\n${node.detail}` : node.label;
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'info', node.severity === 'error' ? new vscode.ThemeColor('errorForeground') : undefined);
        item.contextValue = node.datasourceId ? 'nocoflo.message.retry' : 'nocoflo.message';
        break;
      case 'queries':
      case 'savedQuery':
        drawQueryItem(item, node);
        break;
    }
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const roots: TreeNode[] = this.datasources.list().map((record) => ({ kind: 'datasource', record }));
      // The welcome view (package.json viewsWelcome) says "No datasources yet" only once the list is known to be
      // empty; until then, and while Nocoflo activates, it says "Loading connections…". A key set on the first
      // answer instead flashed "No datasources yet" on workspaces that declare connections, before their rows arrived.
      if (this.knownEmpty !== (roots.length === 0)) {
        this.knownEmpty = roots.length === 0;
        void vscode.commands.executeCommand('setContext', 'nocoflo.noDatasources', this.knownEmpty);
      }
      return roots;
    }
    try {
      switch (node.kind) {
        case 'datasource':
          return [...queriesChildren(this.savedQueries, node), ...(await this.datasourceChildren(node))];
        case 'queries':
          return savedQueryChildren(node);
        case 'schema':
          return this.tableNodes(node.datasourceId, node.tables);
        case 'table':
          return await this.tableChildren(node);
        default:
          return [];
      }
    } catch (error) {
      const datasourceId = node.kind === 'datasource' ? node.record.id : undefined;
      // Saved queries stay reachable (to copy or open in an editor) while their connection fails.
      const queries = node.kind === 'datasource' ? queriesChildren(this.savedQueries, node) : [];
      return [...queries, { kind: 'message', id: `${nodeId(node)}:error`, label: errorMessage(error), severity: 'error', ...(datasourceId ? { datasourceId } : {}) }];
    }
  }

  /**
   * The test hook behind nocoflo.internal.treeItems: the children of the row `parentId` (the datasources without
   * one), fetched as VS Code fetches them and drawn by getTreeItem once the row counts they started have arrived;
   * with `drawn`, the rows fetched last are drawn again as they are now, as VS Code redraws a row that changed.
   * The tree view itself may be hidden in a test window, so tests cannot read what VS Code drew.
   */
  async describeChildren(parentId?: string, drawn = false): Promise<TreeItemInfo[] | undefined> {
    const parent = parentId === undefined ? undefined : this.described.get(parentId);
    if (parentId !== undefined && !parent) return undefined;
    // A table row is redrawn from the node last handed to VS Code (see recount), whoever fetched it.
    let children = drawn ? this.describedChildren.get(parentId ?? '')?.map((node) => (node.kind === 'table' ? (this.shownTables.get(nodeId(node)) ?? node) : node)) : undefined;
    if (!children) {
      children = await this.getChildren(parent);
      this.describedChildren.set(parentId ?? '', children);
      await this.countsInFlight;
    }
    await this.statusCheck;
    return children.map((node) => {
      this.described.set(nodeId(node), node);
      const item = this.getTreeItem(node);
      const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : (item.tooltip ?? '');
      return {
        id: item.id ?? '',
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: typeof item.description === 'string' ? item.description : '',
        tooltip,
        contextValue: item.contextValue ?? '',
        icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '',
        expandable: item.collapsibleState !== vscode.TreeItemCollapsibleState.None && item.collapsibleState !== undefined,
        ...(item.command ? { command: item.command.command } : {}),
      };
    });
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async datasourceChildren(node: DatasourceNode): Promise<TreeNode[]> {
    const session = await this.datasources.session(node.record.id);
    const tables = await session.listTables();
    this.statusCheck = this.readStatus(node, session);
    if (tables.length === 0) return [{ kind: 'message', id: `${node.record.id}:empty`, label: 'No tables', severity: 'info' }];
    if (!session.capabilities.schemas) return this.tableNodes(node.record.id, tables);
    const bySchema = new Map<string, TableInfo[]>();
    for (const info of tables) {
      const schema = info.ref.schema ?? '';
      bySchema.set(schema, [...(bySchema.get(schema) ?? []), info]);
    }
    return [...bySchema.entries()].map(([schema, list]) => ({ kind: 'schema', datasourceId: node.record.id, schema, tables: list }));
  }

  /** The server's status for the connection's row; redrawn when its label changes (not on every new lag). */
  private async readStatus(node: DatasourceNode, session: DatasourceSession): Promise<void> {
    if (!session.status) return;
    let status: SessionStatus | undefined;
    try {
      status = await session.status();
    } catch (error) {
      this.log.warn(`Could not read the status of "${node.record.name}": ${errorMessage(error)}`);
    }
    const before = this.statuses.get(node.record.id);
    if (status) this.statuses.set(node.record.id, { ...status, at: new Date() });
    else this.statuses.delete(node.record.id);
    if (before?.label !== status?.label) this.changed.fire(node);
  }

  private tableNodes(datasourceId: string, tables: TableInfo[]): TreeNode[] {
    const datasourceName = this.datasources.get(datasourceId)?.name ?? datasourceId;
    const partitionsOf = new Map<string, TableInfo[]>();
    for (const info of tables) {
      if (info.parent) partitionsOf.set(`${info.ref.schema ?? ''}\u0000${info.parent}`, [...(partitionsOf.get(`${info.ref.schema ?? ''}\u0000${info.parent}`) ?? []), info]);
    }
    const nodes: TableNode[] = tables
      .filter((info) => !info.parent && matchesFilter(info, this.filter))
      .map((info) => ({
        kind: 'table',
        locator: { datasourceId, ...(info.ref.schema !== undefined ? { schema: info.ref.schema } : {}), name: info.ref.name },
        info,
        datasourceName,
        partitions: partitionsOf.get(`${info.ref.schema ?? ''}\u0000${info.ref.name}`) ?? [],
        ...(info.rowCount ? { rowCount: info.rowCount } : {}),
      }));
    for (const node of nodes) {
      if (!node.rowCount && this.countTimedOut.has(nodeId(node))) node.countTimedOut = true;
      this.shownTables.set(nodeId(node), node);
    }
    if (vscode.workspace.getConfiguration('nocoflo').get<boolean>('tree.rowCounts', true)) this.countsInFlight = this.countLater(nodes);
    if (nodes.length === 0 && this.filter) return [{ kind: 'message', id: `${datasourceId}:filtered`, label: `No tables match "${this.filter}"`, severity: 'info' }];
    return nodes;
  }

  private async tableChildren(node: TableNode): Promise<TreeNode[]> {
    const partitions = this.tableNodes(node.locator.datasourceId, node.partitions);
    const schema = await this.tables.schema(node.locator);
    const columns: TreeNode[] = schema.columns.map((column) => {
      const foreignKey = schema.foreignKeys.find((fk) => fk.columns.includes(column.name));
      return { kind: 'column', locator: node.locator, column, ...(foreignKey ? { foreignKey } : {}) };
    });
    return [...(node.partitions.length > 0 ? partitions : []), ...columns];
  }

  /**
   * Counts rows two tables at a time, updating each node as its count arrives. Each count has a budget: a huge table
   * or an endless view shows "count timed out" instead of holding up the counts after it (see treeCounts.ts).
   */
  private async countLater(nodes: TableNode[]): Promise<void> {
    const queue = nodes.filter((n) => !n.rowCount && !n.countTimedOut && !this.counting.has(nodeId(n)));
    const worker = async () => {
      for (let node = queue.shift(); node; node = queue.shift()) {
        const id = nodeId(node);
        const target = node;
        this.counting.add(id);
        try {
          const outcome = await countWithin((signal) => this.tables.countRows(target.locator, { cap: TREE_COUNT_CAP, estimate: true, signal }), TREE_COUNT_BUDGET_MS);
          if (outcome.kind === 'counted') node.rowCount = outcome.count;
          else if (outcome.kind === 'timed out') {
            node.countTimedOut = true;
            this.countTimedOut.add(id);
          } else {
            this.log.warn(`Counting rows of ${node.info.ref.name} failed: ${errorMessage(outcome.error)}`);
            continue;
          }
          this.changed.fire(node);
        } finally {
          this.counting.delete(id);
        }
      }
    };
    await Promise.all([worker(), worker()]);
  }
}
