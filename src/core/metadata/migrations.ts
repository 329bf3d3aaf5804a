import type { Database } from 'sql.js';

export interface Migration {
  /** 1-based; the file's PRAGMA user_version is the number of the last migration applied. */
  version: number;
  description: string;
  up(db: Database): void;
}

/**
 * Append-only. A released migration is never edited: later features (audit log, locks, roles) add new ones, and
 * old files upgrade in place with their data.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'datasources, plugin configuration, table view preferences',
    up(db) {
      db.run(`
        CREATE TABLE datasources (
          id TEXT PRIMARY KEY,
          type TEXT NOT NULL,
          name TEXT NOT NULL,
          config TEXT NOT NULL DEFAULT '{}',
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE plugin_config (
          plugin_id TEXT PRIMARY KEY,
          enabled INTEGER NOT NULL DEFAULT 1,
          config TEXT NOT NULL DEFAULT '{}',
          version TEXT
        );
        -- No foreign key to datasources: preferences may belong to workspace-declared connections too.
        CREATE TABLE table_view_preference (
          datasource_id TEXT NOT NULL,
          schema_name TEXT NOT NULL DEFAULT '',
          table_name TEXT NOT NULL,
          user_name TEXT NOT NULL,
          view_id TEXT NOT NULL,
          view_config TEXT,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (datasource_id, schema_name, table_name, user_name)
        );
      `);
    },
  },
  {
    version: 2,
    description: 'governance: audit log, connection roles and the production mark, advisory row locks',
    up(db) {
      db.run(`
        -- One row per change applied through Nocoflo. Values are wire-encoded JSON (bigint and bytes survive), each
        -- bounded in size; 'truncated' marks entries whose values were cut, which therefore cannot be undone.
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          batch_id TEXT NOT NULL,
          at TEXT NOT NULL,
          user_name TEXT NOT NULL,
          datasource_id TEXT NOT NULL,
          schema_name TEXT NOT NULL DEFAULT '',
          table_name TEXT NOT NULL,
          operation TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
          row_key TEXT,
          old_values TEXT,
          new_values TEXT,
          truncated INTEGER NOT NULL DEFAULT 0,
          source TEXT NOT NULL DEFAULT '',
          undo_of INTEGER,
          undone_by INTEGER
        );
        CREATE INDEX audit_log_table ON audit_log (datasource_id, schema_name, table_name, at);
        CREATE INDEX audit_log_batch ON audit_log (batch_id);
        CREATE INDEX audit_log_at ON audit_log (at);
        -- A role for a whole connection (table_name '') or one table of it.
        CREATE TABLE connection_roles (
          datasource_id TEXT NOT NULL,
          schema_name TEXT NOT NULL DEFAULT '',
          table_name TEXT NOT NULL DEFAULT '',
          role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
          updated_at TEXT NOT NULL,
          PRIMARY KEY (datasource_id, schema_name, table_name)
        );
        ALTER TABLE datasources ADD COLUMN production INTEGER NOT NULL DEFAULT 0;
        -- Advisory: who is editing which record, shared by every window through the metadata file.
        CREATE TABLE row_locks (
          datasource_id TEXT NOT NULL,
          schema_name TEXT NOT NULL DEFAULT '',
          table_name TEXT NOT NULL,
          row_key TEXT NOT NULL,
          owner TEXT NOT NULL,
          session_id TEXT NOT NULL,
          acquired_at TEXT NOT NULL,
          expires_at TEXT NOT NULL,
          PRIMARY KEY (datasource_id, schema_name, table_name, row_key)
        );
      `);
    },
  },
  {
    version: 3,
    description: 'audit log: executed statements (operation "statement", not undoable)',
    up(db) {
      // SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows and indexes.
      db.run(`
        CREATE TABLE audit_log_v3 (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          batch_id TEXT NOT NULL,
          at TEXT NOT NULL,
          user_name TEXT NOT NULL,
          datasource_id TEXT NOT NULL,
          schema_name TEXT NOT NULL DEFAULT '',
          table_name TEXT NOT NULL,
          operation TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete', 'statement')),
          row_key TEXT,
          old_values TEXT,
          new_values TEXT,
          truncated INTEGER NOT NULL DEFAULT 0,
          source TEXT NOT NULL DEFAULT '',
          undo_of INTEGER,
          undone_by INTEGER
        );
        INSERT INTO audit_log_v3 SELECT id, batch_id, at, user_name, datasource_id, schema_name, table_name, operation, row_key, old_values, new_values, truncated, source, undo_of, undone_by FROM audit_log;
        DROP TABLE audit_log;
        ALTER TABLE audit_log_v3 RENAME TO audit_log;
        CREATE INDEX audit_log_table ON audit_log (datasource_id, schema_name, table_name, at);
        CREATE INDEX audit_log_batch ON audit_log (batch_id);
        CREATE INDEX audit_log_at ON audit_log (at);
      `);
    },
  },
  {
    version: 4,
    description: 'queries: run history per connection, saved queries per connection',
    up(db) {
      db.run(`
        -- The statement's text only: requests carry no bound values, and the text is what the user typed. Bounded per
        -- connection by nocoflo.queries.historyMaxEntries; very long texts are cut and marked (they cannot be re-run).
        CREATE TABLE query_history (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          datasource_id TEXT NOT NULL,
          text TEXT NOT NULL,
          text_truncated INTEGER NOT NULL DEFAULT 0,
          started_at TEXT NOT NULL,
          duration_ms INTEGER NOT NULL,
          outcome TEXT NOT NULL,
          rows_affected INTEGER,
          error TEXT
        );
        CREATE INDEX query_history_datasource ON query_history (datasource_id, id);
        -- No foreign key to datasources: workspace-declared connections have saved queries too.
        CREATE TABLE saved_queries (
          datasource_id TEXT NOT NULL,
          name TEXT NOT NULL,
          text TEXT NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (datasource_id, name)
        );
      `);
    },
  },
];

export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
  constructor(readonly fileVersion: number, readonly knownVersion: number, file: string) {
    super(
      `Nocoflo's settings file ${file} was written by a newer Nocoflo (schema version ${fileVersion}; this one knows up to ${knownVersion}). ` +
        'Update Nocoflo; the file was left untouched.',
    );
  }
}

export function schemaVersion(db: Database): number {
  return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
}

/** Applies the missing migrations, each in its own transaction; returns how many ran. */
export function migrate(db: Database, migrations: readonly Migration[], file: string): number {
  const current = schemaVersion(db);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) throw new NewerSchemaError(current, latest, file);
  let applied = 0;
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.run('BEGIN');
    try {
      migration.up(db);
      db.run(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
      db.run('COMMIT');
      applied++;
    } catch (error) {
      db.run('ROLLBACK');
      throw new Error(`Migration ${migration.version} (${migration.description}) failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return applied;
}
