import type { CellValue } from '../../../api';
import { datasourceError } from '../errors';

// Continuation cursors are opaque to views but carry the last row's ordering values, typed so that bigint and
// bytes survive JSON. A cursor also names the ordering it was made for, so one from another sort is refused
// instead of silently returning wrong rows.

type Tagged = null | string | number | boolean | { b: string } | { u: string } | { f: string };

function tag(value: CellValue): Tagged {
  if (typeof value === 'bigint') return { b: value.toString() };
  // JSON has no NaN or Infinity (it would write null, and the next page would start over after the NULLs).
  if (typeof value === 'number' && !Number.isFinite(value)) return { f: String(value) };
  if (value instanceof Uint8Array) return { u: Buffer.from(value).toString('base64') };
  return value;
}

function untag(value: unknown): CellValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object' && value !== null) {
    if (typeof (value as { b?: unknown }).b === 'string' && /^-?\d+$/.test((value as { b: string }).b)) return BigInt((value as { b: string }).b);
    if (typeof (value as { u?: unknown }).u === 'string') return new Uint8Array(Buffer.from((value as { u: string }).u, 'base64'));
    const f = (value as { f?: unknown }).f;
    if (f === 'NaN' || f === 'Infinity' || f === '-Infinity') return Number(f);
  }
  throw new Error('bad value');
}

export function encodeCursor(ordering: string, values: CellValue[]): string {
  return Buffer.from(JSON.stringify({ o: ordering, v: values.map(tag) })).toString('base64url');
}

export function decodeCursor(cursor: string, ordering: string, expectedLength: number): CellValue[] {
  const invalid = (why: string) => datasourceError('invalid_value', `This page cursor cannot be used (${why}); reload the table.`);
  let parsed: { o?: unknown; v?: unknown } | null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('it is malformed');
  }
  // Valid JSON that is no object (`null`, a number) is not a cursor either; reading `.o` of null would throw.
  if (typeof parsed !== 'object' || parsed === null) throw invalid('it is malformed');
  if (parsed.o !== ordering) throw invalid('it was made for a different sort order');
  if (!Array.isArray(parsed.v) || parsed.v.length !== expectedLength) throw invalid('it has the wrong shape');
  try {
    return parsed.v.map(untag);
  } catch {
    throw invalid('it holds an unreadable value');
  }
}
