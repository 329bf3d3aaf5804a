// The role model, pure: which role applies to a table, what each role allows, and the words users read when
// something is not allowed. Roles are guard rails for one user on their own machine (a production database is
// not edited by a slip of the hand), not security against that user: they can always change their own role.

export type Role = 'viewer' | 'editor' | 'admin';

/** Lowest first: the order in which roles allow more. */
export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

export type WriteKind = 'insert' | 'update' | 'delete';

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export const roleRank = (role: Role): number => ROLES.indexOf(role);

/** What the stored settings say about one table; every part may be missing. */
export interface RoleSettings {
  production: boolean;
  /** A file on this machine that the user added themselves (not a server, not declared by the workspace). */
  ownFile?: boolean;
  /** The role set for the whole connection. */
  connectionRole?: Role;
  /** The role set for this one table (wins over the connection's). */
  tableRole?: Role;
}

export interface ResolvedRole {
  role: Role;
  /** Where the role came from, so the reason can say it. */
  source: 'table' | 'connection' | 'default';
  production: boolean;
}

/**
 * A file you added yourself is yours to change, deletes included (admin); a server or a connection the workspace
 * shares starts as editor, so a slip cannot delete rows there; a production connection starts read-only.
 */
export const defaultRole = (production: boolean, ownFile = false): Role => (production ? 'viewer' : ownFile ? 'admin' : 'editor');

/** Table override > connection role > the default from the production mark. */
export function resolveRole(settings: RoleSettings): ResolvedRole {
  const { production } = settings;
  if (settings.tableRole) return { role: settings.tableRole, source: 'table', production };
  if (settings.connectionRole) return { role: settings.connectionRole, source: 'connection', production };
  return { role: defaultRole(production, settings.ownFile), source: 'default', production };
}

const ALLOWED: Record<Role, ReadonlySet<WriteKind>> = {
  viewer: new Set(),
  editor: new Set(['insert', 'update']),
  admin: new Set(['insert', 'update', 'delete']),
};

export const allows = (role: Role, kind: WriteKind): boolean => ALLOWED[role].has(kind);

/** Managing a connection (edit, rename, remove) and plugins is the admin's. */
export const canManage = (role: Role): boolean => role === 'admin';

/** Whether going from `from` to `to` gives more rights (what needs a confirmation on production). */
export const isRaise = (from: Role, to: Role): boolean => roleRank(to) > roleRank(from);

/** Names what the reason is about. */
export interface RoleSubject {
  connectionName: string;
  /** The table, when a table's role is meant. */
  table?: string;
}

// Roles guard the user against slips, not against themselves: they may always change their own role.
export const SET_ROLE_HINT = 'You can change your role with Nocoflo: Set Role…';

const article = (role: Role) => (role === 'viewer' ? 'a' : 'an');

/** "a viewer on "Prod DB" (production connection)", "an editor of "orders" on "Shop" (set for this table)". */
export function roleClause(resolved: ResolvedRole, subject: RoleSubject): string {
  const where = resolved.source === 'table' && subject.table !== undefined ? `of "${subject.table}" on "${subject.connectionName}"` : `on "${subject.connectionName}"`;
  const notes: string[] = [];
  if (resolved.source === 'table') notes.push('set for this table');
  if (resolved.production) notes.push('production connection');
  return `${article(resolved.role)} ${resolved.role} ${where}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** Why a change of `kind` is refused, or undefined when the role allows it. */
export function refusalReason(resolved: ResolvedRole, subject: RoleSubject, kind: WriteKind): string | undefined {
  if (allows(resolved.role, kind)) return undefined;
  const who = `You are ${roleClause(resolved, subject)}`;
  if (resolved.role === 'viewer') return `${who}: rows cannot be changed here. ${SET_ROLE_HINT}`;
  return `${who}: ${resolved.role}s can insert and update rows but not delete them. ${SET_ROLE_HINT}`;
}

/** For a view's init: why the table is read-only for this role (viewers), or undefined. */
export function roleReadOnlyReason(resolved: ResolvedRole, subject: RoleSubject): string | undefined {
  return allows(resolved.role, 'insert') || allows(resolved.role, 'update') ? undefined : refusalReason(resolved, subject, 'update');
}

/** For a view's init: the actions the role does not allow, each with its reason; undefined when all are allowed. */
export function unavailableReasons(resolved: ResolvedRole, subject: RoleSubject): Partial<Record<WriteKind, string>> | undefined {
  const reasons: Partial<Record<WriteKind, string>> = {};
  for (const kind of ['insert', 'update', 'delete'] as const) {
    const reason = refusalReason(resolved, subject, kind);
    if (reason !== undefined) reasons[kind] = reason;
  }
  return Object.keys(reasons).length > 0 ? reasons : undefined;
}

/** Why managing the connection (`action`, e.g. "Renaming") is refused, or undefined for an admin. */
export function manageRefusal(resolved: ResolvedRole, subject: RoleSubject, action: string): string | undefined {
  if (canManage(resolved.role)) return undefined;
  return `${action} "${subject.connectionName}" needs the admin role; you are ${roleClause(resolved, { connectionName: subject.connectionName })}. Change it with Nocoflo: Set Role…`;
}

/** The tree's description of a connection: "viewer · production", "admin", "editor". */
export function roleDescription(resolved: ResolvedRole): string {
  return resolved.production ? `${resolved.role} · production` : resolved.role;
}
