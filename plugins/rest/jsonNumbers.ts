// Numbers sent to a JSON API keep every digit the user typed. A JSON number is text of any precision, but a JS
// double holds about 17 significant digits: 12345678901234567890 or 0.1000000000000000055 would silently become
// another number through Number(). Such values travel as ExactNumber and are written into the body as their digits.

/** A JSON number that a double cannot hold exactly, written into request bodies as this (canonical) text. */
export class ExactNumber {
  constructor(readonly text: string) {}
}

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * `text` as a canonical JSON number text and its value as sign/digits/exponent (for comparing values, "2.50" and
 * "2.5" are the same number); undefined when it is not a decimal number.
 */
export function parseNumberText(text: string): { json: string; key: string; whole: boolean } | undefined {
  const match = NUMBER_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, sign, int = '', frac = '', exp = '0'] = match;
  if (int === '' && frac === '') return undefined;
  const digits = `${int}${frac}`.replace(/^0+/, '');
  let exponent = Number(exp) - frac.length;
  const significant = digits.replace(/0+$/, '');
  exponent += digits.length - significant.length;
  if (significant === '') return { json: '0', key: '0', whole: true };
  const negative = sign === '-';
  const key = `${negative ? '-' : ''}${significant}e${exponent}`;
  // Canonical JSON text: plain digits when the exponent is small, else d.ddde±x.
  let json: string;
  if (exponent >= 0 && exponent <= 30) json = `${significant}${'0'.repeat(exponent)}`;
  else if (exponent < 0 && -exponent < significant.length + 30) {
    const point = significant.length + exponent;
    json = point > 0 ? `${significant.slice(0, point)}.${significant.slice(point)}` : `0.${'0'.repeat(-point)}${significant}`;
  } else json = `${significant[0]}${significant.length > 1 ? `.${significant.slice(1)}` : ''}e${exponent + significant.length - 1}`;
  return { json: `${negative ? '-' : ''}${json}`, key, whole: exponent >= 0 };
}

/** The number as a JS number when a double holds it exactly (as decimal text), else as an ExactNumber. */
export function jsonNumber(text: string): number | ExactNumber | undefined {
  const parsed = parseNumberText(text);
  if (!parsed) return undefined;
  const double = Number(parsed.json);
  if (!Number.isFinite(double)) return new ExactNumber(parsed.json);
  return parseNumberText(String(double))?.key === parsed.key ? double : new ExactNumber(parsed.json);
}

/** JSON.stringify that writes ExactNumber values as their digits. */
export function stringifyJson(value: unknown): string {
  if (value instanceof ExactNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stringifyJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && typeof v !== 'function')
      .map(([k, v]) => `${JSON.stringify(k)}:${stringifyJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
