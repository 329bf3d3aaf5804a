// A rectangular cell selection: an anchor (where it started) and a focus (the active cell). Rows are display
// rows (new rows first, then the table's rows); columns are visible-column indexes.

export interface CellPos {
  row: number;
  col: number;
}

export interface Selection {
  anchor: CellPos;
  focus: CellPos;
}

export interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export function rangeOf(selection: Selection): Range {
  return {
    top: Math.min(selection.anchor.row, selection.focus.row),
    bottom: Math.max(selection.anchor.row, selection.focus.row),
    left: Math.min(selection.anchor.col, selection.focus.col),
    right: Math.max(selection.anchor.col, selection.focus.col),
  };
}

export function contains(range: Range, row: number, col: number): boolean {
  return row >= range.top && row <= range.bottom && col >= range.left && col <= range.right;
}

export const single = (row: number, col: number): Selection => ({ anchor: { row, col }, focus: { row, col } });

/** Moves the focus to `target` (clamped); with `extend` the anchor stays, otherwise the selection collapses. */
export function moveTo(selection: Selection, target: CellPos, bounds: { rows: number; cols: number }, extend: boolean): Selection {
  const focus = {
    row: Math.max(0, Math.min(bounds.rows - 1, target.row)),
    col: Math.max(0, Math.min(bounds.cols - 1, target.col)),
  };
  return extend ? { anchor: selection.anchor, focus } : { anchor: focus, focus };
}

export type Move = 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'rowStart' | 'rowEnd' | 'first' | 'last';

/** The cell a navigation key leads to. */
export function step(from: CellPos, move: Move, bounds: { rows: number; cols: number }, pageRows: number): CellPos {
  switch (move) {
    case 'up':
      return { row: from.row - 1, col: from.col };
    case 'down':
      return { row: from.row + 1, col: from.col };
    case 'left':
      return { row: from.row, col: from.col - 1 };
    case 'right':
      return { row: from.row, col: from.col + 1 };
    case 'pageUp':
      return { row: from.row - pageRows, col: from.col };
    case 'pageDown':
      return { row: from.row + pageRows, col: from.col };
    case 'rowStart':
      return { row: from.row, col: 0 };
    case 'rowEnd':
      return { row: from.row, col: bounds.cols - 1 };
    case 'first':
      return { row: 0, col: 0 };
    case 'last':
      return { row: bounds.rows - 1, col: bounds.cols - 1 };
  }
}

/** Tab / Shift+Tab: next cell in reading order, wrapping to the next row. */
export function tabStep(from: CellPos, backwards: boolean, bounds: { rows: number; cols: number }): CellPos {
  if (!backwards) return from.col + 1 < bounds.cols ? { row: from.row, col: from.col + 1 } : { row: Math.min(bounds.rows - 1, from.row + 1), col: from.row + 1 < bounds.rows ? 0 : from.col };
  return from.col > 0 ? { row: from.row, col: from.col - 1 } : { row: Math.max(0, from.row - 1), col: from.row > 0 ? bounds.cols - 1 : 0 };
}
