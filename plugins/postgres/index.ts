// The built-in PostgreSQL datasource, written as a plugin against the public API only (api/index.d.ts), like the
// SQLite one. It uses `pg` (pure JavaScript), loaded on first connect, with one pool per session.
import type { DatasourceConfig, DatasourceContext, DatasourcePlugin } from '../../api';
import { cleartextRefused, mayRevealPassword, transportNote } from '../kit/transportSecurity';
import { clientRefusingCleartext } from './cleartextGuard';
import { clientConfig, configFields, describe, parseUrl, readSettings, transactionSettings } from './connectionConfig';
import { PostgresSession } from './postgresSession';
import { typeParsers } from './typeKinds';

async function open(config: DatasourceConfig, secrets: Record<string, string>, context: DatasourceContext): Promise<{ session: PostgresSession; version: string }> {
  const settings = readSettings(config);
  const { driver: pg } = await import('./driver');
  const Client = mayRevealPassword(settings)
    ? pg.Client
    : clientRefusingCleartext(pg.Client, () => cleartextRefused('PostgreSQL', 'in clear text (AuthenticationCleartextPassword)', settings.sslMode));
  return PostgresSession.open({ Pool: pg.Pool, Client, Query: pg.Query }, {
    // Our value parsers go to this pool's clients only (pg's `types` option), never to pg's global registry.
    config: { ...clientConfig(settings, secrets, context), types: typeParsers },
    settings: transactionSettings(settings),
    description: describe(settings),
    log: (level, message) => context.log(level, message),
  });
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
