// The built-in table view, written as a view plugin against the public API only (api/index.d.ts): the extension
// registers it with `api.registerView`, exactly as another extension would register its own view.
import * as path from 'node:path';
import type { ViewPlugin } from '../../api';

export const TABLE_VIEW_ID = 'nocoflo.table';

/** `extensionPath` is where Nocoflo is installed; the grid's bundle lives in its dist/webview folder. */
export function createTableViewPlugin(extensionPath: string): ViewPlugin {
  return {
    id: TABLE_VIEW_ID,
    displayName: 'Table',
    version: '1.0.0',
    apiVersion: '1.0.0',
    description: 'A virtualized, editable grid: sort, filter, search, edit, copy and paste, export.',
    icon: 'table',
    priority: 100,
    // A grid can show any table; read-only ones open with their explanation instead of being refused.
    canHandle: () => true,
    webview: {
      root: path.join(extensionPath, 'dist', 'webview'),
      script: 'table.js',
      styles: ['table.css'],
    },
  };
}
