import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unwatchFile, watchFile } from 'node:fs';
import * as path from 'node:path';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import type { DatasourceConfig, Disposable } from '../../../api';
import type { DatasourceRecord } from '../datasourceManager';
import { Emitter } from '../events';
import { silentLogger, type Logger } from '../log';
import { writeFileAtomic } from '../atomicFile';
import { withFileLock } from './fileLock';
import { MIGRATIONS, migrate, type Migration } from './migrations';
import { loadSqlJs } from './sqlJsLoader';

export interface MetadataStoreOptions {
  path: string;
  migrations?: readonly Migration[];
  log?: Logger;
  wasmPath?: string;
  /** Called when the file was unreadable and has been moved aside to `backupPath`. */
  onCorrupt?(backupPath: string): void;
  /** How often to look for changes made by other windows (ms); 0 disables watching. */
  watchIntervalMs?: number;
  lockTimeoutMs?: number;
}

export interface PluginConfigRecord {
  pluginId: string;
  enabled: boolean;
  config: unknown;
  version?: string;
}

export interface ViewPreferenceKey {
  datasourceId: string;
  schema?: string;
  table: string;
  user: string;
}

export interface ViewPreferenceRecord extends ViewPreferenceKey {
  viewId: string;
  config?: unknown;
}

interface Fingerprint {
  ino: number;
  size: number;
  mtimeMs: number;
}

