import * as assert from 'node:assert/strict';
import { initialState } from '../../webview/table/model/gridState';
import { buildFilters } from '../../webview/shared/model/filterModel';
import { stateFromQuery } from '../../webview/table/model/handedQuery';
import { column } from '../support/fakePlugins';

// The query another view of the tab handed over (init.query) as the grid's starting state.
describe('grid: a handed-over query (webview/table/model/handedQuery)', () => {
  const columns = [
    column('id', { kind: 'integer', primaryKeyPosition: 1, nullable: false }),
    column('name'),
    column('vip', { kind: 'boolean' }),
    column('photo', { kind: 'blob' }),
  ];

  it('becomes sort, editable filter drafts and search text that build the same filters again', () => {
    const state = stateFromQuery(initialState(), {
      sort: [{ column: 'name', direction: 'desc' }],
      filters: [
        { column: 'id', op: 'gt', value: 9007199254740993n },
        { column: 'id', op: 'in', value: [1, 2n, 3] },
        { column: 'vip', op: 'eq', value: true },
        { column: 'name', op: 'isnull' },
      ],
      search: { text: 'ann', columns: ['name'] },
    }, columns);
    assert.deepEqual(state.sort, [{ column: 'name', direction: 'desc' }]);
    assert.deepEqual(state.filters, [
      { column: 'id', op: 'gt', text: '9007199254740993' },
      { column: 'id', op: 'in', text: '1, 2, 3' },
      { column: 'vip', op: 'eq', text: 'true' },
      { column: 'name', op: 'isnull', text: '' },
    ]);
    assert.equal(state.search, 'ann');
    assert.equal(state.showFilters, true);
    const rebuilt = buildFilters(state.filters, columns);
    assert.deepEqual(rebuilt.problems, []);
    assert.deepEqual(rebuilt.filters.map((f) => [f.column, f.op, f.value]), [
      ['id', 'gt', 9007199254740993n],
      ['id', 'in', [1, 2, 3]],
      ['vip', 'eq', true],
      ['name', 'isnull', undefined],
    ]);
  });

  it('drops columns the table does not have and leaves the state alone without a query', () => {
    const state = stateFromQuery(initialState(), { sort: [{ column: 'gone', direction: 'asc' }], filters: [{ column: 'gone', op: 'eq', value: 1 }] }, columns);
    assert.deepEqual(state.sort, []);
    assert.deepEqual(state.filters, []);
    assert.equal(state.showFilters, false);
    assert.deepEqual(stateFromQuery(initialState(), undefined, columns), initialState());
  });
});
