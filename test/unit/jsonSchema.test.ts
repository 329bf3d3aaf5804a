import * as assert from 'node:assert/strict';
import { type JsonSchema, schemaProblems, validateAgainstSchema } from '../../src/core/jsonSchema';

const schema: JsonSchema = {
  type: 'object',
  required: ['mode'],
  additionalProperties: false,
  properties: {
    mode: { type: 'string', enum: ['fast', 'safe'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
    ratio: { type: 'number', minimum: 0, maximum: 1 },
    verbose: { type: 'boolean' },
    label: { type: ['string', 'null'] },
    columns: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, width: { type: 'integer', minimum: 10 } } },
    },
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    'odd key': { type: 'string' },
  },
};

describe('JSON-schema subset (plugin configuration)', () => {
  it('accepts a value that fits every declared rule', () => {
    const value = {
      mode: 'safe',
      limit: 1000,
      ratio: 0.5,
      verbose: false,
      label: null,
      columns: [{ name: 'a', width: 10 }, { name: 'b' }],
      tags: { owner: 'alice' },
      'odd key': 'x',
    };
    assert.deepEqual(validateAgainstSchema(value, schema), []);
    assert.deepEqual(validateAgainstSchema({ mode: 'fast' }, schema), []);
  });

  it('names the path of each problem: type, enum, bounds, required, items, unknown properties', () => {
    const problems = validateAgainstSchema(
      { limit: 0, ratio: 1.5, verbose: 'yes', columns: [{ name: 'a' }, { width: 5 }], tags: { owner: 3 }, extra: 1, 'odd key': 2 },
      schema,
    );
    assert.deepEqual(problems, [
      'config.mode is required',
      'config.limit must be at least 1, not 0',
      'config.ratio must be at most 1, not 1.5',
      'config.verbose must be a boolean, not a string',
      'config.columns[1].name is required',
      'config.columns[1].width must be at least 10, not 5',
      'config.tags.owner must be a string, not a number',
      'config.extra is not allowed (known: mode, limit, ratio, verbose, label, columns, tags, odd key)',
      'config["odd key"] must be a string, not a number',
    ]);
  });

  it('tells integers from numbers, and lists the allowed values of an enum', () => {
    assert.deepEqual(validateAgainstSchema({ mode: 'fast', limit: 2.5 }, schema), ['config.limit must be an integer, not a number']);
    assert.deepEqual(validateAgainstSchema({ mode: 'slow' }, schema), ['config.mode must be one of "fast", "safe", not "slow"']);
    assert.deepEqual(validateAgainstSchema({ mode: 'fast', label: 3 }, schema), ['config.label must be a string or a null, not a number']);
    assert.deepEqual(validateAgainstSchema([], schema), ['config must be an object, not an array']);
    assert.deepEqual(validateAgainstSchema(3, { type: 'number' }), []);
  });

  it('compares enum members as JSON values, not by identity', () => {
    const s: JsonSchema = { enum: [{ a: [1, 2] }, 'x'] };
    assert.deepEqual(validateAgainstSchema({ a: [1, 2] }, s), []);
    assert.equal(validateAgainstSchema({ a: [2, 1] }, s).length, 1);
  });

  it('allows unknown properties unless additionalProperties is false, and ignores keywords outside the subset', () => {
    const open = { type: 'object', properties: { a: { type: 'string' } }, pattern: '^x', $schema: 'http://json-schema.org/draft-07/schema#' } as JsonSchema;
    assert.deepEqual(schemaProblems(open), []);
    assert.deepEqual(validateAgainstSchema({ a: 'y', b: 2 }, open), []);
  });

  it('reports a broken schema as the plugin\'s problem, with paths into the schema', () => {
    assert.deepEqual(schemaProblems('object'), ['configSchema must be an object']);
    assert.deepEqual(
      schemaProblems({ type: 'map', properties: { a: { type: 'string', minimum: '1' } }, required: 'a', enum: [], items: 3 }),
      [
        'configSchema.type must be one of object, array, string, number, integer, boolean, null (or a list of them)',
        'configSchema.properties.a.minimum must be a number',
        'configSchema.required must be a list of property names',
        'configSchema.enum must be a non-empty list',
        'configSchema.items must be an object',
      ],
    );
    assert.deepEqual(schemaProblems(schema), []);
  });
});
