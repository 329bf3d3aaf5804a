// Tiny runtime shape checks for untrusted messages. Each checker returns undefined when the value fits, or a
// message naming the first path that does not, so a rejected message says exactly what was wrong with it.

export type Check = (value: unknown, path: string) => string | undefined;

export const str =
  (maxLength = 100_000): Check =>
  (v, p) =>
    typeof v !== 'string' ? `${p} must be a string` : v.length > maxLength ? `${p} is longer than ${maxLength} characters` : undefined;

export const bool: Check = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be a boolean`);

export const int =
  (min: number, max: number): Check =>
  (v, p) =>
    typeof v !== 'number' || !Number.isInteger(v) ? `${p} must be an integer` : v < min || v > max ? `${p} must be between ${min} and ${max}` : undefined;

export const oneOf =
  <T extends string>(...allowed: readonly T[]): Check =>
  (v, p) =>
    typeof v === 'string' && (allowed as readonly string[]).includes(v) ? undefined : `${p} must be one of ${allowed.join(', ')}`;

export const arrayOf =
  (item: Check, maxItems: number): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`;
    if (v.length > maxItems) return `${p} has more than ${maxItems} items`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

export const recordOf =
  (item: Check, maxKeys: number): Check =>
  (v, p) => {
    if (!isPlainObject(v)) return `${p} must be an object`;
    const keys = Object.keys(v);
    if (keys.length > maxKeys) return `${p} has more than ${maxKeys} keys`;
    for (const key of keys) {
      const problem = item(v[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

/** Required and optional fields; unknown fields are refused so a typo never silently changes meaning. */
export const object =
  (required: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (v, p) => {
    if (!isPlainObject(v)) return `${p} must be an object`;
    for (const key of Object.keys(v)) {
      if (!(key in required) && !(key in optional)) return `${p}.${key} is not allowed`;
    }
    for (const [key, check] of Object.entries(required)) {
      if (!(key in v)) return `${p}.${key} is required`;
      const problem = check(v[key], `${p}.${key}`);
      if (problem) return problem;
    }
    for (const [key, check] of Object.entries(optional)) {
      if (v[key] === undefined) continue;
      const problem = check(v[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

export const nullable =
  (check: Check): Check =>
  (v, p) =>
    v === null ? undefined : check(v, p);

export const anyOf =
  (...checks: Check[]): Check =>
  (v, p) => {
    let first: string | undefined;
    for (const check of checks) {
      const problem = check(v, p);
      if (!problem) return undefined;
      first ??= problem;
    }
    return first;
  };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Plain JSON data (null, booleans, finite numbers, strings, arrays, plain objects) at most `maxChars` long once
 * serialized and at most 64 levels deep. A view's configuration is stored as JSON, so anything else (Dates, Maps,
 * typed arrays, NaN) would silently change on the way.
 */
export const jsonValue =
  (maxChars: number): Check =>
  (v, p) => {
    const problem = plainJson(v, p, 0);
    if (problem) return problem;
    return JSON.stringify(v).length > maxChars ? `${p} is larger than ${maxChars} characters as JSON` : undefined;
  };

function plainJson(v: unknown, p: string, depth: number): string | undefined {
  if (depth > 64) return `${p} is nested too deeply`;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${p} must be a finite number`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const problem = plainJson(v[i], `${p}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!isPlainObject(v)) return `${p} must be plain JSON data`;
  for (const [key, item] of Object.entries(v)) {
    if (item === undefined) continue;
    const problem = plainJson(item, `${p}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}
