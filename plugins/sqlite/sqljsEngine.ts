import { readFileSync, statSync } from 'node:fs';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { CellValue } from '../../api';
import { datasourceError } from '../kit/errors';
import { hardLinkRefusal, resolveWriteTarget, writeFileAtomic } from '../kit/atomicFile';
import { bindable, normalize, type Engine, type Prepared } from './engine';
import { applyWal } from './walMerge';
import { fingerprintOf, nonEmpty, sameFingerprint, type Fingerprint } from './fileFingerprint';

/** sql.js holds the whole file in memory (wasm heap); above this we refuse rather than freeze or crash. */
export const SQLJS_MAX_BYTES = 512 * 1024 * 1024;

let sqlJs: Promise<SqlJsStatic> | undefined;

/**
 * The portable engine: the file is read into memory, changes are made there, and each commit writes the whole file
 * back atomically — after checking that no other program changed it since we read it.
 */
export class SqlJsEngine implements Engine {
  readonly name = 'sqljs' as const;
  readOnlyReason?: string;
  private db!: Database;
  private fingerprint!: Fingerprint;
  private inTransaction = false;
  private dirty = false;

  private constructor(
    private readonly SQL: SqlJsStatic,
    private readonly file: string,
    private readonly readOnly: boolean,
    private readonly maxBytes: number,
  ) {}

  static async open(file: string, options: { wasmPath: string; readOnly: boolean; maxBytes?: number }): Promise<SqlJsEngine> {
    sqlJs ??= initSqlJs({ locateFile: () => options.wasmPath });
    const engine = new SqlJsEngine(await sqlJs, file, options.readOnly, options.maxBytes ?? SQLJS_MAX_BYTES);
    engine.load();
    return engine;
  }

  all(sql: string, params: CellValue[] = []): { columns: string[]; rows: CellValue[][] } {
    const statement = this.db.prepare(sql);
    try {
      statement.bind(params.map(bindable) as never);
      const rows: CellValue[][] = [];
      // useBigInt: integers beyond 2^53 would otherwise come back rounded (the typings predate the option).
      const get = statement.get.bind(statement) as unknown as (params: null, config: { useBigInt: boolean }) => unknown[];
      while (statement.step()) rows.push(get(null, { useBigInt: true }).map(normalize));
      return { columns: statement.getColumnNames(), rows };
    } finally {
      statement.free();
    }
  }

  prepare(sql: string): Prepared {
    const statement = this.db.prepare(sql);
    try {
      // sql.js has no sqlite3_column_table_name: names only (see queryReads.ts).
      return { columns: statement.getColumnNames().map((name) => ({ name })), reportsOrigins: false, tail: sql.slice(statement.getSQL().length) };
    } finally {
      statement.free();
    }
  }

  step(sql: string, params: CellValue[], maxRows: number, complete: boolean): { columns: string[]; rows: CellValue[][]; more: boolean } {
    const statement = this.db.prepare(sql);
    try {
      statement.bind(params.map(bindable) as never);
      const rows: CellValue[][] = [];
      let more = false;
      const get = statement.get.bind(statement) as unknown as (params: null, config: { useBigInt: boolean }) => unknown[];
      const before = this.totalChanges();
      while (statement.step()) {
        if (rows.length < maxRows) rows.push(get(null, { useBigInt: true }).map(normalize));
        else {
          more = true;
          if (!complete) break;
        }
      }
      // A schema change counts no rows but must be saved too: a statement run to its end is saved.
      if (complete || this.totalChanges() !== before) this.dirty = true;
      return { columns: statement.getColumnNames(), rows, more };
    } finally {
      statement.free();
    }
  }

  private totalChanges(): number {
    return Number(this.db.exec('SELECT total_changes()')[0]?.values[0]?.[0] ?? 0);
  }

