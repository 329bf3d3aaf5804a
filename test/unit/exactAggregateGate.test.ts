import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { passExactAggregateGate } from '../../src/host/testHooks/exactAggregateGate';

describe('the exact-aggregate gate (a chart journey test hook, src/host/testHooks)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-gate-'));
  const gate = path.join(dir, 'hold');
  afterEach(() => rmSync(gate, { force: true }));
  const settled = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(() => (done = true), () => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    return done;
  };

  it('is open without the variable, and for sampled requests even while held', async () => {
    writeFileSync(gate, '');
    await passExactAggregateGate(false, new AbortController().signal, undefined);
    await passExactAggregateGate(true, new AbortController().signal, gate);
  });

  it('holds an exact request while the file exists and lets it through once it is removed', async () => {
    writeFileSync(gate, '');
    const passing = passExactAggregateGate(false, new AbortController().signal, gate);
    assert.equal(await settled(passing), false, 'held');
    rmSync(gate);
    await passing;
  });

  it('a cancelled request leaves the gate with its reason', async () => {
    writeFileSync(gate, '');
    const abort = new AbortController();
    const passing = passExactAggregateGate(false, abort.signal, gate);
    abort.abort(new Error('stopped by the user'));
    await assert.rejects(passing, /stopped by the user/);
  });
});
