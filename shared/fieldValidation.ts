import type { CellValue, ColumnSchema } from '../api';

// Checks a record's values against what the table declares, before Save sends them: a NOT NULL column left empty,
// 300 in a TINYINT, 12.345 in a DECIMAL(5,2), a value outside an ENUM, broken JSON, 2024-02-30. The database would
// refuse most of these too, but only after a round trip and with one message for the whole batch; here every
// problem is named on its own field. Pure (no DOM), so the form and its tests share it.

export type ValidationMode = 'insert' | 'update';

export interface ValidationOptions {
  /**
   * Width of a bare INT / INTEGER. PostgreSQL and MySQL store 32 bits; SQLite stores every INTEGER in 64 bits.
   * Defaults to 64, the permissive choice: a wrong guess must never block a value the database would accept.
   */
  bareIntegerBits?: 32 | 64;
}

export interface FieldProblem {
  column: string;
  message: string;
}

type Column = Pick<ColumnSchema, 'name' | 'kind' | 'declaredType' | 'nullable'> &
  Partial<Pick<ColumnSchema, 'defaultValue' | 'autoIncrement' | 'generated' | 'readOnly' | 'primaryKeyPosition' | 'enumValues' | 'precision' | 'scale' | 'maxLength'>>;

const INTEGER_TEXT = /^[-+]?\d+$/;
const FLOAT_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SPECIAL_FLOAT = /^[-+]?(inf|infinity|nan)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?)$/;
const DATETIMETZ = /^(\d{4}-\d{2}-\d{2})[ T](([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?)\s*(Z|[+-]\d{2}(:?\d{2})?)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Is the column filled in by the database when an insert leaves it out? */
export function filledByDatabase(column: Column, singleIntegerKey = false): boolean {
  return column.defaultValue !== undefined || column.autoIncrement === true || column.generated === true || (singleIntegerKey && column.primaryKeyPosition !== undefined && column.kind === 'integer');
}

/**
 * The problem with `value` for `column`, or undefined when it is fine. `undefined` means "not given": on insert
 * the database default applies (a problem only for NOT NULL columns the database does not fill), on update the
 * stored value stays.
 */
export function validateValue(value: CellValue | undefined, column: Column, mode: ValidationMode, options: ValidationOptions & { singleIntegerKey?: boolean } = {}): string | undefined {
  if (value === undefined) {
    if (mode === 'update' || column.nullable || filledByDatabase(column, options.singleIntegerKey)) return undefined;
    return `"${column.name}" is required (NOT NULL, no default).`;
  }
  if (value === null) {
    // An explicit NULL for an auto-numbered key asks the database for the next number (SQLite, MySQL).
    if (column.nullable || (mode === 'insert' && (column.autoIncrement === true || column.generated === true))) return undefined;
    return `"${column.name}" cannot be NULL.`;
  }
  switch (column.kind) {
    case 'integer':
      return integerProblem(value, column, options.bareIntegerBits ?? 64);
    case 'float':
      return floatProblem(value);
    case 'decimal':
      return decimalProblem(value, column);
    case 'boolean':
      return typeof value === 'boolean' || value === 0 || value === 1 || value === 0n || value === 1n ? undefined : `${show(value)} is not true or false.`;
    case 'json':
      return jsonProblem(value);
    case 'date':
      return typeof value === 'string' && validDate(value) ? undefined : `${show(value)} is not a date (YYYY-MM-DD).`;
    case 'time':
      return typeof value === 'string' && TIME.test(value) ? undefined : `${show(value)} is not a time (HH:MM[:SS]).`;
    case 'datetime': {
      const m = typeof value === 'string' ? DATETIME.exec(value) : null;
      return m && validDate(m[1]) ? undefined : `${show(value)} is not a date and time (YYYY-MM-DD HH:MM[:SS]).`;
    }
    case 'datetimetz': {
      const m = typeof value === 'string' ? DATETIMETZ.exec(value) : null;
      return m && validDate(m[1]) ? undefined : `${show(value)} is not a date and time with a time zone (YYYY-MM-DD HH:MM:SS+02:00).`;
    }
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? undefined : `${show(value)} is not a UUID (8-4-4-4-12 hex digits).`;
    case 'enum':
      return column.enumValues?.length && !column.enumValues.includes(String(value)) ? `${show(value)} is not one of ${column.enumValues.join(', ')}.` : undefined;
    case 'set': {
      if (!column.enumValues?.length) return undefined;
      const members = String(value) === '' ? [] : String(value).split(',');
      const unknown = members.filter((m) => !column.enumValues!.includes(m));
      return unknown.length > 0 ? `${unknown.map(show).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among ${column.enumValues.join(', ')}.` : undefined;
    }
    case 'blob':
      return value instanceof Uint8Array ? lengthProblem(value.length, column, 'bytes') : `Binary values are bytes, not ${show(value)}.`;
    default:
      return typeof value === 'string' ? lengthProblem([...value].length, column, 'characters') : undefined;
  }
}

/** Every problem of one record: `values` as it would be saved (insert: all given values; update: the changes). */
export function validateRecord(values: Readonly<Record<string, CellValue | undefined>>, columns: readonly Column[], mode: ValidationMode, options: ValidationOptions = {}): FieldProblem[] {
  const keyColumns = columns.filter((c) => c.primaryKeyPosition !== undefined);
  const singleIntegerKey = keyColumns.length === 1 && keyColumns[0].kind === 'integer';
  const problems: FieldProblem[] = [];
  for (const column of columns) {
    if (mode === 'update' && !(column.name in values)) continue;
    const message = validateValue(values[column.name], column, mode, { ...options, singleIntegerKey });
    if (message) problems.push({ column: column.name, message });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------

interface IntRange {
  min: bigint;
  max: bigint;
  label: string;
}

const range = (bits: number, unsigned: boolean, label: string): IntRange =>
  unsigned ? { min: 0n, max: (1n << BigInt(bits)) - 1n, label } : { min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n, label };

/** The range of an integer column from its declared type, or undefined when the type says nothing we trust. */
export function integerRange(declaredType: string, bareIntegerBits: 32 | 64 = 64): IntRange | undefined {
  const t = declaredType.trim().toLowerCase();
  const unsigned = /\bunsigned\b/.test(t);
  const base = t.replace(/\(.*?\)/g, '').replace(/\b(unsigned|signed|zerofill)\b/g, '').trim();
  const label = declaredType.trim().toUpperCase();
  switch (base) {
    case 'tinyint':
    case 'int1':
      return range(8, unsigned, label);
    case 'smallint':
    case 'int2':
    case 'smallserial':
    case 'serial2':
      return range(16, unsigned, label);
    case 'mediumint':
    case 'int3':
      return range(24, unsigned, label);
    case 'int4':
    case 'serial':
    case 'serial4':
      return range(32, unsigned, label);
    case 'int':
    case 'integer':
      // MySQL reports "int" or "int(11)"; a display width or UNSIGNED says the engine is not SQLite.
      return range(unsigned || /\(/.test(t) ? 32 : bareIntegerBits, unsigned, label);
    case 'bigint':
    case 'int8':
    case 'bigserial':
    case 'serial8':
      return range(64, unsigned, label);
    default:
      // SQLite accepts any name containing INT with 64-bit storage ("UNSIGNED BIG INT", "INT64"…).
      return range(64, false, label);
  }
}

function integerProblem(value: CellValue, column: Column, bareIntegerBits: 32 | 64): string | undefined {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number') {
    if (!Number.isInteger(value)) return `${show(value)} is not a whole number.`;
    n = BigInt(value);
  } else if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) n = BigInt(value.trim());
  else if (typeof value === 'boolean') n = value ? 1n : 0n;
  else return `${show(value)} is not a whole number.`;
  const r = integerRange(column.declaredType, bareIntegerBits);
  if (r && (n < r.min || n > r.max)) return `${n} is outside the range of ${r.label} (${r.min} to ${r.max}).`;
  return undefined;
}

function floatProblem(value: CellValue): string | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return undefined;
  if (typeof value === 'string' && (FLOAT_TEXT.test(value.trim()) || SPECIAL_FLOAT.test(value.trim()))) return undefined;
  return `${show(value)} is not a number.`;
}

function decimalProblem(value: CellValue, column: Column): string | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `${show(value)} is not a finite number.`;
    text = String(value);
  } else if (typeof value === 'bigint') text = String(value);
  else if (typeof value === 'string') text = value.trim();
  else return `${show(value)} is not a number.`;
  if (!FLOAT_TEXT.test(text)) return `${show(value)} is not a number.`;
  if (column.precision === undefined) return undefined;
  const { whole, fraction } = digitsOf(text);
  const scale = column.scale ?? 0;
  if (fraction > scale) return scale === 0 ? `${show(value)} has decimals; ${column.declaredType} holds whole numbers only.` : `${show(value)} has ${fraction} digits after the point; ${column.declaredType} keeps ${scale}.`;
  if (whole > column.precision - scale) return `${show(value)} is too large for ${column.declaredType} (at most ${column.precision - scale} digits before the point).`;
  return undefined;
}

