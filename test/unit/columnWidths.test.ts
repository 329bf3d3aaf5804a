import * as assert from 'node:assert/strict';
import { fitWidths, typicalWidth } from '../../webview/table/model/columnWidths';

// Pixel needs stand in for measured text: the model only compares and shares out numbers.
const options = { min: 40, cap: 360, growCap: 640 };

describe('grid: column start widths (webview/table/model/columnWidths)', () => {
  it('gives every header its full width, so names like InvoiceLineId are not cut', () => {
    const widths = fitWidths(
      [
        { header: 130, values: [30, 30, 40] },
        { header: 95, values: [60] },
      ],
      { ...options, available: 0 },
    );
    assert.deepEqual(widths, [130, 95]);
  });

  it('sizes to the typical value, not one outlier among many', () => {
    const values = [...Array.from({ length: 99 }, () => 100), 900];
    assert.equal(typicalWidth(values), 100);
    assert.deepEqual(fitWidths([{ header: 60, values }], { ...options, available: 0 }), [100]);
  });

  it('caps a long-text column when the room is short, and never goes under the minimum', () => {
    assert.deepEqual(fitWidths([{ header: 50, values: [2_000, 2_000] }, { header: 10, values: [] }], { ...options, available: 300 }), [360, 40]);
  });

  it('shows a header whole past the cap, up to the grow cap', () => {
    assert.deepEqual(fitWidths([{ header: 500, values: [] }, { header: 900, values: [] }], { ...options, available: 0 }), [500, 640]);
  });

  it('gives free room to columns whose values are still cut, in proportion to what they miss', () => {
    // Typical values fit at 100 and 200; the longest sampled values need 300 and 600: 200 and 400 missing, and the
    // 300 pixels of room give each half of it.
    const columns = [
      { header: 80, values: [...Array.from({ length: 19 }, () => 100), 300] },
      { header: 80, values: [...Array.from({ length: 19 }, () => 200), 600] },
      { header: 80, values: [50] },
    ];
    assert.deepEqual(fitWidths(columns, { ...options, available: 380 + 300 }), [100 + 100, 200 + 200, 80]);
  });

  it('grows cut columns only to what their values need and leaves the rest of the room empty', () => {
    const columns = [
      { header: 80, values: [100, 100, 100, 100, 100, 100, 100, 100, 100, 250] },
      { header: 80, values: [60] },
    ];
    assert.deepEqual(fitWidths(columns, { ...options, available: 2_000 }), [250, 80]);
  });

  it('keeps widths the user chose, and they take their share of the room first', () => {
    const columns = [
      { header: 80, values: [...Array.from({ length: 9 }, () => 100), 500], fixed: 700 },
      { header: 80, values: [...Array.from({ length: 9 }, () => 100), 500] },
    ];
    assert.deepEqual(fitWidths(columns, { ...options, available: 1_000 }), [700, 300]);
    assert.deepEqual(fitWidths(columns, { ...options, available: 600 }), [700, 100]);
  });

  it('sizes empty tables from their headers', () => {
    assert.deepEqual(fitWidths([{ header: 70, values: [] }], { ...options, available: 1_000 }), [70]);
  });
});
