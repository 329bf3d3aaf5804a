// MariaDB Galera (and Percona XtraDB Cluster): what a session does differently on a node of a multi-primary cluster.
//
// - Reads see every save the cluster has committed, on any node: each connection sets wsrep_sync_wait = 1, so a
//   SELECT, SHOW or START TRANSACTION first waits until this node has applied everything the cluster had committed
//   when it arrived (a causal read). Without it, a row saved through node 1 can still show its old values through
//   node 3 for a moment, and a save through node 3 would then be checked against them.
// - A certification failure (another node committed a change to the same row first) arrives as ER_LOCK_DEADLOCK
//   (1213), often at COMMIT. The session runs the save once more in a new transaction; its optimistic checks then
//   find the row that changed and report the contract's conflict with the current row (mysqlSession.ts).
// - A node outside the primary component answers ER_UNKNOWN_COM_ERROR (1047, "WSREP has not yet prepared node for
//   application use"), or, for a causal read, ER_LOCK_WAIT_TIMEOUT (1205) at once: the wait cannot start. Both become
//   a 'connection' error saying the node is not part of the cluster (a 1205 after asking the node on a side
//   connection whether it is ready), and the connection is dropped so the next action starts a fresh one.
import type { Connection, PoolConnection } from 'mysql2/promise';
import type { DatasourceError } from '../../api';
import { datasourceError } from '../kit/errors';

/** ER_LOCK_DEADLOCK: an InnoDB deadlock victim, or a Galera certification failure / brute-force abort. */
export const DEADLOCK_ERRNO = 1213;
/** ER_UNKNOWN_COM_ERROR, which a Galera node not in the primary component gives for any data statement. */
export const NOT_IN_CLUSTER_ERRNO = 1047;

/**
 * Whether the server is a Galera node with replication on. `SHOW VARIABLES` never fails: a plain MySQL server
 * (which has no such variable) returns no row, a MariaDB without a provider says OFF.
 */
export async function isGaleraNode(connection: PoolConnection): Promise<boolean> {
  const [rows] = (await connection.query({ sql: "SHOW VARIABLES LIKE 'wsrep_on'", rowsAsArray: true })) as unknown as [[string, string][]];
  return rows.some((row) => String(row[1]).toUpperCase() === 'ON');
}

/** ER_LOCK_WAIT_TIMEOUT, which a causal read on a node outside the primary component gives at once. */
export const LOCK_WAIT_TIMEOUT_ERRNO = 1205;

const notInCluster = new WeakSet<object>();

/** The error for a node that is not part of the cluster, naming where the session connects. */
export function notInClusterError(where: string, serverMessage: string, cause: unknown): DatasourceError {
  const error = datasourceError(
    'connection',
    `The MariaDB Galera node at ${where} is not part of the cluster right now (${serverMessage}), so it serves no data and nothing was changed. The next action reconnects: once the node has rejoined it works again; until then, connect to another node of the cluster.`,
    { cause },
  );
  notInCluster.add(error);
  return error;
}

/** A node outside its cluster answers, but refuses data until it rejoins: asking again at once is pointless. */
export const isNotInCluster = (error: unknown): boolean => typeof error === 'object' && error !== null && notInCluster.has(error);

/** Whether the node accepts data statements (wsrep_ready), asked on a connection without causal reads. */
export async function nodeIsReady(connection: Connection): Promise<boolean> {
  const [rows] = (await connection.query({ sql: "SHOW GLOBAL STATUS LIKE 'wsrep_ready'", rowsAsArray: true })) as unknown as [[string, string][]];
  return rows.every((row) => String(row[1]).toUpperCase() === 'ON');
}

/** The conflict message when a save lost to a concurrent one twice in a row, so no current row could be read. */
export const CONCURRENT_SAVE_MESSAGE =
  'Another save changed the same rows at the same moment (through another node of the cluster, or a deadlock), twice in a row; nothing was written. Reload and reapply your edit.';
