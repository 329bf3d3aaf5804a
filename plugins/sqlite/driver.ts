// What a SQLite connection needs in the extension host, the session and the supervision of its worker, loaded on the
// first connection. The extension's bundle keeps this module in a file of its own (dist/drivers/sqlite.js, see
// esbuild.mjs); the engines themselves run in the worker (dist/sqlite-worker.js).
export { SqliteSession } from './sqliteSession';
