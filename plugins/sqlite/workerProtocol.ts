import type { DatasourceErrorCode, RowValues } from '../../api';

// Messages between a SQLite session (extension host thread) and its worker. Values cross by structured clone,
// which keeps bigint and Uint8Array intact.

/** The argument that tells a child process it is the SQLite worker; the next one is its WorkerOptions as JSON. */
export const CHILD_FLAG = '--nocoflo-sqlite-worker';

export interface WorkerOptions {
  file: string;
  engine: 'auto' | 'sqljs' | 'node';
  wasmPath: string;
  readOnly: boolean;
  sqljsMaxBytes?: number;
}

export type WorkerMethod =
  | 'listTables'
  | 'getSchema'
  | 'readRows'
  | 'countRows'
  | 'aggregate'
  | 'insertRow'
  | 'updateRow'
  | 'deleteRow'
  | 'previewChanges'
  | 'execute'
  | 'begin'
  | 'commit'
  | 'rollback';

/**
 * Requests run one at a time in the order they arrive. A 'cancel' names the id of an earlier request: a queued one
 * is answered 'cancelled' without running, a running one stops where it can (between the chunks of an exact
 * aggregate); the cancel itself gets no answer.
 */
export type WorkerRequest = { id: number; method: WorkerMethod | 'close'; args: unknown[] } | { id: number; method: 'cancel'; args: [target: number] };

export interface WorkerError {
  message: string;
  code?: DatasourceErrorCode;
  current?: RowValues | null;
  column?: string;
  position?: { line: number; column: number };
}

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WorkerError }
  | { id: 0; ready: true; engine: 'sqljs' | 'node'; sqliteVersion: string }
  | { id: 0; ready: false; error: WorkerError };
