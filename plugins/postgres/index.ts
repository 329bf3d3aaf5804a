// The built-in PostgreSQL datasource, written as a plugin against the public API only (api/index.d.ts), like the
// SQLite one. It uses `pg` (pure JavaScript), loaded with the session on first connect, with one pool per session.
import type { DatasourceConfig, DatasourceContext, DatasourcePlugin } from '../../api';
import { transportNote } from '../kit/transportSecurity';
import { configFields, describe, parseUrl, readSettings } from './connectionConfig';

/** The session and its driver load with the first connection (driver.ts): activation never parses them. */
async function open(config: DatasourceConfig, secrets: Record<string, string>, context: DatasourceContext) {
  const { open: openSession } = await import('./driver');
  return openSession(config, secrets, context);
}


export function createPostgresDatasource(): DatasourcePlugin {
  return {
    id: 'nocoflo.postgres',
    displayName: 'PostgreSQL',
    version: '1.0.0',
    apiVersion: '1.0.0',
    extensionId: 'nocoflo.nocoflo',
    description: 'PostgreSQL databases: schemas, tables, views, materialized views, partitions and foreign tables.',
    icon: 'database',
    schemes: ['postgres', 'postgresql'],
    configFields,
    parseUrl,
    // The password authenticates this user on this server and database; timeouts and SSL files do not change that.
    secretTarget: (config) => {
      const settings = readSettings(config);
      return describe(settings) + transportNote(settings);
    },
    async testConnection(config, secrets, context) {
      const { session, version } = await open(config, secrets, context);
      try {
        const tables = await session.listTables();
        const schemas = new Set(tables.map((t) => t.ref.schema)).size;
        return { ok: true, message: `PostgreSQL ${version}: ${tables.length} tables and views in ${schemas} schemas.` };
      } finally {
        await session.close();
      }
    },
    async connect(config, secrets, context) {
      const { session, version } = await open(config, secrets, context);
      context.log('info', `Connected to ${session.description} (PostgreSQL ${version}).`);
      return session;
    },
  };
}
