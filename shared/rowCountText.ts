import type { RowCount } from '../api';
import { compactNumber, groupedNumber } from './numberFormat';

/** "1,234 rows", "10,000+ rows" (capped) or "~1.2M rows" (estimated): users must see which kind of number it is. */
export function rowCountText(count: RowCount): string {
  const unit = count.count === 1 && count.exact ? 'row' : 'rows';
  if (count.capped) return `${groupedNumber(count.count)}+ ${unit}`;
  if (!count.exact) return `~${compactNumber(count.count)} ${unit}`;
  return `${groupedNumber(count.count)} ${unit}`;
}
