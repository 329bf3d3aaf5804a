// The built-in chart view, written as a view plugin against the public API only (api/index.d.ts), like the table
// view: the extension registers it with `api.registerView`, exactly as another extension would.
import * as path from 'node:path';
import type { ColumnKind, TableSchema, ViewPlugin } from '../../api';

export const CHART_VIEW_ID = 'nocoflo.chart';

const NUMERIC: ReadonlySet<ColumnKind> = new Set(['integer', 'float', 'decimal']);

/** A chart needs a number to aggregate or bin; tables without one are left to the other views. */
export const canChart = (schema: TableSchema): boolean => schema.columns.some((c) => NUMERIC.has(c.kind));

/** `extensionPath` is where Nocoflo is installed; the chart's bundle lives in its dist/webview folder. */
export function createChartViewPlugin(extensionPath: string): ViewPlugin {
  return {
    id: CHART_VIEW_ID,
    displayName: 'Chart',
    version: '1.0.0',
    apiVersion: '1.0.0',
    description: 'Bar, line, area, point, pie, tick and heatmap charts of a table, aggregated in the database.',
    icon: 'graph',
    // Below the table and the form: charts are offered, and opened by default only when the user says so.
    priority: 10,
    canHandle: canChart,
    webview: {
      root: path.join(extensionPath, 'dist', 'webview'),
      script: 'chart.js',
      styles: ['chart.css'],
    },
  };
}
