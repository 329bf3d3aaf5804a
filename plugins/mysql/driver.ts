// What a MySQL/MariaDB connection needs, `mysql2` and the session, loaded on the first connection. The extension's
// bundle keeps this module in a file of its own (dist/drivers/mysql.js, see esbuild.mjs): with its SSL profiles
// mysql2 alone is two thirds of what activation would otherwise parse.
import mysqlPromise from 'mysql2/promise';
import mysql from 'mysql2';
import type { DatasourceConfig, DatasourceContext } from '../../api';
import { connectionOptions, describe, readSettings } from './connectionConfig';
import { MysqlSession } from './mysqlSession';
import type { AuthPluginFactory } from './passwordGuard';

export async function open(config: DatasourceConfig, secrets: Record<string, string>, context: DatasourceContext): Promise<MysqlSession> {
  const settings = readSettings(config);
  // mysql2's own caching_sha2_password plugin does the fast path behind the guard (passwordGuard.ts).
  return MysqlSession.open(mysqlPromise, {
    connection: connectionOptions(settings, secrets, context, mysql.authPlugins.caching_sha2_password() as unknown as AuthPluginFactory),
    description: describe(settings),
    where: settings.socketPath ?? `${settings.host}:${settings.port}`,
    ...(settings.database ? { defaultDatabase: settings.database } : {}),
    queryTimeoutSeconds: settings.queryTimeoutSeconds,
    log: (level, message) => context.log(level, message),
  });
}
