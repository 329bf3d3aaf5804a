import * as assert from 'node:assert/strict';
import { initialState, restoreState } from '../../webview/table/model/gridState';
import { moveTo, rangeOf, single, step, tabStep } from '../../webview/table/model/selection';
import { toggleSort } from '../../webview/table/model/sortModel';
import { column } from '../support/fakePlugins';

describe('grid sort (webview/table/model/sortModel)', () => {
  it('cycles a single column asc → desc → none', () => {
    let sort = toggleSort([], 'a', false);
    assert.deepEqual(sort, [{ column: 'a', direction: 'asc' }]);
    sort = toggleSort(sort, 'a', false);
    assert.deepEqual(sort, [{ column: 'a', direction: 'desc' }]);
    assert.deepEqual(toggleSort(sort, 'a', false), []);
    assert.deepEqual(toggleSort(sort, 'b', false), [{ column: 'b', direction: 'asc' }]);
  });

  it('adds and cycles columns with shift, keeping the others', () => {
    let sort = toggleSort([{ column: 'a', direction: 'asc' }], 'b', true);
    assert.deepEqual(sort, [{ column: 'a', direction: 'asc' }, { column: 'b', direction: 'asc' }]);
    sort = toggleSort(sort, 'a', true);
    assert.deepEqual(sort, [{ column: 'a', direction: 'desc' }, { column: 'b', direction: 'asc' }]);
    assert.deepEqual(toggleSort(sort, 'a', true), [{ column: 'b', direction: 'asc' }]);
  });
});

describe('grid selection (webview/table/model/selection)', () => {
  const bounds = { rows: 100, cols: 5 };

  it('moves and extends within bounds', () => {
    let s = single(0, 0);
    s = moveTo(s, step(s.focus, 'up', bounds, 10), bounds, false);
    assert.deepEqual(s.focus, { row: 0, col: 0 });
    s = moveTo(s, step(s.focus, 'pageDown', bounds, 10), bounds, true);
    s = moveTo(s, step(s.focus, 'rowEnd', bounds, 10), bounds, true);
    assert.deepEqual(rangeOf(s), { top: 0, left: 0, bottom: 10, right: 4 });
    s = moveTo(s, step(s.focus, 'last', bounds, 10), bounds, false);
    assert.deepEqual(s, single(99, 4));
  });

  it('tabs through cells in reading order', () => {
    assert.deepEqual(tabStep({ row: 0, col: 4 }, false, bounds), { row: 1, col: 0 });
    assert.deepEqual(tabStep({ row: 1, col: 0 }, true, bounds), { row: 0, col: 4 });
    assert.deepEqual(tabStep({ row: 99, col: 4 }, false, bounds), { row: 99, col: 4 });
    assert.deepEqual(tabStep({ row: 0, col: 0 }, true, bounds), { row: 0, col: 0 });
  });
});

describe('grid persisted state (webview/table/model/gridState)', () => {
  const columns = [column('id', { kind: 'integer' }), column('name')];

  it('restores what still applies and drops columns that are gone', () => {
    const state = restoreState(
      {
        version: 1,
        sort: [{ column: 'name', direction: 'desc' }, { column: 'dropped', direction: 'asc' }, { column: 'id', direction: 'sideways' }],
        filters: [{ column: 'id', op: 'gt', text: '3' }, { column: 'id', op: 'raw', text: '1=1' }],
        search: 'ann',
        widths: { id: 5, name: 300, dropped: 100 },
        hidden: ['dropped', 'name'],
        scrollTop: 4800,
        scrollLeft: -3,
        selection: { anchor: { row: 3, col: 1 }, focus: { row: 5, col: 0 } },
      },
      columns,
    );
    assert.deepEqual(state.sort, [{ column: 'name', direction: 'desc' }]);
    assert.deepEqual(state.filters, [{ column: 'id', op: 'gt', text: '3' }]);
    assert.equal(state.showFilters, true);
    assert.deepEqual(state.widths, { id: 40, name: 300 });
    assert.deepEqual(state.hidden, ['name']);
    assert.equal(state.scrollTop, 4800);
    assert.equal(state.scrollLeft, 0);
    assert.deepEqual(state.selection, { anchor: { row: 3, col: 1 }, focus: { row: 5, col: 0 } });
  });

  it('never hides every column and ignores foreign state', () => {
    assert.deepEqual(restoreState({ version: 1, hidden: ['id', 'name'] }, columns).hidden, []);
    assert.deepEqual(restoreState({ version: 2, search: 'x' }, columns), initialState());
    assert.deepEqual(restoreState('garbage', columns), initialState());
  });
});
