// The built-in SQLite datasource, written as a plugin against the public API only (api/index.d.ts). Nocoflo
// registers it with `api.registerDatasource`, exactly as another extension would register its own.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasourceConfig, DatasourceContext, DatasourcePlugin } from '../../api';
import { datasourceError } from '../kit/errors';
import type { WorkerBudgetOptions } from './supervisedWorker';

export interface SqliteDatasourceOptions {
  /** The bundled worker script (dist/sqlite-worker.js next to the extension bundle by default). */
  workerPath?: string;
  /** sql.js's wasm binary. */
  wasmPath?: string;
  /** 'auto' uses node:sqlite where the runtime has it, sql.js elsewhere. */
  engine?: 'auto' | 'sqljs' | 'node';
  /** Size limit of the sql.js engine (tests lower it). */
  sqljsMaxBytes?: number;
  /**
   * Time budgets of the worker's requests (milliseconds per method, plus grace periods for cancel and close); a
   * request that overruns fails with code 'timeout' and the worker is restarted. Defaults in supervisedWorker.ts.
   */
  budgets?: WorkerBudgetOptions;
}

const FILE_EXTENSIONS = /\.(sqlite3?|db3?)$/i;

function parseUrl(url: string): { config: DatasourceConfig; secrets: Record<string, string> } {
  if (/^sqlite3?:/i.test(url)) {
    // sqlite:///abs/path, sqlite:/abs/path, sqlite:relative/path
    const rest = url.replace(/^sqlite3?:/i, '');
    const file = rest.startsWith('//') ? fileURLToPath(`file:${rest}`) : decodeURIComponent(rest);
    if (!file) throw datasourceError('invalid_value', `"${url}" names no file.`);
    return { config: { path: file }, secrets: {} };
  }
  if (!/^[a-z][a-z0-9+.-]+:\/\//i.test(url) && FILE_EXTENSIONS.test(url)) return { config: { path: url }, secrets: {} };
  throw datasourceError('invalid_value', `"${url}" is neither a sqlite: URL nor a .sqlite/.sqlite3/.db/.db3 file path.`);
}

function resolveFile(config: DatasourceConfig, context: DatasourceContext): string {
  const configured = typeof config.path === 'string' ? config.path.trim() : '';
  if (!configured) throw datasourceError('invalid_value', 'A SQLite datasource needs the path of its file.');
  const base = context.workspaceFolders[0];
  if (!path.isAbsolute(configured) && !base) throw datasourceError('invalid_value', `"${configured}" is a relative path, but no workspace folder is open to resolve it against.`);
  const file = path.isAbsolute(configured) ? configured : path.resolve(base!, configured);
  if (!existsSync(file)) throw datasourceError('not_found', `The SQLite file ${file} does not exist.`);
  if (!statSync(file).isFile()) throw datasourceError('invalid_value', `${file} is not a file.`);
  return file;
}

export function createSqliteDatasource(options: SqliteDatasourceOptions = {}): DatasourcePlugin {
  const workerPath = options.workerPath ?? path.join(__dirname, 'sqlite-worker.js');
  const wasmPath = options.wasmPath ?? path.join(__dirname, 'sql-wasm.wasm');
  // The session and its worker supervision load with the first connection (driver.ts): activation never parses them.
  const open = async (config: DatasourceConfig, context: DatasourceContext) => {
    const file = resolveFile(config, context);
    const { SqliteSession } = await import('./driver');
    return SqliteSession.open(workerPath, {
      file,
      engine: options.engine ?? 'auto',
      wasmPath,
      readOnly: config.readOnly === true,
      ...(options.sqljsMaxBytes !== undefined ? { sqljsMaxBytes: options.sqljsMaxBytes } : {}),
    }, options.budgets);
  };
  return {
    id: 'nocoflo.sqlite',
    displayName: 'SQLite',
    version: '1.0.0',
    apiVersion: '1.0.0',
    extensionId: 'nocoflo.nocoflo',
    description: 'SQLite database files (.sqlite, .sqlite3, .db), through node:sqlite or sql.js.',
    icon: 'database',
    schemes: ['sqlite', 'sqlite3'],
    configFields: [
      { key: 'path', label: 'Database file', type: 'file', required: true, placeholder: 'data/app.sqlite', description: 'Absolute, or relative to the workspace folder.' },
      { key: 'readOnly', label: 'Read-only', type: 'boolean', default: false, description: 'Never write to this file.' },
    ],
    parseUrl,
    async testConnection(config, _secrets, context) {
      const session = await open(config, context);
      try {
        const tables = await session.listTables();
        return { ok: true, message: `SQLite ${session.sqliteVersion} (${session.engine === 'node' ? 'node:sqlite' : 'sql.js'}): ${tables.length} tables and views.` };
      } finally {
        await session.close();
      }
    },
    async connect(config, _secrets, context) {
      const session = await open(config, context);
      context.log('info', `Opened ${session.description} with ${session.engine === 'node' ? 'node:sqlite' : 'sql.js'} (SQLite ${session.sqliteVersion}).`);
      return session;
    },
  };
}
