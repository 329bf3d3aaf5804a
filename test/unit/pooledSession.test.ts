// The kit's pooled-session mechanism (plugins/kit/pooledSession.ts) over a fake pool whose connections arrive when
// the test says so: cancelling a wait, giving back a connection that came too late, and the retry budget. The real
// drivers are covered by the PostgreSQL and MySQL integration tests.
import * as assert from 'node:assert/strict';
import { isDatasourceError } from '../../plugins/kit/errors';
import { acquirePooled, withRetries } from '../../plugins/kit/pooledSession';

/** A pool whose `take` waits until the test hands out a connection or a failure. */
function fakePool() {
  const waiting: { resolve(connection: string): void; reject(error: Error): void }[] = [];
  const givenBack: string[] = [];
  return {
    takes: () => waiting.length,
    take: () => new Promise<string>((resolve, reject) => waiting.push({ resolve, reject })),
    giveBack: (connection: string) => void givenBack.push(connection),
    givenBack,
    next: () => waiting.shift()!,
  };
}

const isCancelled = (error: unknown) => isDatasourceError(error) && error.code === 'cancelled';
const settle = () => new Promise((resolve) => setImmediate(resolve));
const tagged = (reason: string) => Object.assign(new Error(reason), { reason });
const reasonOf = (error: unknown) => (error as { reason?: 'connection' | 'schema' }).reason;

describe('pooled sessions (plugins/kit/pooledSession)', () => {
  describe('acquirePooled', () => {
    it('hands over the connection the pool gives', async () => {
      const pool = fakePool();
      const acquiring = acquirePooled(pool.take, pool.giveBack, new AbortController().signal);
      pool.next().resolve('c1');
      assert.equal(await acquiring, 'c1');
      assert.deepEqual(pool.givenBack, []);
    });

    it('ends the wait as cancelled when the signal aborts, and gives back the connection that arrives later', async () => {
      const pool = fakePool();
      const controller = new AbortController();
      const acquiring = acquirePooled(pool.take, pool.giveBack, controller.signal);
      const slot = pool.next();
      controller.abort();
      await assert.rejects(acquiring, isCancelled);
      slot.resolve('late');
      await settle();
      assert.deepEqual(pool.givenBack, ['late']);
    });

    it('does not ask the pool when the signal has already aborted', async () => {
      const pool = fakePool();
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(acquirePooled(pool.take, pool.giveBack, controller.signal), isCancelled);
      assert.equal(pool.takes(), 0);
    });

    it("passes the pool's failure on, and drops one that comes after a cancel", async () => {
      const pool = fakePool();
      const failing = acquirePooled(pool.take, pool.giveBack, new AbortController().signal);
      pool.next().reject(new Error('refused'));
      await assert.rejects(failing, /refused/);

      const controller = new AbortController();
      const cancelledWait = acquirePooled(pool.take, pool.giveBack, controller.signal);
      const slot = pool.next();
      controller.abort();
      slot.reject(new Error('refused later'));
      await assert.rejects(cancelledWait, isCancelled);
    });

    it('without a signal simply waits for the pool', async () => {
      const pool = fakePool();
      const acquiring = acquirePooled(pool.take, pool.giveBack);
      pool.next().resolve('c1');
      assert.equal(await acquiring, 'c1');
    });
  });

  describe('withRetries', () => {
    /** An operation that fails with the given errors, then succeeds; counts its attempts. */
    const failing = (...errors: Error[]) => {
      let attempts = 0;
      return {
        attempts: () => attempts,
        run: async () => {
          attempts++;
          const error = errors.shift();
          if (error) throw error;
          return 'done';
        },
      };
    };

    it('retries each reason as often as allowed, then throws the error as it is', async () => {
      const op = failing(tagged('connection'), tagged('schema'));
      const retried: string[] = [];
      assert.equal(await withRetries(op.run, { reasonToRetry: reasonOf, retries: { connection: 1, schema: 1 }, onRetry: (r) => void retried.push(r) }), 'done');
      assert.deepEqual(retried, ['connection', 'schema']);

      const twice = tagged('connection');
      const again = failing(tagged('connection'), twice);
      await assert.rejects(withRetries(again.run, { reasonToRetry: reasonOf, retries: { connection: 1, schema: 1 } }), (e) => e === twice);
      assert.equal(again.attempts(), 2);
    });

    it('keeps to the total, never retries an error without a reason, and asks mayRetry', async () => {
      const second = tagged('schema');
      const capped = failing(tagged('connection'), second);
      await assert.rejects(withRetries(capped.run, { reasonToRetry: reasonOf, retries: { connection: 1, schema: 1 }, maxRetries: 1 }), (e) => e === second);

      const plain = failing(new Error('syntax'));
      await assert.rejects(withRetries(plain.run, { reasonToRetry: reasonOf, retries: { connection: 1 } }), /syntax/);
      assert.equal(plain.attempts(), 1);

      const closed = failing(tagged('connection'));
      await assert.rejects(withRetries(closed.run, { reasonToRetry: reasonOf, retries: { connection: 1 }, mayRetry: () => false }), /connection/);
      assert.equal(closed.attempts(), 1);

      const unlisted = failing(tagged('schema'));
      await assert.rejects(withRetries(unlisted.run, { reasonToRetry: reasonOf, retries: { connection: 1 } }), /schema/);
    });

    it('ends as cancelled before an attempt once the signal has aborted', async () => {
      const controller = new AbortController();
      let attempts = 0;
      const run = async () => {
        attempts++;
        controller.abort();
        throw tagged('schema');
      };
      await assert.rejects(withRetries(run, { reasonToRetry: reasonOf, retries: { schema: 1 } }, controller.signal), isCancelled);
      assert.equal(attempts, 1, 'the retry was allowed, but the abort ended it before it ran');
    });
  });
});
