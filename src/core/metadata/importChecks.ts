// What Import Configuration must check before it writes anything. A configuration file is input from elsewhere (a
// colleague, a download), so it gets the same rules as the UI: changing a connection's settings needs the admin
// role on it (as Edit, Rename and Remove do), plugin configuration must pass the plugin's schema and needs the right
// to manage plugins (as in the Plugins view), and secret fields never reach the metadata DB (the connection form
// puts them in SecretStorage; an import has nowhere safe to put them, so they are dropped and asked on connect).
import type { ConfigField, DatasourceConfig, DatasourcePlugin } from '../../../api';
import { checkPluginConfig } from '../pluginAdmin';
import type { PluginRegistry } from '../registry';
import type { Permission } from '../roles/roleService';
import type { DatasourceRecord } from '../datasourceManager';
import type { PluginConfigRecord } from './pluginConfigRepository';

export interface ImportGuards {
  registry: Pick<PluginRegistry, 'manifest'>;
  roles: { canManageConnection(datasourceId: string, action: string): Permission; canManagePlugins(): Permission };
}

/** A connection whose imported configuration held secret values, which were not kept. */
export interface DroppedSecrets {
  datasource: string;
  /** Field labels (keys when the plugin is not installed). */
  fields: string[];
}

/**
 * Config keys treated as secret when no installed plugin declares them (the connection's plugin is not installed
 * here, or the key is not one of its fields): the names Nocoflo's plugins and common drivers use for credentials.
 */
const USUAL_SECRET_KEYS = new Set(['password', 'passwd', 'pwd', 'sslpassword', 'secret', 'token', 'apikey', 'api_key', 'accesstoken', 'access_token', 'bearertoken', 'clientsecret', 'client_secret']);

const isSecretField = (field: ConfigField) => field.secret === true || field.type === 'password';

/** The config without its secret values, and the labels of what was dropped. */
export function withoutSecrets(record: Pick<DatasourceRecord, 'type' | 'config'>, registry: ImportGuards['registry']): { config: DatasourceConfig; dropped: string[] } {
  const found = registry.manifest(record.type);
  const fields = found?.kind === 'datasource' ? (found.manifest as DatasourcePlugin).configFields : undefined;
  const config: DatasourceConfig = { ...record.config };
  const dropped: string[] = [];
  for (const key of Object.keys(config)) {
    const field = fields?.find((f) => f.key === key);
    // A declared field says for itself; an undeclared key (or any key of a plugin not installed) goes by its name.
    const secret = field ? isSecretField(field) : USUAL_SECRET_KEYS.has(key.toLowerCase());
    if (!secret) continue;
    // An empty secret field holds nothing to protect: dropped without being reported.
    if (config[key] !== undefined && config[key] !== '') dropped.push(field?.label ?? key);
    delete config[key];
  }
  return { config, dropped };
}

/** The same settings, whatever the key order: an import that changes nothing needs no rights. */
export function sameSettings(a: Pick<DatasourceRecord, 'type' | 'name' | 'config'>, b: Pick<DatasourceRecord, 'type' | 'name' | 'config'>): boolean {
  const canonical = (config: DatasourceConfig) => JSON.stringify(Object.entries(config).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return a.type === b.type && a.name === b.name && canonical(a.config) === canonical(b.config);
}

/**
 * Every reason the import may not be applied: what the user's roles forbid, and what is wrong in the file.
 * `existing` are the stored connections by id; `datasources` the imported ones with secrets already dropped;
 * `stored` returns a plugin's stored configuration.
 */
export function importRefusals(
  guards: ImportGuards,
  existing: ReadonlyMap<string, DatasourceRecord>,
  datasources: readonly DatasourceRecord[],
  pluginConfig: readonly PluginConfigRecord[],
  stored: (pluginId: string) => { enabled: boolean; config: unknown } | undefined,
): { permission: string[]; invalid: string[] } {
  const permission: string[] = [];
  const invalid: string[] = [];
  for (const d of datasources) {
    const current = existing.get(d.id);
    if (!current || sameSettings(current, d)) continue;
    const answer = guards.roles.canManageConnection(d.id, 'Importing new settings into');
    if (!answer.ok) permission.push(answer.reason);
  }
  const changed = pluginConfig.filter((p) => {
    const now = stored(p.pluginId);
    return !now || now.enabled !== p.enabled || JSON.stringify(now.config ?? {}) !== JSON.stringify(p.config ?? {});
  });
  if (changed.length > 0) {
    const answer = guards.roles.canManagePlugins();
    if (!answer.ok) permission.push(answer.reason);
  }
  for (const p of changed) {
    const config = p.config ?? {};
    const found = guards.registry.manifest(p.pluginId);
    if (!found) {
      // Stored configuration is promised to plugins as checked against their schema; an uninstalled plugin's
      // schema is unknown, so only its on/off state may come along.
      if (JSON.stringify(config) !== '{}') invalid.push(`the configuration of plugin "${p.pluginId}" cannot be checked because the plugin is not installed (install it first, or remove its "config")`);
      continue;
    }
    const check = checkPluginConfig(found.manifest, config);
    const name = `${found.manifest.displayName} (${p.pluginId})`;
    if (check.schemaBroken.length > 0) invalid.push(`${name} declares a configuration schema Nocoflo cannot use (a bug in the plugin): ${check.schemaBroken[0]}`);
    for (const problem of check.problems) invalid.push(`the configuration of ${name}: ${problem}`);
  }
  return { permission, invalid };
}
