import type { CellValue } from '../../api';

const MIN = BigInt(Number.MIN_SAFE_INTEGER);
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Drivers return 64-bit integers (counts, int8, SQLite integers) as bigint so nothing beyond 2^53 is rounded; the
 * ones a double holds exactly become numbers, like every other value that fits.
 */
export function narrowBigint<T extends CellValue>(value: T): T | number {
  return typeof value === 'bigint' && value >= MIN && value <= MAX ? Number(value) : value;
}
