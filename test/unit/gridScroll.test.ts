import * as assert from 'node:assert/strict';
import { MAX_PHYSICAL_HEIGHT, ScrollScaler, VerticalScroll } from '../../webview/table/model/scrollScaling';
import { ColumnGeometry, rowsPerPage, scrollToReveal, visibleRows } from '../../webview/table/model/viewport';

const ROW = 24;
const TEN_MILLION = 10_000_000;

describe('grid scroll scaling (webview/table/model/scrollScaling)', () => {
  it('leaves small tables unscaled', () => {
    const s = new ScrollScaler(1000 * ROW, 600);
    assert.equal(s.scaled, false);
    assert.equal(s.physicalHeight, 24_000);
    assert.equal(s.virtualFromPhysical(1234), 1234);
    assert.equal(s.physicalFromVirtual(99_999), 24_000 - 600, 'clamped to the last screen');
  });

  it('caps the spacer for 10 million rows and maps both ends exactly', () => {
    const s = new ScrollScaler(TEN_MILLION * ROW, 600);
    assert.ok(s.scaled);
    assert.equal(s.physicalHeight, MAX_PHYSICAL_HEIGHT);
    assert.ok(s.physicalHeight < 33_000_000, 'under the Chromium element-height cap');
    assert.equal(s.virtualFromPhysical(0), 0);
    assert.equal(s.virtualFromPhysical(s.maxPhysical), TEN_MILLION * ROW - 600, 'bottom of the scrollbar is the last row');
    const middle = s.virtualFromPhysical(s.maxPhysical / 2);
    assert.ok(Math.abs(middle - (TEN_MILLION * ROW - 600) / 2) < 1);
    assert.ok(Math.abs(s.physicalFromVirtual(middle) - s.maxPhysical / 2) < 1e-6, 'the mappings invert each other');
  });

  it('moves 1:1 for wheel steps even when scaled, ignoring the echo of its own scrollTop', () => {
    const v = new VerticalScroll();
    v.resize(TEN_MILLION * ROW, 600);
    let physical = v.scrollBy(100);
    assert.equal(v.top, 100);
    assert.equal(v.onScroll(Math.round(physical)), false, 'the rounded echo is not a user scroll');
    assert.equal(v.top, 100, 'a 100 px wheel step moved exactly 100 px, not 100 × scale');
    physical = v.scrollBy(ROW);
    assert.equal(v.top, 100 + ROW);
    assert.ok(physical < 10, 'the scrollbar barely moves');
  });

  it('treats a scrollbar drag as a proportional jump', () => {
    const v = new VerticalScroll();
    v.resize(TEN_MILLION * ROW, 600);
    assert.equal(v.onScroll((MAX_PHYSICAL_HEIGHT - 600) * 0.75), true);
    const row = Math.floor(v.top / ROW);
    assert.ok(Math.abs(row - 0.75 * (TEN_MILLION - 25)) < 2, `landed on row ${row}`);
  });

  it('keeps the virtual position when the table shrinks, clamped to the new end', () => {
    const v = new VerticalScroll();
    v.resize(1000 * ROW, 600);
    v.scrollTo(20_000);
    v.resize(100 * ROW, 600);
    assert.equal(v.top, 100 * ROW - 600);
  });
});

describe('grid viewport (webview/table/model/viewport)', () => {
  it('renders only the rows in view plus overscan, also at the end of 10 million rows', () => {
    assert.deepEqual(visibleRows(0, 600, ROW, TEN_MILLION, 4), { first: 0, end: 29 });
    const top = TEN_MILLION * ROW - 600;
    const w = visibleRows(top, 600, ROW, TEN_MILLION, 4);
    assert.equal(w.end, TEN_MILLION);
    assert.equal(w.first, TEN_MILLION - 25 - 4);
    assert.deepEqual(visibleRows(0, 600, ROW, 0), { first: 0, end: 0 });
  });

  it('computes page steps and reveal offsets', () => {
    assert.equal(rowsPerPage(600, ROW), 25);
    assert.equal(scrollToReveal(10, 0, 600, ROW), undefined);
    assert.equal(scrollToReveal(30, 0, 600, ROW), 31 * ROW - 600);
    assert.equal(scrollToReveal(2, 240, 600, ROW), 48);
  });

  it('finds visible columns by binary search over prefix offsets', () => {
    const g = new ColumnGeometry([100, 50, 200, 80, 120]);
    assert.deepEqual(g.offsets, [0, 100, 150, 350, 430]);
    assert.equal(g.total, 550);
    assert.equal(g.columnAt(0), 0);
    assert.equal(g.columnAt(149), 1);
    assert.equal(g.columnAt(150), 2);
    assert.equal(g.columnAt(10_000), 4);
    assert.deepEqual(g.visible(120, 100, 0), { first: 1, end: 3 });
    assert.equal(g.reveal(3, 0, 300), 430 - 300 + 0);
    assert.equal(g.reveal(0, 120, 300), 0);
    assert.equal(g.reveal(2, 100, 300), undefined);
  });

  it('handles thousands of columns', () => {
    const g = new ColumnGeometry(Array.from({ length: 5000 }, (_, i) => 60 + (i % 7) * 10));
    const w = g.visible(g.offsets[4000], 800, 1);
    assert.equal(w.first, 3999);
    assert.ok(w.end - w.first < 20);
  });
});
