// How wide each column starts: wide enough for its header (name, key and sort markers, type line) and for most of
// its values as sampled from the first rows, and wider where values are still cut and the editor has room to
// spare. Widths the user dragged are not touched; they only take their share of the room. Measuring text is the
// caller's (a canvas in the webview, a character count in tests), so this stays pure.

export interface ColumnNeeds {
  /** Pixels the header needs in full: the wider of its name line (with markers) and its type line. */
  header: number;
  /** Pixels each sampled value needs in full, padding included; empty before rows arrive. */
  values: readonly number[];
  /** A width the user chose (dragged or restored); the column keeps it. */
  fixed?: number;
}

export interface FitOptions {
  /** Room for the columns: the grid's width less its row-number gutter and scrollbar. */
  available: number;
  min: number;
  /** The widest a column starts at from its values alone, so one long comment does not take the whole view. */
  cap: number;
  /** The widest free room may grow a column to, for values still cut at `cap`'s share. */
  growCap: number;
}

/** The value most sampled values fit in: one long outlier among 100 should not size the column. */
const TYPICAL_SHARE = 0.9;

export function typicalWidth(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * TYPICAL_SHARE) - 1)];
}

/**
 * Start widths, one per column. Each gets max(header, typical value) within [min, cap]; when they all fit with room
 * left, the room goes to columns whose longest sampled value is still cut, in proportion to what they miss and never
 * past what that value needs (or `growCap`). Room nobody needs stays empty rather than stretching short columns.
 */
export function fitWidths(columns: readonly ColumnNeeds[], options: FitOptions): number[] {
  const { min, cap, growCap } = options;
  // A header is shown whole up to growCap even past cap: a cut name ("InvoiceLi…") is what this is here to stop.
  const widths = columns.map((c) => Math.round(c.fixed ?? Math.min(Math.max(min, c.header, typicalWidth(c.values)), Math.max(cap, Math.min(c.header, growCap)))));
  const wants = columns.map((c, i) => (c.fixed !== undefined ? 0 : Math.max(0, Math.min(growCap, Math.max(c.header, ...c.values)) - widths[i])));
  let free = options.available - widths.reduce((a, b) => a + b, 0);
  const wanted = wants.reduce((a, b) => a + b, 0);
  if (free <= 0 || wanted === 0) return widths;
  const share = Math.min(1, free / wanted);
  for (let i = 0; i < widths.length; i++) {
    const grow = Math.floor(wants[i] * share);
    widths[i] += grow;
    free -= grow;
  }
  return widths;
}
