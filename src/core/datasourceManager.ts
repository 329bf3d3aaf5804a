import type {
  DatasourceConfig,
  DatasourceContext,
  DatasourcePlugin,
  DatasourceSession,
  NewDatasource,
} from '../../api';
import type { Logger } from './log';
import { nocofloError } from './pluginErrors';
import type { PluginRegistry } from './registry';
import { isolateSession } from './sessionIsolation';

export interface DatasourceRecord {
  id: string;
  /** The datasource plugin id. */
  type: string;
  name: string;
  /** Connection settings without secrets. */
  config: DatasourceConfig;
}

/** Where datasource records live (the metadata store). */
export interface DatasourceCatalog {
  listDatasources(): DatasourceRecord[];
  getDatasource(id: string): DatasourceRecord | undefined;
  addDatasource(record: Omit<DatasourceRecord, 'id'>): Promise<DatasourceRecord>;
  renameDatasource(id: string, name: string): Promise<void>;
  removeDatasource(id: string): Promise<void>;
}

/** Where secrets live: VS Code SecretStorage in the extension, a Map in tests. Nothing else ever holds them. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface DatasourceManagerOptions {
  registry: PluginRegistry;
  catalog: DatasourceCatalog;
  secrets: SecretStore;
  log: Logger;
  workspaceFolders(): readonly string[];
  /** Operations slower than this are logged. */
  slowOperationMs(): number;
}

const secretKey = (datasourceId: string) => `nocoflo.datasource.${datasourceId}`;

/** Turns stored datasource records into live sessions, one per datasource, reused until closed. */
export class DatasourceManager {
  private readonly sessions = new Map<string, Promise<DatasourceSession>>();

  constructor(private readonly options: DatasourceManagerOptions) {}

  list(): DatasourceRecord[] {
    return this.options.catalog.listDatasources();
  }

  get(id: string): DatasourceRecord | undefined {
    return this.options.catalog.getDatasource(id);
  }

  pluginFor(record: DatasourceRecord): DatasourcePlugin | undefined {
    return this.options.registry.getDatasource(record.type);
  }

  /** Validates and stores a new datasource; secrets go to the SecretStore only. Returns the new id. */
  async add(input: NewDatasource): Promise<string> {
    const { plugin, config, secrets } = this.prepare(input);
    const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim() : plugin.displayName;
    const record = await this.options.catalog.addDatasource({ type: plugin.id, name, config });
    if (Object.keys(secrets).length > 0) await this.options.secrets.store(secretKey(record.id), JSON.stringify(secrets));
    this.options.log.info(`Added datasource "${name}" (${plugin.id}, id ${record.id})`);
    return record.id;
  }

  /** Checks that a not-yet-saved datasource can connect; reports the datasource's own error message. */
  async test(input: NewDatasource): Promise<string | undefined> {
    const { plugin, config, secrets } = this.prepare(input);
    const result = await this.options.registry.callAsync(plugin.id, 'testConnection', () =>
      plugin.testConnection(config, secrets, this.context(plugin.id)),
    );
    return result?.message;
  }

  async rename(id: string, name: string): Promise<void> {
    if (!name.trim()) throw nocofloError('invalid_value', 'A datasource name cannot be empty.');
    await this.options.catalog.renameDatasource(id, name.trim());
  }

  async remove(id: string): Promise<void> {
    await this.close(id);
    await this.options.catalog.removeDatasource(id);
    await this.options.secrets.delete(secretKey(id));
  }

  /** The live session for a datasource, connecting on first use. A failed connect is not cached. */
  session(id: string): Promise<DatasourceSession> {
    let pending = this.sessions.get(id);
    if (!pending) {
      pending = this.connect(id);
      this.sessions.set(id, pending);
      pending.catch(() => {
        if (this.sessions.get(id) === pending) this.sessions.delete(id);
      });
    }
    return pending;
  }

  isConnected(id: string): boolean {
    return this.sessions.has(id);
  }

  async close(id: string): Promise<void> {
    const pending = this.sessions.get(id);
    this.sessions.delete(id);
    if (!pending) return;
    try {
      await (await pending).close();
    } catch (error) {
      this.options.log.warn(`Closing datasource ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private async connect(id: string): Promise<DatasourceSession> {
    const record = this.options.catalog.getDatasource(id);
    if (!record) throw nocofloError('not_found', `Datasource ${id} does not exist (it may have been removed in another window).`);
    const plugin = this.options.registry.getDatasource(record.type);
    if (!plugin) {
      const reason = this.options.registry.unavailableReason(record.type) ?? `plugin "${record.type}" is unavailable`;
      throw nocofloError('unsupported', `Datasource "${record.name}" cannot open: ${reason}.`);
    }
    const stored = await this.options.secrets.get(secretKey(id));
    const secrets = stored ? (JSON.parse(stored) as Record<string, string>) : {};
    const session = await this.options.registry.callAsync(plugin.id, 'connect', () => plugin.connect(record.config, secrets, this.context(plugin.id)));
    if (!session || typeof session.readRows !== 'function' || typeof session.getSchema !== 'function') {
      const error = new Error('connect() did not return a session with readRows/getSchema');
      this.options.registry.markFailed(plugin.id, 'connect', error);
      throw error;
    }
    return isolateSession(session, plugin.id, this.options.registry, this.options.log, this.options.slowOperationMs);
  }

  private prepare(input: NewDatasource): { plugin: DatasourcePlugin; config: DatasourceConfig; secrets: Record<string, string> } {
    const registry = this.options.registry;
    const plugin = input.type ? registry.resolveDatasource(input.type) : input.url ? registry.resolveUrl(input.url) : undefined;
    if (!plugin) {
      const what = input.type ? `type "${input.type}"` : input.url ? `URL scheme of "${redactUrl(input.url)}"` : 'a missing type or URL';
      throw nocofloError('unsupported', `No enabled datasource plugin handles ${what}.`);
    }
    let config: DatasourceConfig = { ...(input.config ?? {}) };
    let secrets: Record<string, string> = { ...(input.secrets ?? {}) };
    if (input.url) {
      if (!plugin.parseUrl) throw nocofloError('unsupported', `Datasource "${plugin.displayName}" does not accept connection URLs.`);
      const parsed = plugin.parseUrl(input.url);
      config = { ...parsed.config, ...config };
      secrets = { ...parsed.secrets, ...secrets };
    }
    // Defence in depth: a secret field passed in `config` by mistake is moved, so it can never reach the metadata DB.
    for (const field of plugin.configFields) {
      const value = config[field.key];
      if ((field.secret || field.type === 'password') && value !== undefined) {
        if (value !== '') secrets[field.key] = String(value);
        delete config[field.key];
      }
    }
    const missing = plugin.configFields.filter((f) => f.required && !f.secret && (config[f.key] === undefined || config[f.key] === ''));
    if (missing.length > 0) {
      throw nocofloError('invalid_value', `Missing ${missing.map((f) => `"${f.label}"`).join(', ')} for a ${plugin.displayName} datasource.`);
    }
    return { plugin, config, secrets };
  }

  private context(pluginId: string): DatasourceContext {
    const log = this.options.log;
    return {
      workspaceFolders: this.options.workspaceFolders(),
      log: (level, message) => log[level](`[${pluginId}] ${message}`),
    };
  }
}

/** Drops credentials from a URL before it appears in a message or log. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, (_m, auth: string) => `//${auth.split(':')[0]}:***@`);
}
