import * as assert from 'node:assert/strict';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../plugins/rest/jsonDepth';
import { inferColumns, sameCell, toCell } from '../../plugins/rest/schemaInference';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('REST JSON depth bound (plugins/rest/jsonDepth)', () => {
  it('measures nesting of arrays and objects, mixed', () => {
    assert.equal(nestsDeeperThan('{"a":[{"b":[1]}]}', 4), false);
    assert.equal(nestsDeeperThan('{"a":[{"b":[1]}]}', 3), true);
    assert.equal(nestsDeeperThan('[1,2,3]', 1), false);
    assert.equal(nestsDeeperThan('42', 0), false);
    assert.equal(nestsDeeperThan('[[],[],[]]', 2), false, 'siblings do not add up');
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    assert.equal(nestsDeeperThan(JSON.stringify({ s: '[[[[[{{{{{' }), 1), false);
    assert.equal(nestsDeeperThan(JSON.stringify({ s: 'say \\"[[[[" and "{{{{' }), 1), false);
    assert.equal(nestsDeeperThan(JSON.stringify(['\\', [[]]]), 2), true, 'a string ending in a backslash ends there');
  });

  it('finds a 100,000-deep document without recursing', () => {
    assert.equal(nestsDeeperThan(nested(100_000), MAX_JSON_DEPTH), true);
  });

  it('leaves every value it accepts safe for the recursive walks after parsing (inference, cells, comparison)', () => {
    const deepest = JSON.parse(`[{"id":1,"tree":${nested(MAX_JSON_DEPTH - 2)}}]`) as Record<string, unknown>[];
    assert.equal(nestsDeeperThan(JSON.stringify(deepest), MAX_JSON_DEPTH), false);
    const { columns } = inferColumns(deepest, { idField: 'id' });
    assert.deepEqual(columns.map((c) => [c.name, c.kind]), [['id', 'integer'], ['tree', 'json']]);
    const cell = toCell(deepest[0].tree, 'json') as string;
    assert.equal(cell, nested(MAX_JSON_DEPTH - 2));
    assert.equal(sameCell(cell, cell, 'json'), true);
    // And what it refuses would not be: the walk after parsing overflows on a 100,000-deep value.
    assert.throws(() => toCell(JSON.parse(nested(100_000)), 'json'), RangeError);
  });
});
