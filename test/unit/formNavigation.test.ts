import * as assert from 'node:assert/strict';
import { keyFilters, parseGoTo, positionText, referencedKey, referenceText, referencingFilters, singular, stepTarget } from '../../shared/formNavigation';

describe('form navigation (shared/formNavigation)', () => {
  it('steps to first, previous, next and last, and nowhere past the ends', () => {
    assert.equal(stepTarget('next', 0, 3), 1);
    assert.equal(stepTarget('next', 2, 3), undefined);
    assert.equal(stepTarget('next', 5, undefined), 6, 'while counting, next may try');
    assert.equal(stepTarget('previous', 0, 3), undefined);
    assert.equal(stepTarget('previous', 2, 3), 1);
    assert.equal(stepTarget('first', 0, 3), undefined);
    assert.equal(stepTarget('first', 2, 3), 0);
    assert.equal(stepTarget('last', 0, 3), 2);
    assert.equal(stepTarget('last', 2, 3), undefined);
    assert.equal(stepTarget('last', 0, undefined), undefined, 'last waits for an exact count');
    assert.equal(stepTarget('last', 0, 0), undefined);
  });

  it('parses "go to row" and explains bad input', () => {
    assert.deepEqual(parseGoTo('12', 1234), { ok: true, index: 11 });
    assert.deepEqual(parseGoTo(' 1,234 ', 1234), { ok: true, index: 1233 });
    assert.deepEqual(parseGoTo('1235', 1234), { ok: false, error: 'There are 1,234 rows.' });
    assert.deepEqual(parseGoTo('2', 1), { ok: false, error: 'There is 1 row.' });
    assert.deepEqual(parseGoTo('0', 10), { ok: false, error: 'Rows are numbered from 1.' });
    assert.deepEqual(parseGoTo('abc', 10), { ok: false, error: '"abc" is not a row number.' });
    assert.deepEqual(parseGoTo('-3', 10), { ok: false, error: '"-3" is not a row number.' });
    assert.deepEqual(parseGoTo('99999', undefined), { ok: true, index: 99998 });
  });

  it('reads the position with the count\'s own precision', () => {
    assert.equal(positionText(11, { count: 1234, exact: true }), 'row 12 of 1,234');
    assert.equal(positionText(11, { count: 10000, exact: false, capped: true }), 'row 12 of 10,000+');
    assert.equal(positionText(0, { count: 1_200_000, exact: false }), 'row 1 of ~1.2M');
    assert.equal(positionText(4, undefined), 'row 5');
  });

  it('finds a focused key by eq filters (its position: rowsBefore.test.ts)', () => {
    assert.deepEqual(keyFilters({ id: 7 }), [{ column: 'id', op: 'eq', value: 7 }]);
    assert.deepEqual(keyFilters({ a: 'x', b: null }), [
      { column: 'a', op: 'eq', value: 'x' },
      { column: 'b', op: 'isnull' },
    ]);
  });

  it('turns foreign keys into the referenced key and the referencing filters', () => {
    const fk = { columns: ['customer_id'], references: { name: 'customers' }, referencedColumns: ['id'] };
    assert.deepEqual(referencedKey(fk, { customer_id: 42 }), { id: 42 });
    assert.equal(referencedKey(fk, { customer_id: null }), undefined);
    assert.deepEqual(referencingFilters(fk, { id: 42, name: 'Ada' }), [{ column: 'customer_id', op: 'eq', value: 42 }]);
    assert.equal(referencingFilters(fk, { name: 'Ada' }), undefined);
    const composite = { columns: ['o', 's'], references: { name: 'items' }, referencedColumns: ['order_id', 'sku'] };
    assert.deepEqual(referencedKey(composite, { o: 1, s: 'SKU-1' }), { order_id: 1, sku: 'SKU-1' });
  });

  it('words reverse references', () => {
    assert.equal(referenceText({ count: 3, exact: true }, 'orders', 'customers'), '3 rows in orders reference this customer');
    assert.equal(referenceText({ count: 1, exact: true }, 'invoice', 'categories'), '1 row in invoice references this category');
    assert.equal(referenceText({ count: 10000, exact: false, capped: true }, 'events', 'customers'), '10,000+ rows in events reference this customer');
    assert.equal(singular('addresses'), 'address');
    assert.equal(singular('status'), 'status');
    assert.equal(singular('person'), 'person');
  });
});
