import type { CellValue, ColumnKind } from '../../api';

// How PostgreSQL values become Nocoflo cell values, and which kind of editor each type gets.
//
// Values are read in PostgreSQL's text format and parsed here, per pool (pg's `types` option), never through pg's
// global parsers, so other users of `pg` in the same process are unaffected:
//   int2/int4/oid → number · int8 → bigint (always, so a column has one JS type) · float4/float8 → number (NaN and
//   ±Infinity included) · bool → boolean · bytea → Uint8Array · everything else → the server's own text: numeric
//   (never through a float), date, time, timestamp, timestamptz (with its offset, in the session's time zone),
//   interval, uuid, json/jsonb (the JSON text), enums, arrays (PostgreSQL's array literal, e.g. {1,2,NULL}), ranges…
// Writes send the same forms back as bound parameters, and the server parses them with the column's own input
// function, so every value round-trips exactly. Domains are read and written as their base type (the server reports
// the base type's OID for a domain column).

type Parser = (text: string) => CellValue;

const OID = { bool: 16, bytea: 17, int8: 20, int2: 21, int4: 23, oid: 26, float4: 700, float8: 701 } as const;

function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x')) return new Uint8Array(Buffer.from(text.slice(2), 'hex'));
  // Escape format (only if a server ignored bytea_output=hex): \\ is a backslash, \ooo an octal byte.
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') bytes.push(text.charCodeAt(i));
    else if (text[i + 1] === '\\') {
      bytes.push(92);
      i++;
    } else {
      bytes.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    }
  }
  return new Uint8Array(bytes);
}

const PARSERS: Record<number, Parser> = {
  [OID.bool]: (t) => t === 't' || t === 'true',
  [OID.bytea]: parseBytea,
  [OID.int8]: (t) => BigInt(t),
  [OID.int2]: Number,
  [OID.int4]: Number,
  [OID.oid]: Number,
  // Number() reads NaN, Infinity and -Infinity as PostgreSQL writes them.
  [OID.float4]: Number,
  [OID.float8]: Number,
};

const identity: Parser = (t) => t;

/** pg's `types` option: our parsers for this pool only. Binary results are never requested. */
export const typeParsers = {
  getTypeParser(oid: number, format?: string): (text: string) => unknown {
    if (format === 'binary') return (value: unknown) => value;
    return PARSERS[oid] ?? identity;
  },
};

/** What introspection learned about a column's type, with domains resolved to their base type. */
export interface ResolvedType {
  /** Base type name and its schema. */
  name: string;
  schema: string;
  /** The base type as SQL (format_type without modifier), e.g. app.mood. */
  sqlName: string;
  /** pg_type.typtype of the base: b(ase), c(omposite), e(num), r(ange), m(ultirange), p(seudo). */
  typtype: string;
  /** pg_type.typcategory, 'A' for arrays. */
  category: string;
  /** For arrays: the element type, resolved the same way. */
  element?: ResolvedType;
  enumValues?: string[];
  /** Whether the type has a default btree operator class (= and < work); otherwise it is compared as text. */
  comparable: boolean;
}

const KINDS: Record<string, ColumnKind> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  oid: 'integer',
  float4: 'float',
  float8: 'float',
  numeric: 'decimal',
  bool: 'boolean',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  name: 'text',
  char: 'text',
  citext: 'text',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'json',
  date: 'date',
  time: 'time',
  timetz: 'time',
  timestamp: 'datetime',
  timestamptz: 'datetimetz',
  interval: 'interval',
  bytea: 'blob',
};

/** Types shown as 'other' that still round-trip exactly through their text form, so they stay editable. */
const EDITABLE_OTHER = new Set(['money', 'inet', 'cidr', 'macaddr', 'macaddr8', 'bit', 'varbit', 'xml']);

const BUILT_IN_SCHEMAS = new Set(['pg_catalog']);

/** The editor kind of a column, and whether Nocoflo can write it without corrupting it. */
export function classify(type: ResolvedType): { kind: ColumnKind; writable: boolean } {
  if (type.category === 'A' && type.element) return { kind: 'array', writable: classify(type.element).writable };
  if (type.typtype === 'e') return { kind: 'enum', writable: true };
  if (type.typtype === 'r' || type.typtype === 'm') return { kind: 'other', writable: true };
  const known = BUILT_IN_SCHEMAS.has(type.schema) || type.name === 'citext' ? KINDS[type.name] : undefined;
  if (known) return { kind: known, writable: true };
  if (BUILT_IN_SCHEMAS.has(type.schema) && EDITABLE_OTHER.has(type.name)) return { kind: 'other', writable: true };
  // tsvector, geometric types, composite types, extension types: shown as text, never written back.
  return { kind: 'other', writable: false };
}

/** Length, precision and scale from a type modifier (atttypmod, or a domain's typtypmod). */
export function typmodDetails(typeName: string, typmod: number): { maxLength?: number; precision?: number; scale?: number } {
  if (typmod < 0) return {};
  switch (typeName) {
    case 'varchar':
    case 'bpchar':
      return { maxLength: typmod - 4 };
    case 'bit':
    case 'varbit':
      return { maxLength: typmod };
    case 'numeric': {
      const packed = typmod - 4;
      const rawScale = packed & 0x7ff;
      // PostgreSQL 15 allows negative scales, stored as 11-bit two's complement.
      return { precision: (packed >> 16) & 0xffff, scale: rawScale > 1023 ? rawScale - 2048 : rawScale };
    }
    default:
      return {};
  }
}
