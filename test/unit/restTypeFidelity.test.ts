// Type fidelity of REST writes: cells become the JSON type the records hold, numbers keep every typed digit.
// A number a double cannot hold exactly is written as its exact digits, never rounded (README, "REST APIs").
import * as assert from 'node:assert/strict';
import type { ColumnSchema, DatasourceError } from '../../api';
import { ExactNumber, jsonNumber, parseNumberText, stringifyJson } from '../../plugins/rest/jsonNumbers';
import { fromCell } from '../../plugins/rest/schemaInference';

const col = (kind: ColumnSchema['kind'], declaredType: string = kind): ColumnSchema => ({ name: 'c', kind, declaredType, nullable: true });
const body = (cell: Parameters<typeof fromCell>[0], column: ColumnSchema) => stringifyJson({ c: fromCell(cell, column) });

describe('REST type fidelity on writes', () => {
  it('sends decimals, integers and booleans as the JSON types the records hold', () => {
    assert.equal(body('2.50', col('float', 'number')), '{"c":2.5}');
    assert.equal(body('2.50', col('decimal', 'number (as decimal)')), '{"c":2.5}');
    assert.equal(body(2.5, col('decimal', 'number (as decimal)')), '{"c":2.5}');
    assert.equal(body('2.50', col('decimal', 'string (as decimal)')), '{"c":"2.50"}', 'records holding texts get a text');
    assert.equal(body('42', col('integer')), '{"c":42}');
    assert.equal(body('-1e3', col('integer')), '{"c":-1000}');
    assert.equal(body('true', col('boolean')), '{"c":true}');
    assert.equal(body(null, col('integer')), '{"c":null}');
  });

  it('writes numbers a double cannot hold as their exact digits instead of rounding them', () => {
    assert.equal(body('12345678901234567890', col('integer')), '{"c":12345678901234567890}');
    assert.equal(body(12345678901234567890n, col('integer')), '{"c":12345678901234567890}');
    assert.equal(body('0.1000000000000000055', col('float', 'number')), '{"c":0.1000000000000000055}');
    assert.equal(body('0.1', col('float', 'number')), '{"c":0.1}');
    assert.ok(jsonNumber('9007199254740993') instanceof ExactNumber, '2^53+1 is not a double');
    assert.equal(jsonNumber('9007199254740992'), 9007199254740992);
    assert.equal(stringifyJson({ a: [new ExactNumber('1e400'), 'x', true], b: undefined }), '{"a":[1e400,"x",true]}');
  });

  it('refuses text that is not a number, naming the column', () => {
    const invalid = (e: DatasourceError) => e.code === 'invalid_value' && e.column === 'c';
    assert.throws(() => fromCell('2,50', col('decimal', 'number')), invalid);
    assert.throws(() => fromCell('1.5', col('integer')), invalid);
    assert.throws(() => fromCell('0x10', col('integer')), invalid);
    assert.throws(() => fromCell(Number.NaN, col('float')), invalid);
  });

  it('canonicalises number text', () => {
    assert.deepEqual(parseNumberText('002.500'), { json: '2.5', key: '25e-1', whole: false });
    assert.equal(parseNumberText('-0.000120')?.json, '-0.00012');
    assert.equal(parseNumberText('1.2e+3')?.json, '1200');
    assert.equal(parseNumberText('.5')?.json, '0.5');
    assert.equal(parseNumberText('abc'), undefined);
  });
});
