// Start widths for the grid's columns (model/columnWidths.ts decides; this measures). Headers are measured when the
// schema arrives and values once, from the first rows the grid shows, so columns do not jump as the user scrolls;
// the room is shared out again when the editor is resized. Text is measured on a canvas in the fonts the grid's
// CSS gives headers and cells, which is what the user sees cut or not.
import type { CellValue, ColumnSchema, ForeignKey } from '../../api';
import { formatCell } from '../shared/model/cellFormat';
import { type ColumnNeeds, fitWidths } from './model/columnWidths';
import { MAX_WIDTH, MIN_WIDTH } from './model/gridState';

/** Header padding (8 left, 18 right for the column menu button) and its right border. */
const HEADER_PAD = 8 + 18 + 1;
/** A codicon marker (key, link, sort arrow) and the gap after it. */
const MARKER = 14 + 3;
/** Cell padding (6 each side), border, and a pixel so a value that just fits is not cut by rounding. */
const CELL_PAD = 6 + 6 + 1 + 1;
/** How many of the first rows are measured. */
const SAMPLE_ROWS = 100;
const CAP = 360;
const GROW_CAP = 640;
/** The vertical scrollbar, which takes room from the columns when it shows. */
const SCROLLBAR = 14;

export class ColumnSizer {
  private readonly context = document.createElement('canvas').getContext('2d');
  private readonly needs = new Map<string, { header: number; values: number[] }>();
  private fonts: { name: string; type: string; cell: string } | undefined;
  sampled = false;

  constructor(private readonly grid: HTMLElement) {}

  /** A new schema: forget what was measured. */
  reset(): void {
    this.needs.clear();
    this.sampled = false;
    this.fonts = undefined;
  }

  /** Measures every column's header (cheap: once per schema). */
  measureHeaders(columns: readonly ColumnSchema[], foreignKeys: readonly ForeignKey[]): void {
    const fonts = this.fontsNow();
    for (const column of columns) {
      const markers = (column.primaryKeyPosition !== undefined ? 1 : 0) + (foreignKeys.some((f) => f.columns.includes(column.name)) ? 1 : 0) + 1; // + the sort arrow
      const name = this.width(column.name, fonts.name) + markers * MARKER;
      const type = this.width(`${column.declaredType || column.kind}${column.nullable ? '' : ' · NOT NULL'}`, fonts.type);
      this.needs.set(column.name, { header: Math.ceil(Math.max(name, type) + HEADER_PAD), values: this.needs.get(column.name)?.values ?? [] });
    }
  }

  /**
   * Measures the values of the rows in view from `first` (up to SAMPLE_ROWS), once per schema, so later scrolling
   * never moves columns; false while those rows are still loading. `rowAt` gives a row's values by schema index.
   */
  sampleRows(columns: readonly ColumnSchema[], rowAt: (row: number) => readonly (CellValue | undefined)[] | undefined, first: number, total: number): boolean {
    const start = Math.min(first, Math.max(0, total - 1));
    const rows = [];
    for (let r = start; r < Math.min(total, start + SAMPLE_ROWS); r++) {
      const values = rowAt(r);
      if (values) rows.push(values);
    }
    if (rows.length === 0 && total > 0) return false;
    this.measureValues(columns, rows);
    return true;
  }

  /** Measures the first rows' values as the cells show them; `rows` holds each row's values by schema index. */
  private measureValues(columns: readonly ColumnSchema[], rows: readonly (readonly (CellValue | undefined)[])[]): void {
    const font = this.fontsNow().cell;
    columns.forEach((column, index) => {
      const values: number[] = [];
      for (const row of rows.slice(0, SAMPLE_ROWS)) {
        const value = row[index];
        if (value !== undefined) values.push(Math.ceil(this.width(formatCell(value, column).text, font) + CELL_PAD));
      }
      const entry = this.needs.get(column.name);
      if (entry) entry.values = values;
    });
    this.sampled = true;
  }

  /**
   * Widths for `columns` (the visible ones, in order), keeping the user's `fixed` widths; `gutter` is the row-number
   * column's width. Undefined for a column not measured yet.
   */
  fit(columns: readonly string[], fixed: Readonly<Record<string, number>>, gutter: number): Map<string, number> {
    const measured = columns.filter((name) => this.needs.has(name));
    const needs: ColumnNeeds[] = measured.map((name) => ({ ...this.needs.get(name)!, ...(fixed[name] !== undefined ? { fixed: fixed[name] } : {}) }));
    const available = Math.max(0, this.grid.clientWidth - gutter - SCROLLBAR);
    const widths = fitWidths(needs, { available, min: MIN_WIDTH, cap: CAP, growCap: Math.min(GROW_CAP, MAX_WIDTH) });
    return new Map(measured.map((name, i) => [name, widths[i]]));
  }

  private width(text: string, font: string): number {
    if (!this.context) return text.length * 8;
    this.context.font = font;
    return this.context.measureText(text).width;
  }

  private fontsNow(): { name: string; type: string; cell: string } {
    if (this.fonts) return this.fonts;
    const root = getComputedStyle(document.documentElement);
    const family = root.getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
    const size = parseFloat(root.getPropertyValue('--vscode-font-size')) || 13;
    const cell = getComputedStyle(this.grid);
    this.fonts = {
      name: `600 ${size}px ${family}`,
      type: `${size * 0.85}px ${family}`,
      cell: `${cell.fontWeight} ${cell.fontSize} ${cell.fontFamily}`,
    };
    return this.fonts;
  }
}
