import type { CellValue } from '../../../api';

/** Widest a column is drawn; longer values are cut with an ellipsis (a query plan line stays whole in one column). */
const MAX_WIDTH = 120;

function cellText(value: CellValue): string {
  if (value === null) return 'NULL';
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return String(value);
}

/**
 * Rows as an aligned plain-text table with a header and a rule. A single column (a query plan, SHOW output) is
 * written line by line without cutting.
 */
export function formatRowsAsText(columns: readonly string[], rows: readonly CellValue[][], truncated: boolean): string {
  const footer = `\n(${rows.length.toLocaleString('en-US')} row${rows.length === 1 ? '' : 's'}${truncated ? '; more rows were not fetched' : ''})\n`;
  if (columns.length === 1) return [columns[0], '-'.repeat(Math.min(MAX_WIDTH, Math.max(columns[0].length, 3))), ...rows.map((r) => cellText(r[0]))].join('\n') + footer;
  const texts = rows.map((row) => columns.map((_, i) => cellText(row[i]).replace(/\s*\n\s*/g, ' ')));
  const widths = columns.map((c, i) => Math.min(MAX_WIDTH, Math.max(c.length, ...texts.map((t) => t[i].length))));
  const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  const line = (cells: string[]) => cells.map((c, i) => fit(c, widths[i])).join(' | ').trimEnd();
  return [line([...columns]), widths.map((w) => '-'.repeat(w)).join('-+-'), ...texts.map(line)].join('\n') + footer;
}
