// Value encoders of the filter template language: how one filter value becomes the text an API expects in its
// query string. An encoder returns undefined when the API's syntax cannot say the value exactly (a PostgREST LIKE
// pattern cannot hold a literal "*"); the filter then runs in Nocoflo, with the note saying why.
export type Scalar = string | number | boolean | bigint | null;

export const ENCODERS = ['raw', 'regex', 'regex-prefix', 'regex-suffix', 'regex-exact', 'odata', 'odata-lower', 'postgrest', 'postgrest-like'] as const;
export type EncoderName = (typeof ENCODERS)[number];

const REGEX_META = /[\\^$.*+?()[\]{}|/-]/g;
const escapeRegex = (text: string) => text.replace(REGEX_META, '\\$&');

/** PostgREST's reserved characters inside in.(…) and or=(…) lists; such values go in double quotes. */
const POSTGREST_RESERVED = /[,.:()"\\\s]/;

export function encodeValue(encoder: EncoderName, value: Scalar): string | undefined {
  switch (encoder) {
    case 'raw':
      // A bare "null" would be compared as text by most APIs: NULL filters stay local unless an encoder can say it.
      return value === null ? undefined : String(value);
    case 'regex':
      return value === null ? undefined : escapeRegex(String(value));
    case 'regex-prefix':
      return value === null ? undefined : `^${escapeRegex(String(value))}`;
    case 'regex-suffix':
      return value === null ? undefined : `${escapeRegex(String(value))}$`;
    case 'regex-exact':
      return value === null ? undefined : `^${escapeRegex(String(value))}$`;
    case 'odata':
      return odataLiteral(value);
    case 'odata-lower':
      return value === null ? undefined : odataLiteral(String(value).toLowerCase());
    case 'postgrest':
      // eq.null compares with the text "null" and in.(…,null) never matches in SQL: such filters stay local.
      if (value === null) return undefined;
      return POSTGREST_RESERVED.test(String(value)) ? `"${String(value).replace(/[\\"]/g, '\\$&')}"` : String(value);
    case 'postgrest-like': {
      // "*" is PostgREST's wildcard and cannot be escaped; % and _ are LIKE's own, escaped with a backslash.
      if (value === null || String(value).includes('*')) return undefined;
      return String(value).replace(/[\\%_]/g, '\\$&');
    }
  }
}

/** An OData v4 literal: texts in single quotes with ' doubled, numbers and booleans as they are, null as null. */
function odataLiteral(value: Scalar): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}
