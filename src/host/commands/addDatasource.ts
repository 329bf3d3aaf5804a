import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfigField, DatasourceConfig, DatasourcePlugin, NewDatasource } from '../../../api';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage } from '../../core/log';
import type { PluginRegistry } from '../../core/registry';

// Input-box flows for adding datasources. The schema-driven connection form arrives with the PostgreSQL/MySQL work;
// these flows already read the plugin's declared fields, so third-party datasources work with them unchanged.

const SQLITE_EXTENSIONS = ['sqlite', 'sqlite3', 'db', 'db3'];

export async function addSqliteFile(datasources: DatasourceManager, uri?: vscode.Uri): Promise<string | undefined> {
  const file =
    uri ??
    (
      await vscode.window.showOpenDialog({
        title: 'Add SQLite File',
        canSelectMany: false,
        filters: { 'SQLite databases': SQLITE_EXTENSIONS, 'All files': ['*'] },
        openLabel: 'Add',
      })
    )?.[0];
  if (!file) return undefined;
  return save(datasources, { type: 'sqlite', name: path.basename(file.fsPath), config: { path: file.fsPath } });
}

export async function addDatasourceInteractively(datasources: DatasourceManager, registry: PluginRegistry): Promise<string | undefined> {
  const plugins = registry
    .list({ kind: 'datasource' })
    .filter((p) => p.state === 'active')
    .map((p) => registry.getDatasource(p.id))
    .filter((p): p is DatasourcePlugin => p !== undefined);
  const items: (vscode.QuickPickItem & { plugin?: DatasourcePlugin })[] = [
    { label: '$(link) Paste a connection URL…', description: plugins.flatMap((p) => p.schemes).join(', ') },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    ...plugins.map((plugin) => ({ label: `$(${plugin.icon ?? 'database'}) ${plugin.displayName}`, description: plugin.id, plugin })),
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Add Datasource', placeHolder: 'What do you want to connect to?' });
  if (!choice) return undefined;
  if (!choice.plugin) return addFromUrl(datasources);
  if (choice.plugin.id === 'nocoflo.sqlite') return addSqliteFile(datasources);
  const answers = await askFields(choice.plugin);
  if (!answers) return undefined;
  const name = await vscode.window.showInputBox({ title: 'Datasource name', value: choice.plugin.displayName, validateInput: nonEmpty });
  if (name === undefined) return undefined;
  return save(datasources, { type: choice.plugin.id, name, config: answers.config, secrets: answers.secrets });
}

async function addFromUrl(datasources: DatasourceManager): Promise<string | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'Connection URL',
    placeHolder: 'postgres://user@host:5432/db, mysql://…, https://api.example.com, /path/to/file.sqlite',
    validateInput: nonEmpty,
    ignoreFocusOut: true,
  });
  if (!url) return undefined;
  const name = await vscode.window.showInputBox({ title: 'Datasource name', value: guessName(url), validateInput: nonEmpty });
  if (name === undefined) return undefined;
  return save(datasources, { url, name });
}

async function askFields(plugin: DatasourcePlugin): Promise<{ config: DatasourceConfig; secrets: Record<string, string> } | undefined> {
  const config: DatasourceConfig = {};
  const secrets: Record<string, string> = {};
  for (const field of plugin.configFields) {
    const value = await askField(field);
    if (value === undefined) return undefined;
    if (value === '') continue;
    if (field.secret || field.type === 'password') secrets[field.key] = String(value);
    else config[field.key] = value;
  }
  return { config, secrets };
}

async function askField(field: ConfigField): Promise<string | number | boolean | undefined> {
  const title = `${field.label}${field.required ? '' : ' (optional)'}`;
  if (field.type === 'boolean') {
    const picked = await vscode.window.showQuickPick(['No', 'Yes'], { title, placeHolder: field.description });
    return picked === undefined ? undefined : picked === 'Yes';
  }
  if (field.type === 'enum' && field.enum) {
    return vscode.window.showQuickPick(field.enum, { title, placeHolder: field.description });
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: field.description,
    placeHolder: field.placeholder,
    value: field.default === undefined ? '' : String(field.default),
    password: field.secret || field.type === 'password',
    ignoreFocusOut: true,
    validateInput: (v) => {
      if (field.required && v.trim() === '') return `${field.label} is required`;
      if (field.type === 'number' && v.trim() !== '' && !Number.isFinite(Number(v))) return `${field.label} must be a number`;
      return undefined;
    },
  });
  if (text === undefined) return undefined;
  return field.type === 'number' && text.trim() !== '' ? Number(text) : text;
}

/** Tests the connection first; a failure shows the datasource's own message and offers to save anyway. */
async function save(datasources: DatasourceManager, input: NewDatasource): Promise<string | undefined> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Connecting to ${input.name}…` },
      () => datasources.test(input),
    );
  } catch (error) {
    const answer = await vscode.window.showErrorMessage(`Could not connect to "${input.name}": ${errorMessage(error)}`, 'Save Anyway', 'Cancel');
    if (answer !== 'Save Anyway') return undefined;
  }
  return datasources.add(input);
}

function nonEmpty(value: string): string | undefined {
  return value.trim() === '' ? 'Required' : undefined;
}

function guessName(url: string): string {
  const withoutQuery = url.split(/[?#]/)[0];
  const last = withoutQuery.split(/[\\/]/).filter(Boolean).pop() ?? url;
  return last.replace(/^.*@/, '');
}
