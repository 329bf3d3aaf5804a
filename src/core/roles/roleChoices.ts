// What "Nocoflo: Set Role…" offers, pure: the three roles with what each allows, the entry that goes back to the
// connection's (or the table's connection's) role, which entry is marked current and which the picker opens on.
// Kept apart from the picker so the offer is unit-tested without a VS Code.
import { ROLES, type Role } from './roleModel';

/** What each role allows, in the words of the picker and of the production confirmation. */
export const ROLE_ABILITIES: Record<Role, string> = {
  viewer: 'read only',
  editor: 'insert and update rows',
  admin: 'also delete rows, manage the connection and plugins',
};

export interface RoleChoice {
  label: string;
  description: string;
  detail?: string;
  /** undefined: forget the stored role, so the fallback applies. */
  role: Role | undefined;
}

export interface RoleChoiceInput {
  /** The picker is about one table (true) or the whole connection. */
  table: boolean;
  /** The role that applies now. */
  current: Role;
  /** The role stored for exactly this target, if any. */
  stored: Role | undefined;
  /** What applies without a stored role: the connection's default, or for a table the connection's role. */
  fallback: Role;
  /** The connection is a file the user added (its default is admin). */
  ownFile: boolean;
}

/** The picker's entries and the one it opens on (the stored role, or the fallback entry when none is stored). */
export function roleChoices(input: RoleChoiceInput): { items: RoleChoice[]; active: RoleChoice } {
  const items: RoleChoice[] = ROLES.map((role) => ({ label: role, description: `${ROLE_ABILITIES[role]}${role === input.current ? ' · current' : ''}`, role }));
  const fallback: RoleChoice = {
    label: input.table ? "Use the connection's role" : "Use the connection's default role",
    description: `${input.fallback}${input.stored === undefined ? ' · current' : ''}`,
    ...(input.table ? {} : { detail: `${input.ownFile ? 'Admin for a file you added' : 'Editor'}; viewer while the connection is marked production.` }),
    role: undefined,
  };
  items.push(fallback);
  return { items, active: items.find((item) => item.role === input.stored) ?? fallback };
}
