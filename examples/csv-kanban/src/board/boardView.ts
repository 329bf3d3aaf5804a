// The board view's registration: a ViewPlugin names what it can show and where its webview assets are. Nocoflo
// builds the tab (strict CSP, the view client first, then board.js); everything else happens in the webview.
import * as path from 'node:path';
import type { TableSchema, ViewPlugin } from '@nocoflo/api';

export const BOARD_VIEW_ID = 'nocoflo-examples.board';

/** Columns a board can group by: text and enum columns. */
export function groupableColumns(schema: TableSchema): string[] {
  return schema.columns.filter((c) => c.kind === 'text' || c.kind === 'enum').map((c) => c.name);
}

/** `extensionPath` is where this extension is installed; the build puts the board's assets in dist/board. */
export function createBoardView(extensionPath: string, extensionId?: string): ViewPlugin {
  return {
    id: BOARD_VIEW_ID,
    displayName: 'Board',
    version: '0.1.0',
    apiVersion: '1.2.0',
    ...(extensionId ? { extensionId } : {}),
    description: 'Cards grouped into columns by the values of a text column (a kanban board).',
    icon: 'project',
    // Below the grid (100), so "auto" keeps opening tables in the grid; "Open as…" offers the board.
    priority: 5,
    canHandle: (schema) => groupableColumns(schema).length > 0,
    webview: { root: path.join(extensionPath, 'dist', 'board'), script: 'board.js', styles: ['board.css'] },
  };
}
