// A throwaway PostgreSQL primary and a hot standby streaming from it, both on 127.0.0.1 on free ports, each in its
// own temporary directory (see postgresServer.ts). The standby is a pg_basebackup -R of the primary, taken over a
// replication role the primary only knows for this; it is returned once it is in recovery and replaying (a row
// written on the primary after the backup is visible on it). stop() stops both and deletes both directories.
import { randomBytes } from 'node:crypto';
import { startPostgres, type PostgresServer, type PostgresServerOptions } from './postgresServer';

export interface PostgresReplica {
  primary: PostgresServer;
  standby: PostgresServer;
  /**
   * Waits until the standby has replayed everything the primary has written so far (its replay position reaches the
   * primary's current WAL position). Polls a bounded number of times and fails saying how far behind it still is.
   */
  caughtUp(): Promise<void>;
  /** Stops both servers and deletes their directories. Safe to call twice. */
  stop(): Promise<void>;
}

const REPLICATION_USER = 'nocoflo_replication';
/** How often (every POLL_MS) the standby is asked whether it has caught up before the wait fails. */
const POLL_ATTEMPTS = 600;
const POLL_MS = 50;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPostgresReplica(options: Omit<PostgresServerOptions, 'standbyOf'> = {}): Promise<PostgresReplica> {
  const replicationPassword = randomBytes(18).toString('base64url');
  const primary = await startPostgres({
    ...options,
    hba: [...(options.hba ?? []), `host replication ${REPLICATION_USER} 127.0.0.1/32 scram-sha-256`],
    // wal_level=replica is PostgreSQL's default since 10; said here because the standby depends on it.
    settings: { wal_level: 'replica', max_wal_senders: '5', ...(options.settings ?? {}) },
  });
  let standby: PostgresServer | undefined;
  const stop = async () => {
    await standby?.stop();
    await primary.stop();
  };
  try {
    await primary.admin(`CREATE ROLE ${REPLICATION_USER} REPLICATION LOGIN PASSWORD '${replicationPassword}'`);
    standby = await startPostgres({ standbyOf: { primary, replicationUser: REPLICATION_USER, replicationPassword }, ...(options.ssl ? { ssl: true } : {}) });
    const inRecovery = (await standby.admin<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r;
    if (!inRecovery) throw new Error('The standby started, but pg_is_in_recovery() is false: it is not replaying from the primary.');
    const replica: PostgresReplica = {
      primary,
      standby,
      async caughtUp() {
        // The insert position, not pg_current_wal_lsn() (the write position): with synchronous_commit off the last
        // commit record may still sit in the WAL buffers behind the write position, and a standby that had
        // replayed only up to there would not show it yet.
        const target = (await primary.admin<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn;
        let replayed = '';
        for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
          const { rows } = await standby!.admin<{ done: boolean; replayed: string }>(
            'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done, coalesce(pg_last_wal_replay_lsn()::text, \'nothing\') AS replayed',
            [target],
          );
          if (rows[0].done) return;
          replayed = rows[0].replayed;
          await pause(POLL_MS);
        }
        throw new Error(`The standby did not catch up with the primary after ${POLL_ATTEMPTS} checks: it has replayed up to ${replayed}, the primary is at ${target}.`);
      },
      stop,
    };
    // Proof that it streams: a row written after the backup arrives.
    await primary.admin('CREATE TABLE nocoflo_replication_probe (id int PRIMARY KEY)');
    await primary.admin('INSERT INTO nocoflo_replication_probe VALUES (1)');
    await replica.caughtUp();
    const seen = (await standby.admin<{ n: string }>('SELECT count(*)::text AS n FROM nocoflo_replication_probe')).rows[0].n;
    if (seen !== '1') throw new Error(`The standby replayed the primary's WAL but shows ${seen} probe rows instead of 1.`);
    await primary.admin('DROP TABLE nocoflo_replication_probe');
    await replica.caughtUp();
    return replica;
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
