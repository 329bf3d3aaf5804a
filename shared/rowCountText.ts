import type { RowCount } from '../api';

const grouped = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** "1,234 rows", "10,000+ rows" (capped) or "~1.2M rows" (estimated): users must see which kind of number it is. */
export function rowCountText(count: RowCount): string {
  const unit = count.count === 1 && count.exact ? 'row' : 'rows';
  if (count.capped) return `${grouped.format(count.count)}+ ${unit}`;
  if (!count.exact) return `~${compact.format(count.count)} ${unit}`;
  return `${grouped.format(count.count)} ${unit}`;
}
