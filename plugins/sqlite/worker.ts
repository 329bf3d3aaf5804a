// The SQLite worker thread: owns one database file through one engine, so that no SQLite work (a 100 MB sql.js
// export, a slow query) ever blocks the extension host.
import { parentPort, workerData } from 'node:worker_threads';
import type { AggregateRequest } from '../../api';
import { datasourceError } from '../kit/errors';
import type { Engine } from './engine';
import { loadNodeSqlite, NodeSqliteEngine } from './nodeEngine';
import { SqlJsEngine } from './sqljsEngine';
import { SqliteTables } from './tableOperations';
import { CHILD_FLAG, type WorkerError, type WorkerOptions, type WorkerRequest, type WorkerResponse } from './workerProtocol';

function toWorkerError(error: unknown): WorkerError {
  if (error instanceof Error) {
    const e = error as Error & Partial<WorkerError>;
    return {
      message: e.message,
      ...(e.name === 'DatasourceError' && e.code ? { code: e.code } : {}),
      ...('current' in e ? { current: e.current ?? null } : {}),
      ...(e.column ? { column: e.column } : {}),
      ...(e.position ? { position: e.position } : {}),
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

interface Port {
  postMessage(message: WorkerResponse): void;
  on(event: 'message', listener: (request: WorkerRequest) => void): void;
  close(): void;
}

/** This script runs as a worker thread (sql.js) or as a child process (node:sqlite): see workerChannel.ts. */
function connect(): { port: Port; options: WorkerOptions } {
  if (process.argv[2] !== CHILD_FLAG) return { port: parentPort!, options: workerData as WorkerOptions };
  let sent = Promise.resolve();
  const port: Port = {
    postMessage: (message) => {
      sent = new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
    },
    on: (_event, listener) => process.on('message', listener as (message: unknown) => void),
    // Disconnecting lets the process end once the file is closed; only after the last answer has left.
    close: () => void sent.then(() => process.disconnect()),
  };
  return { port, options: JSON.parse(process.argv[3]!) as WorkerOptions };
}

async function main(): Promise<void> {
  const { port, options } = connect();
  const post = (message: WorkerResponse) => port.postMessage(message);
  let tables: SqliteTables;
  let engine: Engine;
  try {
    engine = await openEngine(options);
    tables = new SqliteTables(engine);
    const version = String(engine.all('SELECT sqlite_version()').rows[0]?.[0] ?? '?');
    tables.listTables(); // Fails now, clearly, on a file that is not a database.
    post({ id: 0, ready: true, engine: engine.name, sqliteVersion: version });
  } catch (error) {
    post({ id: 0, ready: false, error: toWorkerError(error) });
    return;
  }
  type Queued = Exclude<WorkerRequest, { method: 'cancel' }>;
  const queue: Queued[] = [];
  let running: { id: number; controller: AbortController } | undefined;
  let draining = false;
  let closed = false;

  const run = async (request: Queued): Promise<void> => {
    if (request.method === 'close') {
      closed = true;
      try {
        tables.close();
        post({ id: request.id, ok: true, value: undefined });
      } catch (error) {
        post({ id: request.id, ok: false, error: toWorkerError(error) });
      }
      port.close();
      return;
    }
    const controller = new AbortController();
    running = { id: request.id, controller };
    try {
      const method = tables[request.method] as (...args: unknown[]) => unknown;
      post({ id: request.id, ok: true, value: await method.apply(tables, withSignal(request, controller.signal)) });
    } catch (error) {
      post({ id: request.id, ok: false, error: toWorkerError(error) });
    } finally {
      running = undefined;
    }
  };

  // One request at a time, even across the awaits of a chunked aggregate: a write must never land between two of
  // its chunks, and a transaction's statements must run in the order they were sent.
  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      while (!closed) {
        // Let the messages that arrived meanwhile in first, so a cancel finds its request still queued.
        await new Promise((resolve) => setImmediate(resolve));
        const request = queue.shift();
        if (!request) break;
        await run(request);
      }
    } finally {
      draining = false;
    }
  };

  port.on('message', (request: WorkerRequest) => {
    if (request.method === 'cancel') {
      const target = request.args[0];
      const index = queue.findIndex((r) => r.id === target);
      if (index >= 0) {
        queue.splice(index, 1);
        post({ id: target, ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
      } else if (running?.id === target) running.controller.abort();
      return;
    }
    if (closed) return;
    queue.push(request);
    void drain();
  });
}

/** The host's AbortSignal cannot cross to this thread; the methods that can stop part-way read this one instead. */
function withSignal(request: { method: string; args: unknown[] }, signal: AbortSignal): unknown[] {
  if (request.method !== 'aggregate') return request.args;
  const [table, options] = request.args;
  return [table, { ...(options as AggregateRequest), signal }];
}

void main();