const now = () => new Date().toISOString();
const hashOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function parseJson(text: SqlValue | undefined, fallback: unknown): unknown {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/**
 * Nocoflo's own settings database (sql.js) in the extension's global storage. Every VS Code window has its own copy
 * in memory; writes go through a cross-process lock, re-read the file if another window changed it, apply the
 * change to that fresh copy and replace the file atomically. So no window ever overwrites another's commit.
 */
export class MetadataStore implements Disposable {
  private fingerprint: Fingerprint | undefined;
  /** Hash of the file content this copy was loaded from or last saved as. */
  private knownHash: string | undefined;
  private readonly changed = new Emitter<void>();
  /** Fires when a change made by another process has been loaded. */
  readonly onDidChange = this.changed.event;
  private watching = false;

  private constructor(
    private readonly SQL: SqlJsStatic,
    private db: Database,
    private readonly options: MetadataStoreOptions,
    private readonly migrations: readonly Migration[],
  ) {}

  static async open(options: MetadataStoreOptions): Promise<MetadataStore> {
    const SQL = await loadSqlJs(options.wasmPath);
    const migrations = options.migrations ?? MIGRATIONS;
    const log = options.log ?? silentLogger;
    mkdirSync(path.dirname(options.path), { recursive: true });
    const store = new MetadataStore(SQL, new SQL.Database(), options, migrations);
    await withFileLock(store.lockPath, () => {
      store.db.close();
      store.db = store.loadOrRecover();
      const applied = migrate(store.db, migrations, options.path);
      if (applied > 0 || !existsSync(options.path)) {
        store.persist();
        if (applied > 0) log.info(`Metadata: applied ${applied} migration(s) to ${options.path}`);
      }
    }, { timeoutMs: options.lockTimeoutMs });
    store.startWatching();
    return store;
  }

  get path(): string {
    return this.options.path;
  }

  // ----- datasources ---------------------------------------------------------------------------------------------

  listDatasources(): DatasourceRecord[] {
    this.refreshIfChanged();
    return this.rows('SELECT id, type, name, config FROM datasources ORDER BY name COLLATE NOCASE, id').map((r) => ({
      id: String(r.id),
      type: String(r.type),
      name: String(r.name),
      config: parseJson(r.config, {}) as DatasourceConfig,
    }));
  }

  getDatasource(id: string): DatasourceRecord | undefined {
    return this.listDatasources().find((r) => r.id === id);
  }

  /** `config` must not contain secrets: callers (DatasourceManager) move them to SecretStorage first. */
  async addDatasource(record: Omit<DatasourceRecord, 'id'> & { id?: string }): Promise<DatasourceRecord> {
    const full: DatasourceRecord = { id: record.id ?? randomUUID(), type: record.type, name: record.name, config: record.config };
    await this.write((db) => {
      const at = now();
      db.run('INSERT INTO datasources (id, type, name, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        full.id,
        full.type,
        full.name,
        JSON.stringify(full.config ?? {}),
        at,
        at,
      ]);
    });
    return full;
  }

  async renameDatasource(id: string, name: string): Promise<void> {
    await this.write((db) => {
      db.run('UPDATE datasources SET name = ?, updated_at = ? WHERE id = ?', [name, now(), id]);
      if (db.getRowsModified() === 0) throw new Error(`Datasource ${id} no longer exists (removed in another window?).`);
    });
  }

  /** `config` must not contain secrets, as for addDatasource. */
  async updateDatasource(id: string, changes: { name: string; config: DatasourceConfig }): Promise<void> {
    await this.write((db) => {
      db.run('UPDATE datasources SET name = ?, config = ?, updated_at = ? WHERE id = ?', [changes.name, JSON.stringify(changes.config), now(), id]);
      if (db.getRowsModified() === 0) throw new Error(`Datasource ${id} no longer exists (removed in another window?).`);
    });
  }

  async removeDatasource(id: string): Promise<void> {
    await this.write((db) => {
      db.run('DELETE FROM table_view_preference WHERE datasource_id = ?', [id]);
      db.run('DELETE FROM datasources WHERE id = ?', [id]);
    });
  }

  // ----- plugin configuration ------------------------------------------------------------------------------------

  pluginConfig(pluginId: string): PluginConfigRecord | undefined {
    const row = this.rows('SELECT plugin_id, enabled, config, version FROM plugin_config WHERE plugin_id = ?', [pluginId])[0];
    if (!row) return undefined;
    return {
      pluginId,
      enabled: row.enabled !== 0,
      config: parseJson(row.config, {}),
      ...(typeof row.version === 'string' ? { version: row.version } : {}),
    };
  }

  listPluginConfig(): PluginConfigRecord[] {
    return this.rows('SELECT plugin_id FROM plugin_config ORDER BY plugin_id').map((r) => this.pluginConfig(String(r.plugin_id))!);
  }

  /** An absent row means enabled: a newly installed plugin works without anyone switching it on. */
  isPluginEnabled(pluginId: string): boolean {
    return this.pluginConfig(pluginId)?.enabled ?? true;
  }

  async setPluginConfig(pluginId: string, change: { enabled?: boolean; config?: unknown; version?: string }): Promise<void> {
    await this.write((db) => {
      const current = this.pluginConfigIn(db, pluginId);
      db.run('INSERT OR REPLACE INTO plugin_config (plugin_id, enabled, config, version) VALUES (?, ?, ?, ?)', [
        pluginId,
        (change.enabled ?? current?.enabled ?? true) ? 1 : 0,
        JSON.stringify(change.config ?? current?.config ?? {}),
        change.version ?? current?.version ?? null,
      ]);
    });
  }

  // ----- view preferences ----------------------------------------------------------------------------------------

  viewPreference(key: ViewPreferenceKey): ViewPreferenceRecord | undefined {
    const row = this.rows(
      'SELECT view_id, view_config FROM table_view_preference WHERE datasource_id = ? AND schema_name = ? AND table_name = ? AND user_name = ?',
      [key.datasourceId, key.schema ?? '', key.table, key.user],
    )[0];
    if (!row) return undefined;
    const config = parseJson(row.view_config, undefined);
    return { ...key, viewId: String(row.view_id), ...(config !== undefined ? { config } : {}) };
  }

  listViewPreferences(): ViewPreferenceRecord[] {
    return this.rows('SELECT datasource_id, schema_name, table_name, user_name, view_id, view_config FROM table_view_preference ORDER BY 1, 2, 3, 4').map((r) => {
      const config = parseJson(r.view_config, undefined);
      return {
        datasourceId: String(r.datasource_id),
        ...(r.schema_name ? { schema: String(r.schema_name) } : {}),
        table: String(r.table_name),
        user: String(r.user_name),
        viewId: String(r.view_id),
        ...(config !== undefined ? { config } : {}),
      };
    });
  }

  async setViewPreference(preference: ViewPreferenceRecord): Promise<void> {
    await this.write((db) =>
      db.run(
        'INSERT OR REPLACE INTO table_view_preference (datasource_id, schema_name, table_name, user_name, view_id, view_config, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
          preference.datasourceId,
          preference.schema ?? '',
          preference.table,
          preference.user,
          preference.viewId,
          preference.config === undefined ? null : JSON.stringify(preference.config),
          now(),
        ],
      ),
    );
  }

  async deleteViewPreference(key: ViewPreferenceKey): Promise<void> {
    await this.write((db) =>
      db.run('DELETE FROM table_view_preference WHERE datasource_id = ? AND schema_name = ? AND table_name = ? AND user_name = ?', [
        key.datasourceId,
        key.schema ?? '',
        key.table,
        key.user,
      ]),
    );
  }

  // ----- generic access for features that bring their own migrations -------------------------------------------

  /** Rows of a read-only query against the latest committed state, as objects. */
  rows(sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
    this.refreshIfChanged();
    return this.rowsIn(this.db, sql, params);
  }

  /**
   * Runs `mutate` in one transaction on the freshest copy of the file, under the cross-process lock, and saves
   * atomically. If `mutate` throws, nothing changes on disk or in memory.
   */
  async write<T>(mutate: (db: Database) => T): Promise<T> {
    let reloaded = false;
    const result = await withFileLock(
      this.lockPath,
      () => {
        // Always re-read under the lock: (inode, size, mtime) can collide when a freed inode is reused within the
        // file system's timestamp granularity, and a missed change here would be a lost update.
        reloaded = this.reload({ force: true });
        this.db.run('BEGIN');
        let result: T;
        try {
          result = mutate(this.db);
          this.db.run('COMMIT');
        } catch (error) {
          this.db.run('ROLLBACK');
          throw error;
        }
        this.persist();
        return result;
      },
      { timeoutMs: this.options.lockTimeoutMs },
    );
    // Another window's changes arrived with this write; views of the old state need to hear about them.
    if (reloaded) this.changed.fire();
    return result;
  }

  /** Loads another window's committed changes, if any. Returns true when something was reloaded. */
  refreshIfChanged(): boolean {
    const reloaded = this.reloadIfChanged();
    if (reloaded) this.changed.fire();
    return reloaded;
  }

  dispose(): void {
    if (this.watching) unwatchFile(this.options.path);
    this.watching = false;
    this.changed.dispose();
    this.db.close();
  }

  // ----- internals -----------------------------------------------------------------------------------------------

  private get lockPath(): string {
    return `${this.options.path}.lock`;
  }

  private rowsIn(db: Database, sql: string, params: SqlValue[]): Record<string, SqlValue>[] {
    const statement = db.prepare(sql, params);
    try {
      const rows: Record<string, SqlValue>[] = [];
      while (statement.step()) rows.push(statement.getAsObject());
      return rows;
    } finally {
      statement.free();
    }
  }

  private pluginConfigIn(db: Database, pluginId: string): PluginConfigRecord | undefined {
    const row = this.rowsIn(db, 'SELECT enabled, config, version FROM plugin_config WHERE plugin_id = ?', [pluginId])[0];
    return row ? { pluginId, enabled: row.enabled !== 0, config: parseJson(row.config, {}), ...(typeof row.version === 'string' ? { version: row.version } : {}) } : undefined;
  }

  private currentFingerprint(): Fingerprint | undefined {
    try {
      const s = statSync(this.options.path);
      return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  }

  private reloadIfChanged(): boolean {
    return this.reload({ force: false });
  }

  /** Re-reads the file when it changed (or always, with force); returns whether its content differed. */
  private reload({ force }: { force: boolean }): boolean {
    const current = this.currentFingerprint();
    const known = this.fingerprint;
    if (!current) return false;
    if (!force && known && current.ino === known.ino && current.size === known.size && current.mtimeMs === known.mtimeMs) return false;
    if (force && this.knownHash !== undefined && hashOf(readFileSync(this.options.path)) === this.knownHash) {
      this.fingerprint = current;
      return false;
    }
    const fresh = this.loadOrRecover();
    migrate(fresh, this.migrations, this.options.path);
    this.db.close();
    this.db = fresh;
    return true;
  }

  /** Opens the file, or moves an unreadable one aside and starts empty. Must run under the lock. */
  private loadOrRecover(): Database {
    const file = this.options.path;
    if (!existsSync(file)) return new this.SQL.Database();
    const fingerprint = this.currentFingerprint();
    const bytes = readFileSync(file);
    let db: Database | undefined;
    try {
      db = new this.SQL.Database(bytes);
      this.knownHash = hashOf(bytes);
      // sql.js only notices a bad file on first use; make that use happen here.
      const check = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
      if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
      this.fingerprint = fingerprint;
      return db;
    } catch (error) {
      db?.close();
      const backup = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(file, backup);
      (this.options.log ?? silentLogger).error(`Metadata file ${file} is unreadable (${(error as Error).message}); kept as ${backup}.`);
      this.options.onCorrupt?.(backup);
      this.fingerprint = undefined;
      this.knownHash = undefined;
      return new this.SQL.Database();
    }
  }

  private persist(): void {
    const bytes = this.db.export();
    writeFileAtomic(this.options.path, bytes);
    this.knownHash = hashOf(bytes);
    this.fingerprint = this.currentFingerprint();
  }

  private startWatching(): void {
    const interval = this.options.watchIntervalMs ?? 2_000;
    if (interval <= 0) return;
    this.watching = true;
    // Polling, not fs.watch: the file is replaced by rename, which inotify-based watchers lose track of.
    watchFile(this.options.path, { interval, persistent: false }, () => {
      try {
        this.refreshIfChanged();
      } catch (error) {
        (this.options.log ?? silentLogger).warn(`Metadata: reloading after an external change failed: ${(error as Error).message}`);
      }
    });
  }
}
