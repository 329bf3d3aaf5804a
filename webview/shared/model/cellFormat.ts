import type { CellValue, ColumnKind, ColumnSchema } from '../../../api';

// How a value looks in a grid cell. NULL is a styled marker, never text that could be mistaken for the string
// "NULL"; the empty string is an empty cell. BLOBs show their size and the first bytes; long or multi-line text
// is cut for the cell and marked, so the full value is one action away.

export type CellLook = 'null' | 'empty' | 'text' | 'number' | 'boolean' | 'blob' | 'json' | 'temporal';

export interface FormattedCell {
  text: string;
  look: CellLook;
  /** The cell shows less than the whole value. */
  truncated: boolean;
}

export const MAX_CELL_CHARS = 300;
const NUMERIC_KINDS: ReadonlySet<ColumnKind> = new Set(['integer', 'float', 'decimal']);
const TEMPORAL_KINDS: ReadonlySet<ColumnKind> = new Set(['date', 'time', 'datetime', 'datetimetz', 'interval']);

export function isNumericColumn(column: Pick<ColumnSchema, 'kind'>): boolean {
  return NUMERIC_KINDS.has(column.kind);
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

export function hex(bytes: Uint8Array, max = bytes.length): string {
  let out = '';
  for (let i = 0; i < Math.min(max, bytes.length); i++) out += bytes[i].toString(16).padStart(2, '0');
  return out;
}

export function formatCell(value: CellValue, column: Pick<ColumnSchema, 'kind'>): FormattedCell {
  if (value === null) return { text: 'NULL', look: 'null', truncated: false };
  if (value instanceof Uint8Array) {
    const preview = hex(value, 8).replace(/(..)(?!$)/g, '$1 ');
    return { text: `${formatBytes(value.length)}  ${preview}${value.length > 8 ? ' …' : ''}`, look: 'blob', truncated: value.length > 8 };
  }
  if (typeof value === 'boolean' || (column.kind === 'boolean' && (value === 0 || value === 1 || value === 0n || value === 1n))) {
    return { text: value === true || value === 1 || value === 1n ? 'true' : 'false', look: 'boolean', truncated: false };
  }
  if (typeof value === 'number' || typeof value === 'bigint') return { text: String(value), look: 'number', truncated: false };
  if (value === '') return { text: '', look: 'empty', truncated: false };
  const look: CellLook = column.kind === 'json' ? 'json' : TEMPORAL_KINDS.has(column.kind) ? 'temporal' : isNumericColumn(column) ? 'number' : 'text';
  const multiline = /[\r\n]/.test(value);
  const oneLine = multiline ? value.replace(/\r\n|\r|\n/g, ' ⏎ ') : value;
  if (oneLine.length > MAX_CELL_CHARS) return { text: `${oneLine.slice(0, MAX_CELL_CHARS)}…`, look, truncated: true };
  return { text: oneLine, look, truncated: multiline };
}

/** Text of a value for editing, copying and the full-value view: complete, with bytes as \x-prefixed hex. */
export function valueText(value: CellValue, column: Pick<ColumnSchema, 'kind'>): string {
  if (value === null) return '';
  if (value instanceof Uint8Array) return `\\x${hex(value)}`;
  if (column.kind === 'boolean' && (value === 0 || value === 1 || value === 0n || value === 1n)) return value === 1 || value === 1n ? 'true' : 'false';
  return String(value);
}

/** JSON text pretty-printed for the full-value view; other text as is. */
export function fullText(value: CellValue, column: Pick<ColumnSchema, 'kind'>): string {
  const text = valueText(value, column);
  if (column.kind === 'json' && typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return text;
    }
  }
  return text;
}
