import * as path from 'node:path';
import type { Disposable, NocofloApi } from '../../api';
import { errorMessage, type Logger } from '../core/log';
import { createMysqlDatasource } from '../../plugins/mysql';
import { createChartViewPlugin, CHART_VIEW_ID } from '../../plugins/chart-view';
import { createPostgresDatasource } from '../../plugins/postgres';
import { createRestDatasource, REST_DATASOURCE_ID } from '../../plugins/rest';
import { createSqliteDatasource } from '../../plugins/sqlite';
import { createFormViewPlugin, FORM_VIEW_ID } from '../../plugins/form-view';
import { createTableViewPlugin, TABLE_VIEW_ID } from '../../plugins/table-view';

export const BUILT_IN_PLUGIN_IDS: ReadonlySet<string> = new Set(['nocoflo.sqlite', 'nocoflo.postgres', 'nocoflo.mysql', REST_DATASOURCE_ID, TABLE_VIEW_ID, FORM_VIEW_ID, CHART_VIEW_ID]);

/**
 * Registers Nocoflo's own plugins through the public API, the same way another extension would. Each registration
 * stands alone: one built-in failing to register must not take the others down.
 */
export function registerBuiltInPlugins(api: NocofloApi, extensionPath: string, log: Logger): Disposable[] {
  const dist = path.join(extensionPath, 'dist');
  const registrations: [string, () => Disposable][] = [
    ['nocoflo.sqlite', () => api.registerDatasource(createSqliteDatasource({ workerPath: path.join(dist, 'sqlite-worker.js'), wasmPath: path.join(dist, 'sql-wasm.wasm') }))],
    ['nocoflo.postgres', () => api.registerDatasource(createPostgresDatasource())],
    ['nocoflo.mysql', () => api.registerDatasource(createMysqlDatasource())],
    [REST_DATASOURCE_ID, () => api.registerDatasource(createRestDatasource())],
    [TABLE_VIEW_ID, () => api.registerView(createTableViewPlugin(extensionPath))],
    [FORM_VIEW_ID, () => api.registerView(createFormViewPlugin(extensionPath))],
    [CHART_VIEW_ID, () => api.registerView(createChartViewPlugin(extensionPath))],
  ];
  const disposables: Disposable[] = [];
  for (const [id, register] of registrations) {
    try {
      disposables.push(register());
    } catch (error) {
      log.error(`Built-in plugin ${id} could not be registered: ${errorMessage(error)}`);
    }
  }
  return disposables;
}
