import type {
  DatasourcePlugin,
  Disposable,
  PluginInfo,
  PluginKind,
  PluginManifest,
  PluginState,
  TableSchema,
  ViewPlugin,
} from '../../api';
import { Emitter } from './events';
import { errorMessage, type Logger } from './log';
import { isExpectedError, PluginFailure, PluginOperationError } from './pluginErrors';
import { apiIncompatibility } from './semver';
import { validateDatasourcePlugin, validateViewPlugin } from './pluginValidation';

export interface RegistryOptions {
  apiVersion: string;
  log: Logger;
  /** Enabled state as stored in the metadata store (absent means enabled). */
  isEnabled(pluginId: string): boolean;
}

export interface RegisterOptions {
  builtIn?: boolean;
}

interface Entry<P extends PluginManifest> {
  kind: PluginKind;
  plugin: P;
  builtIn: boolean;
  failure?: string;
}

/**
 * Holds every datasource and view plugin, built-in or third-party, behind the same checks. It never lets a plugin's
 * exception escape into the caller's control flow unannounced: `call`/`callAsync` catch and log with the plugin id.
 * A plugin is marked failed only when it breaks its contract (a synchronous hook throws, a promise rejects with a
 * non-Error, a result has the wrong shape); an Error from one operation stays that operation's error.
 */
