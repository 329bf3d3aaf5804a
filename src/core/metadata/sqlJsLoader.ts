import * as path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

const loaded = new Map<string, Promise<SqlJsStatic>>();

/** sql.js compiles its wasm once per process and path; every store shares that instance. */
export function loadSqlJs(wasmPath = path.join(__dirname, 'sql-wasm.wasm')): Promise<SqlJsStatic> {
  let pending = loaded.get(wasmPath);
  if (!pending) {
    pending = initSqlJs({ locateFile: () => wasmPath });
    loaded.set(wasmPath, pending);
    pending.catch(() => loaded.delete(wasmPath));
  }
  return pending;
}
