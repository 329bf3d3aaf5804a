// Builds SQLite files for tests with the real sql.js, and opens them through the real SQLite datasource (worker,
// engine and all). The engine comes from NOCOFLO_SQLITE_ENGINE ('sqljs' by default; scripts/test-sqlite-node22.sh
// runs the same tests with 'node' on Node 22).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { DatasourceContext, DatasourceSession } from '../../api';
import { createSqliteDatasource } from '../../plugins/sqlite';
import type { WorkerBudgetOptions } from '../../plugins/sqlite/supervisedWorker';
import { repoRoot } from './codeServer';

export const engine = (process.env.NOCOFLO_SQLITE_ENGINE ?? 'sqljs') as 'sqljs' | 'node';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes a database file built by running `sql` in sql.js; `fill` may insert rows with bound values. */
export async function makeDatabase(file: string, sql: string, fill?: (run: (sql: string, params: unknown[]) => void) => void): Promise<string> {
  const SQL = await initSqlJs({ locateFile: () => path.join(repoRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.exec(sql);
  if (fill) {
    db.exec('BEGIN');
    fill((statement, params) => db.run(statement, params as never));
    db.exec('COMMIT');
  }
  writeFileSync(file, db.export());
  db.close();
  return file;
}

export const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };

export function sqlitePlugin(options: { sqljsMaxBytes?: number; budgets?: WorkerBudgetOptions } = {}) {
  return createSqliteDatasource({
    workerPath: path.join(repoRoot(), 'out/sqlite-worker.js'),
    wasmPath: path.join(repoRoot(), 'out/sql-wasm.wasm'),
    engine,
    ...options,
  });
}

export async function openSqlite(file: string, options: { readOnly?: boolean; sqljsMaxBytes?: number; budgets?: WorkerBudgetOptions } = {}): Promise<DatasourceSession> {
  const { readOnly, ...pluginOptions } = options;
  return sqlitePlugin(pluginOptions).connect({ path: file, ...(readOnly ? { readOnly: true } : {}) }, {}, context);
}

/** Opens `file` with the sql.js engine whatever NOCOFLO_SQLITE_ENGINE says: for behaviour only that engine has. */
export async function openSqlJs(file: string): Promise<DatasourceSession> {
  const plugin = createSqliteDatasource({ workerPath: path.join(repoRoot(), 'out/sqlite-worker.js'), wasmPath: path.join(repoRoot(), 'out/sql-wasm.wasm'), engine: 'sqljs' });
  return plugin.connect({ path: file }, {}, context);
}

/** Runs Python's sqlite3 (the real C library, a different program) against a file: our "other program". */
export function python(script: string, ...args: string[]): string {
  const result = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout.trim();
}
