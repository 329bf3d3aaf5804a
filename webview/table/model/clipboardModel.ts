import type { CellValue, ColumnSchema } from '../../../api';
import { valueText } from '../../shared/model/cellFormat';
import type { Range } from './selection';
import { parseTsv, toTsv } from './tsv';

/** The copied text of a block of cells: TSV, NULL as an empty field, optionally with a header line. */
export function copyText(rows: readonly (readonly (CellValue | undefined)[])[], columns: readonly Pick<ColumnSchema, 'name' | 'kind'>[], withHeaders: boolean): string {
  const lines = rows.map((row) => row.map((value, i) => (value === undefined ? '' : valueText(value, columns[i]))));
  return toTsv(withHeaders ? [columns.map((c) => c.name), ...lines] : lines);
}

export interface PasteCell {
  row: number;
  col: number;
  text: string;
}

/**
 * Where pasted TSV lands: from the selection's top-left cell, clipped to the grid. A single value pasted over a
 * larger selection fills the whole selection, as in spreadsheets.
 */
export function planPaste(text: string, selection: Range, bounds: { rows: number; cols: number }): { cells: PasteCell[]; clipped: number } {
  const grid = parseTsv(text);
  const cells: PasteCell[] = [];
  let clipped = 0;
  if (grid.length === 1 && grid[0].length === 1) {
    for (let r = selection.top; r <= selection.bottom; r++) for (let c = selection.left; c <= selection.right; c++) if (r < bounds.rows && c < bounds.cols) cells.push({ row: r, col: c, text: grid[0][0] });
    return { cells, clipped };
  }
  grid.forEach((line, i) =>
    line.forEach((field, j) => {
      const row = selection.top + i;
      const col = selection.left + j;
      if (row < bounds.rows && col < bounds.cols) cells.push({ row, col, text: field });
      else clipped++;
    }),
  );
  return { cells, clipped };
}
