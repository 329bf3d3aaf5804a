import type { TableLocator, TableSchema } from '../../../api';
import type { DatasourceRecord } from '../datasourceManager';
import { nocofloError } from '../pluginErrors';
import type { PendingChange, WriteRefusal } from '../tableService';
import {
  defaultRole,
  isRaise,
  manageRefusal,
  refusalReason,
  resolveRole,
  roleClause,
  roleReadOnlyReason,
  unavailableReasons,
  type ResolvedRole,
  type Role,
  type RoleSubject,
  type WriteKind,
} from './roleModel';
import type { RoleStore, RoleTarget } from './roleStore';

/** An answer to "may I?": when not, the reason is the text users read. */
export type Permission = { ok: true } | { ok: false; reason: string };

/** What a view is told at init: why the table is read-only here, and which actions the role leaves out. */
export interface ViewAccess {
  readOnlyReason?: string;
  unavailable?: Partial<Record<WriteKind, string>>;
}

export interface RoleServiceDeps {
  store: RoleStore;
  /** The connection's record (name, and for workspace-declared connections the `production` from settings). */
  datasource(id: string): DatasourceRecord | undefined;
  /** Every connection, for plugin management (plugins reach all of them). */
  datasources(): DatasourceRecord[];
  /** Whether the connection is a file on this machine that the user added (its default role is admin). */
  ownFile?(id: string): boolean;
}

/**
 * Roles applied: the TableService `authorize` hook (every write from every view, the API and undo passes it), what
 * views are told at init, and the admin checks of connection and plugin management. Everything is read from the
 * metadata store on each call, so a role set in another window applies at the next save.
 */
export class RoleService {
  constructor(private readonly deps: RoleServiceDeps) {}

  isProduction(datasourceId: string): boolean {
    return this.deps.datasource(datasourceId)?.production === true || this.deps.store.isProduction(datasourceId);
  }

  /** The role for a table, or with only a datasource id, the connection's own role. */
  resolve(target: RoleTarget): ResolvedRole {
    const { store } = this.deps;
    return resolveRole({
      production: this.isProduction(target.datasourceId),
      ownFile: this.isOwnFile(target.datasourceId),
      connectionRole: store.role({ datasourceId: target.datasourceId }),
      ...(target.table !== undefined ? { tableRole: store.role(target) } : {}),
    });
  }

  /** The role a connection has when none is stored: from its production mark and whether it is the user's own file. */
  defaultRole(datasourceId: string): Role {
    return defaultRole(this.isProduction(datasourceId), this.isOwnFile(datasourceId));
  }

  isOwnFile(datasourceId: string): boolean {
    return this.deps.ownFile?.(datasourceId) ?? false;
  }

  /** The role stored for exactly this target (no fallback), for the Set Role… picker. */
  storedRole(target: RoleTarget): Role | undefined {
    return this.deps.store.role(target);
  }

  /** TableService's `authorize` hook: the first change the role does not allow refuses the whole batch. */
  authorize = async (table: TableLocator, changes: readonly PendingChange[], _schema: TableSchema): Promise<WriteRefusal | undefined> => {
    const resolved = this.resolve(targetOf(table));
    const subject = this.subject(table);
    for (const [index, change] of changes.entries()) {
      const reason = refusalReason(resolved, subject, change.kind);
      if (reason !== undefined) return { index, code: 'permission', message: reason };
    }
    return undefined;
  };

  viewAccess(table: TableLocator): ViewAccess {
    const resolved = this.resolve(targetOf(table));
    const subject = this.subject(table);
    const readOnlyReason = roleReadOnlyReason(resolved, subject);
    const unavailable = unavailableReasons(resolved, subject);
    return { ...(readOnlyReason !== undefined ? { readOnlyReason } : {}), ...(unavailable ? { unavailable } : {}) };
  }

  /** Edit, rename, remove a connection: admin only. `action` starts the reason, e.g. "Renaming". */
  canManageConnection(datasourceId: string, action: string): Permission {
    const reason = manageRefusal(this.resolve({ datasourceId }), this.subject({ datasourceId }), action);
    return reason === undefined ? { ok: true } : { ok: false, reason };
  }

  /** Throws a 'permission' error with the reason when the connection may not be managed. */
  assertManageConnection(datasourceId: string, action: string): void {
    const answer = this.canManageConnection(datasourceId, action);
    if (!answer.ok) throw nocofloError('permission', answer.reason);
  }

  /**
   * Whether the user may enable, disable or configure plugins (the Plugins view asks before every change). A plugin
   * reaches every connection, so managing plugins needs the admin role on every production connection; without
   * production connections it is allowed, as on a fresh install.
   */
  canManagePlugins(): Permission {
    for (const record of this.deps.datasources()) {
      if (!this.isProduction(record.id)) continue;
      const resolved = this.resolve({ datasourceId: record.id });
      if (resolved.role !== 'admin') {
        return {
          ok: false,
          reason: `Plugins can read and change every connection, and you are ${roleClause(resolved, { connectionName: record.name })}: managing plugins needs the admin role on every production connection. Change it with Nocoflo: Set Role…`,
        };
      }
    }
    return { ok: true };
  }

  /**
   * Whether setting `role` (undefined: a table goes back to the connection's role) needs the user's explicit
   * confirmation: only raising what the user may do on a production connection does. Lowering never does.
   */
  needsConfirmation(target: RoleTarget, role: Role | undefined): boolean {
    if (!this.isProduction(target.datasourceId)) return false;
    const before = this.resolve(target).role;
    const after = resolveRole({
      production: true,
      connectionRole: target.table === undefined ? role : this.deps.store.role({ datasourceId: target.datasourceId }),
      ...(target.table !== undefined ? { tableRole: role } : {}),
    }).role;
    return isRaise(before, after);
  }

  async setRole(target: RoleTarget, role: Role | undefined): Promise<void> {
    await this.deps.store.setRole(target, role);
  }

  /** A removed connection leaves no roles behind (a new one with a reused id would inherit them). */
  async forget(datasourceId: string): Promise<void> {
    await this.deps.store.forget(datasourceId);
  }

  private subject(target: { datasourceId: string; name?: string }): RoleSubject {
    const connectionName = this.deps.datasource(target.datasourceId)?.name ?? target.datasourceId;
    return target.name !== undefined ? { connectionName, table: target.name } : { connectionName };
  }
}

const targetOf = (table: TableLocator): RoleTarget =>
  table.schema === undefined ? { datasourceId: table.datasourceId, table: table.name } : { datasourceId: table.datasourceId, schema: table.schema, table: table.name };
