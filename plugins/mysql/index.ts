// The built-in MySQL/MariaDB datasource, written as a plugin against the public API only (api/index.d.ts), like the
// SQLite and PostgreSQL ones. It uses `mysql2` (pure JavaScript), loaded with the session on first connect, with one pool per session.
//
// Choices worth knowing (details next to the code):
// - Every statement with values is a prepared statement (binary protocol): values are bound, never spliced, and
//   numbers arrive as the server stores them. Identifiers are backtick-quoted by the SQL kit's dialect.
// - Each connection sets time_zone '+00:00': TIMESTAMP values read and write in UTC, identical whatever the client's
//   or the server's zone; DATETIME has no zone and is shown as stored. Dates are never JS Dates, so zero dates
//   ('0000-00-00') show as stored. sql_mode gets STRICT_ALL_TABLES, so bad values are refused, never truncated.
// - Cancelling (AbortSignal), query timeouts and closing the session stop the statement on the server with KILL QUERY
//   from a side connection; MariaDB's max_statement_time / MySQL's max_execution_time back the timeout up.
// - Writes run in a transaction. Engines that cannot roll back (MyISAM, Aria, MEMORY…) still take writes: the first
//   write to such a table is logged as a warning, and when a later change of the same save fails, the error says
//   which changes stayed written (typeKinds.ts, tableOperations.ts, mysqlSession.ts).
import type { DatasourceConfig, DatasourceContext, DatasourcePlugin } from '../../api';
import { configFields, describe, parseUrl, readSettings } from './connectionConfig';
import { transportNote } from '../kit/transportSecurity';
import type { MysqlSession } from './mysqlSession';

/** The session and its driver load with the first connection (driver.ts): activation never parses them. */
async function open(config: DatasourceConfig, secrets: Record<string, string>, context: DatasourceContext): Promise<MysqlSession> {
  const { open: openSession } = await import('./driver');
  return openSession(config, secrets, context);
}

function serverName(session: MysqlSession): string {
  return `${session.server.mariadb ? 'MariaDB' : 'MySQL'} ${session.server.version}`;
}

export function createMysqlDatasource(): DatasourcePlugin {
  return {
    id: 'nocoflo.mysql',
    displayName: 'MySQL / MariaDB',
    version: '1.0.0',
    apiVersion: '1.0.0',
    extensionId: 'nocoflo.nocoflo',
    description: 'MySQL and MariaDB servers: databases, tables and views, with exact values and server-side cancellation.',
    icon: 'database',
    schemes: ['mysql', 'mariadb'],
    configFields,
    parseUrl,
    // The password authenticates this user on this server and database; timeouts and SSL files do not change that.
    secretTarget: (config) => {
      const settings = readSettings(config);
      return describe(settings) + transportNote(settings);
    },
    async testConnection(config, secrets, context) {
      const session = await open(config, secrets, context);
      try {
        const tables = await session.listTables();
        const databases = new Set(tables.map((t) => t.ref.schema)).size;
        return { ok: true, message: `${serverName(session)}: ${tables.length} tables and views in ${databases} databases.` };
      } finally {
        await session.close();
      }
    },
    async connect(config, secrets, context) {
      const session = await open(config, secrets, context);
      context.log('info', `Connected to ${session.description} (${serverName(session)}).`);
      return session;
    },
  };
}
