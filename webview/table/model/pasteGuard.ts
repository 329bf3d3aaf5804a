// When a paste into the grid asks first (nocoflo.confirm.destructiveActions and .pasteCellThreshold). Pure, so the
// rule is unit-tested in Node: only cells of rows read from the database count, because overwriting values in rows
// inserted in this tab destroys nothing stored.

/** How many cells of existing rows the paste writes over. */
export function overwrittenCells(cells: readonly { row: number }[], isExistingRow: (row: number) => boolean): number {
  let count = 0;
  for (const cell of cells) if (isExistingRow(cell.row)) count++;
  return count;
}

/** True when the paste overwrites more existing cells than the configured threshold (never when confirmations are off). */
export function pasteNeedsConfirmation(overwritten: number, confirm: { pasteOverCells: number } | undefined): boolean {
  return confirm !== undefined && overwritten > confirm.pasteOverCells;
}
