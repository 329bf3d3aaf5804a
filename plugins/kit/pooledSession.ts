// What the PostgreSQL and MySQL/MariaDB sessions share about lending pooled connections: waiting for one ends as
// soon as the operation is cancelled (by its caller, by a time budget that aborts its signal, or by the session
// closing), and an operation may run again on a fresh connection for reasons and as often as the session allows
// (a connection a restarted server broke; a cached schema that went stale). The drivers' APIs and error mapping
// stay in the plugins.
import { datasourceError } from './errors';

const cancelled = () => datasourceError('cancelled', 'Cancelled.');

/**
 * A connection from `take` (a pool's, which waits while every connection is busy), or a `cancelled` error as soon as
 * `signal` aborts. A connection that arrives after that goes straight back through `giveBack`, so a cancelled wait
 * never keeps one from the pool; a failure after that is dropped, the caller already has its answer.
 */
export function acquirePooled<C>(take: () => Promise<C>, giveBack: (connection: C) => void, signal?: AbortSignal): Promise<C> {
  if (!signal) return take();
  if (signal.aborted) return Promise.reject(cancelled());
  const waiting = take();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.then(
      (connection) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) giveBack(connection);
        else resolve(connection);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) reject(error);
      },
    );
  });
}

export interface RetryPolicy<Reason extends string> {
  /** Why a failed attempt may run again, or undefined when its error is final. */
  reasonToRetry(error: unknown): Reason | undefined;
  /** How many times each reason may retry; a reason not listed never does. */
  retries: Partial<Record<Reason, number>>;
  /** At most this many retries in all; by default the sum of `retries`. */
  maxRetries?: number;
  /** Asked before each retry the counts allow (e.g. false once the session is closed). */
  mayRetry?(reason: Reason): boolean;
  /** Runs before each retry: logging, forgetting a stale schema. */
  onRetry?(reason: Reason, error: unknown): void;
}

/**
 * Runs `attempt` until it succeeds or fails with an error `policy` does not retry, which is thrown as it is. Before
 * every attempt an aborted `signal` ends the operation as `cancelled`.
 */
export async function withRetries<T, Reason extends string>(attempt: () => Promise<T>, policy: RetryPolicy<Reason>, signal?: AbortSignal): Promise<T> {
  const used = new Map<Reason, number>();
  const allowed = (reason: Reason) => policy.retries[reason] ?? 0;
  const maxRetries = policy.maxRetries ?? Object.values<number | undefined>(policy.retries).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  let total = 0;
  for (;;) {
    if (signal?.aborted) throw cancelled();
    try {
      return await attempt();
    } catch (error) {
      const reason = policy.reasonToRetry(error);
      if (reason === undefined || total >= maxRetries || (used.get(reason) ?? 0) >= allowed(reason) || policy.mayRetry?.(reason) === false) throw error;
      used.set(reason, (used.get(reason) ?? 0) + 1);
      total++;
      policy.onRetry?.(reason, error);
    }
  }
}
