import * as assert from 'node:assert/strict';
import { buildFilters, defaultOperator, listedValues, operandInput, operatorsFor } from '../../webview/shared/model/filterModel';

const status = { name: 'status', kind: 'enum' as const, enumValues: ['pending', 'paid', 'shipped'], nullable: true };

describe('grid filters: how an operand is entered (webview/shared/model/filterModel operandInput)', () => {
  it('offers an ENUM\'s values for =, ≠ and the ordered comparisons, and starts with =', () => {
    assert.equal(defaultOperator(status), 'eq');
    for (const op of ['eq', 'ne', 'lt', 'gte'] as const) assert.deepEqual(operandInput(status, op), { kind: 'choice', options: status.enumValues });
  });

  it('picks several ENUM values for "in", kept as the list text a typed "in" uses', () => {
    assert.deepEqual(operandInput(status, 'in'), { kind: 'choices', options: status.enumValues });
    assert.deepEqual(listedValues('paid, shipped'), ['paid', 'shipped']);
    const { filters, problems } = buildFilters([{ column: 'status', op: 'in', text: ['paid', 'shipped'].join(', ') }], [{ ...status, primaryKeyPosition: undefined } as never]);
    assert.deepEqual(problems, []);
    assert.deepEqual(filters, [{ column: 'status', op: 'in', value: ['paid', 'shipped'] }]);
  });

  it('types "in" when an ENUM value holds a comma (the list text could not tell it apart)', () => {
    assert.equal(operandInput({ kind: 'enum', enumValues: ['a,b', 'c'] }, 'in').kind, 'text');
  });

  it('keeps text for partial matches on an ENUM, and nothing for NULL tests', () => {
    assert.equal(operandInput(status, 'contains').kind, 'text');
    assert.deepEqual(operandInput(status, 'isnull'), { kind: 'none' });
  });

  it('offers true/false for a boolean, and types everything else', () => {
    assert.deepEqual(operandInput({ kind: 'boolean' }, 'eq'), { kind: 'choice', options: ['true', 'false'] });
    assert.deepEqual(operandInput({ kind: 'integer' }, 'eq'), { kind: 'text', placeholder: 'value' });
    assert.deepEqual(operandInput({ kind: 'date' }, 'lt'), { kind: 'text', placeholder: 'YYYY-MM-DD' });
    assert.deepEqual(operandInput({ kind: 'integer' }, 'in'), { kind: 'text', placeholder: 'a, b, c' });
  });

  it('an ENUM without known values is a text column', () => {
    assert.equal(defaultOperator({ kind: 'enum' }), 'contains');
    assert.deepEqual(operatorsFor({ kind: 'enum', enumValues: [] })[0], 'contains');
    assert.equal(operandInput({ kind: 'enum' }, 'eq').kind, 'text');
  });
});