export class PluginRegistry implements Disposable {
  private readonly datasources = new Map<string, Entry<DatasourcePlugin>>();
  private readonly views = new Map<string, Entry<ViewPlugin>>();
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: RegistryOptions) {}

  registerDatasource(plugin: DatasourcePlugin, options: RegisterOptions = {}): Disposable {
    this.checkManifest(plugin, 'datasource', validateDatasourcePlugin);
    for (const scheme of plugin.schemes) {
      const owner = this.datasourceForScheme(scheme, { includeInactive: true });
      if (owner) {
        throw this.refuse(plugin.id, `scheme "${scheme}" is already handled by plugin "${owner.id}"`);
      }
    }
    return this.add(this.datasources, { kind: 'datasource', plugin, builtIn: options.builtIn ?? false });
  }

  registerView(plugin: ViewPlugin, options: RegisterOptions = {}): Disposable {
    this.checkManifest(plugin, 'view', validateViewPlugin);
    return this.add(this.views, { kind: 'view', plugin, builtIn: options.builtIn ?? false });
  }

  /** Finds the datasource plugin for a scheme or a plugin id. */
  resolveDatasource(typeOrScheme: string): DatasourcePlugin | undefined {
    const byId = this.datasources.get(typeOrScheme);
    if (byId && this.state(byId) === 'active') return byId.plugin;
    return this.datasourceForScheme(typeOrScheme.toLowerCase());
  }

  /** Routes a connection URL (or a bare SQLite file path) to the plugin for its scheme. */
  resolveUrl(url: string): DatasourcePlugin | undefined {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    if (scheme && scheme.length > 1) return this.resolveDatasource(scheme.toLowerCase());
    // No scheme (or a Windows drive letter): a file path; pick by extension through the plugins' own parsers.
    for (const entry of this.datasources.values()) {
      if (this.state(entry) !== 'active' || !entry.plugin.parseUrl) continue;
      const parsed = this.call(entry.plugin.id, 'parseUrl', () => {
        try {
          return entry.plugin.parseUrl!(url);
        } catch (error) {
          if (isExpectedError(error)) return undefined;
          throw error;
        }
      });
      if (parsed) return entry.plugin;
    }
    return undefined;
  }

  getDatasource(id: string): DatasourcePlugin | undefined {
    const entry = this.datasources.get(id);
    return entry && this.state(entry) === 'active' ? entry.plugin : undefined;
  }

  getView(id: string): ViewPlugin | undefined {
    const entry = this.views.get(id);
    return entry && this.state(entry) === 'active' ? entry.plugin : undefined;
  }

  /** A registered plugin's manifest whatever its state (the Plugins view shows disabled and failed ones too). */
  manifest(pluginId: string): { manifest: PluginManifest; kind: PluginKind } | undefined {
    const entry = this.datasources.get(pluginId) ?? this.views.get(pluginId);
    return entry ? { manifest: entry.plugin, kind: entry.kind } : undefined;
  }

  /** Active views that can handle `schema`, highest priority first. A throwing canHandle counts as "no". */
  viewsFor(schema: TableSchema): ViewPlugin[] {
    const candidates: { view: ViewPlugin; priority: number }[] = [];
    for (const entry of this.views.values()) {
      if (this.state(entry) !== 'active') continue;
      const view = entry.plugin;
      const verdict = this.call(view.id, 'canHandle', () => {
        const can = view.canHandle(schema);
        const priority = typeof view.priority === 'function' ? view.priority(schema) : view.priority;
        if (typeof priority !== 'number' || Number.isNaN(priority)) throw new Error(`priority is not a number: ${String(priority)}`);
        return { can: can === true, priority };
      });
      if (verdict?.can) candidates.push({ view, priority: verdict.priority });
    }
    candidates.sort((a, b) => b.priority - a.priority || a.view.id.localeCompare(b.view.id));
    return candidates.map((c) => c.view);
  }

  list(filter: { kind?: PluginKind } = {}): PluginInfo[] {
    const entries: Entry<PluginManifest>[] = [];
    if (filter.kind !== 'view') entries.push(...this.datasources.values());
    if (filter.kind !== 'datasource') entries.push(...this.views.values());
    return entries.map((entry) => this.info(entry)).sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  }

  /** Why a plugin cannot be used right now, in words for users; undefined when it is active. */
  unavailableReason(pluginId: string): string | undefined {
    const entry = this.datasources.get(pluginId) ?? this.views.get(pluginId);
    if (!entry) return `plugin "${pluginId}" is not installed (is the extension that provides it enabled?)`;
    const state = this.state(entry);
    if (state === 'disabled') return `plugin "${pluginId}" is disabled`;
    if (state === 'failed') return `plugin "${pluginId}" failed in ${entry.failure}; reload it or see Nocoflo: Show Log`;
    return undefined;
  }

  /** Runs plugin code synchronously; on an exception marks the plugin failed and returns undefined. */
  call<T>(pluginId: string, operation: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.markFailed(pluginId, operation, error);
      return undefined;
    }
  }

  /**
   * Runs plugin code that returns a promise. Expected datasource errors (codes from the contract) pass through
   * untouched. Any other Error is that one operation's error (logged with the plugin id, rethrown as a
   * PluginOperationError with code 'internal'): the same plugin serves every connection of its type, so one bad
   * value, file or message must not take all of them down. Only a broken contract marks the plugin failed and
   * comes back as a PluginFailure: rejecting with something that is not an Error, or a result `check` refuses.
   */
  async callAsync<T>(pluginId: string, operation: string, fn: () => Promise<T>, check?: (result: T) => string | undefined): Promise<T> {
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (isExpectedError(error)) throw error;
      if (!isErrorLike(error)) {
        this.markFailed(pluginId, operation, error);
        throw new PluginFailure(pluginId, operation, error);
      }
      this.options.log.error(`[${pluginId}] ${operation} failed (the plugin stays active): ${errorMessage(error)}${error.stack ? `\n${error.stack}` : ''}`);
      throw new PluginOperationError(pluginId, operation, error);
    }
    const breach = check?.(result);
    if (breach !== undefined) {
      const error = new Error(`returned ${breach}`);
      this.markFailed(pluginId, operation, error);
      throw new PluginFailure(pluginId, operation, error);
    }
    return result;
  }

  markFailed(pluginId: string, operation: string, error: unknown): void {
    const entry = this.datasources.get(pluginId) ?? this.views.get(pluginId);
    const message = errorMessage(error);
    this.options.log.error(`[${pluginId}] ${operation} failed: ${message}${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`);
    if (!entry) return;
    entry.failure = `${operation}: ${message}`;
    this.changed.fire();
  }

  /** Gives a failed plugin another chance (after the user fixed something and pressed Refresh). */
  resetFailures(): void {
    let any = false;
    for (const entry of [...this.datasources.values(), ...this.views.values()]) {
      if (entry.failure) {
        entry.failure = undefined;
        any = true;
      }
    }
    if (any) this.changed.fire();
  }

  /** Called when enabled flags changed in the metadata store. */
  notifyEnablementChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.datasources.clear();
    this.views.clear();
    this.changed.dispose();
  }

  private datasourceForScheme(scheme: string, options: { includeInactive?: boolean } = {}): DatasourcePlugin | undefined {
    for (const entry of this.datasources.values()) {
      if (!options.includeInactive && this.state(entry) !== 'active') continue;
      if (entry.plugin.schemes.some((s) => s.toLowerCase() === scheme)) return entry.plugin;
    }
    return undefined;
  }

  private checkManifest<P extends PluginManifest>(plugin: P, kind: PluginKind, validate: (p: P) => string[]): void {
    const id = typeof plugin?.id === 'string' && plugin.id ? plugin.id : '(no id)';
    const problems = validate(plugin);
    if (problems.length > 0) throw this.refuse(id, `invalid ${kind} plugin: ${problems.join('; ')}`);
    const incompatible = apiIncompatibility(plugin.id, plugin.apiVersion, this.options.apiVersion);
    if (incompatible) throw this.refuse(plugin.id, incompatible);
    if (this.datasources.has(plugin.id) || this.views.has(plugin.id)) {
      throw this.refuse(plugin.id, `a plugin with id "${plugin.id}" is already registered`);
    }
  }

  private refuse(pluginId: string, reason: string): Error {
    const message = `Nocoflo refused plugin "${pluginId}": ${reason}`;
    this.options.log.error(message);
    return new Error(message);
  }

  private add<P extends PluginManifest>(map: Map<string, Entry<P>>, entry: Entry<P>): Disposable {
    map.set(entry.plugin.id, entry);
    this.options.log.info(
      `Registered ${entry.kind} plugin ${entry.plugin.id}@${entry.plugin.version}` +
        `${entry.plugin.extensionId ? ` from ${entry.plugin.extensionId}` : ''}${entry.builtIn ? ' (built-in)' : ''}`,
    );
    this.changed.fire();
    let disposed = false;
    return {
      dispose: () => {
        if (disposed || map.get(entry.plugin.id) !== entry) return;
        disposed = true;
        map.delete(entry.plugin.id);
        this.options.log.info(`Unregistered ${entry.kind} plugin ${entry.plugin.id}`);
        this.changed.fire();
      },
    };
  }

  private state(entry: Entry<PluginManifest>): PluginState {
    if (!this.options.isEnabled(entry.plugin.id)) return 'disabled';
    return entry.failure ? 'failed' : 'active';
  }

  private info(entry: Entry<PluginManifest>): PluginInfo {
    const p = entry.plugin;
    const state = this.state(entry);
    return {
      id: p.id,
      kind: entry.kind,
      displayName: p.displayName,
      version: p.version,
      apiVersion: p.apiVersion,
      enabled: this.options.isEnabled(p.id),
      state,
      ...(entry.failure ? { error: entry.failure } : {}),
      ...(p.extensionId ? { extensionId: p.extensionId } : {}),
      builtIn: entry.builtIn,
    };
  }
}

/** Errors from another realm (a worker, a vm context) fail `instanceof Error`; their shape is what counts. */
function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}
