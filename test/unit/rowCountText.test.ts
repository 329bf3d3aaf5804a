// The row count text the sidebar and the grid's status line show: exact, capped and estimated counts must read
// differently, so nobody takes "10,000+" or "~1.2M" for an exact number.
import * as assert from 'node:assert/strict';
import { rowCountText } from '../../shared/rowCountText';

describe('rowCountText', () => {
  it('writes exact counts in full with grouping, and "row" only for exactly one', () => {
    assert.equal(rowCountText({ count: 0, exact: true }), '0 rows');
    assert.equal(rowCountText({ count: 1, exact: true }), '1 row');
    assert.equal(rowCountText({ count: 2, exact: true }), '2 rows');
    assert.equal(rowCountText({ count: 1234567, exact: true }), '1,234,567 rows');
  });

  it('marks a capped count with "+" and an estimate with "~" in compact notation', () => {
    assert.equal(rowCountText({ count: 10000, exact: false, capped: true }), '10,000+ rows');
    assert.equal(rowCountText({ count: 1, exact: false, capped: true }), '1+ rows', 'at least one is not "1 row"');
    assert.equal(rowCountText({ count: 1234567, exact: false }), '~1.2M rows');
    assert.equal(rowCountText({ count: 45300, exact: false }), '~45.3K rows');
    assert.equal(rowCountText({ count: 1, exact: false }), '~1 rows');
  });
});
