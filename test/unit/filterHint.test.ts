import * as assert from 'node:assert/strict';
import { operatorHint } from '../../webview/shared/model/filterModel';

// The operator's tooltip in the filter bar says what the conformance suite pins per engine (README "What text
// filters mean").
describe('grid: what a filter operator means on text (webview/shared/model/filterModel)', () => {
  it('says contains/starts with/ends with ignore case and keep accents, and where engines fold fewer letters', () => {
    for (const op of ['contains', 'startswith', 'endswith'] as const) {
      const hint = operatorHint(op, { kind: 'text' });
      assert.match(hint, /Ignores case and keeps accents/);
      assert.match(hint, /SQLite/);
    }
  });

  it("says comparisons follow the column's collation, ENUM ranges their declared order, and nothing for numbers", () => {
    assert.match(operatorHint('eq', { kind: 'text' }), /collation/);
    assert.match(operatorHint('gt', { kind: 'enum' }), /declared order/);
    assert.doesNotMatch(operatorHint('eq', { kind: 'enum' }), /declared order/);
    assert.equal(operatorHint('gt', { kind: 'integer' }), '');
    assert.equal(operatorHint('isnull', { kind: 'text' }), '');
  });
});
