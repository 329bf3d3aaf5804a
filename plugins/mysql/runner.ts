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
}

/** What the server is: MariaDB and MySQL differ in JSON, timeouts and some catalog columns. */
export interface ServerInfo {
  mariadb: boolean;
  version: string;
  /** A node of a Galera cluster with replication on (galera.ts). */
  galera?: boolean;
}
