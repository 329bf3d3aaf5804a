// The built-in REST datasource, written as a plugin against the public API only (api/index.d.ts), like the SQL
// ones. Each configured endpoint of a JSON API is a table; it uses Node's own fetch, no extra dependency.
import type { DatasourceConfig, DatasourceContext, DatasourcePlugin } from '../../api';
import { configFields, parseUrl, readSettings } from './settings';

export const REST_DATASOURCE_ID = 'nocoflo.rest';

/** The session (HTTP, paging, templates) loads with the first connection (driver.ts): activation never parses it. */
async function open(config: DatasourceConfig, secrets: Record<string, string>, context: DatasourceContext) {
  const { open: openSession } = await import('./driver');
  return openSession(readSettings(config), secrets, context);
}

export function createRestDatasource(): DatasourcePlugin {
  return {
    id: REST_DATASOURCE_ID,
    displayName: 'REST API',
    version: '1.0.0',
    apiVersion: '1.0.0',
    extensionId: 'nocoflo.nocoflo',
    description: 'JSON HTTP APIs: each endpoint is a table, with pagination, optional writes and bearer/basic/API-key auth.',
    icon: 'globe',
    schemes: ['http', 'https'],
    configFields,
    parseUrl,
    // Credentials only ever go to the base URL's origin (http.ts refuses other sites), with one auth kind.
    secretTarget: (config) => `${String(config.auth ?? 'none')}${config.username ? ` ${String(config.username)}` : ''} ${new URL(String(config.baseUrl)).origin}`,
    async testConnection(config, secrets, context) {
      const session = await open(config, secrets, context);
      try {
        return { ok: true, message: await session.probe() };
      } finally {
        await session.close();
      }
    },
    // No request yet: the endpoints come from the config, and each table reports its own errors when opened.
    async connect(config, secrets, context) {
      const session = await open(config, secrets, context);
      context.log('info', `Opened ${session.description} (${readSettings(config).endpoints.length} endpoints).`);
      return session;
    },
  };
}
