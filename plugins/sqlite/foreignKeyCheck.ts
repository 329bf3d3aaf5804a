import type { TableSchema } from '../../api';
import type { Engine } from './engine';

// Nocoflo turns on PRAGMA foreign_keys, but a file written without it may already hold rows whose reference points
// nowhere. Such a file must still open (SQLite only checks keys on write), and the user must be told, because any
// edit of one of those rows will now fail. pragma_foreign_key_check(table) lists the offending rows: it scans the
// table once per foreign key and looks each reference up in the parent's key index.

/** Counting stops here: "1,000 or more" says enough, and a table full of orphans costs no more than this many. */
export const VIOLATION_CAP = 1_000;

/**
 * Tables above this many rows are not checked when they open. The check is bounded in violations found, not in rows
 * scanned, and a clean table is scanned whole. Measured (bench/sqlite-fk-check.mjs, 2 shared cores under load): a
 * clean 1M-row child takes 80–125 ms with sql.js and 33–71 ms with node:sqlite, Chinook's biggest table
 * (PlaylistTrack, 8,715 rows, two keys) 13–28 ms and under 3 ms. Up to 1M rows a table opens at most ~0.2 s later;
 * above, the cost grows with the table on every open, so it is skipped (documented in README): SQLite still refuses
 * any new violation there, and the size gate itself stops counting at 1M + 1 rows (60–71 ms / 12–27 ms).
 */
export const CHECK_MAX_ROWS = 1_000_000;

const format = (n: number) => n.toLocaleString('en-US');

/** Warnings about foreign-key violations the file already holds in `schema`'s table, for `TableSchema.notices`. */
export function foreignKeyNotices(engine: Engine, schema: TableSchema, maxRows = CHECK_MAX_ROWS): string[] {
  if (schema.kind !== 'table' || schema.foreignKeys.length === 0) return [];
  const name = schema.table.name;
  if (tooBigToCheck(engine, name, maxRows)) return [];
  let rows: unknown[][];
  try {
    rows = engine.all('SELECT fkid, "parent", count(*) FROM (SELECT fkid, "parent" FROM pragma_foreign_key_check(?) LIMIT ?) GROUP BY fkid, "parent" ORDER BY fkid', [name, VIOLATION_CAP]).rows;
  } catch (error) {
    // "foreign key mismatch": the declared parent columns are not its primary key or a unique index, so SQLite
    // cannot check (nor enforce) the key at all, and every write to this table will fail with the same message.
    return [`SQLite cannot check this table's foreign keys: ${(error as Error).message}. Until the schema is fixed, saving changes to this table fails with that message.`];
  }
  if (rows.length === 0) return [];
  const total = rows.reduce((sum, r) => sum + Number(r[2]), 0);
  const columnsOf = (fkid: number) => {
    // pragma_foreign_key_list numbers the keys as foreign_key_check does, in the same order readSchema lists them.
    const fk = schema.foreignKeys[fkid];
    return fk ? ` (${fk.columns.join(', ')})` : '';
  };
  const consequence = 'The file already held them; Nocoflo enforces foreign keys, so saving a change to one of these rows fails until its reference points at an existing row.';
  if (total >= VIOLATION_CAP) {
    const parents = [...new Set(rows.map((r) => `"${String(r[1])}"`))].join(', ');
    return [`${format(VIOLATION_CAP)} or more rows refer to rows of ${parents} that do not exist (counting stopped at ${format(VIOLATION_CAP)}). ${consequence}`];
  }
  return rows.map(([fkid, parent, count]) => {
    const n = Number(count);
    return `${format(n)} ${n === 1 ? 'row refers' : 'rows refer'} to rows of "${String(parent)}" that do not exist${columnsOf(Number(fkid))}. ${consequence}`;
  });
}

/** Whether the table has more than `maxRows` rows, learned by stepping over at most that many plus one. */
function tooBigToCheck(engine: Engine, table: string, maxRows: number): boolean {
  const quoted = `"${table.replace(/"/g, '""')}"`;
  const seen = Number(engine.all(`SELECT count(*) FROM (SELECT 1 FROM ${quoted} LIMIT ?)`, [maxRows + 1]).rows[0]?.[0] ?? 0);
  return seen > maxRows;
}
