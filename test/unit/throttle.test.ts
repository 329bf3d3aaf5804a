import * as assert from 'node:assert/strict';
import { throttle } from '../../webview/shared/dom';

describe('throttle (webview/shared/dom): how views save their state', () => {
  let clock = 0;
  const now = () => clock;
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeEach(() => (clock = 1_000));

  it('runs a change at once, so a tab hidden right after it keeps it', () => {
    const calls: number[] = [];
    const save = throttle(250, (n: number) => calls.push(n), now);
    save(1);
    assert.deepEqual(calls, [1]);
    clock += 300;
    save(2);
    assert.deepEqual(calls, [1, 2], 'a change after a quiet spell is saved at once too');
  });

  it('a burst runs once more at the end of the window, with the latest arguments', async () => {
    const calls: number[] = [];
    const save = throttle(5, (n: number) => calls.push(n), now);
    save(1);
    clock += 1;
    save(2);
    save(3);
    assert.deepEqual(calls, [1]);
    await settle(30);
    assert.deepEqual(calls, [1, 3]);
  });

  it('flush runs what is waiting now; cancel drops it', async () => {
    const calls: number[] = [];
    const save = throttle(5, (n: number) => calls.push(n), now);
    save(1);
    save(2);
    save.flush();
    assert.deepEqual(calls, [1, 2]);
    save.flush();
    assert.deepEqual(calls, [1, 2], 'nothing left to flush');
    save(3);
    save.cancel();
    await settle(30);
    assert.deepEqual(calls, [1, 2]);
  });
});
