import * as vscode from 'vscode';
import type { DatasourceConfig, DatasourcePlugin } from '../../../api';
import type { DatasourceManager } from '../../core/datasourceManager';
import { errorMessage, type Logger } from '../../core/log';
import { isExpectedError } from '../../core/pluginErrors';
import type { PluginRegistry } from '../../core/registry';
import {
  type ConnectionFormCommand,
  type ConnectionFormInit,
  type ConnectionFormNotification,
  type ConnectionFormRequests,
  configToForm,
  defaultForm,
  type FormPlugin,
  type FormSubmission,
  formToConfig,
  isSecretField,
  parseFromConnectionForm,
} from '../../../shared/connectionForm';
import type { WireError } from '../../../shared/rpc';
import { ToolPanel } from '../panels/toolPanel';

export interface ConnectionFormDeps {
  extensionUri: vscode.Uri;
  registry: PluginRegistry;
  datasources: DatasourceManager;
  log: Logger;
  /** Called after a connection was added or changed. */
  onSaved(id: string): void;
}

export type ConnectionFormTarget = { mode: 'add'; type?: string } | { mode: 'edit'; id: string };

export const CONNECTION_FORM_TYPE = 'nocoflo.connectionForm';
/** Not contributed (no palette entry): lets extension-host tests send the open form what its webview would. */
export const CONNECTION_FORM_MESSAGE_COMMAND = 'nocoflo.internal.connectionFormMessage';

/** A user-facing refusal of what the form sent, shown on the field it is about. */
class FieldError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The "Add connection" / "Edit connection" tab. Its fields come from the datasource plugin's `configFields`, so
 * every datasource, built-in or third-party, gets the same form. Secrets typed here go to SecretStorage through
 * DatasourceManager and are never sent back to the webview nor kept in its saved state.
 */
export class ConnectionFormPanel {
  private static readonly open = new Map<string, ConnectionFormPanel>();
  private readonly tab: ToolPanel<ConnectionFormRequests, ConnectionFormCommand, ConnectionFormNotification>;

  static show(deps: ConnectionFormDeps, target: ConnectionFormTarget): void {
    const key = target.mode === 'edit' ? `edit:${target.id}` : 'add';
    const existing = ConnectionFormPanel.open.get(key);
    if (existing) {
      existing.tab.reveal();
      if (target.mode === 'add' && target.type) void existing.tab.start(() => existing.sendInit(target));
      return;
    }
    ConnectionFormPanel.open.set(key, new ConnectionFormPanel(deps, target, () => ConnectionFormPanel.open.delete(key)));
  }

  /**
   * The test hook behind nocoflo.internal.connectionFormMessage: `raw` handled by the open form for `key` ('add' or
   * 'edit:<id>') as if its webview had sent it, through the same parser and handlers; resolves what the form posted,
   * or undefined when no such form is open.
   */
  static async deliver(key: string, raw: unknown): Promise<unknown[] | undefined> {
    return ConnectionFormPanel.open.get(key)?.tab.deliver(raw);
  }

  /** Closes every open form (deactivation). */
  static disposeAll(): void {
    for (const form of [...ConnectionFormPanel.open.values()]) form.tab.dispose();
  }

  private constructor(
    private readonly deps: ConnectionFormDeps,
    private target: ConnectionFormTarget,
    onClosed: () => void,
  ) {
    this.tab = new ToolPanel<ConnectionFormRequests, ConnectionFormCommand, ConnectionFormNotification>({
      viewType: CONNECTION_FORM_TYPE,
      title: target.mode === 'edit' ? `Edit ${deps.datasources.get(target.id)?.name ?? 'Connection'}` : 'Add Connection',
      app: 'connection',
      name: 'Connection form',
      extensionUri: deps.extensionUri,
      log: deps.log,
      parse: parseFromConnectionForm,
      handlers: {
        parseUrl: (params) => this.parseUrl(params),
        test: (form) => this.test(form),
        save: (form) => this.save(form),
        pickFile: ({ field }) => this.pickFile(field),
      },
      command: (message) => (message.type === 'ready' ? this.sendInit(this.target) : this.tab.dispose()),
      toError: toFormError,
      onDisposed: onClosed,
    });
  }

  private async sendInit(target: ConnectionFormTarget): Promise<void> {
    this.target = target;
    const plugins = this.formPlugins();
    let init: ConnectionFormInit;
    if (target.mode === 'edit') {
      const record = this.deps.datasources.get(target.id);
      const plugin = record && this.deps.registry.getDatasource(record.type);
      if (!record || !plugin) throw new Error(record ? `The plugin of "${record.name}" is not available.` : 'This connection no longer exists.');
      init = {
        mode: 'edit',
        plugins: plugins.filter((p) => p.id === plugin.id),
        type: plugin.id,
        name: record.name,
        values: configToForm(plugin.configFields, record.config),
        savedSecrets: await this.deps.datasources.storedSecretKeys(record.id),
      };
    } else {
      const type = plugins.find((p) => p.id === target.type)?.id ?? plugins.find((p) => p.id !== 'nocoflo.sqlite')?.id ?? plugins[0]?.id ?? '';
      const plugin = plugins.find((p) => p.id === type);
      init = { mode: 'add', plugins, type, name: plugin?.displayName ?? '', values: plugin ? defaultForm(plugin.fields) : {}, savedSecrets: [] };
    }
    this.tab.post({ type: 'init', init });
  }

