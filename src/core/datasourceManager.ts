import type {
  ConfigField,
  DatasourceConfig,
  DatasourceContext,
  DatasourcePlugin,
  DatasourceSession,
  NewDatasource,
} from '../../api';
import type { Logger } from './log';
import { isExpectedError, nocofloError } from './pluginErrors';
import type { PluginRegistry } from './registry';
import { redactUrl, redactUrlsIn } from './redactUrl';
import { bind, parseEntry, secretsFor, secretTarget, type SecretTarget } from './secretBinding';
import { IdleSessions, type IdleClock } from './idleSessions';
import { isolateSession } from './sessionIsolation';

export interface DatasourceRecord {
  id: string;
  /** The datasource plugin id. */
  type: string;
  name: string;
  /** Connection settings without secrets. */
  config: DatasourceConfig;
  /**
   * Marked as a production connection (its role defaults to viewer). Set from the settings for workspace-declared
   * connections; stored ones keep the mark in the metadata (`RoleStore.isProduction`).
   */
  production?: boolean;
  /** A database file open from the Explorer and not (yet) one of the user's connections (src/core/openedFiles.ts). */
  opened?: boolean;
  /**
   * Declared in workspace settings (`nocoflo.connections`), where anyone who can edit the workspace can point it
   * elsewhere: its secrets are never bound without asking (see `secretBinding.ts`).
   */
  declared?: boolean;
}

/** Where datasource records live (the metadata store). */
export interface DatasourceCatalog {
  listDatasources(): DatasourceRecord[];
  getDatasource(id: string): DatasourceRecord | undefined;
  addDatasource(record: Omit<DatasourceRecord, 'id'>): Promise<DatasourceRecord>;
  renameDatasource(id: string, name: string): Promise<void>;
  /** Replaces name and settings of a stored datasource (the connection form's "Edit"). */
  updateDatasource(id: string, changes: { name: string; config: DatasourceConfig }): Promise<void>;
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
  /**
   * Asks the user for the secrets of a datasource whose server refused its credentials (or that has none yet, like
   * a connection declared in workspace settings). Resolves undefined when the user declines. The answer is stored
   * in the SecretStore bound to `target` (what it authenticates, e.g. user@host:port/db), so it is asked once per
   * target. The prompt names the target, so a password is never typed for a server the user did not expect.
   */
  askSecrets?(record: DatasourceRecord, fields: ConfigField[], reason: string, target: string): Promise<Record<string, string> | undefined>;
  /** How long "Test connection" waits for an answer. */
  testTimeoutMs?: number;
  /**
   * How long a session nobody holds or calls stays open (0 or absent: until closed). The extension reads the
   * `nocoflo.idleSessionSeconds` setting; tests that do not test this keep sessions open.
   */
  idleCloseMs?(): number;
  clock?: IdleClock;
}

/** What the connection form edits: everything but the id. Secrets left out (or empty) keep their stored value. */
export interface DatasourceUpdate {
  name: string;
  config: DatasourceConfig;
  secrets?: Record<string, string>;
}

const DEFAULT_TEST_TIMEOUT_MS = 20_000;
/** How often a refused login is asked again before giving up, so a wrong answer never loops forever. */
const MAX_SECRET_PROMPTS = 3;

const secretKey = (datasourceId: string) => `nocoflo.datasource.${datasourceId}`;

/** Turns stored datasource records into live sessions, one per datasource, reused until closed. */
export class DatasourceManager {
  private readonly sessions = new Map<string, Promise<DatasourceSession>>();
  private readonly idle: IdleSessions;

  constructor(private readonly options: DatasourceManagerOptions) {
    this.idle = new IdleSessions({
      idleMs: () => options.idleCloseMs?.() ?? 0,
      clock: options.clock,
      close: (id) => {
        if (!this.sessions.has(id)) return;
        options.log.info(`Closing the idle session of datasource ${id}: nothing used it for ${Math.round((options.idleCloseMs?.() ?? 0) / 1000)} s`);
        void this.close(id);
      },
    });
  }

