// What a PostgreSQL connection needs, `pg` and the session, loaded on the first connection. The extension's bundle
// keeps this module in a file of its own (dist/drivers/postgres.js, see esbuild.mjs), so activating Nocoflo never
// parses a driver or a session nobody uses.
import pg from 'pg';
import type { DatasourceConfig, DatasourceContext } from '../../api';
import { cleartextRefused, mayRevealPassword } from '../kit/transportSecurity';
import { clientRefusingCleartext } from './cleartextGuard';
import { clientConfig, describe, readSettings, transactionSettings } from './connectionConfig';
import { PostgresSession } from './postgresSession';
import { typeParsers } from './typeKinds';

export async function open(config: DatasourceConfig, secrets: Record<string, string>, context: DatasourceContext): Promise<{ session: PostgresSession; version: string }> {
  const settings = readSettings(config);
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