  run(sql: string, params: CellValue[] = []): { changes: number; lastInsertRowid: number | bigint } {
    this.db.run(sql, params.map(bindable) as never);
    const changes = this.db.getRowsModified();
    if (changes > 0) this.dirty = true;
    const rowid = this.db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0];
    return { changes, lastInsertRowid: typeof rowid === 'number' || typeof rowid === 'bigint' ? rowid : 0 };
  }

  refresh(): void {
    if (this.inTransaction) return;
    if (!sameFingerprint(fingerprintOf(this.file), this.fingerprint)) this.load();
  }

  checkWritable(): void {
    if (this.readOnly) throw datasourceError('read_only', 'This datasource was added read-only.');
    if (this.readOnlyReason) throw datasourceError('read_only', this.readOnlyReason);
    this.assertUnchangedOnDisk();
  }

  begin(): void {
    this.db.run('BEGIN');
    this.inTransaction = true;
    this.dirty = false;
  }

  commit(): void {
    this.db.run('COMMIT');
    this.inTransaction = false;
    if (!this.dirty) return;
    // Re-check right before replacing the file: another program may have written while we worked in memory.
    this.assertUnchangedOnDisk();
    writeFileAtomic(this.file, this.db.export());
    this.fingerprint = fingerprintOf(this.file);
    this.dirty = false;
  }

  rollback(): void {
    try {
      this.db.run('ROLLBACK');
    } finally {
      this.inTransaction = false;
      this.dirty = false;
    }
  }

  close(): void {
    this.db?.close();
  }

  private assertUnchangedOnDisk(): void {
    let now: Fingerprint;
    try {
      now = fingerprintOf(this.file);
    } catch {
      throw datasourceError('stale_file', `${this.file} was deleted or moved by another program since Nocoflo read it; nothing was written.`);
    }
    // A hard link made since the file was read: replacing the file would detach it (see atomicFile.ts).
    const linked = hardLinkRefusal(resolveWriteTarget(this.file));
    if (linked) throw datasourceError('read_only', linked);
    if (!sameFingerprint(now, this.fingerprint) || nonEmpty(this.sideFile('journal')) || nonEmpty(this.sideFile('wal'))) {
      throw datasourceError(
        'stale_file',
        `${this.file} was changed on disk by another program since Nocoflo read it, so saving would overwrite those changes. Nothing was written: refresh the table and make your edit again.`,
      );
    }
  }

  private load(): void {
    const size = statSync(this.file).size;
    if (size > this.maxBytes) {
      throw datasourceError(
        'too_large',
        `${this.file} is ${(size / 2 ** 20).toFixed(0)} MiB. The sql.js engine Nocoflo uses in this VS Code holds whole files in memory and opens files up to ${(this.maxBytes / 2 ** 20).toFixed(0)} MiB. VS Code builds whose runtime is Node 22.13 or newer use the page-level node:sqlite engine, which has no such limit.`,
      );
    }
    if (nonEmpty(this.sideFile('journal'))) {
      throw datasourceError('stale_file', `Another program is in the middle of writing ${this.file} (its -journal file is present). Try again when it has finished.`);
    }
    // Read the fingerprint before the bytes: a change in between makes the next check reload, never hide it.
    const fingerprint = fingerprintOf(this.file);
    const bytes = readFileSync(this.file);
    const hasWal = nonEmpty(this.sideFile('wal'));
    const db = hasWal ? this.openWithWal(bytes) : new this.SQL.Database(bytes);
    try {
      db.exec('SELECT count(*) FROM sqlite_schema');
      // SQLite leaves declared foreign keys unenforced on every new connection; writes through Nocoflo respect them.
      db.exec('PRAGMA foreign_keys = ON');
    } catch (error) {
      db.close();
      throw datasourceError('bad_response', `${this.file} is not a readable SQLite database: ${(error as Error).message}`);
    }
    this.db?.close();
    this.db = db;
    this.fingerprint = fingerprint;
    this.readOnlyReason = hasWal
      ? `Another program has this database open in WAL mode with changes not yet checkpointed into the main file. Nocoflo shows the latest data but does not write, because the sql.js engine cannot write WAL databases safely. Close the other program (or run PRAGMA wal_checkpoint) and refresh to edit.`
      : hardLinkRefusal(resolveWriteTarget(this.file));
  }

  /**
   * Another program's -journal or -wal file. SQLite names them after the real file, symbolic links resolved, so a
   * database opened here through a link finds them next to its target, not next to the link.
   */
  private sideFile(kind: 'journal' | 'wal'): string {
    return `${resolveWriteTarget(this.file)}-${kind}`;
  }

  /** The latest committed data of a WAL database: its committed WAL frames applied to the main file's pages. */
  private openWithWal(bytes: Uint8Array): Database {
    const walFile = this.sideFile('wal');
    return new this.SQL.Database(applyWal(bytes, readFileSync(walFile), walFile, this.maxBytes).image);
  }
}
