// `pg`, loaded on the first PostgreSQL connection. The extension's bundle keeps it in a file of its own
// (dist/drivers/postgres.js, see esbuild.mjs), so activating Nocoflo never parses a driver nobody uses.
import pg from 'pg';

export const driver = pg;
