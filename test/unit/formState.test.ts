import * as assert from 'node:assert/strict';
import { encodeChange, encodeQuery } from '../../shared/protocolCodec';
import { encodeRecord } from '../../shared/values';
import { restoreFormState, type FormState } from '../../webview/form/model/formState';

const pending = [encodeChange({ kind: 'update', key: { id: 9007199254740993n }, changes: { name: 'Ada' }, expected: { id: 9007199254740993n, name: 'ada' } })];
const query = { filters: [{ column: 'status', op: 'eq' as const, value: 'paid' }], sort: [{ column: 'id', direction: 'desc' as const }] };
const saved: FormState = { version: 1, query: encodeQuery(query), position: 41, pending };

describe('form tab state (webview/form/model/formState)', () => {
  it('starts from the query Nocoflo hands over when there is no state', () => {
    assert.deepEqual(restoreFormState(undefined, query, undefined), { query, position: 0 });
    assert.deepEqual(restoreFormState(undefined, undefined, { id: 3 }), { query: {}, position: 0, focus: { id: 3 } });
  });

  it('comes back to the same position for the same query (a reload reports the form\'s own query)', () => {
    assert.deepEqual(restoreFormState(saved, query, undefined), { query, position: 41, pending });
    assert.deepEqual(restoreFormState(saved, undefined, undefined), { query, position: 41, pending }, 'a client without init.query');
    const alone = restoreFormState({ ...saved, position: undefined, focus: encodeRecord({ id: 5n }) }, query, undefined);
    assert.deepEqual(alone.focus, { id: 5n });
  });

  it('starts over for another query or a row to focus, but never drops unsaved edits', () => {
    assert.deepEqual(restoreFormState(saved, { filters: [{ column: 'status', op: 'eq', value: 'new' }] }, undefined), { query: { filters: [{ column: 'status', op: 'eq', value: 'new' }] }, position: 0, pending });
    assert.deepEqual(restoreFormState(saved, query, { id: 7 }), { query, position: 0, focus: { id: 7 }, pending });
  });

  it('keeps text that is still being fixed, for rows by id and new records by position', () => {
    const drafts = [
      { row: { id: '[["id",7]]' }, column: 'ordered_at', text: '2024-13-45', error: 'not a date' },
      { row: { insert: 0 }, column: 'name', text: '', error: 'required' },
    ];
    assert.deepEqual(restoreFormState({ ...saved, drafts }, query, undefined).drafts, drafts);
    assert.deepEqual(restoreFormState({ ...saved, drafts }, { filters: [] , sort: [{ column: 'x', direction: 'asc' }] }, undefined).drafts, drafts, 'also when the query changed');
    assert.equal(restoreFormState({ ...saved, drafts: [{ row: {}, column: 'x', text: 'y', error: 'z' }, 'junk'] }, query, undefined).drafts, undefined, 'malformed drafts are dropped');
  });

  it('ignores state it does not understand', () => {
    assert.deepEqual(restoreFormState({ version: 2, pending: [] }, undefined, undefined), { query: {}, position: 0 });
    assert.deepEqual(restoreFormState('junk', undefined, undefined), { query: {}, position: 0 });
    assert.deepEqual(restoreFormState({ ...saved, position: -4 }, query, undefined).position, 0);
    assert.deepEqual(restoreFormState({ ...saved, query: { filters: [{ column: 'x', op: 'eq', value: { $bigint: 'zz' } }] } }, undefined, undefined), { query: {}, position: 0, pending });
  });
});
