import * as assert from 'node:assert/strict';
import { checkCaller, checkChanges, checkLocator, signalOf } from '../../src/core/dataAccess';

describe('api.data: what another extension passes (src/core/dataAccess)', () => {
  it('takes the caller\'s own installed extension id, and refuses anything else with how to fix it', () => {
    const installed = (id: string) => id === 'acme.reports';
    assert.equal(checkCaller({ extensionId: 'acme.reports' }, installed), 'acme.reports');
    assert.throws(() => checkCaller({ extensionId: 'acme.other' }, installed), /No installed extension has the id "acme.other"/);
    assert.throws(() => checkCaller({ extensionId: 'not an id' }, installed), /context\.extension\.id/);
    assert.throws(() => checkCaller(undefined, installed), /extensionId/);
  });

  it('checks table locators and batches, naming the change that is wrong', () => {
    assert.deepEqual(checkLocator({ datasourceId: 'd', name: 't', extra: 1 }), { datasourceId: 'd', name: 't' });
    assert.throws(() => checkLocator({ datasourceId: 'd', name: 't', schema: 5 }), /schema\?: string/);
    assert.throws(() => checkLocator(null), /A table is/);
    const ok = [{ kind: 'insert', values: { a: 1 } }, { kind: 'update', key: { id: 1 }, changes: { a: 2 }, expected: { a: 1 } }, { kind: 'delete', key: { id: 2 }, expected: { a: 3 } }];
    assert.equal(checkChanges(ok).length, 3);
    assert.throws(() => checkChanges([{ kind: 'delete', key: { id: 2 } }]), /changes\[0\] needs key and expected/);
    assert.throws(() => checkChanges([ok[0], { kind: 'upsert' }]), /changes\[1\] has no kind/);
    assert.throws(() => checkChanges([{ kind: 'insert', values: [1, 2] }]), /changes\[0\] needs values/);
    assert.throws(() => checkChanges({ kind: 'insert' }), /must be an array/);
  });

  it('turns a cancellation token into an AbortSignal, already cancelled or later', () => {
    assert.equal(signalOf(undefined), undefined);
    assert.equal(signalOf({ isCancellationRequested: true, onCancellationRequested: () => ({ dispose() {} }) })?.aborted, true);
    let cancel = () => undefined as unknown;
    const signal = signalOf({ isCancellationRequested: false, onCancellationRequested: (l) => ((cancel = l as () => unknown), { dispose() {} }) })!;
    assert.equal(signal.aborted, false);
    cancel();
    assert.equal(signal.aborted, true);
  });
});
