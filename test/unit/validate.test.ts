import * as assert from 'node:assert/strict';
import { anyOf, arrayOf, bool, int, isPlainObject, jsonValue, nullable, object, oneOf, recordOf, str } from '../../shared/validate';

// shared/validate's checkers on their own: each returns undefined when the value fits, or the exact message naming
// the first path that does not. Messages are compared whole, so a changed bound, path or wording fails here.
describe('shared/validate checkers', () => {
  it('str: strings up to the limit pass, longer ones and non-strings are refused', () => {
    assert.equal(str(3)('abc', 'p'), undefined);
    assert.equal(str(3)('', 'p'), undefined);
    assert.equal(str(3)('abcd', 'p'), 'p is longer than 3 characters');
    assert.equal(str(3)(3, 'p'), 'p must be a string');
    assert.equal(str(3)(null, 'p'), 'p must be a string');
    assert.equal(str()('x'.repeat(100_000), 'p'), undefined);
    assert.equal(str()('x'.repeat(100_001), 'p'), 'p is longer than 100000 characters');
  });

  it('bool: only true and false', () => {
    assert.equal(bool(true, 'b'), undefined);
    assert.equal(bool(false, 'b'), undefined);
    assert.equal(bool('true', 'b'), 'b must be a boolean');
    assert.equal(bool(0, 'b'), 'b must be a boolean');
  });

  it('int: integers within [min, max] inclusive', () => {
    const c = int(1, 5);
    assert.equal(c(1, 'n'), undefined);
    assert.equal(c(5, 'n'), undefined);
    assert.equal(c(3, 'n'), undefined);
    assert.equal(c(0, 'n'), 'n must be between 1 and 5');
    assert.equal(c(6, 'n'), 'n must be between 1 and 5');
    assert.equal(c(2.5, 'n'), 'n must be an integer');
    assert.equal(c('3', 'n'), 'n must be an integer');
    assert.equal(c(Number.NaN, 'n'), 'n must be an integer');
  });

  it('oneOf: only the listed strings', () => {
    const c = oneOf('asc', 'desc');
    assert.equal(c('asc', 's'), undefined);
    assert.equal(c('desc', 's'), undefined);
    assert.equal(c('up', 's'), 's must be one of asc, desc');
    assert.equal(c(['asc'], 's'), 's must be one of asc, desc');
  });

  it('arrayOf: arrays of at most maxItems items, naming the first bad index', () => {
    const c = arrayOf(int(0, 9), 2);
    assert.equal(c([], 'a'), undefined);
    assert.equal(c([1, 2], 'a'), undefined);
    assert.equal(c([1, 2, 3], 'a'), 'a has more than 2 items');
    assert.equal(c([1, 'x'], 'a'), 'a[1] must be an integer');
    assert.equal(c(['x', 'y'], 'a'), 'a[0] must be an integer');
    assert.equal(c({ length: 0 }, 'a'), 'a must be an array');
  });

  it('recordOf: plain objects of at most maxKeys keys, naming the first bad key', () => {
    const c = recordOf(bool, 2);
    assert.equal(c({}, 'r'), undefined);
    assert.equal(c({ a: true, b: false }, 'r'), undefined);
    assert.equal(c({ a: true, b: false, c: true }, 'r'), 'r has more than 2 keys');
    assert.equal(c({ a: true, b: 1 }, 'r'), 'r.b must be a boolean');
    assert.equal(c([], 'r'), 'r must be an object');
    assert.equal(c(null, 'r'), 'r must be an object');
  });

  it('object: required fields must be present, optional ones may be absent or undefined, others are refused', () => {
    const c = object({ a: int(0, 9) }, { b: str(5) });
    assert.equal(c({ a: 1 }, 'o'), undefined);
    assert.equal(c({ a: 1, b: 'x' }, 'o'), undefined);
    assert.equal(c({ a: 1, b: undefined }, 'o'), undefined);
    assert.equal(c({ b: 'x' }, 'o'), 'o.a is required');
    assert.equal(c({ a: 'x' }, 'o'), 'o.a must be an integer');
    assert.equal(c({ a: 1, b: 7 }, 'o'), 'o.b must be a string');
    assert.equal(c({ a: 1, z: 1 }, 'o'), 'o.z is not allowed');
    assert.equal(c('x', 'o'), 'o must be an object');
    // without optional fields, any extra key is refused
    assert.equal(object({ a: int(0, 9) })({ a: 1, b: 'x' }, 'o'), 'o.b is not allowed');
    // a required field that is present but undefined is checked, not skipped
    assert.equal(c({ a: undefined }, 'o'), 'o.a must be an integer');
    // every optional field is checked, not only the first one present
    const two = object({}, { b: str(5), c: bool });
    assert.equal(two({ b: 'x', c: true }, 'o'), undefined);
    assert.equal(two({ b: 'x', c: 'yes' }, 'o'), 'o.c must be a boolean');
  });

  it('nullable: null passes, anything else goes to the wrapped check', () => {
    const c = nullable(int(0, 1));
    assert.equal(c(null, 'v'), undefined);
    assert.equal(c(1, 'v'), undefined);
    assert.equal(c(2, 'v'), 'v must be between 0 and 1');
    assert.equal(c(undefined, 'v'), 'v must be an integer');
  });

  it('anyOf: passes when any check does, else gives the first check\'s message', () => {
    const c = anyOf(int(0, 1), bool);
    assert.equal(c(1, 'v'), undefined);
    assert.equal(c(true, 'v'), undefined);
    assert.equal(c('x', 'v'), 'v must be an integer');
    assert.equal(anyOf(bool, int(0, 1))('x', 'v'), 'v must be a boolean');
    assert.equal(anyOf()('x', 'v'), undefined);
  });

  it('isPlainObject: object literals and null-prototype objects only', () => {
    assert.equal(isPlainObject({}), true);
    assert.equal(isPlainObject(Object.create(null)), true);
    assert.equal(isPlainObject([]), false);
    assert.equal(isPlainObject(null), false);
    assert.equal(isPlainObject('x'), false);
    assert.equal(isPlainObject(new Date(0)), false);
    assert.equal(isPlainObject(new Map()), false);
  });

  it('jsonValue: plain JSON within the size limit, naming the first path that is not', () => {
    const c = jsonValue(1000);
    assert.equal(c({ a: [1, 'x', true, null, { b: 2.5 }] }, 'j'), undefined);
    assert.equal(c({ a: undefined, b: 1 }, 'j'), undefined);
    assert.equal(c({ a: [1, Number.NaN] }, 'j'), 'j.a[1] must be a finite number');
    assert.equal(c({ a: 1, b: { c: 'x', d: Number.NaN } }, 'j'), 'j.b.d must be a finite number');
    assert.equal(c([Infinity], 'j'), 'j[0] must be a finite number');
    assert.equal(c({ a: new Date(0) }, 'j'), 'j.a must be plain JSON data');
    assert.equal(c([new Map()], 'j'), 'j[0] must be plain JSON data');
    assert.equal(c(undefined, 'j'), 'j must be plain JSON data');
    assert.equal(c([1, { x: 1n }], 'j'), 'j[1].x must be plain JSON data');
    assert.equal(c([[], [1], [2, 'bad', () => 1]], 'j'), 'j[2][2] must be plain JSON data');
    // the size limit is on the serialized text: '"abc"' is 5 characters
    assert.equal(jsonValue(5)('abc', 'j'), undefined);
    assert.equal(jsonValue(4)('abc', 'j'), 'j is larger than 4 characters as JSON');
  });

  it('jsonValue: at most 64 levels of nesting', () => {
    const nest = (levels: number): unknown => {
      let v: unknown = 1;
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    const c = jsonValue(10_000);
    assert.equal(c(nest(64), 'j'), undefined);
    assert.equal(c(nest(65), 'j'), `j${'[0]'.repeat(65)} is nested too deeply`);
    let obj: unknown = 1;
    for (let i = 0; i < 65; i++) obj = { k: obj };
    assert.equal(c(obj, 'j'), `j${'.k'.repeat(65)} is nested too deeply`);
  });
});
