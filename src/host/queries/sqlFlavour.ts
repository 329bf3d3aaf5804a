import type { DatasourcePlugin } from '../../../api';
import type { SqlFlavour } from '../../../plugins/kit/sql/sqlText';

/**
 * How a datasource's SQL text is read (quotes, comments, dollar quotes): from the URL schemes its plugin handles. A
 * third-party SQL datasource with other schemes is read as PostgreSQL-like standard SQL.
 */
export function sqlFlavourOf(plugin: Pick<DatasourcePlugin, 'schemes'> | undefined): SqlFlavour {
  const schemes = plugin?.schemes ?? [];
  if (schemes.includes('sqlite')) return 'sqlite';
  if (schemes.some((s) => s === 'mysql' || s === 'mariadb')) return 'mysql';
  return 'postgres';
}
