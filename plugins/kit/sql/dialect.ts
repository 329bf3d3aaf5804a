// What differs between SQL databases when Nocoflo builds queries. Everything else in the kit is shared, so
// SQLite, PostgreSQL and MySQL/MariaDB page, filter and write with the same (tested) logic.

export interface Dialect {
  name: 'sqlite' | 'postgres' | 'mysql';
  /** The engine's name as users know it, for messages. */
  engine: string;
  /** The most values one statement may bind. */
  maxParameters: number;
  quoteIdentifier(name: string): string;
  /** The placeholder for the n-th (1-based) bound value. */
  placeholder(n: number): string;
  /** `a IS NOT DISTINCT FROM b`: true when both are NULL or both equal. */
  nullSafeEquals(left: string, right: string): string;
  /**
   * Case-insensitive, accent-sensitive LIKE of `expr` (as text) against a bound pattern using `\` as the escape
   * character. Which letters fold is the engine's: SQLite folds A–Z only, PostgreSQL what the database's LC_CTYPE
   * knows (a C-locale database: A–Z only), MySQL/MariaDB Unicode case.
   */
  likeInsensitive(expr: string, pattern: string): string;
  /** Whether ORDER BY needs explicit NULLS FIRST/LAST to get Nocoflo's order (NULLs first ascending). */
  explicitNullOrdering: boolean;
  /** `floor(expr / step) * step` with `step` bound. */
  binFloor(expr: string, step: () => string): string;
  /** Truncates a date/time expression to a unit, as sortable text or timestamp. */
  timeUnit(expr: string, unit: 'year' | 'month' | 'day' | 'hour'): string;
}

const doubleQuoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  engine: 'SQLite',
  // SQLITE_MAX_VARIABLE_NUMBER's default since SQLite 3.32, and what sql.js and node:sqlite are built with.
  maxParameters: 32_766,
  quoteIdentifier: doubleQuoted,
  placeholder: () => '?',
  nullSafeEquals: (l, r) => `${l} IS ${r}`,
  likeInsensitive: (e, p) => `CAST(${e} AS TEXT) LIKE ${p} ESCAPE '\\'`,
  // SQLite already sorts NULLs first ascending and last descending.
  explicitNullOrdering: false,
  // SQLite without the math extension has no floor(): subtract one for negative values that are not exact. The
  // division is done in REAL (integer / integer truncates, which would put -150 in the bin of -100), and every
  // placeholder gets its own bound step (placeholders are positional).
  binFloor: (e, step) => {
    const x = `CAST(${e} AS REAL)`;
    const s1 = step();
    const s2 = step();
    const s3 = step();
    const s4 = step();
    return `((CAST(${x} / ${s1} AS INTEGER) - (${x} < 0 AND ${x} / ${s2} <> CAST(${x} / ${s3} AS INTEGER))) * ${s4})`;
  },
  timeUnit: (e, unit) => {
    const format = { year: '%Y', month: '%Y-%m', day: '%Y-%m-%d', hour: '%Y-%m-%d %H:00' }[unit];
    return `strftime('${format}', ${e})`;
  },
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  engine: 'PostgreSQL',
  // The Bind message counts parameters in 16 bits.
  maxParameters: 65_535,
  quoteIdentifier: doubleQuoted,
  placeholder: (n) => `$${n}`,
  nullSafeEquals: (l, r) => `${l} IS NOT DISTINCT FROM ${r}`,
  likeInsensitive: (e, p) => `(${e})::text ILIKE ${p} ESCAPE '\\'`,
  explicitNullOrdering: true,
  // The step is numeric: bound untyped, PostgreSQL would take the column's type, so an integer column would refuse a
  // step of 0.5 and divide with truncation (floor(-3 / 2) = -1, not -2).
  binFloor: (e, step) => {
    const s1 = step();
    const s2 = step();
    return `(floor(${e} / ${s1}::numeric) * ${s2}::numeric)`;
  },
  timeUnit: (e, unit) => `date_trunc('${unit}', ${e})`,
};

export const mysqlDialect: Dialect = {
  name: 'mysql',
  engine: 'MySQL/MariaDB',
  // Statements are prepared on the server (mysql2's execute), whose placeholder count is 16 bits.
  maxParameters: 65_535,
  quoteIdentifier: (name) => `\`${name.replace(/`/g, '``')}\``,
  placeholder: () => '?',
  nullSafeEquals: (l, r) => `${l} <=> ${r}`,
  // The column's collation may fold accents as well as case (MariaDB's default utf8mb4_general_ci finds 215
  // artists for "é", not 4): both sides are lower-cased and matched under utf8mb4_bin, so the match ignores case
  // (Unicode case, as LOWER knows it) and keeps accents, like PostgreSQL's ILIKE.
  likeInsensitive: (e, p) => `LOWER(CONVERT(${e} USING utf8mb4)) COLLATE utf8mb4_bin LIKE LOWER(CONVERT(${p} USING utf8mb4)) ESCAPE '\\\\'`,
  // MySQL has no NULLS FIRST/LAST, and its defaults are Nocoflo's order.
  explicitNullOrdering: false,
  binFloor: (e, step) => {
    const s1 = step();
    const s2 = step();
    return `(FLOOR(${e} / ${s1}) * ${s2})`;
  },
  timeUnit: (e, unit) => {
    const format = { year: '%Y', month: '%Y-%m', day: '%Y-%m-%d', hour: '%Y-%m-%d %H:00' }[unit];
    return `DATE_FORMAT(${e}, '${format}')`;
  },
};

/** Escapes LIKE wildcards so user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
