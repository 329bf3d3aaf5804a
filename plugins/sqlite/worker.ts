// The SQLite worker thread: owns one database file through one engine, so that no SQLite work (a 100 MB sql.js
// export, a slow query) ever blocks the extension host.
import { parentPort, workerData } from 'node:worker_threads';
import { datasourceError } from '../kit/errors';
import type { Engine } from './engine';
import { loadNodeSqlite, NodeSqliteEngine } from './nodeEngine';
import { SqlJsEngine } from './sqljsEngine';
import { SqliteTables } from './tableOperations';
import type { WorkerError, WorkerOptions, WorkerRequest, WorkerResponse } from './workerProtocol';

function toWorkerError(error: unknown): WorkerError {
  if (error instanceof Error) {
    const e = error as Error & Partial<WorkerError>;
    return {
      message: e.message,
      ...(e.name === 'DatasourceError' && e.code ? { code: e.code } : {}),
      ...('current' in e ? { current: e.current ?? null } : {}),
      ...(e.column ? { column: e.column } : {}),
    };
  }
  return { message: String(error) };
}

async function openEngine(options: WorkerOptions): Promise<Engine> {
  const nodeSqlite = options.engine === 'sqljs' ? undefined : loadNodeSqlite();
  if (options.engine === 'node' && !nodeSqlite) {
    throw datasourceError('unsupported', `The node:sqlite engine is not available in this runtime (Node ${process.versions.node}; it needs Node 22.13 or newer).`);
  }
  if (nodeSqlite) return new NodeSqliteEngine(nodeSqlite, options.file, options.readOnly);
  return SqlJsEngine.open(options.file, { wasmPath: options.wasmPath, readOnly: options.readOnly, ...(options.sqljsMaxBytes !== undefined ? { maxBytes: options.sqljsMaxBytes } : {}) });
}

async function main(): Promise<void> {
  const port = parentPort!;
  const post = (message: WorkerResponse) => port.postMessage(message);
  let tables: SqliteTables;
  let engine: Engine;
  try {
    engine = await openEngine(workerData as WorkerOptions);
    tables = new SqliteTables(engine);
    const version = String(engine.all('SELECT sqlite_version()').rows[0]?.[0] ?? '?');
    tables.listTables(); // Fails now, clearly, on a file that is not a database.
    post({ id: 0, ready: true, engine: engine.name, sqliteVersion: version });
  } catch (error) {
    post({ id: 0, ready: false, error: toWorkerError(error) });
    return;
  }
  port.on('message', (request: WorkerRequest) => {
    try {
      if (request.method === 'close') {
        tables.close();
        post({ id: request.id, ok: true, value: undefined });
        port.close();
        return;
      }
      const method = tables[request.method] as (...args: unknown[]) => unknown;
      post({ id: request.id, ok: true, value: method.apply(tables, request.args) });
    } catch (error) {
      post({ id: request.id, ok: false, error: toWorkerError(error) });
    }
  });
}

void main();
