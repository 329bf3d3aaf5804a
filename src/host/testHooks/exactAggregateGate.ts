// A test hook for the chart journey (test/e2e/journeys/chart.test.ts), inert unless the extension host was started
// with NOCOFLO_TEST_EXACT_AGGREGATE_GATE naming a file. While that file exists, a view's exact aggregate (one asked
// without a sample) waits before it reaches the datasource, until the file is removed or the request is cancelled.
// Without it the journey could only hope to see the estimate and press Stop before the exact answer arrived, which
// node:sqlite computes in well under a second: a race, not a test.
import { existsSync } from 'node:fs';

const POLL_MS = 50;

/** Resolves when the gate is open (always, without the variable); rejects with the signal's reason on cancel. */
export async function passExactAggregateGate(sampled: boolean, signal: AbortSignal, gate = process.env.NOCOFLO_TEST_EXACT_AGGREGATE_GATE): Promise<void> {
  if (!gate || sampled) return;
  while (existsSync(gate)) {
    signal.throwIfAborted();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      signal.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
  signal.throwIfAborted();
}
