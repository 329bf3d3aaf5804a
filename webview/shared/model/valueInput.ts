import type { CellValue, ColumnSchema } from '../../../api';

// Text typed or pasted into a cell, turned into the value the database gets, checked against the column's kind
// first so a typo is caught in the editor instead of coming back as a database error after Save.

export type ParsedInput = { ok: true; value: CellValue } | { ok: false; error: string };

type Column = Pick<ColumnSchema, 'kind' | 'nullable' | 'enumValues' | 'name'>;

const ok = (value: CellValue): ParsedInput => ({ ok: true, value });
const bad = (error: string): ParsedInput => ({ ok: false, error });

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?)$/;
const DATETIMETZ = /^(\d{4}-\d{2}-\d{2})[ T](([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?)\s*(Z|[+-]\d{2}(:?\d{2})?)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^(\\x|0x)?([0-9a-f]{2})*$/i;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/**
 * Parses `text` for `column`. `text === null` means "set NULL" (refused for NOT NULL columns). Numbers that do not
 * fit a double are kept exact (bigint for integers, decimal strings for decimals).
 */
export function parseInput(text: string | null, column: Column): ParsedInput {
  if (text === null) return column.nullable ? ok(null) : bad(`"${column.name}" cannot be NULL.`);
  const trimmed = text.trim();
  switch (column.kind) {
    case 'integer': {
      if (!INTEGER.test(trimmed)) return bad(`"${text}" is not a whole number.`);
      const big = BigInt(trimmed);
      return ok(big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big);
    }
    case 'float': {
      if (!DECIMAL.test(trimmed)) return bad(`"${text}" is not a number.`);
      return ok(Number(trimmed));
    }
    case 'decimal': {
      if (!DECIMAL.test(trimmed)) return bad(`"${text}" is not a number.`);
      const n = Number(trimmed);
      // Keep the digits exactly as typed when a double would round them.
      const canonical = trimmed.replace(/^\+/, '');
      return ok(String(n) === canonical ? n : canonical);
    }
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      if (['true', 't', '1', 'yes', 'y', 'on'].includes(lower)) return ok(true);
      if (['false', 'f', '0', 'no', 'n', 'off'].includes(lower)) return ok(false);
      return bad(`"${text}" is not true or false.`);
    }
    case 'json':
      try {
        JSON.parse(text);
        return ok(text);
      } catch (error) {
        return bad(`Invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
    case 'date':
      return validDate(trimmed) ? ok(trimmed) : bad(`"${text}" is not a date (YYYY-MM-DD).`);
    case 'time':
      return TIME.test(trimmed) ? ok(trimmed) : bad(`"${text}" is not a time (HH:MM[:SS]).`);
    case 'datetime': {
      const m = DATETIME.exec(trimmed);
      return m && validDate(m[1]) ? ok(trimmed) : bad(`"${text}" is not a date and time (YYYY-MM-DD HH:MM[:SS]).`);
    }
    case 'datetimetz': {
      const m = DATETIMETZ.exec(trimmed);
      return m && validDate(m[1]) ? ok(trimmed) : bad(`"${text}" is not a date and time with a time zone (YYYY-MM-DD HH:MM:SS+02:00).`);
    }
    case 'uuid':
      return UUID.test(trimmed) ? ok(trimmed.toLowerCase()) : bad(`"${text}" is not a UUID.`);
    case 'enum':
      if (column.enumValues && !column.enumValues.includes(text)) return bad(`"${text}" is not one of ${column.enumValues.join(', ')}.`);
      return ok(text);
    case 'blob': {
      if (!HEX.test(trimmed)) return bad('Binary values are entered as hex, e.g. \\x0a1b2c.');
      const digits = trimmed.replace(/^(\\x|0x)/i, '');
      const bytes = new Uint8Array(digits.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
      return ok(bytes);
    }
    default:
      return ok(text);
  }
}

/** Pasted text: an empty field is NULL for columns where an empty string makes no sense. */
export function parsePasted(text: string, column: Column): ParsedInput {
  const textual = column.kind === 'text' || column.kind === 'other' || column.kind === 'enum' || column.kind === 'set' || column.kind === 'array';
  if (text === '' && !textual) return parseInput(null, column);
  return parseInput(text, column);
}
