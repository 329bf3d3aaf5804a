// What the tools know about connections: which ones there are (settings without secrets) and which one a model
// means when it names one.
import type { ConfigField, DatasourceConfig, TableLocator } from '../../../api';
import type { DatasourceRecord } from '../datasourceManager';
import { redactUrl } from '../redactUrl';
import type { Role } from '../roles/roleModel';

/** What the tools need from the host's services; `src/host/agentTools` hands in DatasourceManager and RoleService. */
export interface AgentCatalog {
  connections(): readonly DatasourceRecord[];
  /** The connection form's fields of the record's datasource plugin, if it is installed. */
  configFields(record: DatasourceRecord): readonly ConfigField[] | undefined;
  /** The user's role on a connection or table, and whether the connection is marked production. */
  role(table: TableLocator | { datasourceId: string }): { role: Role; production: boolean };
}

/** Setting names that hold credentials even when a plugin forgot to mark them secret. */
const SECRET_NAME = /pass(word)?|secret|token|api[-_]?key|credential|private[-_]?key|auth(orization)?$/i;

/**
 * A connection's settings as a result may show them: fields the plugin marks secret (or as passwords) and
 * settings whose names say they hold credentials are dropped, URLs lose their passwords and secret parameters.
 * The records hold no secrets (those live in SecretStorage); this is the second fence, for plugins that slip.
 */
export function visibleConfig(config: DatasourceConfig, fields: readonly ConfigField[] | undefined): Record<string, unknown> {
  const hidden = new Set((fields ?? []).filter((f) => f.secret === true || f.type === 'password').map((f) => f.key));
  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? redactUrl(value) : value;
    if (Array.isArray(value)) return depth > 4 ? '…' : value.map((v) => clean(v, depth + 1));
    if (value !== null && typeof value === 'object') {
      if (depth > 4) return '…';
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([k]) => !SECRET_NAME.test(k))
          .map(([k, v]) => [k, clean(v, depth + 1)]),
      );
    }
    return value;
  };
  return Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => !hidden.has(k) && !SECRET_NAME.test(k))
      .map(([k, v]) => [k, clean(v, 1)]),
  );
}

export interface ConnectionSummary {
  id: string;
  name: string;
  type: string;
  production: boolean;
  role: Role;
  /** What the role allows, in the words a model can act on. */
  access: string;
  settings: Record<string, unknown>;
  openedFile?: true;
}

export const ACCESS_TEXT: Record<Role, string> = {
  viewer: 'read only: proposals open read-only and cannot be saved',
  editor: 'may propose inserts and updates; deletes need the admin role',
  admin: 'may propose inserts, updates and deletes',
};

export function listConnections(catalog: AgentCatalog): ConnectionSummary[] {
  return catalog.connections().map((record) => {
    const { role, production } = catalog.role({ datasourceId: record.id });
    return {
      id: record.id,
      name: record.name,
      type: record.type,
      production,
      role,
      access: ACCESS_TEXT[role],
      settings: visibleConfig(record.config, catalog.configFields(record)),
      ...(record.opened ? { openedFile: true as const } : {}),
    };
  });
}

/** The connection a model named, by id or (case-insensitively) by name; an error message names the choices. */
export function findConnection(catalog: AgentCatalog, named: string): { ok: true; record: DatasourceRecord } | { ok: false; error: string } {
  const all = catalog.connections();
  const byId = all.find((r) => r.id === named);
  if (byId) return { ok: true, record: byId };
  const byName = all.filter((r) => r.name.toLowerCase() === named.trim().toLowerCase());
  if (byName.length === 1) return { ok: true, record: byName[0] };
  const choices = all.map((r) => `"${r.name}" (id ${r.id})`).join(', ') || 'none';
  if (byName.length > 1) return { ok: false, error: `Several connections are named "${named}"; pass the id instead: ${byName.map((r) => r.id).join(', ')}.` };
  return { ok: false, error: `No connection "${named}". Connections: ${choices}. Call nocoflo_listConnections for details.` };
}
