// Text for the "Preview SQL" dialog: each statement exactly as it will be sent (placeholders and all), followed by
// the values bound to it. Values are never pasted into the statement text, so what users read is what runs.
import type { CellValue } from '../api';

const MAX_SHOWN_BYTES = 32;
const MAX_SHOWN_CHARS = 200;

/** A bound value as a SQL-like literal, for reading only; long values are shortened with their full size. */
export function describeParam(value: CellValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  if (value instanceof Uint8Array) {
    const hex = Array.from(value.subarray(0, MAX_SHOWN_BYTES), (b) => b.toString(16).padStart(2, '0')).join('');
    return value.length > MAX_SHOWN_BYTES ? `X'${hex}…' (${value.length} bytes)` : `X'${hex}'`;
  }
  const shown = value.length > MAX_SHOWN_CHARS ? `${value.slice(0, MAX_SHOWN_CHARS)}…` : value;
  return `'${shown.replace(/'/g, "''").replace(/\r?\n/g, '\\n')}'${value.length > MAX_SHOWN_CHARS ? ` (${value.length} characters)` : ''}`;
}

export function formatStatements(statements: readonly { text: string; params: readonly CellValue[] }[], inTransaction: boolean): string {
  const lines: string[] = [];
  if (inTransaction) lines.push('BEGIN;');
  for (const { text, params } of statements) {
    lines.push(`${text};`);
    if (params.length > 0) lines.push(`  -- bound: ${params.map((p, i) => `[${i + 1}] ${describeParam(p)}`).join(', ')}`);
  }
  if (inTransaction) lines.push('COMMIT;');
  return lines.join('\n');
}
