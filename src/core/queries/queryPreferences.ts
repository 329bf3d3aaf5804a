// Where a query result's view preference is kept (pure: the host's opener and the API's setViewPreference share it).
import type { TableLocator } from '../../../api';

/**
 * Where a query result's view preference is kept: under a schema name no database uses, so a saved query named
 * like a table never takes that table's preference.
 */
export const QUERY_PREFERENCE_SCHEMA = '\u0000query';
export function preferenceTarget(table: TableLocator): TableLocator {
  return table.query ? { datasourceId: table.datasourceId, schema: QUERY_PREFERENCE_SCHEMA, name: table.name } : table;
}
