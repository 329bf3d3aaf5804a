// Columns of an endpoint, inferred from a sample of its records: one column per top-level field in the order
// fields first appear, typed by the JSON values seen. Records of different shapes are unioned (a field missing
// from some records is nullable); nested objects and arrays, and fields whose values mix types, are `json`
// columns shown as JSON text, so nothing is lost on a round trip. Overrides from the endpoint config win.
import type { CellValue, ColumnKind, ColumnSchema } from '../../api';
import { datasourceError } from '../kit/errors';
import type { ColumnOverride } from './endpoints';
import { jsonNumber, parseNumberText } from './jsonNumbers';

type JsonType = 'integer' | 'number' | 'boolean' | 'string' | 'date-time' | 'date' | 'uuid' | 'object' | 'array';

const DATE_TIME_TZ = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function jsonType(value: unknown): JsonType | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return DATE_TIME_TZ.test(value) ? 'date-time' : DATE.test(value) ? 'date' : UUID.test(value) ? 'uuid' : 'string';
  return Array.isArray(value) ? 'array' : 'object';
}

const STRING_TYPES: ReadonlySet<JsonType> = new Set(['string', 'date-time', 'date', 'uuid']);

/** The column kind for a set of JSON types seen in one field. */
export function kindOf(types: ReadonlySet<JsonType>): { kind: ColumnKind; declaredType: string } {
  const list = [...types].sort();
  if (list.length === 0) return { kind: 'text', declaredType: 'null' };
  if (list.length === 1) {
    const [only] = list;
    const kind: Record<JsonType, ColumnKind> = { integer: 'integer', number: 'float', boolean: 'boolean', string: 'text', 'date-time': 'datetimetz', date: 'date', uuid: 'uuid', object: 'json', array: 'json' };
    const declared: Record<JsonType, string> = { integer: 'integer', number: 'number', boolean: 'boolean', string: 'string', 'date-time': 'string (date-time)', date: 'string (date)', uuid: 'string (uuid)', object: 'object', array: 'array' };
    return { kind: kind[only], declaredType: declared[only] };
  }
  if (list.every((t) => t === 'integer' || t === 'number')) return { kind: 'float', declaredType: 'number' };
  if (list.every((t) => STRING_TYPES.has(t))) return { kind: 'text', declaredType: 'string' };
  // Mixed kinds (a number here, a text or an object there): JSON text keeps each value exactly as the API sent it.
  const names = [...new Set(list.map((t) => (STRING_TYPES.has(t) ? 'string' : t === 'integer' ? 'number' : t)))];
  return { kind: 'json', declaredType: names.join(' | ') };
}

export interface InferredColumns {
  columns: ColumnSchema[];
  /** Number of sampled records that were not JSON objects (skipped). */
  nonObjects: number;
  /** Number of sampled records without the id field. */
  withoutId: number;
}

export function inferColumns(records: readonly unknown[], options: { idField?: string; overrides?: Record<string, ColumnOverride> } = {}): InferredColumns {
  const fields = new Map<string, { types: Set<JsonType>; present: number; nulls: number }>();
  let objects = 0;
  let withoutId = 0;
  for (const record of records) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
    objects++;
    if (options.idField !== undefined && !isKeyValue((record as Record<string, unknown>)[options.idField])) withoutId++;
    for (const [name, value] of Object.entries(record)) {
      let field = fields.get(name);
      if (!field) fields.set(name, (field = { types: new Set(), present: 0, nulls: 0 }));
      field.present++;
      const type = jsonType(value);
      if (type === null) field.nulls++;
      else field.types.add(type);
    }
  }
  const overrides = options.overrides ?? {};
  for (const name of Object.keys(overrides)) if (!fields.has(name)) fields.set(name, { types: new Set(), present: 0, nulls: 0 });
  if (options.idField !== undefined && !fields.has(options.idField)) fields.set(options.idField, { types: new Set(), present: 0, nulls: 0 });
  const columns: ColumnSchema[] = [];
  for (const [name, field] of fields) {
    const { kind, declaredType } = kindOf(field.types);
    const column: ColumnSchema = { name, declaredType, kind, nullable: field.nulls > 0 || field.present < objects || objects === 0 };
    if (name === options.idField) {
      column.primaryKeyPosition = 1;
      column.nullable = false;
    }
    const override = overrides[name];
    if (override) {
      if (override.kind) column.kind = override.kind;
      if (override.declaredType !== undefined) column.declaredType = override.declaredType;
      else if (override.kind) column.declaredType = field.types.size === 0 ? override.kind : `${declaredType} (as ${override.kind})`;
      if (override.nullable !== undefined) column.nullable = override.nullable;
      if (override.readOnly) column.readOnly = true;
      if (override.enumValues) column.enumValues = [...override.enumValues];
      if (override.comment) column.comment = override.comment;
    }
    columns.push(column);
  }
  return { columns, nonObjects: records.length - objects, withoutId };
}

/** Values that can identify a record in a URL: texts and numbers. */
export function isKeyValue(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/** A JSON value as a cell of a column of `kind`. */
export function toCell(value: unknown, kind: ColumnKind): CellValue {
  if (value === undefined || value === null) return null;
  if (kind === 'json' || typeof value === 'object') return JSON.stringify(value);
  return value as string | number | boolean;
}

/** A cell as the JSON value to send for a column of `kind`; invalid_value (naming the column) when it cannot be. */
export function fromCell(cell: CellValue, column: ColumnSchema): unknown {
  if (cell === null) return null;
  const bad = (why: string) => datasourceError('invalid_value', `"${column.name}": ${why}`, { column: column.name });
  if (cell instanceof Uint8Array) throw bad('binary values cannot be sent in JSON.');
  if (column.kind === 'json') {
    if (typeof cell !== 'string') return typeof cell === 'bigint' ? Number(cell) : cell;
    try {
      return JSON.parse(cell);
    } catch (error) {
      throw bad(`this is not valid JSON (${(error as Error).message}).`);
    }
  }
  // A JSON API's column type is what its records hold: numbers go as JSON numbers, with every digit typed (see
  // jsonNumbers.ts). A decimal column stays text only when its records hold texts ("string (as decimal)").
  const numeric = column.kind === 'integer' || column.kind === 'float' || (column.kind === 'decimal' && !/string/i.test(column.declaredType));
  if (typeof cell === 'bigint') return jsonNumber(String(cell));
  if (numeric && typeof cell === 'string') {
    const parsed = parseNumberText(cell);
    if (!parsed || (column.kind === 'integer' && !parsed.whole)) throw bad(`"${cell}" is not ${column.kind === 'integer' ? 'a whole number' : 'a number'}.`);
    return jsonNumber(cell);
  }
  if (numeric && typeof cell === 'number' && !Number.isFinite(cell)) throw bad(`${cell} cannot be sent as a JSON number.`);
  if (column.kind === 'boolean' && typeof cell === 'string') {
    if (cell === 'true') return true;
    if (cell === 'false') return false;
    throw bad(`"${cell}" is not true or false.`);
  }
  return cell;
}

/** Whether a stored cell still equals what was read (numbers compare by value, JSON by its parsed content). */
export function sameCell(a: CellValue, b: CellValue, kind: ColumnKind): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (kind === 'json' && typeof a === 'string' && typeof b === 'string') {
    try {
      return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
    } catch {
      return false;
    }
  }
  const num = (v: CellValue) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
  if ((typeof a === 'number' || typeof b === 'number' || typeof a === 'bigint' || typeof b === 'bigint') && Number.isFinite(num(a))) return num(a) === num(b);
  return String(a) === String(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
