// A connection to a hot standby (a read replica in recovery): tables open read-only with the reason, a write that
// reaches the server anyway says why it was refused, and the tree shows the replica and how far behind it is.
import type { CellValue, SessionStatus, TableSchema } from '../../api';
import { datasourceError } from '../kit/errors';

export const REPLICA_REASON = 'read replica: the server is in recovery';

/** `schema` as a standby serves it: every table and view read-only, with the replica's reason first. */
export function replicaSchema(schema: TableSchema): TableSchema {
  return { ...schema, readOnlyReason: `${capitalized(REPLICA_REASON)} (a hot standby), so Nocoflo opens its tables read-only; edit them on the primary.` };
}

/** A write the standby refused (SQLSTATE 25006), with the replica's reason in front of the server's words. */
export function replicaWriteRefused(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return datasourceError('read_only', `${capitalized(REPLICA_REASON)}, so it refuses writes: ${message}`, { cause: error });
}

/**
 * What the server says about recovery and replay, in one statement that any server answers: on a primary the
 * replay functions return NULL. Columns: in recovery; seconds since the last replayed transaction committed on
 * the primary; whether everything received has been replayed; the last replay time as text.
 */
export const REPLICA_STATUS_SQL = `SELECT pg_is_in_recovery(),
         extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8,
         pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(),
         pg_last_xact_replay_timestamp()::text`;

/**
 * The tree's status of a server from REPLICA_STATUS_SQL's row; undefined for a primary (nothing to say). The label
 * stays "read replica" (the tree redraws a connection when it changes); the lag, which changes all the time, is in
 * the detail.
 */
export function replicaStatus(row: CellValue[] | undefined): SessionStatus | undefined {
  if (!row || row[0] !== true) return undefined;
  const [, lagSeconds, caughtUp, replayedAt] = row;
  if (typeof lagSeconds !== 'number') {
    return { label: 'read replica', detail: 'Read replica: the server is in recovery. It has not replayed a transaction since it started, so it reports no replication lag.' };
  }
  const lag = formatSeconds(Math.max(0, lagSeconds));
  // now() - last replay time also grows while the primary is idle; with nothing received left to replay, that is
  // how long ago the last transaction was, not how far behind the replica is.
  if (caughtUp === true) {
    return { label: 'read replica', detail: `Read replica: the server is in recovery. It has replayed all it received; the last transaction it replayed committed ${lag} ago (${String(replayedAt)}).` };
  }
  return { label: 'read replica', detail: `Read replica: the server is in recovery. Replication lag: ${lag} (the last transaction it replayed committed at ${String(replayedAt)}).` };
}

function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
