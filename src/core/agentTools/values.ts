// Values in tool results and tool inputs. A language model reads and writes JSON, which has no bigint, no bytes and
// no non-finite floats: results tag them the way the webview protocol does (shared/values.ts), so a model can pass a
// value it read back unchanged, and long values are cut so one cell cannot fill the model's context.
import type { CellValue, RowValues } from '../../../api';
import { bytesToBase64, decodeValue } from '../../../shared/values';

/** Text longer than this is cut in results (the row stays addressable by its key). */
export const MAX_TEXT_CHARS = 2_000;
/** Bytes longer than this are described, not sent. */
export const MAX_BYTES = 1_024;

export type ResultValue =
  | null
  | string
  | number
  | boolean
  | { $bigint: string }
  | { $bytes: string }
  | { $float: 'NaN' | 'Infinity' | '-Infinity' }
  | { $bytesOmitted: number }
  | { $textCut: string; length: number };

/** A cell value as a tool result carries it. */
export function resultValue(value: CellValue): ResultValue {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Uint8Array) return value.length > MAX_BYTES ? { $bytesOmitted: value.length } : { $bytes: bytesToBase64(value) };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $float: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  if (typeof value === 'string' && value.length > MAX_TEXT_CHARS) return { $textCut: value.slice(0, MAX_TEXT_CHARS), length: value.length };
  return value;
}

export function resultRecord(record: RowValues): Record<string, ResultValue> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resultValue(v)]));
}

/**
 * A value a model passed in: JSON scalars as they are, `{"$bigint":"…"}`, `{"$bytes":"base64"}` and
 * `{"$float":"NaN"}` decoded. Anything else (arrays, other objects, a cut value read earlier) is refused with a
 * reason the model can act on.
 */
export function inputValue(raw: unknown, where: string): { ok: true; value: CellValue } | { ok: false; error: string } {
  if (raw !== null && typeof raw === 'object' && ('$bytesOmitted' in raw || '$textCut' in raw)) {
    return { ok: false, error: `${where}: a value that was cut or omitted in a result cannot be written back.` };
  }
  if (typeof raw === 'number' && !Number.isFinite(raw)) return { ok: false, error: `${where}: use {"$float":"NaN"} for non-finite numbers.` };
  try {
    return { ok: true, value: decodeValue(raw) };
  } catch {
    return { ok: false, error: `${where}: expected a string, number, boolean, null, {"$bigint":"123"} or {"$bytes":"base64"}.` };
  }
}
