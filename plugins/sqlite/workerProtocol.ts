import type { DatasourceErrorCode, RowValues } from '../../api';

// Messages between a SQLite session (extension host thread) and its worker. Values cross by structured clone,
// which keeps bigint and Uint8Array intact.

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
  | 'begin'
  | 'commit'
  | 'rollback';

export interface WorkerRequest {
  id: number;
  method: WorkerMethod | 'close';
  args: unknown[];
}

export interface WorkerError {
  message: string;
  code?: DatasourceErrorCode;
  current?: RowValues | null;
  column?: string;
}

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WorkerError }
  | { id: 0; ready: true; engine: 'sqljs' | 'node'; sqliteVersion: string }
  | { id: 0; ready: false; error: WorkerError };
