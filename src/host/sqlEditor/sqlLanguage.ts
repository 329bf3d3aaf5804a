import * as vscode from 'vscode';
import type { TableInfo, TableLocator, TableSchema } from '../../../api';
import { statementAt } from '../../../plugins/kit/sql/sqlText';
import type { DatasourceManager } from '../../core/datasourceManager';
import { escapeMarkdown as escape } from '../../core/markdown';
import type { SqlCatalog } from '../../core/queries/sqlCatalog';
import { lensStatements, MAX_STATEMENT_LENSES } from './statementText';
import { completionTarget, resolveQualifier, SQL_KEYWORDS, tableReferences, type TableReference } from '../../core/queries/sqlReferences';
import { sqlFlavourOf } from '../queries/sqlFlavour';
import type { SqlBindings } from './sqlBindings';

export const RUN_QUERY_COMMAND = 'nocoflo.runQuery';
/** How long completion and hover wait for a connection's catalogue before answering without it. */
export const CATALOG_BUDGET_MS = 1500;

export interface SqlLanguageDeps {
  bindings: SqlBindings;
  datasources: Pick<DatasourceManager, 'get' | 'pluginFor'>;
  catalog: SqlCatalog;
}

const SQL: vscode.DocumentSelector = { language: 'sql' };

function flavourOf(deps: SqlLanguageDeps, document: vscode.TextDocument) {
  const id = deps.bindings.get(document.uri);
  const record = id !== undefined ? deps.datasources.get(id) : undefined;
  return sqlFlavourOf(record ? deps.datasources.pluginFor(record) : undefined);
}

/** "$(play) Run" above each statement; lenses are only computed for documents VS Code shows. */
class RunLenses implements vscode.CodeLensProvider {
  constructor(private readonly deps: SqlLanguageDeps) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const { spans, capped } = lensStatements(document.getText(), flavourOf(this.deps, document));
    const lenses = spans.map((span) => {
      const at = document.positionAt(span.start);
      return new vscode.CodeLens(new vscode.Range(at, at), {
        title: '$(play) Run',
        tooltip: 'Run this statement on the bound Nocoflo connection',
        command: RUN_QUERY_COMMAND,
        arguments: [document.uri, { text: span.text, offset: span.start }],
      });
    });
    if (capped && spans.length > 0) {
      const at = document.positionAt(spans[spans.length - 1].start);
      lenses.push(new vscode.CodeLens(new vscode.Range(at, at), { title: `Run lenses stop after ${MAX_STATEMENT_LENSES} statements: use Ctrl+Enter below`, command: '' }));
    }
    return lenses;
  }
}

const locatorOf = (datasourceId: string, info: TableInfo): TableLocator => ({ datasourceId, ...(info.ref.schema !== undefined ? { schema: info.ref.schema } : {}), name: info.ref.name });
const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** The catalogue table a reference names (schema optional). */
function findTable(tables: readonly TableInfo[], ref: { schema?: string; name: string }): TableInfo | undefined {
  return tables.find((t) => same(t.ref.name, ref.name) && (ref.schema === undefined || same(t.ref.schema, ref.schema)));
}

/** The statement around `position`, its table references, and the bound connection. */
function around(deps: SqlLanguageDeps, document: vscode.TextDocument, position: vscode.Position) {
  const datasourceId = deps.bindings.get(document.uri);
  if (datasourceId === undefined || !deps.datasources.get(datasourceId)) return undefined;
  const text = document.getText();
  const offset = document.offsetAt(position);
  const span = statementAt(text, flavourOf(deps, document), offset);
  const references = span ? tableReferences(span.text) : [];
  return { datasourceId, offset, text, references };
}

class CatalogCompletion implements vscode.CompletionItemProvider {
  constructor(private readonly deps: SqlLanguageDeps) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const line = document.lineAt(position.line).text.slice(0, position.character);
    const { qualifier } = completionTarget(line);
    const context = around(this.deps, document, position);
    const keywords = qualifier.length === 0 ? SQL_KEYWORDS.map((k) => new vscode.CompletionItem(k, vscode.CompletionItemKind.Keyword)) : [];
    if (!context) return keywords;
    const tables = (await this.deps.catalog.tablesOf(context.datasourceId, CATALOG_BUDGET_MS)) ?? [];
    if (qualifier.length > 0) {
      const last = qualifier[qualifier.length - 1];
      const schemaTables = tables.filter((t) => same(t.ref.schema, last));
      const reference: TableReference | { schema?: string; name: string } | undefined =
        qualifier.length === 1 ? resolveQualifier(context.references, last) ?? { name: last } : { schema: qualifier[qualifier.length - 2], name: last };
      const table = findTable(tables, reference);
      const columns = table ? await this.columns(context.datasourceId, table) : [];
      return [...columns, ...(qualifier.length === 1 ? schemaTables.map((t) => this.tableItem(t)) : [])];
    }
    const schemas = [...new Set(tables.map((t) => t.ref.schema).filter((s): s is string => s !== undefined))];
    const referenced = context.references.map((r) => findTable(tables, r)).filter((t): t is TableInfo => t !== undefined);
    const columns = (await Promise.all(referenced.map((t) => this.columns(context.datasourceId, t)))).flat();
    return [
      ...schemas.map((s) => new vscode.CompletionItem({ label: s, description: 'schema' }, vscode.CompletionItemKind.Module)),
      ...tables.map((t) => this.tableItem(t)),
      ...columns,
      ...keywords,
    ];
  }

  private tableItem(t: TableInfo): vscode.CompletionItem {
    const item = new vscode.CompletionItem({ label: t.ref.name, description: t.ref.schema ? `${t.kind} in ${t.ref.schema}` : t.kind }, t.kind === 'view' ? vscode.CompletionItemKind.Interface : vscode.CompletionItemKind.Class);
    item.sortText = `1${t.ref.name}`;
    return item;
  }

  private async columns(datasourceId: string, table: TableInfo): Promise<vscode.CompletionItem[]> {
    const schema = await this.deps.catalog.schemaOf(locatorOf(datasourceId, table), CATALOG_BUDGET_MS);
    return (schema?.columns ?? []).map((c) => {
      const item = new vscode.CompletionItem({ label: c.name, description: `${c.declaredType} · ${table.ref.name}` }, vscode.CompletionItemKind.Field);
      item.sortText = `0${c.name}`;
      return item;
    });
  }
}

