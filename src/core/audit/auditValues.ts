// Values as the audit log keeps them: the wire encoding (shared/values.ts), so bigint, bytes and non-finite floats
// round-trip exactly, with each value bounded. The metadata file is rewritten on every write, so one pasted
// megabyte must not ride along in every later save; a cut value is marked, and its entry cannot be undone.
import type { CellValue, RowValues } from '../../../api';
import type { AuditRecord, AuditValue } from '../../../shared/auditProtocol';
import { decodeValue, encodeValue } from '../../../shared/values';

export interface AuditLimits {
  /** Longest text kept whole (characters); longer text keeps a preview of this length and its length. */
  textChars: number;
  /** Largest byte value kept whole; larger ones keep only their size. */
  bytes: number;
}

export const DEFAULT_AUDIT_LIMITS: AuditLimits = { textChars: 4096, bytes: 4096 };

export function boundValue(value: CellValue, limits: AuditLimits): { value: AuditValue; truncated: boolean } {
  if (typeof value === 'string' && value.length > limits.textChars) {
    return { value: { $truncated: { kind: 'text', length: value.length, preview: value.slice(0, limits.textChars) } }, truncated: true };
  }
  if (value instanceof Uint8Array && value.length > limits.bytes) return { value: { $truncated: { kind: 'bytes', size: value.length } }, truncated: true };
  return { value: encodeValue(value), truncated: false };
}

/** Encodes a record; `truncated` names the columns whose values were cut. */
export function boundRecord(values: RowValues, limits: AuditLimits): { record: AuditRecord; truncated: string[] } {
  const record: AuditRecord = {};
  const truncated: string[] = [];
  for (const [column, value] of Object.entries(values)) {
    const bounded = boundValue(value, limits);
    record[column] = bounded.value;
    if (bounded.truncated) truncated.push(column);
  }
  return { record, truncated };
}

export const isTruncatedValue = (value: AuditValue): value is Extract<AuditValue, { $truncated: unknown }> =>
  typeof value === 'object' && value !== null && '$truncated' in value;

/** Columns of a stored record whose values were cut. */
export const truncatedColumns = (record: AuditRecord | null): string[] => (record ? Object.keys(record).filter((c) => isTruncatedValue(record[c]!)) : []);

/** The exact values of a stored record; throws when one was cut (callers check `truncatedColumns` first). */
export function restoreRecord(record: AuditRecord): RowValues {
  const out: RowValues = {};
  for (const [column, value] of Object.entries(record)) {
    if (isTruncatedValue(value)) throw new Error(`the value of "${column}" was not kept in full`);
    out[column] = decodeValue(value);
  }
  return out;
}
