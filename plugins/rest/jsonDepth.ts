// How deeply a JSON text nests, measured on the text before it is parsed. JSON.parse itself copes with any depth,
// but everything after it walks values recursively (JSON.stringify for json cells, value comparison for conflict
// checks, structured cloning to the webview), and a document nested 100,000 deep overflows the stack there as a
// RangeError. A body deeper than the limit is refused up front as a bad response: truncating it instead would show
// and, on save, send back values that are not what the API holds.

/**
 * The deepest nesting accepted in a response. Real API records nest a handful of levels; 256 leaves them ample
 * room while keeping every recursive walk far from the stack limit.
 */
export const MAX_JSON_DEPTH = 256;

const OPEN_BRACKET = 0x5b; // [
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACKET = 0x5d; // ]
const CLOSE_BRACE = 0x7d; // }
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** True when arrays and objects in `text` nest deeper than `max` (brackets inside strings do not count). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++; // the escaped character cannot end the string
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}
