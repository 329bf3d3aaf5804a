import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unwatchFile, watchFile } from 'node:fs';
import * as path from 'node:path';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import type { Disposable } from '../../../api';
import { Emitter } from '../events';
import { silentLogger, type Logger } from '../log';
import { withFileLock } from './fileLock';
import { rowsOf, type MetadataAccess } from './metadataAccess';
import { MIGRATIONS, migrate, type Migration } from './migrations';
import { loadSqlJs } from './sqlJsLoader';

export interface MetadataFileOptions {
  path: string;
  /**
   * Replaces `file` with `bytes` whole, never leaving a torn file: plugins/kit's writeFileAtomic, the one the sql.js
   * datasource saves with. Passed in because core does not import plugins and the kit imports nothing outside it.
   */
  replaceFile(file: string, bytes: Uint8Array): void;
  migrations?: readonly Migration[];
  log?: Logger;
  wasmPath?: string;
  /** Called when the file was unreadable and has been moved aside to `backupPath`. */
  onCorrupt?(backupPath: string): void;
  /** How often to look for changes made by other windows (ms); 0 disables watching. */
  watchIntervalMs?: number;
  lockTimeoutMs?: number;
}

interface Fingerprint {
  ino: number;
  size: number;
  mtimeMs: number;
}

const hashOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Nocoflo's own settings database (sql.js) in the extension's global storage. Every VS Code window has its own copy
 * in memory; writes go through a cross-process lock, re-read the file if another window changed it, apply the
 * change to that fresh copy and replace the file atomically. So no window ever overwrites another's commit.
 * It knows no table: the repositories (metadata.ts) and the governance stores own theirs.
 */
export class MetadataFile implements MetadataAccess, Disposable {
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
    private readonly options: MetadataFileOptions,
    private readonly migrations: readonly Migration[],
  ) {}

  static async open(options: MetadataFileOptions): Promise<MetadataFile> {
    const SQL = await loadSqlJs(options.wasmPath);
    const migrations = options.migrations ?? MIGRATIONS;
    const log = options.log ?? silentLogger;
    mkdirSync(path.dirname(options.path), { recursive: true });
    const file = new MetadataFile(SQL, new SQL.Database(), options, migrations);
    await withFileLock(file.lockPath, () => {
      file.db.close();
      file.db = file.loadOrRecover();
      const applied = migrate(file.db, migrations, options.path);
      if (applied > 0 || !existsSync(options.path)) {
        file.persist();
        if (applied > 0) log.info(`Metadata: applied ${applied} migration(s) to ${options.path}`);
      }
    }, { timeoutMs: options.lockTimeoutMs });
    file.startWatching();
    return file;
  }

  get path(): string {
    return this.options.path;
  }

  /** Rows of a read-only query against the latest committed state, as objects. */
  rows(sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
    this.refreshIfChanged();
    return rowsOf(this.db, sql, params);
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
    this.options.replaceFile(this.options.path, bytes);
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