  /**
   * Keeps the session of `id` open while something shows its data (a tab, a file overview), however long it sits
   * unused; call the returned function when it closes. Without a holder, a session unused for the idle time closes
   * and the next use connects again.
   */
  hold(id: string): () => void {
    return this.idle.hold(id);
  }

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
    if (Object.keys(secrets).length > 0) await this.storeSecrets(record, plugin, secrets);
    this.options.log.info(`Added datasource "${name}" (${plugin.id}, id ${record.id})`);
    return record.id;
  }

  /**
   * Checks that a not-yet-saved datasource can connect; reports the datasource's own error message. `existingId`
   * fills in the stored secrets the form left empty (editing a connection without retyping its password). A server
   * that does not answer within the test timeout is reported as such rather than leaving the form waiting.
   */
  async test(input: NewDatasource, existingId?: string): Promise<string | undefined> {
    const { plugin, config, secrets } = this.prepare(input);
    // Stored secrets go only to the target they were saved for: the form may have just changed the host.
    const existing = existingId ? this.options.catalog.getDatasource(existingId) : undefined;
    const stored = existing ? ((await this.storedSecrets(existing, plugin, secretTarget(plugin, config))).secrets ?? {}) : {};
    const timeoutMs = this.options.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(nocofloError('timeout', `No answer within ${Math.round(timeoutMs / 1000)} s: the server may be unreachable or behind a firewall.`)), timeoutMs);
    });
    try {
      const result = await Promise.race([
        this.options.registry.callAsync(plugin.id, 'testConnection', () => plugin.testConnection(config, { ...stored, ...secrets }, this.context(plugin.id))),
        timeout,
      ]);
      return result?.message;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Stores new settings for a datasource and closes its session, so the next use connects with them. Secret fields
   * given non-empty replace the stored ones; the others are kept — but only while the target (host, port, user,
   * database; a REST origin) stays the same. A changed target keeps no stored secret: the ones typed now are bound
   * to it, and anything missing is asked on connect, naming the new target.
   */
  async update(id: string, update: DatasourceUpdate): Promise<void> {
    const record = this.options.catalog.getDatasource(id);
    if (!record) throw nocofloError('not_found', `Datasource ${id} does not exist (it may have been removed in another window).`);
    if (!update.name.trim()) throw nocofloError('invalid_value', 'A datasource name cannot be empty.');
    const { plugin, config, secrets } = this.prepare({ name: update.name, type: record.type, config: update.config, secrets: update.secrets ?? {} });
    const target = secretTarget(plugin, config);
    const kept = (await this.storedSecrets(record, plugin, target)).secrets ?? {};
    await this.options.catalog.updateDatasource(id, { name: update.name.trim(), config });
    const entered = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== ''));
    if (Object.keys(entered).length > 0) await this.storeSecrets({ ...record, config }, plugin, { ...kept, ...entered });
    await this.close(id);
    this.options.log.info(`Updated datasource "${update.name.trim()}" (${record.type}, id ${id})`);
  }

  /** Which secret fields have a stored value (the form shows "saved" instead of the value, which never leaves). */
  async storedSecretKeys(id: string): Promise<string[]> {
    const record = this.options.catalog.getDatasource(id);
    const plugin = record && this.pluginFor(record);
    if (!record || !plugin) return [];
    return Object.keys((await this.storedSecrets(record, plugin, secretTarget(plugin, record.config))).secrets ?? {});
  }

  /**
   * Binds secrets saved before binding existed to each stored datasource's current target. Import Configuration
   * calls it first, so a connection whose target the import changes does not carry the old secret over to it.
   */
  async bindLegacySecrets(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const record = this.options.catalog.getDatasource(id);
      const plugin = record && this.pluginFor(record);
      if (record && plugin) await this.storedSecrets(record, plugin, secretTarget(plugin, record.config));
    }
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
    if (pending) {
      this.idle.used(id);
      return pending;
    }
    // Connecting counts as a call in flight: a password prompt may take longer than the idle time.
    const connected = this.idle.begin(id);
    pending = this.connect(id);
    this.sessions.set(id, pending);
    const current = pending;
    pending.then(connected, () => {
      connected();
      if (this.sessions.get(id) === current) this.sessions.delete(id);
    });
    return pending;
  }

  isConnected(id: string): boolean {
    return this.sessions.has(id);
  }

  async close(id: string): Promise<void> {
    const pending = this.sessions.get(id);
    this.sessions.delete(id);
    this.idle.forget(id);
    if (!pending) return;
    try {
      await (await pending).close();
    } catch (error) {
      this.options.log.warn(`Closing datasource ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
    this.idle.dispose();
  }

  private async connect(id: string): Promise<DatasourceSession> {
    const record = this.options.catalog.getDatasource(id);
    if (!record) throw nocofloError('not_found', `Datasource ${id} does not exist (it may have been removed in another window).`);
    const plugin = this.options.registry.getDatasource(record.type);
    if (!plugin) {
      const reason = this.options.registry.unavailableReason(record.type) ?? `plugin "${record.type}" is unavailable`;
      throw nocofloError('unsupported', `Datasource "${record.name}" cannot open: ${reason}.`);
    }
    const session = await this.connectAsking(record, plugin);
    if (!session || typeof session.readRows !== 'function' || typeof session.getSchema !== 'function') {
      const error = new Error('connect() did not return a session with readRows/getSchema');
      this.options.registry.markFailed(plugin.id, 'connect', error);
      throw error;
    }
    return isolateSession(session, plugin.id, this.options.registry, this.options.log, this.options.slowOperationMs, () => this.idle.begin(id));
  }

  /** Connects; when the server refuses the credentials and the user can be asked, asks and tries again. */
  private async connectAsking(record: DatasourceRecord, plugin: DatasourcePlugin): Promise<DatasourceSession> {
    const secretFields = plugin.configFields.filter((f) => f.secret || f.type === 'password');
    const target = secretTarget(plugin, record.config);
    const ask = this.options.askSecrets;
    const first = await this.storedSecrets(record, plugin, target);
    if (!first.secrets && first.elsewhere && secretFields.length > 0) {
      // Saved for another target (or before targets were recorded): not sent; asked again, naming the new one.
      const reason = `The saved ${secretFields.map((f) => f.label.toLowerCase()).join(' / ')} of "${record.name}" was for a different target, so it is not sent to ${target.label}.`;
      const answer = ask ? await ask(record, secretFields, reason, target.label) : undefined;
      if (!answer) throw nocofloError('auth', `${reason} Connect again to enter it.`);
      await this.storeSecrets(record, plugin, answer);
    }
    for (let attempt = 0; ; attempt++) {
      const secrets = (await this.storedSecrets(record, plugin, target)).secrets ?? {};
      try {
        return await this.options.registry.callAsync(plugin.id, 'connect', () => plugin.connect(record.config, secrets, this.context(plugin.id)));
      } catch (error) {
        if (!ask || secretFields.length === 0 || attempt >= MAX_SECRET_PROMPTS || !isExpectedError(error) || error.code !== 'auth') throw error;
        const answer = await ask(record, secretFields, error.message, target.label);
        if (!answer) throw error;
        await this.storeSecrets(record, plugin, { ...secrets, ...answer });
      }
    }
  }

  /**
   * The secrets saved for `target`, and whether the entry holds secrets for some other target (then the caller
   * asks before connecting rather than sending nothing and waiting for the server to refuse).
   */
  private async storedSecrets(record: DatasourceRecord, plugin: DatasourcePlugin, target: SecretTarget): Promise<{ secrets?: Record<string, string>; elsewhere: boolean }> {
    let entry = parseEntry(await this.options.secrets.get(secretKey(record.id)));
    if (entry.legacy) {
      // Saved before binding existed. A connection the user added is bound to the target its record holds (not
      // `target`, which may be an edit in progress), which only the user's own edits set (imports bind first:
      // bindLegacySecrets). A declared one may have been repointed by anyone who edits the workspace, or be another
      // workspace's connection of the same name: asked again.
      if (record.declared) return { elsewhere: true };
      const raw = bind({ bindings: [] }, secretTarget(plugin, record.config), entry.legacy, false);
      await this.options.secrets.store(secretKey(record.id), raw);
      entry = parseEntry(raw);
    }
    const secrets = secretsFor(entry, target);
    return { secrets, elsewhere: !secrets && entry.bindings.length > 0 };
  }

  private async storeSecrets(record: DatasourceRecord, plugin: DatasourcePlugin, secrets: Record<string, string>): Promise<void> {
    const entry = parseEntry(await this.options.secrets.get(secretKey(record.id)));
    await this.options.secrets.store(secretKey(record.id), bind(entry, secretTarget(plugin, record.config), secrets, record.declared === true));
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
      // A plugin may log the URL it connects to; its credentials are dropped here rather than trusted to every plugin.
      log: (level, message) => log[level](`[${pluginId}] ${redactUrlsIn(message)}`),
    };
  }
}

export { redactUrl };
