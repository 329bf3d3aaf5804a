import * as assert from 'node:assert/strict';
import type { CellValue } from '../../api';
import { base64ToBytes, bytesToBase64, decodeRecord, decodeValue, encodeRecord, encodeValue, sameValue, WireFormatError } from '../../shared/values';

const roundTrip = (v: CellValue) => decodeValue(JSON.parse(JSON.stringify(encodeValue(v))));

describe('wire values (shared/values)', () => {
  it('passes JSON-safe values through untouched', () => {
    for (const v of ['', 'text', 0, -1.5, 1e300, true, false, null]) assert.equal(encodeValue(v), v);
  });

  it('round-trips bigints beyond 2^53 exactly through JSON', () => {
    const big = 2n ** 63n - 1n;
    assert.deepEqual(encodeValue(big), { $bigint: '9223372036854775807' });
    assert.equal(roundTrip(big), big);
    assert.equal(roundTrip(-(2n ** 70n)), -(2n ** 70n));
  });

  it('round-trips bytes of every length, matching Node base64', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 255);
      assert.equal(bytesToBase64(bytes), Buffer.from(bytes).toString('base64'));
      assert.deepEqual(roundTrip(bytes), bytes);
    }
  });

  it('tags non-finite floats, which JSON would turn into null', () => {
    assert.ok(Number.isNaN(roundTrip(Number.NaN) as number));
    assert.equal(roundTrip(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    assert.equal(roundTrip(Number.NEGATIVE_INFINITY), Number.NEGATIVE_INFINITY);
  });

  it('rejects anything that is not exactly a wire value', () => {
    for (const bad of [undefined, [], [1], {}, { $bigint: '1.5' }, { $bigint: 1 }, { $bytes: 'not base64!' }, { $bytes: 'AAA' }, { $bigint: '1', extra: 1 }, { $float: 'nan' }, () => 1]) {
      assert.throws(() => decodeValue(bad), WireFormatError, JSON.stringify(bad) ?? String(bad));
    }
    assert.throws(() => base64ToBytes('A==='), WireFormatError);
  });

  it('refuses to encode values outside the CellValue contract', () => {
    assert.throws(() => encodeValue({} as unknown as CellValue), WireFormatError);
    assert.throws(() => encodeValue(undefined as unknown as CellValue), WireFormatError);
  });

  it('encodes and decodes records', () => {
    const record = { id: 9007199254740993n, photo: new Uint8Array([1, 2]), name: 'x', gone: null };
    assert.deepEqual(decodeRecord(JSON.parse(JSON.stringify(encodeRecord(record)))), record);
    assert.throws(() => decodeRecord([1]), WireFormatError);
  });

  it('compares values the way a database would', () => {
    assert.ok(sameValue(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
    assert.ok(!sameValue(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
    assert.ok(sameValue(5n, 5));
    assert.ok(!sameValue(5n, 5.5));
    assert.ok(!sameValue('', null));
    assert.ok(!sameValue('1', 1));
    assert.ok(sameValue(Number.NaN, Number.NaN));
  });
});
