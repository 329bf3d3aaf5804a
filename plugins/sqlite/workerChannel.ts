import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { loadNodeSqlite } from './nodeEngine';
import { CHILD_FLAG, type WorkerOptions, type WorkerRequest, type WorkerResponse } from './workerProtocol';

/** Where the worker script runs, seen from the host: a thread or a child process, killable either way. */
export interface WorkerChannel {
  post(request: WorkerRequest): void;
  onMessage(listener: (message: WorkerResponse) => void): void;
  onError(listener: (error: Error) => void): void;
  onExit(listener: (code: number | string) => void): void;
  /** Stops it at once, without waiting; it no longer keeps the extension host alive, nor reports anything. */
  kill(): void;
}

/**
 * sql.js runs in a thread: it is WebAssembly, which worker.terminate() interrupts wherever it is. node:sqlite runs in
 * a child process instead, because a thread busy inside a native SQLite call cannot be stopped from outside: it
 * would spin on (an endless recursive view) holding its connection, and with it the file's write lock, until the
 * extension host exits. A killed process releases both; SQLite rolls back its unfinished transaction from the
 * journal the next time the file is opened.
 */
export function openChannel(workerPath: string, options: WorkerOptions): WorkerChannel {
  // The same test the worker makes for 'auto' (same runtime): decided here, so the worker need not guess again.
  const useNode = options.engine === 'node' || (options.engine === 'auto' && loadNodeSqlite() !== undefined);
  return useNode ? processChannel(workerPath, { ...options, engine: 'node' }) : threadChannel(workerPath, options);
}

function threadChannel(workerPath: string, options: WorkerOptions): WorkerChannel {
  const worker = new Worker(workerPath, { workerData: options });
  return {
    post: (request) => worker.postMessage(request),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', listener),
    onExit: (listener) => worker.on('exit', listener),
    kill: () => {
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      worker.unref();
      void worker.terminate().catch(() => undefined);
    },
  };
}

function processChannel(workerPath: string, options: WorkerOptions): WorkerChannel {
  const child = fork(workerPath, [CHILD_FLAG, JSON.stringify(options)], {
    // 'advanced' is the structured clone threads use: bigint and Uint8Array cross intact.
    serialization: 'advanced',
    // In VS Code the runtime is Electron's; this makes it the plain Node it embeds. No inspector flags: the child
    // would fight the extension host for its debug port.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--inspect')),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    post: (request) => {
      if (child.connected) child.send(request);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as WorkerResponse)),
    onError: (listener) => child.on('error', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code ?? signal ?? 'unknown')),
    kill: () => {
      child.removeAllListeners();
      child.on('error', () => undefined);
      child.kill('SIGKILL');
      child.unref();
    },
  };
}
