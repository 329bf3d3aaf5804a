// Undo from the audit log (src/core/audit/auditUndo.ts) on a real metadata file (real sql.js): the inverse changes
// handed to TableService.apply (stood in for by a recorder, since the write itself is covered by
// test/integration/auditUndo.test.ts on real SQLite and PostgreSQL), their order and origin, and every refusal and
// failure message a user reads in the Audit Log tab.
import * as assert from 'node:assert/strict';
import { AuditStore, type NewAuditEntry } from '../../src/core/audit/auditStore';
import { UNDO_SOURCE, undoAudit, type UndoDeps } from '../../src/core/audit/auditUndo';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import type { ApplyResult, ChangeOrigin, PendingChange } from '../../src/core/tableService';
import type { TableLocator } from '../../api';
import { auditEntry, closeAuditFixture, openAuditFixture } from '../support/auditFixtures';

const noRetention = { days: 0, maxEntries: 0 };

describe('Undo from the audit log (undoAudit)', () => {
  let dir: string;
  let metadata: MetadataFile;
  let store: AuditStore;
  let calls: { table: TableLocator; changes: PendingChange[]; origin: ChangeOrigin | undefined }[];
  let answer: () => Promise<ApplyResult>;
  let deps: UndoDeps;

  beforeEach(async () => {
    ({ dir, metadata, store } = await openAuditFixture('nocoflo-undo-'));
    calls = [];
    answer = async () => ({ ok: true, results: [] });
    deps = {
      store,
      tables: {
        apply: async (table, changes, origin) => {
          calls.push({ table, changes, origin });
          return answer();
        },
      },
      datasourceName: (id) => (id === 'ds1' || id === 'ds2' ? `name of ${id}` : undefined),
    };
  });
  afterEach(() => closeAuditFixture({ dir, metadata, store }));

  const entry = (over: Partial<NewAuditEntry> = {}): NewAuditEntry => auditEntry({ schema: 'main', ...over });

  it('undoes one change through TableService with the inverse, the undo source and the entry it undoes', async () => {
    const [id] = await store.record([entry()], noRetention);
    const outcome = await undoAudit(deps, { entryId: id! });
    assert.deepEqual(outcome, { ok: true, undone: [id], message: `Undid change #${id} in notes.`, datasourceId: 'ds1' });
    assert.deepEqual(calls, [
      {
        table: { datasourceId: 'ds1', schema: 'main', name: 'notes' },
        changes: [{ kind: 'update', key: { id: 1 }, changes: { body: 'a' }, expected: { body: 'b' } }],
        origin: { source: UNDO_SOURCE, undoOf: [id] },
      },
    ]);
  });

  it('undoes a batch last change first, skipping the changes already undone, on a table without a schema', async () => {
    const ids = await store.record(
      [
        entry({ schema: undefined, operation: 'insert', key: { id: 7 }, oldValues: null, newValues: { id: 7, body: 'new' } }),
        entry({ schema: undefined, key: { id: 7 }, oldValues: { body: 'new' }, newValues: { body: 'newer' } }),
        entry({ schema: undefined, operation: 'delete', key: { id: 2 }, oldValues: { id: 2, body: 'gone' }, newValues: null }),
      ],
      noRetention,
    );
    // The delete was undone already (an undo entry of another batch points at it).
    await store.record([entry({ batchId: 'undo-1', operation: 'insert', key: { id: 2 }, oldValues: null, newValues: { id: 2, body: 'gone' }, undoOf: ids[2] })], noRetention);
    const outcome = await undoAudit(deps, { batchId: 'b1' });
    assert.deepEqual(outcome, { ok: true, undone: [ids[1], ids[0]], message: 'Undid 2 changes in notes.', datasourceId: 'ds1' });
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.table, { datasourceId: 'ds1', name: 'notes' }, 'no schema key when the entries have none');
    assert.deepEqual(calls[0]!.changes, [
      { kind: 'update', key: { id: 7 }, changes: { body: 'new' }, expected: { body: 'newer' } },
      { kind: 'delete', key: { id: 7 }, expected: { id: 7, body: 'new' } },
    ]);
    assert.deepEqual(calls[0]!.origin, { source: UNDO_SOURCE, undoOf: [ids[1], ids[0]] });
  });

  it('refuses, without writing, what cannot be undone, and says why', async () => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [];
    cases.push(['a removed entry', () => undoAudit(deps, { entryId: 999 }), /Audit entry #999 no longer exists/]);
    cases.push(['a removed batch', () => undoAudit(deps, { batchId: 'nope' }), /batch is no longer in the audit log/]);
    const [a] = await store.record([entry({ batchId: 'done' })], noRetention);
    const [u] = await store.record([entry({ batchId: 'undo', undoOf: a })], noRetention);
    cases.push(['a batch undone already', () => undoAudit(deps, { batchId: 'done' }), new RegExp(`already undone \\(by #${u}\\)`)]);
    await store.record([entry({ batchId: 'mixed' }), entry({ batchId: 'mixed', table: 'other' })], noRetention);
    cases.push(['a batch over two tables', () => undoAudit(deps, { batchId: 'mixed' }), /belong to different tables/]);
    await store.record([entry({ batchId: 'schemas' }), entry({ batchId: 'schemas', schema: 'aux' })], noRetention);
    cases.push(['a batch over two schemas', () => undoAudit(deps, { batchId: 'schemas' }), /belong to different tables/]);
    await store.record([entry({ batchId: 'two-ds' }), entry({ batchId: 'two-ds', datasourceId: 'ds2' })], noRetention);
    cases.push(['a batch over two datasources', () => undoAudit(deps, { batchId: 'two-ds' }), /belong to different tables/]);
    const [d1, d2] = await store.record([entry({ batchId: 'done2' }), entry({ batchId: 'done2', key: { id: 2 } })], noRetention);
    const [u1, u2] = await store.record([entry({ batchId: 'undo2', undoOf: d1 }), entry({ batchId: 'undo2', undoOf: d2 })], noRetention);
    cases.push(['a batch undone already, by two entries', () => undoAudit(deps, { batchId: 'done2' }), new RegExp(`already undone \\(by #${u1}, #${u2}\\)\\.$`)]);
    await store.record([entry({ batchId: 'gone', datasourceId: 'removed' })], noRetention);
    cases.push(['a removed datasource', () => undoAudit(deps, { batchId: 'gone' }), /datasource of this change \(removed\) no longer exists/]);
    await store.record([entry({ batchId: 'cut', truncated: true })], noRetention);
    cases.push(['a truncated entry', () => undoAudit(deps, { batchId: 'cut' }), /too large to keep in the audit log/]);
    for (const [what, run, reason] of cases) {
      const outcome = (await run()) as { ok: boolean; reason?: string };
      assert.equal(outcome.ok, false, what);
      assert.match(outcome.reason ?? '', reason, what);
    }
    assert.deepEqual(calls, [], 'nothing reached TableService');
  });

  it('reports a conflict with what the row holds now, only the checked columns, and whether anything was undone', async () => {
    const ids = await store.record([entry({ key: { id: 1 } }), entry({ key: { id: 2 }, oldValues: { body: 'c' }, newValues: { body: 'd' } })], noRetention);
    // Undone last first: index 0 is the change to row 2.
    answer = async () => ({ ok: false, failure: { index: 0, code: 'conflict', message: 'changed', current: { id: 2, body: 'someone else', secret: 'x' } }, rolledBack: true });
    let outcome = await undoAudit(deps, { batchId: 'b1' });
    assert.deepEqual(outcome, { ok: false, reason: `Row id=2 of notes changed since change #${ids[1]} (it now holds body="someone else"). Nothing was undone.` });
    answer = async () => ({ ok: false, failure: { index: 1, code: 'conflict', message: 'changed', current: null }, rolledBack: false });
    outcome = await undoAudit(deps, { batchId: 'b1' });
    assert.deepEqual(outcome, { ok: false, reason: `Row id=1 of notes changed since change #${ids[0]} (it was deleted). The first 1 of 2 were undone.` });
    answer = async () => ({ ok: false, failure: { index: 0, code: 'conflict', message: 'changed' }, rolledBack: true });
    outcome = await undoAudit(deps, { batchId: 'b1' });
    assert.match((outcome as { reason: string }).reason, /\(its values differ\)/);
  });

  it('shows every column of the row in the way when the undo of a delete (an insert) conflicts', async () => {
    const [id] = await store.record([entry({ operation: 'delete', key: { id: 5 }, oldValues: { id: 5, body: 'x' }, newValues: null })], noRetention);
    answer = async () => ({ ok: false, failure: { index: 0, code: 'conflict', message: 'exists', current: { id: 5, body: 'new one' } }, rolledBack: true });
    assert.deepEqual(await undoAudit(deps, { entryId: id! }), { ok: false, reason: `Row id=5 of notes changed since change #${id} (it now holds id=5, body="new one"). Nothing was undone.` });
    // A failure pointing past the changes sent (a misbehaving datasource) still gives a sentence.
    answer = async () => ({ ok: false, failure: { index: 3, code: 'conflict', message: 'exists', current: null }, rolledBack: true });
    assert.match(((await undoAudit(deps, { entryId: id! })) as { reason: string }).reason, /^Row a row of notes changed since change #.* \(it was deleted\)\. Nothing was undone\.$/);
    answer = async () => ({ ok: false, failure: { index: 3, code: 'io', message: 'broken pipe' }, rolledBack: true });
    const outcome = await undoAudit(deps, { entryId: id! });
    assert.equal(outcome.ok, false);
    assert.match((outcome as { reason: string }).reason, /\(a row\) failed: broken pipe Nothing was undone\.$/);
  });

  it('reports any other failure with the datasource\'s message, and an exception from the write as a failed undo', async () => {
    const [id] = await store.record([entry({ operation: 'delete', key: { id: 5 }, oldValues: { id: 5, body: 'x' }, newValues: null })], noRetention);
    answer = async () => ({ ok: false, failure: { index: 0, code: 'constraint', message: 'UNIQUE constraint failed: notes.id' }, rolledBack: true });
    assert.deepEqual(await undoAudit(deps, { entryId: id! }), { ok: false, reason: `Undo of change #${id} (id=5) failed: UNIQUE constraint failed: notes.id Nothing was undone.` });
    assert.deepEqual(calls.at(-1)!.changes, [{ kind: 'insert', values: { id: 5, body: 'x' } }], 'a delete is undone by inserting the row again');
    answer = async () => Promise.reject(new Error('connection lost'));
    assert.deepEqual(await undoAudit(deps, { entryId: id! }), { ok: false, reason: 'Undo failed: connection lost' });
  });
});
