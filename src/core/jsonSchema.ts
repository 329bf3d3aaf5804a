// A small JSON-schema subset, enough for plugins to declare their configuration (PluginManifest.configSchema):
// type, properties, required, enum, minimum/maximum, items, additionalProperties. Keywords outside the subset are
// ignored rather than refused, so a plugin written against full JSON Schema still gets these checks. Every
// problem names the path of the value it is about ("config.columns[2].width"), because a message without the path
// leaves the user searching a large JSON text.

export type JsonSchemaType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface JsonSchema {
  type?: JsonSchemaType | JsonSchemaType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  default?: unknown;
}

const TYPES: readonly JsonSchemaType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): JsonSchemaType | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string' || typeof v === 'boolean') return typeof v as 'string' | 'boolean';
  if (isObject(v)) return 'object';
  return 'other';
}

function fits(v: unknown, type: JsonSchemaType): boolean {
  const actual = typeOf(v);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Structural equality of JSON values, for `enum`. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

const show = (v: unknown) => JSON.stringify(v);
const child = (path: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/**
 * Problems with the schema itself (a plugin bug), with paths into the schema. Checked before a schema is used, so a
 * broken schema is reported as such instead of producing baffling complaints about the user's value.
 */
export function schemaProblems(schema: unknown, path = 'configSchema'): string[] {
  if (!isObject(schema)) return [`${path} must be an object`];
  const problems: string[] = [];
  const { type, properties, required, enum: values, minimum, maximum, items, additionalProperties } = schema;
  if (type !== undefined) {
    const list = Array.isArray(type) ? type : [type];
    if (list.length === 0 || list.some((t) => !TYPES.includes(t as JsonSchemaType))) problems.push(`${path}.type must be one of ${TYPES.join(', ')} (or a list of them)`);
  }
  if (properties !== undefined) {
    if (!isObject(properties)) problems.push(`${path}.properties must be an object`);
    else for (const [key, sub] of Object.entries(properties)) problems.push(...schemaProblems(sub, child(`${path}.properties`, key)));
  }
  if (required !== undefined && (!Array.isArray(required) || required.some((r) => typeof r !== 'string'))) problems.push(`${path}.required must be a list of property names`);
  if (values !== undefined && (!Array.isArray(values) || values.length === 0)) problems.push(`${path}.enum must be a non-empty list`);
  if (minimum !== undefined && typeof minimum !== 'number') problems.push(`${path}.minimum must be a number`);
  if (maximum !== undefined && typeof maximum !== 'number') problems.push(`${path}.maximum must be a number`);
  if (items !== undefined) problems.push(...schemaProblems(items, `${path}.items`));
  if (additionalProperties !== undefined && typeof additionalProperties !== 'boolean') problems.push(...schemaProblems(additionalProperties, `${path}.additionalProperties`));
  return problems;
}

/**
 * Checks `value` against `schema` and returns every problem found (empty when it fits), each naming its path.
 * The schema must have passed `schemaProblems`.
 */
export function validateAgainstSchema(value: unknown, schema: JsonSchema, path = 'config'): string[] {
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => fits(value, t))) {
      const actual = typeOf(value);
      return [`${path} must be ${types.map((t) => (t === 'integer' ? 'an integer' : t === 'array' || t === 'object' ? `an ${t}` : `a ${t}`)).join(' or ')}, not ${actual === 'integer' ? 'a number' : actual === 'other' ? 'this value' : actual === 'array' || actual === 'object' ? `an ${actual}` : `a ${actual}`}`];
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => jsonEqual(allowed, value))) {
    problems.push(`${path} must be one of ${schema.enum.map(show).join(', ')}, not ${show(value)}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path} must be at least ${schema.minimum}, not ${value}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path} must be at most ${schema.maximum}, not ${value}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => problems.push(...validateAgainstSchema(item, schema.items!, `${path}[${i}]`)));
  }
  if (isObject(value)) {
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key)) problems.push(`${child(path, key)} is required`);
    }
    for (const [key, item] of Object.entries(value)) {
      const declared = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      if (declared) problems.push(...validateAgainstSchema(item, declared, child(path, key)));
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {});
        problems.push(`${child(path, key)} is not allowed${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`);
      } else if (isObject(schema.additionalProperties)) problems.push(...validateAgainstSchema(item, schema.additionalProperties, child(path, key)));
    }
  }
  return problems;
}
