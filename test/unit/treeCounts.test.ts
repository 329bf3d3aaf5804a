// The sidebar's row-count budget, in plain Node: a count that overruns is "timed out" (shown as unknown, not
// logged as an error) whether or not the datasource honours the AbortSignal.
import * as assert from 'node:assert/strict';
import type { RowCount } from '../../api';
import { countWithin } from '../../src/core/treeCounts';

const cancelled = () => Object.assign(new Error('Cancelled.'), { name: 'DatasourceError', code: 'cancelled' });

describe('tree row counts within a budget', () => {
  it('returns the count when it arrives in time', async () => {
    assert.deepEqual(await countWithin(async () => ({ count: 7, exact: true }), 60_000), { kind: 'counted', count: { count: 7, exact: true } });
  });

  it('aborts the signal when the budget runs out, and reports timed out', async () => {
    let seen: AbortSignal | undefined;
    const outcome = await countWithin(
      (signal) =>
        new Promise<RowCount>((_resolve, reject) => {
          seen = signal;
          signal.addEventListener('abort', () => reject(cancelled()));
        }),
      10,
    );
    assert.deepEqual(outcome, { kind: 'timed out' });
    assert.equal(seen?.aborted, true);
  });

  it('stops waiting for a datasource that ignores the signal', async () => {
    assert.deepEqual(await countWithin(() => new Promise<RowCount>(() => undefined), 10), { kind: 'timed out' });
  });

  it("treats the datasource's own 'timeout' as timed out, and any other failure as failed", async () => {
    const timeout = Object.assign(new Error('took too long'), { code: 'timeout' });
    assert.deepEqual(await countWithin(() => Promise.reject(timeout), 60_000), { kind: 'timed out' });
    const broken = Object.assign(new Error('no such table'), { code: 'not_found' });
    assert.deepEqual(await countWithin(() => Promise.reject(broken), 60_000), { kind: 'failed', error: broken });
  });
});
