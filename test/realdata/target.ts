// What one real-data target tells the suite: how to open the dataset (a datasource session and a raw client of the
// same engine), and which of its tables, columns and values exercise each check. The values come from the public
// data itself, so a target reads like a description of the dataset.
import type { CellValue, DatasourceSession, SortKey } from '../../api';
import type { RawClient } from '../support/datasets';

export interface Opened {
  session: DatasourceSession;
  raw: RawClient;
  /** The schema of this copy when it differs from the target's (a MySQL scratch copy is another database). */
  schema?: string;
}

export interface RealDatabaseTarget {
  /** e.g. "Chinook on PostgreSQL". */
  name: string;
  /** The schema the dataset's tables live in (PostgreSQL schema, MySQL database), absent for SQLite. */
  schema?: string;
  /** Starts what the target needs and loads the dataset, with `view` already created in it. Called once, in before(). */
  open(): Promise<Opened>;
  /** A separate copy of the dataset for the write checks, so the read checks never see their rows. */
  openScratch(): Promise<Opened>;
  /** Stops everything open() and openScratch() started. */
  dispose(): Promise<void>;
  /** A keyless view the target creates over the data (not part of the dataset), with a column of many ties. */
  view: { name: string; sorts: SortKey[] };
  /** Sorts with ties on the dataset's own tables. */
  tableSorts: { table: string; sort: SortKey }[];
  /** One table to filter, and operands taken from its data. */
  filters: {
    table: string;
    /** An exact numeric column and a value it holds (for eq/ne/lt/lte/gt/gte). */
    number: { column: string; value: CellValue };
    /** A column with NULLs (isnull/notnull, and `in` with a null item). */
    nullable: { column: string; values: CellValue[] };
    /**
     * A text column and needles with an accented letter that differ from the data in ASCII case only: the contract
     * folds case on every engine but A–Z is all SQLite and PostgreSQL's C locale fold, and it keeps accents.
     */
    text: { column: string; contains: string; startswith: string; endswith: string; unaccented: string };
  };
  /** Grouped aggregates: count, sum, min, max and mean of `measure` by `groupBy` (a column with NULLs in one). */
  aggregates: { table: string; groupBy: string; measure: string }[];
  writes: {
    /** Insert a row with `values` plus hostile text in `textColumn`, read it back, delete it. */
    text: {
      table: string;
      key: Record<string, CellValue>;
      values: Record<string, CellValue>;
      textColumn: string;
      /**
       * The column's character set holds no characters outside the Basic Multilingual Plane (MariaDB's NVARCHAR is
       * utf8mb3): then the emoji must be refused with 'invalid_value', nothing stored, and the rest round trips.
       */
      bmpOnly?: boolean;
    };
    /** Exact decimals written into an existing row and read back as the same digits. */
    decimals: { table: string; key: Record<string, CellValue>; column: string; values: string[] }[];
    /** Rows other rows refer to: deleting each must be refused with 'constraint'. */
    referenced: { table: string; key: Record<string, CellValue> }[];
    /** A row another client changes before the datasource's update with stale expected values. */
    conflict: { table: string; key: Record<string, CellValue>; column: string; theirs: string; mine: string };
  };
}