/** The markdown of a table's hover: kind, columns with types, keys. */
export function tableHover(schema: TableSchema, kind: string): string {
  const name = [schema.table.schema, schema.table.name].filter(Boolean).join('.');
  const lines = [`**${escape(name)}** (${kind}), ${schema.columns.length} column${schema.columns.length === 1 ? '' : 's'}`, ''];
  for (const c of schema.columns.slice(0, 30)) lines.push(`- ${escape(c.name)} ${escape(c.declaredType)}${c.primaryKeyPosition ? ' · PK' : ''}`);
  if (schema.columns.length > 30) lines.push(`- … ${schema.columns.length - 30} more`);
  if (schema.primaryKey.length > 0) lines.push('', `Primary key: ${escape(schema.primaryKey.join(', '))}`);
  for (const fk of schema.foreignKeys) lines.push('', `${escape(fk.columns.join(', '))} → ${escape(fk.references.name)}(${escape(fk.referencedColumns.join(', '))})`);
  return lines.join('\n');
}

/** The markdown of a column's hover: declared type, nullability, keys. */
export function columnHover(schema: TableSchema, column: string): string | undefined {
  const c = schema.columns.find((x) => same(x.name, column));
  if (!c) return undefined;
  const fk = schema.foreignKeys.find((f) => f.columns.some((n) => same(n, c.name)));
  const parts = [`**${escape(schema.table.name)}.${escape(c.name)}** ${escape(c.declaredType)}`, c.nullable ? 'nullable' : 'NOT NULL'];
  if (c.primaryKeyPosition) parts.push('primary key');
  if (fk) parts.push(`references ${escape(fk.references.name)}(${escape(fk.referencedColumns[fk.columns.findIndex((n) => same(n, c.name))] ?? '')})`);
  return parts.join(' · ');
}

class CatalogHover implements vscode.HoverProvider {
  constructor(private readonly deps: SqlLanguageDeps) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const range = document.getWordRangeAtPosition(position, /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/);
    const context = range && around(this.deps, document, position);
    if (!range || !context) return undefined;
    const word = document.getText(range);
    const { qualifier } = completionTarget(document.lineAt(range.start.line).text.slice(0, range.start.character));
    const tables = (await this.deps.catalog.tablesOf(context.datasourceId, CATALOG_BUDGET_MS)) ?? [];
    const schemaOf = (t: TableInfo) => this.deps.catalog.schemaOf(locatorOf(context.datasourceId, t), CATALOG_BUDGET_MS);
    // A table named here (optionally schema-qualified), unless the word is a qualified column.
    const last = qualifier[qualifier.length - 1];
    const asTable = findTable(tables, { ...(last !== undefined && tables.some((t) => same(t.ref.schema, last)) ? { schema: last } : {}), name: word });
    if (asTable && (qualifier.length === 0 || same(asTable.ref.schema, last))) {
      const schema = await schemaOf(asTable);
      return schema ? new vscode.Hover(new vscode.MarkdownString(tableHover(schema, asTable.kind)), range) : undefined;
    }
    const candidates = last !== undefined ? [resolveQualifier(context.references, last) ?? { name: last }] : context.references;
    for (const reference of candidates) {
      const table = findTable(tables, reference);
      const schema = table && (await schemaOf(table));
      const text = schema && columnHover(schema, word);
      if (text) return new vscode.Hover(new vscode.MarkdownString(text), range);
    }
    return undefined;
  }
}

export function registerSqlLanguage(deps: SqlLanguageDeps): vscode.Disposable[] {
  return [
    vscode.languages.registerCodeLensProvider(SQL, new RunLenses(deps)),
    vscode.languages.registerCompletionItemProvider(SQL, new CatalogCompletion(deps), '.'),
    vscode.languages.registerHoverProvider(SQL, new CatalogHover(deps)),
  ];
}
