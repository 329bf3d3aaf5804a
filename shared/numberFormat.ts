// Number formatters made on first use: the first Intl.NumberFormat of a process loads ICU's data (about 17 ms in
// Node 20), which a module-level constant would add to the extension's activation whether or not a count is shown.
let grouped: Intl.NumberFormat | undefined;
let compact: Intl.NumberFormat | undefined;

/** 1234567 → "1,234,567". */
export function groupedNumber(value: number): string {
  grouped ??= new Intl.NumberFormat('en-US');
  return grouped.format(value);
}

/** 1234567 → "1.2M". */
export function compactNumber(value: number): string {
  compact ??= new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  return compact.format(value);
}
