import type { CellValue, ColumnKind, ColumnSchema } from '../../api';

// How MySQL/MariaDB types become Nocoflo kinds and values, exactly:
//
//   TINYINT(1)                 boolean (0/1 as false/true; any other stored value stays a number, never lost)
//   other integers, YEAR       number;  BIGINT (signed or unsigned) always bigint
//   BIT(n)                     number for n <= 53, bigint above
//   DECIMAL/NUMERIC            decimal string as the server prints it (never a float)
//   FLOAT/DOUBLE               number: the stored binary value (a FLOAT reads as the double it widens to)
//   DATE/DATETIME/TIMESTAMP    the server's text, fraction padded to the column's precision; zero dates stay
//                              '0000-00-00' (no JS Date anywhere, so no time zone shifts)
//   TIME                       text, negative and over 24 hours included
//   ENUM/SET                   text;  JSON (MySQL's type, MariaDB's LONGTEXT CHECK (json_valid)) its text
//   BLOB/BINARY/VARBINARY      Uint8Array;  spatial types their stored bytes, read-only
//
// Results come through the binary protocol (prepared statements), so numbers never pass through decimal text.

export interface ColumnInfo {
  dataType: string;
  columnType: string;
  isJson: boolean;
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'year', 'bit']);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const BLOB_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const SPATIAL_TYPES = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection']);

export function isBooleanType(columnType: string): boolean {
  return /^tinyint\(1\)/i.test(columnType.trim());
}

export function columnKind({ dataType, columnType, isJson }: ColumnInfo): ColumnKind {
  const t = dataType.toLowerCase();
  if (isJson || t === 'json') return 'json';
  if (t === 'tinyint' && isBooleanType(columnType)) return 'boolean';
  if (INTEGER_TYPES.has(t)) return 'integer';
  if (t === 'decimal' || t === 'numeric' || t === 'dec' || t === 'fixed') return 'decimal';
  if (t === 'float' || t === 'double' || t === 'real' || t === 'double precision') return 'float';
  if (t === 'date') return 'date';
  if (t === 'datetime' || t === 'timestamp') return 'datetime';
  if (t === 'time') return 'time';
  if (t === 'enum') return 'enum';
  if (t === 'set') return 'set';
  if (TEXT_TYPES.has(t)) return 'text';
  if (BLOB_TYPES.has(t) || SPATIAL_TYPES.has(t)) return 'blob';
  if (t === 'uuid') return 'uuid';
  return 'other';
}

export function isSpatial(dataType: string): boolean {
  return SPATIAL_TYPES.has(dataType.toLowerCase());
}

/** The values of enum('a','it''s','b\\c') / set(…) as COLUMN_TYPE spells them. */
export function enumValues(columnType: string): string[] | undefined {
  const match = /^(?:enum|set)\s*\(([\s\S]*)\)$/i.exec(columnType.trim());
  if (!match) return undefined;
  const values: string[] = [];
  for (const m of match[1].matchAll(/'((?:[^'\\]|''|\\[\s\S])*)'/g)) {
    values.push(m[1].replace(/''/g, "'").replace(/\\([\s\S])/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0', Z: '\x1a' })[c] ?? c));
  }
  return values;
}

// ---------------------------------------------------------------------------------------------------------------
// Result values
// ---------------------------------------------------------------------------------------------------------------

/** The result-column metadata mysql2 reports (FieldPacket). */
export interface FieldMeta {
  columnType?: number;
  type?: number;
  decimals: number;
  columnLength?: number;
  flags: number | string[];
  /** 63 is "binary": such columns come as bytes. */
  characterSet?: number;
}

// Protocol type codes (include/mysql_com.h: enum_field_types).
const T_TIMESTAMP = 7;
const T_LONGLONG = 8;
const T_TIME = 11;
const T_DATETIME = 12;
const T_BIT = 16;

type Reader = (value: unknown) => CellValue;

/**
 * Protocol types that mysql2 hands over as a number or a string already, with our connection options: TINY,
 * SHORT, LONG, FLOAT, DOUBLE, DATE, INT24, YEAR, NEWDECIMAL; and the string and BLOB types when their character set
 * is not binary (text). Their values need no reader, which matters on a page of 10,000 rows.
 */
const AS_IS = new Set([1, 2, 3, 4, 5, 10, 9, 13, 246]);
const TEXT_OR_BYTES = new Set([15, 249, 250, 251, 252, 253, 254]);
const BINARY_CHARSET = 63;

function padFraction(decimals: number): Reader {
  return (value) => {
    if (typeof value !== 'string') return value as CellValue;
    const dot = value.indexOf('.');
    if (dot < 0) return `${value}.${'0'.repeat(decimals)}`;
    const digits = value.length - dot - 1;
    return digits < decimals ? value + '0'.repeat(decimals - digits) : value;
  };
}

function bitReader(bits: number): Reader {
  return (value) => {
    if (!(value instanceof Uint8Array)) return value as CellValue;
    let n = 0n;
    for (const byte of value) n = (n << 8n) | BigInt(byte);
    return bits <= 53 ? Number(n) : n;
  };
}

const plain: Reader = (value) => {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value === undefined) return null;
  return value as CellValue;
};

/** Turns the raw binary-protocol values of each result column into Nocoflo's values; undefined: kept as they are. */
export function readersFor(fields: readonly FieldMeta[]): (Reader | undefined)[] {
  return fields.map((field) => {
    const type = field.columnType ?? field.type;
    const decimals = Number(field.decimals);
    if (type !== undefined && (AS_IS.has(type) || (TEXT_OR_BYTES.has(type) && field.characterSet !== undefined && field.characterSet !== BINARY_CHARSET))) return undefined;
    switch (type) {
      case T_LONGLONG:
        return (value) => (typeof value === 'string' || typeof value === 'number' ? BigInt(value) : plain(value));
      case T_DATETIME:
      case T_TIMESTAMP:
      case T_TIME:
        // The binary protocol leaves out a zero fraction (and mysql2 trims trailing zeros of TIME); the text form
        // of a DATETIME(6) always has six digits.
        return decimals > 0 && decimals <= 6 ? padFraction(decimals) : undefined;
      case T_BIT:
        return bitReader(field.columnLength ?? 64);
      default:
        return plain;
    }
  });
}

/** Converts in place (mysql2 hands each row over as a fresh array): no copy of every row of a big page. */
export function readRows(rows: unknown[][], fields: readonly FieldMeta[]): CellValue[][] {
  const readers = readersFor(fields);
  const columns = readers.flatMap((reader, i) => (reader ? [i] : []));
  for (const row of rows) {
    for (const i of columns) {
      const value = row[i];
      if (value !== null) row[i] = readers[i]!(value);
    }
  }
  return rows as CellValue[][];
}

/** Whether fromColumn can change a value of this column at all (so a big page can skip the others). */
export function convertsValues(column: Pick<ColumnSchema, 'kind'>): boolean {
  return column.kind === 'boolean';
}

/** Column-level conversion on top of the protocol's: TINYINT(1) as boolean. */
export function fromColumn(column: Pick<ColumnSchema, 'kind'>, value: CellValue): CellValue {
  if (column.kind === 'boolean' && typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  return value;
}
