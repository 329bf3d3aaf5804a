import type { Database } from 'sql.js';
import type { DatasourceRecord } from '../datasourceManager';
import { nocofloError } from '../pluginErrors';
import { type DroppedSecrets, type ImportGuards, importRefusals, withoutSecrets } from './importChecks';
import type { Metadata } from './metadata';
import type { PluginConfigRecord } from './pluginConfigRepository';
import { freeName, SavedQueryStore, type SavedQuery } from '../queries/savedQueries';
import type { ViewPreferenceRecord } from './viewPreferenceRepository';

/**
 * A portable copy of the configuration, so users keep their connections across reinstalls and machines.
 * Secrets are never part of it: they live in SecretStorage, and importers re-enter them.
 */
export interface ConfigurationExport {
  format: 'nocoflo-config';
  /** 2 added `savedQueries`; version 1 files still import (they have none). */
  version: 1 | 2;
  exportedAt: string;
  datasources: DatasourceRecord[];
  pluginConfig: PluginConfigRecord[];
  viewPreferences: ViewPreferenceRecord[];
  savedQueries?: SavedQuery[];
}

export const CONFIGURATION_VERSION = 2;

export interface ImportSummary {
  datasourcesAdded: number;
  datasourcesUpdated: number;
  pluginConfig: number;
  viewPreferences: number;
  savedQueries: number;
  /** Saved queries whose name the connection already used for a different statement: imported under a new name. */
  savedQueriesRenamed: { datasourceId: string; name: string; importedAs: string }[];
  /** Secret values the file held, which were not kept: they are asked for when connecting. */
  secretsDropped: DroppedSecrets[];
}

