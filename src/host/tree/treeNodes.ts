import type { ColumnSchema, ForeignKey, RowCount, TableInfo, TableLocator } from '../../../api';
import type { DatasourceRecord } from '../../core/datasourceManager';
import { escapeMarkdown } from '../../core/markdown';
import type { SavedQuery } from '../../core/queries/savedQueries';

// Plain data for tree elements; the provider turns them into TreeItems. Kept free of vscode so ids and labels are
// easy to reason about (ids must be stable across refreshes, or VS Code forgets expansion state).

export type TreeNode = DatasourceNode | SchemaNode | TableNode | ColumnNode | MessageNode | QueriesNode | SavedQueryNode;

/** "Queries" under a connection that has saved queries. */
export interface QueriesNode {
  kind: 'queries';
  datasourceId: string;
  queries: SavedQuery[];
}

export interface SavedQueryNode {
  kind: 'savedQuery';
  query: SavedQuery;
}

export interface DatasourceNode {
  kind: 'datasource';
  record: DatasourceRecord;
}

export interface SchemaNode {
  kind: 'schema';
  datasourceId: string;
  schema: string;
  tables: TableInfo[];
}

export interface TableNode {
  kind: 'table';
  locator: TableLocator;
  info: TableInfo;
  datasourceName: string;
  /** Partitions of a partitioned table, shown as its children. */
  partitions: TableInfo[];
  rowCount?: RowCount;
  /** Counting took longer than the tree's budget: the count shows as unknown. */
  countTimedOut?: boolean;
}

export interface ColumnNode {
  kind: 'column';
  locator: TableLocator;
  column: ColumnSchema;
  foreignKey?: ForeignKey;
}

export interface MessageNode {
  kind: 'message';
  id: string;
  label: string;
  detail?: string;
  severity: 'info' | 'error';
  /** For "Retry" on connection errors. */
  datasourceId?: string;
}

export const tableNodeId = (locator: TableLocator): string => `table:${locator.datasourceId}:${locator.schema ?? ''}:${locator.name}`;

export function nodeId(node: TreeNode): string {
  switch (node.kind) {
    case 'datasource':
      return `ds:${node.record.id}`;
    case 'schema':
      return `schema:${node.datasourceId}:${node.schema}`;
    case 'table':
      return tableNodeId(node.locator);
    case 'column':
      return `column:${node.locator.datasourceId}:${node.locator.schema ?? ''}:${node.locator.name}:${node.column.name}`;
    case 'message':
      return `message:${node.id}`;
    case 'queries':
      return `queries:${node.datasourceId}`;
    case 'savedQuery':
      return `query:${node.query.datasourceId}:${node.query.name}`;
  }
}

/** What "Copy Name" copies: qualified and quoted only where a reader would need it to find the object. */
export function nodeName(node: TreeNode): string {
  switch (node.kind) {
    case 'datasource':
      return node.record.name;
    case 'schema':
      return node.schema;
    case 'table':
      return node.locator.schema ? `${node.locator.schema}.${node.locator.name}` : node.locator.name;
    case 'column':
      return node.column.name;
    case 'message':
      return node.label;
    case 'queries':
      return 'Queries';
    case 'savedQuery':
      return node.query.name;
  }
}

/** "INTEGER · PK · NOT NULL · → customers.id" */
export function columnDescription(column: ColumnSchema, foreignKey?: ForeignKey): string {
  const parts = [column.declaredType || column.kind];
  if (column.primaryKeyPosition !== undefined) parts.push(column.primaryKeyPosition > 1 ? `PK ${column.primaryKeyPosition}` : 'PK');
  if (foreignKey) {
    const index = foreignKey.columns.indexOf(column.name);
    const ref = foreignKey.references;
    parts.push(`→ ${ref.schema ? `${ref.schema}.` : ''}${ref.name}.${foreignKey.referencedColumns[index] ?? '?'}`);
  }
  parts.push(column.nullable ? 'NULL' : 'NOT NULL');
  if (column.generated) parts.push('generated');
  return parts.join(' · ');
}

export function matchesFilter(info: TableInfo, filter: string): boolean {
  return filter === '' || info.ref.name.toLocaleLowerCase().includes(filter.toLocaleLowerCase());
}

/**
 * The Markdown of a datasource's tooltip. Names come from users (and plugin names from third parties), so all of
 * it is escaped; the host also renders it untrusted, so no command link could run even if one slipped through.
 */
export function datasourceTooltip(what: { name: string; pluginName: string; role?: string; status?: string }): string {
  const lines = [`**${escapeMarkdown(what.name)}**`, escapeMarkdown(what.pluginName)];
  if (what.role) lines.push(`Your role: ${escapeMarkdown(what.role)}`);
  if (what.status) lines.push(escapeMarkdown(what.status));
  return lines.join('\n\n');
}
