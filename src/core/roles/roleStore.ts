import type { MetadataAccess } from '../metadata/metadataAccess';
import { isRole, type Role } from './roleModel';

/** A whole connection (no table) or one table of it. */
export interface RoleTarget {
  datasourceId: string;
  schema?: string;
  /** Absent: the whole connection. */
  table?: string;
}

export interface StoredRole extends RoleTarget {
  role: Role;
}

/**
 * Roles and the production mark in the metadata file (the table `connection_roles` and `datasources.production`,
 * migration 2), shared by every VS Code window through MetadataFile's lock and reload. Rows for workspace-declared connections are kept too (their ids are stable), although their
 * production mark comes from the settings.
 */
export class RoleStore {
  constructor(private readonly metadata: MetadataAccess) {}

  /** The role stored for exactly this target, if any (a table's lookup does not fall back to the connection's). */
  role(target: RoleTarget): Role | undefined {
    const row = this.metadata.rows('SELECT role FROM connection_roles WHERE datasource_id = ? AND schema_name = ? AND table_name = ?', [
      target.datasourceId,
      target.table === undefined ? '' : (target.schema ?? ''),
      target.table ?? '',
    ])[0];
    // The CHECK constraint keeps other values out, but a newer Nocoflo might add roles: unknown ones are ignored.
    return isRole(row?.role) ? row.role : undefined;
  }

  /** Sets the role of a connection or table; undefined removes it (a table then uses the connection's role). */
  async setRole(target: RoleTarget, role: Role | undefined): Promise<void> {
    const params = [target.datasourceId, target.table === undefined ? '' : (target.schema ?? ''), target.table ?? ''];
    await this.metadata.write((db) => {
      if (role === undefined) db.run('DELETE FROM connection_roles WHERE datasource_id = ? AND schema_name = ? AND table_name = ?', params);
      else db.run('INSERT OR REPLACE INTO connection_roles (datasource_id, schema_name, table_name, role, updated_at) VALUES (?, ?, ?, ?, ?)', [...params, role, new Date().toISOString()]);
    });
  }

  /** Every role stored for a connection: its own and its tables'. */
  list(datasourceId: string): StoredRole[] {
    return this.metadata
      .rows('SELECT schema_name, table_name, role FROM connection_roles WHERE datasource_id = ? ORDER BY table_name, schema_name', [datasourceId])
      .filter((r) => isRole(r.role))
      .map((r) => ({
        datasourceId,
        ...(r.table_name ? { table: String(r.table_name), ...(r.schema_name ? { schema: String(r.schema_name) } : {}) } : {}),
        role: r.role as Role,
      }));
  }

  /** Drops the roles of a removed connection. */
  async forget(datasourceId: string): Promise<void> {
    await this.metadata.write((db) => db.run('DELETE FROM connection_roles WHERE datasource_id = ?', [datasourceId]));
  }

  /** The production mark of a connection stored in the metadata (false for unknown ids). */
  isProduction(datasourceId: string): boolean {
    return Number(this.metadata.rows('SELECT production FROM datasources WHERE id = ?', [datasourceId])[0]?.production ?? 0) === 1;
  }

  async setProduction(datasourceId: string, production: boolean): Promise<void> {
    await this.metadata.write((db) => {
      db.run('UPDATE datasources SET production = ?, updated_at = ? WHERE id = ?', [production ? 1 : 0, new Date().toISOString(), datasourceId]);
      if (db.getRowsModified() === 0) throw new Error(`Datasource ${datasourceId} no longer exists (removed in another window?).`);
    });
  }
}