export function exportConfiguration(metadata: Metadata): ConfigurationExport {
  // The production mark travels with its connection (it only ever takes rights away); roles stay on this machine.
  const production = new Set(metadata.file.rows('SELECT id FROM datasources WHERE production = 1').map((r) => String(r.id)));
  return {
    format: 'nocoflo-config',
    version: CONFIGURATION_VERSION,
    exportedAt: new Date().toISOString(),
    datasources: metadata.datasources.listDatasources().map((d) => (production.has(d.id) ? { ...d, production: true } : d)),
    pluginConfig: metadata.plugins.list(),
    viewPreferences: metadata.viewPreferences.list(),
    savedQueries: new SavedQueryStore(metadata.file).list(),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Lists every problem, so a user fixing a hand-edited file sees them all at once. */
export function validateConfiguration(input: unknown): { value?: ConfigurationExport; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(input)) return { problems: ['the file does not contain a JSON object'] };
  if (input.format !== 'nocoflo-config') problems.push('"format" must be "nocoflo-config"');
  if (input.version !== 1 && input.version !== 2) problems.push(`"version" ${JSON.stringify(input.version)} is not supported (expected 1 or 2)`);
  const list = (key: string) => {
    const value = input[key] ?? [];
    if (!Array.isArray(value)) problems.push(`"${key}" must be an array`);
    return Array.isArray(value) ? value : [];
  };
  list('datasources').forEach((d, i) => {
    if (!isObject(d) || !isString(d.id) || !isString(d.type) || !isString(d.name) || !isObject(d.config)) {
      problems.push(`datasources[${i}] needs string "id", "type", "name" and an object "config"`);
    } else if (d.production !== undefined && typeof d.production !== 'boolean') {
      problems.push(`datasources[${i}].production must be true or false`);
    }
  });
  list('pluginConfig').forEach((p, i) => {
    if (!isObject(p) || !isString(p.pluginId) || typeof p.enabled !== 'boolean') problems.push(`pluginConfig[${i}] needs a string "pluginId" and a boolean "enabled"`);
  });
  list('viewPreferences').forEach((p, i) => {
    if (!isObject(p) || !isString(p.datasourceId) || !isString(p.table) || !isString(p.user) || !isString(p.viewId)) {
      problems.push(`viewPreferences[${i}] needs string "datasourceId", "table", "user" and "viewId"`);
    }
  });
  list('savedQueries').forEach((q, i) => {
    if (!isObject(q) || !isString(q.datasourceId) || !isString(q.name) || !isString(q.text) || q.name.trim() !== q.name) {
      problems.push(`savedQueries[${i}] needs string "datasourceId", "name" (without surrounding spaces) and "text"`);
    }
  });
  return problems.length > 0 ? { problems } : { value: input as unknown as ConfigurationExport, problems };
}

/**
 * Merges by id: a datasource that exists is updated in place, not duplicated. All of it applies, or none: nothing is
 * written when the file is malformed, when it changes a connection the user is not admin of, or when a plugin's
 * configuration fails its schema (or the user may not manage plugins). Secret values in connection settings are
 * dropped and reported. A production mark in the file is applied; its absence never removes one here (an import
 * must not lower a guard).
 */
export async function importConfiguration(metadata: Metadata, input: unknown, guards: ImportGuards): Promise<ImportSummary> {
  const { value, problems } = validateConfiguration(input);
  if (!value) throw nocofloError('invalid_value', `This is not a Nocoflo configuration export: ${problems.join('; ')}.`);
  const existing = new Map(metadata.datasources.listDatasources().map((d) => [d.id, d]));
  const secretsDropped: DroppedSecrets[] = [];
  const datasources = (value.datasources ?? []).map((d) => {
    const { config, dropped } = withoutSecrets(d, guards.registry);
    if (dropped.length > 0) secretsDropped.push({ datasource: d.name, fields: dropped });
    return { ...d, config };
  });
  const pluginConfig = value.pluginConfig ?? [];
  const refusals = importRefusals(guards, existing, datasources, pluginConfig, (id) => metadata.plugins.get(id));
  const reasons = [...refusals.permission, ...refusals.invalid];
  if (reasons.length > 0) throw nocofloError(refusals.permission.length > 0 ? 'permission' : 'invalid_value', `Nothing was imported: ${reasons.join('; ')}`);
  const summary: ImportSummary = { datasourcesAdded: 0, datasourcesUpdated: 0, pluginConfig: 0, viewPreferences: 0, savedQueries: 0, savedQueriesRenamed: [], secretsDropped };
  await metadata.file.write((db) => {
    const at = new Date().toISOString();
    for (const d of datasources) {
      if (existing.has(d.id)) {
        db.run('UPDATE datasources SET type = ?, name = ?, config = ?, updated_at = ? WHERE id = ?', [d.type, d.name, JSON.stringify(d.config), at, d.id]);
        summary.datasourcesUpdated++;
      } else {
        db.run('INSERT INTO datasources (id, type, name, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [d.id, d.type, d.name, JSON.stringify(d.config), at, at]);
        summary.datasourcesAdded++;
      }
      if (d.production === true) db.run('UPDATE datasources SET production = 1 WHERE id = ?', [d.id]);
    }
    for (const p of pluginConfig) {
      db.run('INSERT OR REPLACE INTO plugin_config (plugin_id, enabled, config, version) VALUES (?, ?, ?, ?)', [
        p.pluginId,
        p.enabled ? 1 : 0,
        JSON.stringify(p.config ?? {}),
        p.version ?? null,
      ]);
      summary.pluginConfig++;
    }
    for (const p of value.viewPreferences ?? []) {
      db.run(
        'INSERT OR REPLACE INTO table_view_preference (datasource_id, schema_name, table_name, user_name, view_id, view_config, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [p.datasourceId, p.schema ?? '', p.table, p.user, p.viewId, p.config === undefined ? null : JSON.stringify(p.config), at],
      );
      summary.viewPreferences++;
    }
    importSavedQueries(db, value.savedQueries ?? [], at, summary);
  });
  return summary;
}

/**
 * Merges by connection and name: the same statement under the same name is already there; a different statement
 * under a name the connection uses is imported under a free name ("Revenue (2)") and reported, never overwriting.
 */
function importSavedQueries(db: Database, queries: readonly SavedQuery[], at: string, summary: ImportSummary): void {
  for (const q of queries) {
    const taken = new Map<string, string>();
    const statement = db.prepare('SELECT name, text FROM saved_queries WHERE datasource_id = ?', [q.datasourceId]);
    while (statement.step()) {
      const [name, text] = statement.get();
      taken.set(String(name), String(text));
    }
    statement.free();
    // Already here: under its own name, or under the name an earlier import of the same file gave it.
    const known = [...taken].some(([name, text]) => text === q.text && (name === q.name || (name.startsWith(`${q.name} (`) && /\(\d+\)$/.test(name))));
    if (known) continue;
    const name = freeName(new Set(taken.keys()), q.name);
    db.run('INSERT INTO saved_queries (datasource_id, name, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [q.datasourceId, name, q.text, at, at]);
    summary.savedQueries++;
    if (name !== q.name) summary.savedQueriesRenamed.push({ datasourceId: q.datasourceId, name: q.name, importedAs: name });
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the user reads after an import: the counts, then which secrets were left out and why. */
export function importSummaryText(s: ImportSummary): string {
  const counts = [
    plural(s.datasourcesAdded, 'new datasource'),
    plural(s.datasourcesUpdated, 'updated datasource'),
    plural(s.pluginConfig, 'plugin setting'),
    plural(s.viewPreferences, 'view preference'),
    ...(s.savedQueries > 0 ? [s.savedQueries === 1 ? '1 saved query' : `${s.savedQueries} saved queries`] : []),
  ].join(', ');
  const renamed = s.savedQueriesRenamed.map((r) => `"${r.name}" as "${r.importedAs}"`).join(', ');
  const dropped = s.secretsDropped.map((d) => `"${d.datasource}" (${d.fields.join(', ')})`).join(', ');
  return `Imported ${counts}.${renamed ? ` Saved queries whose name was already used for a different statement were imported under a new name: ${renamed}.` : ''}${
    dropped ? ` The file held secrets for ${dropped}: they were not kept, because secrets are stored only in VS Code's secret storage.` : ''
  } You are asked for passwords and tokens when you connect.`;
}
