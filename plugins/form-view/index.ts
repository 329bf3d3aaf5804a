// The built-in form view, written as a view plugin against the public API only (api/index.d.ts), like the table
// view: one record at a time with an editor per column, for tables too wide to read in a grid row.
import * as path from 'node:path';
import type { TableSchema, ViewPlugin } from '../../api';

export const FORM_VIEW_ID = 'nocoflo.form';

/** Above this many columns a grid row no longer fits on screen, and "auto" selection prefers the form. */
export const WIDE_TABLE_COLUMNS = 10;

/**
 * 50 keeps the grid (100) first for ordinary tables; 150 puts the form first for wide ones. A query's result stays
 * in the grid however wide: it answers a question, and its rows are read side by side.
 */
export function formPriority(schema: TableSchema): number {
  return schema.kind !== 'query' && schema.columns.length > WIDE_TABLE_COLUMNS ? 150 : 50;
}

/** `extensionPath` is where Nocoflo is installed; the form's bundle lives in its dist/webview folder. */
export function createFormViewPlugin(extensionPath: string): ViewPlugin {
  return {
    id: FORM_VIEW_ID,
    displayName: 'Form',
    version: '1.0.0',
    apiVersion: '1.0.0',
    description: 'One record at a time: type-aware fields, validation before save, foreign keys and their references.',
    icon: 'note',
    priority: formPriority,
    // Any table has records to show; read-only ones open with their explanation instead of being refused.
    canHandle: () => true,
    webview: {
      root: path.join(extensionPath, 'dist', 'webview'),
      script: 'form.js',
      styles: ['form.css'],
    },
  };
}
