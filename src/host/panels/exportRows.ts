// Export of a whole filtered result: pages through readRows with keyset cursors and writes each page as soon as
// it arrives, so memory stays flat however many rows there are. Free of `vscode` for plain-Node tests.
import type { CellValue, RowPage } from '../../../api';
import type { ExportFormat } from '../../../shared/protocol';
import { bytesToBase64 } from '../../../shared/values';

export interface ExportOptions {
  format: ExportFormat;
  /** Columns to write, in this order. */
  columns: string[];
  pageSize: number;
  readPage(position: { after?: string; offset?: number }): Promise<RowPage>;
  write(chunk: string): Promise<void>;
  signal: AbortSignal;
  onProgress?(rowsWritten: number): void;
}

export class ExportCancelled extends Error {
  override readonly name = 'ExportCancelled';
  constructor() {
    super('Export cancelled.');
  }
}

/** Writes every row; returns how many. Throws ExportCancelled when `signal` aborts between pages. */
export async function exportRows(options: ExportOptions): Promise<number> {
  const { format, columns } = options;
  const encoder = format === 'csv' ? csvRow : undefined;
  let written = 0;
  await options.write(format === 'csv' ? csvRow(columns.map(csvText)) : '[');
  let position: { after?: string; offset?: number } = { offset: 0 };
  for (;;) {
    if (options.signal.aborted) throw new ExportCancelled();
    const page = await options.readPage(position);
    if (options.signal.aborted) throw new ExportCancelled();
    const indexes = columns.map((column) => {
      const index = page.columns.indexOf(column);
      if (index < 0) throw new Error(`The datasource did not return column "${column}".`);
      return index;
    });
    let chunk = '';
    for (const row of page.rows) {
      const values = indexes.map((i) => row[i]);
      chunk += encoder ? encoder(values.map(csvField)) : `${written === 0 ? '\n' : ',\n'}${jsonObject(columns, values)}`;
      written++;
    }
    if (chunk) await options.write(chunk);
    options.onProgress?.(written);
    if (page.rows.length === 0) break;
    if (page.next !== undefined) position = { after: page.next };
    else if (page.rows.length >= options.pageSize) position = { offset: written };
    else break;
  }
  if (format === 'json') await options.write(written === 0 ? ']\n' : '\n]\n');
  return written;
}

/** RFC 4180 line. NULL is an empty field and the empty string is `""`, so the two stay distinguishable. */
export function csvRow(fields: readonly (string | null)[]): string {
  return `${fields.map((f) => (f === null ? '' : f === '' || /[",\r\n]|^\s|\s$/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')}\r\n`;
}

export function csvField(value: CellValue): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return `\\x${[...value].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  // Numbers, bigints and booleans cannot hold a formula; only text goes through the spreadsheet guard.
  return typeof value === 'string' ? csvText(value) : String(value);
}

/** A plain decimal number: a spreadsheet reads it as that number, never as a formula (decimal columns are strings). */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Text a spreadsheet would run as a formula (starting with = + - @, tab or CR; OWASP "CSV injection") gets a leading
 * `'`, which spreadsheets show as text and hide. Plain numbers such as `-5` or a decimal column's `-1.50` stay
 * numbers: prefixing them would turn data into text and they cannot call anything.
 */
export function csvText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One JSON object; bigints are written as exact number literals, bytes as base64 strings. */
export function jsonObject(columns: readonly string[], values: readonly CellValue[]): string {
  return `{${columns.map((c, i) => `${JSON.stringify(c)}:${jsonValue(values[i])}`).join(',')}}`;
}

function jsonValue(value: CellValue): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (value instanceof Uint8Array) return JSON.stringify(bytesToBase64(value));
  return JSON.stringify(value);
}
