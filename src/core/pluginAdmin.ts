// What the Plugins view does, without `vscode`: list every plugin with its state and stored configuration,
// enable or disable one, and store a configuration only after it passed the plugin's declared schema. The host
// wires it to the webview and closes a disabled datasource's sessions; the rules live here, tested in plain Node.
import type { PluginKind, PluginManifest } from '../../api';
import { MAX_CONFIG_CHARS, type PluginRow, type PluginsViewState } from '../../shared/pluginsProtocol';
import { type JsonSchema, schemaProblems, validateAgainstSchema } from './jsonSchema';
import type { PluginConfigRepository } from './metadata/pluginConfigRepository';
import type { PluginRegistry } from './registry';

/** The part of the plugin configuration repository plugin management uses. */
export type PluginConfigStore = Pick<PluginConfigRepository, 'get' | 'set'>;

export type ManageVerdict = { ok: true } | { ok: false; reason: string };

export interface PluginAdminDeps {
  registry: PluginRegistry;
  store: PluginConfigStore;
  /** Whether the user may manage plugins (the roles of issue 7: admins only). */
  canManagePlugins(): ManageVerdict;
  /** Runs after a plugin was enabled or disabled and the registry told its listeners. */
  afterEnablement?(pluginId: string, kind: PluginKind, enabled: boolean): Promise<void>;
}

/** A refusal the user can act on, with every problem of a refused configuration. */
export class PluginAdminError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

const MAX_PROBLEMS_IN_MESSAGE = 5;

export class PluginAdmin {
  constructor(private readonly deps: PluginAdminDeps) {}

  state(): PluginsViewState {
    const verdict = this.deps.canManagePlugins();
    const plugins: PluginRow[] = this.deps.registry.list().map((info) => {
      const manifest = this.deps.registry.manifest(info.id)?.manifest;
      const stored = this.deps.store.get(info.id)?.config;
      return {
        ...info,
        ...(manifest?.description ? { description: manifest.description } : {}),
        ...(manifest?.configSchema !== undefined ? { configSchema: plainCopy(manifest.configSchema) } : {}),
        configText: JSON.stringify(stored ?? {}, null, 2),
      };
    });
    return { plugins, canManage: verdict.ok, ...(verdict.ok ? {} : { manageReason: verdict.reason }) };
  }

  async setEnabled(pluginId: string, enabled: boolean): Promise<string> {
    const { name, kind } = this.target(pluginId);
    await this.deps.store.set(pluginId, { enabled });
    this.deps.registry.notifyEnablementChanged();
    await this.deps.afterEnablement?.(pluginId, kind, enabled);
    return `${name} is ${enabled ? 'enabled' : 'disabled'}.`;
  }

  /** Parses, validates against the plugin's schema, then stores. Nothing is stored when anything is wrong. */
  async saveConfig(pluginId: string, text: string): Promise<string> {
    const { name, manifest } = this.target(pluginId);
    if (text.length > MAX_CONFIG_CHARS) throw new PluginAdminError(`The configuration is longer than ${MAX_CONFIG_CHARS} characters.`);
    let config: unknown;
    try {
      config = JSON.parse(text.trim() === '' ? '{}' : text);
    } catch (error) {
      throw new PluginAdminError(`The configuration of ${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const check = checkPluginConfig(manifest, config);
    if (check.schemaBroken.length > 0) {
      throw new PluginAdminError(`${name} declares a configuration schema Nocoflo cannot use (a bug in the plugin): ${check.schemaBroken[0]}`, check.schemaBroken);
    }
    if (check.problems.length > 0) {
      const shown = check.problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).join('; ');
      const more = check.problems.length > MAX_PROBLEMS_IN_MESSAGE ? ` (and ${check.problems.length - MAX_PROBLEMS_IN_MESSAGE} more)` : '';
      throw new PluginAdminError(`Not saved: ${shown}${more}.`, check.problems);
    }
    await this.deps.store.set(pluginId, { config, version: manifest.version });
    this.deps.registry.notifyEnablementChanged();
    return `Saved the configuration of ${name}.`;
  }

  private target(pluginId: string) {
    const verdict = this.deps.canManagePlugins();
    if (!verdict.ok) throw new PluginAdminError(verdict.reason);
    const found = this.deps.registry.manifest(pluginId);
    if (!found) throw new PluginAdminError(`Plugin "${pluginId}" is not installed (was its extension uninstalled?).`);
    return { name: `${found.manifest.displayName} (${pluginId})`, kind: found.kind, manifest: found.manifest };
  }
}

/**
 * A configuration checked against the plugin's declared `configSchema`, the one rule for every way configuration
 * gets stored (the Plugins view, Import Configuration). `schemaBroken` lists problems of the schema itself (a
 * plugin bug), checked first so users are not blamed for it; no schema means any JSON is accepted.
 */
export function checkPluginConfig(manifest: Pick<PluginManifest, 'configSchema'>, config: unknown): { schemaBroken: string[]; problems: string[] } {
  if (manifest.configSchema === undefined) return { schemaBroken: [], problems: [] };
  const schemaBroken = schemaProblems(manifest.configSchema);
  if (schemaBroken.length > 0) return { schemaBroken, problems: [] };
  return { schemaBroken: [], problems: validateAgainstSchema(config, manifest.configSchema as JsonSchema) };
}

/** The schema as plain JSON (a plugin may hand over objects with prototypes or functions; a webview gets data only). */
function plainCopy(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return undefined;
  }
}
