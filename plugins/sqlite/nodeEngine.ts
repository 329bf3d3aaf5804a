import type { CellValue } from '../../api';
import { datasourceError } from '../kit/errors';
import { bindable, normalize, type Engine, type Prepared, type ResultColumn } from './engine';

// node:sqlite is real SQLite on the real file: page-level reads and writes, SQLite's own locking, WAL. Only the
// members Nocoflo uses are typed here (the project's @types/node targets Node 20, which lacks the module).
interface StatementSync {
  all(...params: unknown[]): Record<string, unknown>[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  setReadBigInts(enabled: boolean): void;
  setReturnArrays?(enabled: boolean): void;
  columns?(): { name: string; table?: string | null; column?: string | null; database?: string | null; type?: string | null }[];
  iterate?(...params: unknown[]): IterableIterator<unknown>;
  readonly sourceSQL?: string;
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => DatabaseSync;
}

/** The node:sqlite module when this runtime has it (Node ≥ 22.13 without a flag), else undefined. */
export function loadNodeSqlite(): NodeSqliteModule | undefined {
  try {
    // Loaded lazily and by a computed name, so bundlers and older runtimes never touch it.
    const name = 'node:sqlite';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as NodeSqliteModule;
  } catch {
    return undefined;
  }
}

/**
 * node:sqlite binds a zero-length array whose buffer has no memory (what `new Uint8Array()` and every structured
 * clone of one give) as NULL. A view into a real one-byte buffer is still zero bytes long but binds as a BLOB.
 */
function bindForNode(value: CellValue): CellValue {
  if (value instanceof Uint8Array && value.byteLength === 0) return new Uint8Array(new ArrayBuffer(1), 0, 0);
  return bindable(value);
}

export class NodeSqliteEngine implements Engine {
  readonly name = 'node' as const;
  readonly readOnlyReason?: string;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(
    module: NodeSqliteModule,
    file: string,
    private readonly readOnly: boolean,
  ) {
    this.db = new module.DatabaseSync(file, { readOnly });
    // Wait for other writers instead of failing at once; their locks are short.
    this.db.exec('PRAGMA busy_timeout = 5000');
    // SQLite leaves declared foreign keys unenforced on every new connection; writes through Nocoflo respect them.
    this.db.exec('PRAGMA foreign_keys = ON');
  }

  all(sql: string, params: CellValue[] = []): { columns: string[]; rows: CellValue[][] } {
    const statement = this.statement(sql);
    const result = statement.all(...params.map(bindForNode)) as unknown[];
    if (statement.setReturnArrays) {
      const columns = statement.columns?.().map((c) => c.name) ?? [];
      return { columns, rows: (result as unknown[][]).map((r) => r.map(normalize)) };
    }
    // Older node:sqlite returns objects; look values up by column name, because object key order puts
    // integer-like names ("2024") first.
    const objects = result as Record<string, unknown>[];
    const columns = statement.columns ? statement.columns().map((c) => c.name) : Object.keys(objects[0] ?? {});
    return { columns, rows: objects.map((o) => columns.map((c) => normalize(o[c]))) };
  }

  run(sql: string, params: CellValue[] = []): { changes: number; lastInsertRowid: number | bigint } {
    const result = this.statement(sql).run(...params.map(bindForNode));
    return { changes: Number(result.changes), lastInsertRowid: result.lastInsertRowid };
  }

  prepare(sql: string): Prepared {
    const statement = this.db.prepare(sql);
    const own = statement.sourceSQL ?? sql;
    const columns = (statement.columns?.() ?? []).map((c): ResultColumn => ({
      name: c.name,
      ...(c.table ? { table: c.table } : {}),
      ...(c.column ? { column: c.column } : {}),
      ...(c.database ? { database: c.database } : {}),
      ...(c.type ? { declaredType: c.type } : {}),
    }));
    return { columns, reportsOrigins: statement.columns !== undefined, tail: sql.slice(own.length) };
  }

  step(sql: string, params: CellValue[], maxRows: number, complete: boolean): { columns: string[]; rows: CellValue[][]; more: boolean } {
    // Not cached: the user's statements are run once.
    const statement = this.db.prepare(sql);
    statement.setReadBigInts(true);
    statement.setReturnArrays?.(true);
    const columns = statement.columns?.().map((c) => c.name) ?? [];
    const rows: CellValue[][] = [];
    let more = false;
    const toRow = (r: unknown): CellValue[] => (Array.isArray(r) ? r.map(normalize) : columns.map((c) => normalize((r as Record<string, unknown>)[c])));
    if (!statement.iterate) {
      const all = statement.all(...params.map(bindForNode));
      return { columns, rows: all.slice(0, maxRows).map(toRow), more: all.length > maxRows };
    }
    const iterator = statement.iterate(...params.map(bindForNode));
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      if (rows.length < maxRows) rows.push(toRow(next.value));
      else {
        more = true;
        if (!complete) {
          iterator.return?.();
          break;
        }
      }
    }
    return { columns, rows, more };
  }

  refresh(): void {
    // SQLite re-reads changed pages itself.
  }

  checkWritable(): void {
    if (this.readOnly) throw datasourceError('read_only', 'This datasource was added read-only.');
  }

  begin(): void {
    // IMMEDIATE takes the write lock up front, so a busy database fails before any change, not halfway.
    this.db.exec('BEGIN IMMEDIATE');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollback(): void {
    this.db.exec('ROLLBACK');
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      statement.setReadBigInts(true);
      statement.setReturnArrays?.(true);
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