  private formPlugins(): FormPlugin[] {
    return this.deps.registry
      .list({ kind: 'datasource' })
      .filter((info) => info.state === 'active')
      .map((info) => this.deps.registry.getDatasource(info.id))
      .filter((p): p is DatasourcePlugin => p !== undefined)
      .map((p) => ({
        id: p.id,
        displayName: p.displayName,
        ...(p.icon ? { icon: p.icon } : {}),
        schemes: [...p.schemes],
        fields: p.configFields.map((f) => ({ ...f })),
        acceptsUrl: typeof p.parseUrl === 'function',
      }));
  }

  private async test(form: FormSubmission): Promise<ConnectionFormRequests['test']['result']> {
    const { input, existingId } = await this.prepare(form);
    const message = await this.deps.datasources.test(input, existingId);
    return { message: message ?? 'Connected.' };
  }

  private async save(form: FormSubmission): Promise<ConnectionFormRequests['save']['result']> {
    const { input, existingId } = await this.prepare(form);
    let id: string;
    if (existingId) {
      await this.deps.datasources.update(existingId, input);
      id = existingId;
    } else {
      id = await this.deps.datasources.add(input);
    }
    this.deps.onSaved(id);
    void vscode.window.showInformationMessage(`Saved connection "${input.name.trim()}".`);
    this.tab.dispose();
    return { id };
  }

  private async pickFile(field: string): Promise<ConnectionFormRequests['pickFile']['result']> {
    // 'file' fields hold files (a database, a CA certificate) or folders (a folder of CSV files); the field's
    // own words say which, as the platform dialogs cannot offer both at once.
    const declared = this.formPlugins().flatMap((p) => p.fields).find((f) => f.key === field);
    const folder = declared !== undefined && /\b(folder|directory)\b/i.test(`${declared.key} ${declared.label}`);
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, canSelectFiles: !folder, canSelectFolders: folder, openLabel: 'Choose' });
    return { path: picked?.[0]?.fsPath ?? null };
  }

  private async parseUrl({ type, url }: { type: string; url: string }): Promise<ConnectionFormRequests['parseUrl']['result']> {
    const trimmed = url.trim();
    const plugin = this.deps.registry.resolveUrl(trimmed) ?? this.deps.registry.getDatasource(type);
    if (!plugin?.parseUrl) throw new FieldError(`No datasource accepts a URL like this one; expected ${this.formPlugins().flatMap((p) => p.schemes.map((s) => `${s}://`)).join(', ')}.`, 'url');
    let parsed: ReturnType<NonNullable<DatasourcePlugin['parseUrl']>>;
    try {
      parsed = plugin.parseUrl(trimmed);
    } catch (error) {
      throw new FieldError(errorMessage(error), 'url');
    }
    const secrets = Object.fromEntries(Object.entries(parsed.secrets).filter(([k]) => plugin.configFields.some((f) => f.key === k && isSecretField(f))));
    return { type: plugin.id, values: { ...defaultForm(plugin.configFields), ...configToForm(plugin.configFields, parsed.config) }, secrets };
  }

  /** The host's own check of a submission: the plugin must exist and match, values must fit the fields. */
  private async prepare(form: FormSubmission): Promise<{ input: PreparedInput; existingId?: string }> {
    const existingId = this.target.mode === 'edit' ? this.target.id : undefined;
    const record = existingId ? this.deps.datasources.get(existingId) : undefined;
    if (existingId && !record) throw new FieldError('This connection no longer exists (removed in another window?).');
    if (record && record.type !== form.type) throw new FieldError('The type of an existing connection cannot change; add a new connection instead.');
    const plugin = this.deps.registry.getDatasource(form.type);
    if (!plugin) throw new FieldError(`The datasource type "${form.type}" is not available.`);
    if (!form.name.trim()) throw new FieldError('Give the connection a name.', 'name');
    // A required secret left empty is fine when one is already stored for the connection being edited.
    const saved = existingId ? await this.deps.datasources.storedSecretKeys(existingId) : [];
    const converted = formToConfig(plugin.configFields, form, saved);
    if (!converted.ok) {
      const [field, message] = Object.entries(converted.errors)[0]!;
      throw new FieldError(message, field);
    }
    return { input: { type: plugin.id, name: form.name, config: converted.config, secrets: converted.secrets }, ...(existingId ? { existingId } : {}) };
  }
}

interface PreparedInput {
  type: string;
  name: string;
  config: DatasourceConfig;
  secrets: Record<string, string>;
}

function toFormError(error: unknown): WireError {
  if (error instanceof FieldError) return { code: 'invalid_value', message: error.message, ...(error.field ? { field: error.field } : {}) };
  if (isExpectedError(error)) return { code: error.code, message: error.message, ...(error.column ? { field: error.column } : {}) };
  return { code: 'internal', message: errorMessage(error) };
}
