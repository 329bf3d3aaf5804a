import type { CellValue } from '../../api';

/**
 * Runs statements on one connection of the session's pool (or the connection of an open transaction). Values are
 * always bound parameters of a prepared statement; results come back converted (typeKinds.ts).
 */
export interface Runner {
  /**
   * A statement that returns rows, as arrays in select-list order. `spatial: false` says the result holds no
   * spatial column, so rows skip the per-value hook that keeps spatial values as bytes (it costs ~10× on big pages).
   */
  query(sql: string, params?: CellValue[], options?: { spatial?: boolean }): Promise<CellValue[][]>;
  /** A statement that changes rows. `affectedRows` counts matched rows (the FOUND_ROWS client flag). */
  write(sql: string, params?: CellValue[]): Promise<{ affectedRows: number; insertId: bigint }>;
  /** The result columns of a statement, from preparing it: nothing runs. */
  describe?(sql: string): Promise<ResultField[]>;
}

/** What the server is: MariaDB and MySQL differ in JSON, timeouts and some catalog columns. */
export interface ServerInfo {
  mariadb: boolean;
  version: string;
  /** A node of a Galera cluster with replication on (galera.ts). */
  galera?: boolean;
}

/** The metadata of one result column, as a prepared statement describes it (mysql2's FieldPacket). */
export interface ResultField {
  name: string;
  /** Database of the column's table, '' for an expression. */
  schema?: string;
  orgTable?: string;
  orgName?: string;
  columnType?: number;
  columnLength?: number;
  decimals: number;
  flags: number | string[];
  characterSet?: number;
}
