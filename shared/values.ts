import type { CellValue, RowValues } from '../api';

// Webview messages travel as JSON between the extension host and the webview, so values JSON cannot carry are
// tagged: bigint → {"$bigint":"123"}, bytes → {"$bytes":"base64"}, non-finite floats → {"$float":"NaN"}. Plain
// strings, finite numbers, booleans and null pass untouched, which keeps the common case cheap.

export type WireValue = null | string | number | boolean | { $bigint: string } | { $bytes: string } | { $float: 'NaN' | 'Infinity' | '-Infinity' };
export type WireRecord = Record<string, WireValue>;

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_INDEX = new Map([...BASE64].map((c, i) => [c, i]));

/** Standard base64 with padding; written out because `btoa` takes binary strings and `Buffer` is Node-only. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63] : '=';
  }
  return out;
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new WireFormatError('invalid base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (BASE64_INDEX.get(text[i])! << 18) |
      (BASE64_INDEX.get(text[i + 1])! << 12) |
      ((BASE64_INDEX.get(text[i + 2]) ?? 0) << 6) |
      (BASE64_INDEX.get(text[i + 3]) ?? 0);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function encodeValue(value: CellValue): WireValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      return { $float: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
    case 'bigint':
      return { $bigint: value.toString() };
    case 'object':
      if (value === null) return null;
      if (value instanceof Uint8Array) return { $bytes: bytesToBase64(value) };
      break;
  }
  throw new WireFormatError(`cannot send a ${typeof value} as a cell value`);
}

/** Decodes a wire value; throws WireFormatError on anything that is not exactly one of the wire shapes. */
export function decodeValue(wire: unknown): CellValue {
  switch (typeof wire) {
    case 'string':
    case 'boolean':
      return wire;
    case 'number':
      if (!Number.isFinite(wire)) throw new WireFormatError('non-finite numbers must be tagged with $float');
      return wire;
    case 'object': {
      if (wire === null) return null;
      if (Array.isArray(wire)) break;
      const keys = Object.keys(wire);
      if (keys.length !== 1) break;
      const tagged = wire as Record<string, unknown>;
      if (typeof tagged.$bigint === 'string') {
        if (!/^-?\d+$/.test(tagged.$bigint)) throw new WireFormatError(`invalid $bigint "${tagged.$bigint}"`);
        return BigInt(tagged.$bigint);
      }
      if (typeof tagged.$bytes === 'string') return base64ToBytes(tagged.$bytes);
      if (tagged.$float === 'NaN') return Number.NaN;
      if (tagged.$float === 'Infinity') return Number.POSITIVE_INFINITY;
      if (tagged.$float === '-Infinity') return Number.NEGATIVE_INFINITY;
      break;
    }
  }
  throw new WireFormatError(`not a wire value: ${preview(wire)}`);
}

export function isWireValue(wire: unknown): wire is WireValue {
  try {
    decodeValue(wire);
    return true;
  } catch {
    return false;
  }
}

export const encodeRow = (row: readonly CellValue[]): WireValue[] => row.map(encodeValue);
export const decodeRow = (row: unknown): CellValue[] => {
  if (!Array.isArray(row)) throw new WireFormatError('a row must be an array');
  return row.map(decodeValue);
};

export function encodeRecord(record: RowValues): WireRecord {
  const out: WireRecord = {};
  for (const [key, value] of Object.entries(record)) out[key] = encodeValue(value);
  return out;
}

export function decodeRecord(record: unknown): RowValues {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new WireFormatError('a record must be an object');
  const out: RowValues = {};
  for (const [key, value] of Object.entries(record)) out[key] = decodeValue(value);
  return out;
}

/** Value equality as the database sees it: bytes by content, bigint and number by numeric value, NaN equal to NaN. */
export function sameValue(a: CellValue, b: CellValue): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (typeof a === 'bigint' && typeof b === 'number') return Number.isInteger(b) && a === BigInt(b);
  if (typeof a === 'number' && typeof b === 'bigint') return Number.isInteger(a) && BigInt(a) === b;
  return Object.is(a, b) || a === b;
}

function preview(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