/** Significant digits before and after the decimal point, exponent applied ("1.5e3" → 4 and 0). */
export function digitsOf(text: string): { whole: number; fraction: number } {
  const m = /^[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (!m) return { whole: 0, fraction: 0 };
  let intPart = m[1] ?? '';
  let fracPart = m[2] ?? '';
  const exponent = Number(m[3] ?? 0);
  if (exponent > 0) {
    const moved = fracPart.slice(0, exponent).padEnd(exponent, '0');
    intPart += moved;
    fracPart = fracPart.slice(exponent);
  } else if (exponent < 0) {
    const padded = intPart.padStart(-exponent, '0');
    fracPart = padded.slice(padded.length + exponent) + fracPart;
    intPart = padded.slice(0, padded.length + exponent);
  }
  intPart = intPart.replace(/^0+/, '');
  fracPart = fracPart.replace(/0+$/, '');
  return { whole: intPart.length, fraction: fracPart.length };
}

function jsonProblem(value: CellValue): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    JSON.parse(value);
    return undefined;
  } catch (error) {
    return `Invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function lengthProblem(length: number, column: Column, unit: string): string | undefined {
  return column.maxLength !== undefined && length > column.maxLength ? `${length} ${unit}; ${column.declaredType} holds at most ${column.maxLength}.` : undefined;
}

function validDate(text: string): boolean {
  const m = DATE.exec(text.trim());
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function show(value: CellValue): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  const text = String(value);
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

/**
 * The column a database error is about, so its message can sit on that field: the error's own `column` when the
 * datasource names one, else the column its message names in the usual shapes — SQLite "UNIQUE constraint failed:
 * customers.email", PostgreSQL `column "email"`, MySQL "Column 'email' cannot be null" / "for key 'customers.email'".
 */
export function failedColumn(failure: { column?: string; message: string }, table: string, columns: readonly { name: string }[]): string | undefined {
  const names = new Set(columns.map((c) => c.name));
  if (failure.column !== undefined && names.has(failure.column)) return failure.column;
  const message = failure.message;
  const candidates: string[] = [];
  for (const m of message.matchAll(/([^\s.:,'"`()]+)\.([^\s.:,'"`()]+)/g)) if (m[1] === table) candidates.push(m[2]);
  for (const m of message.matchAll(/column\s+["'`]([^"'`]+)["'`]/gi)) candidates.push(m[1]);
  return candidates.find((c) => names.has(c));
}
