// The audit log's edges that the main suites (auditLog.test.ts, auditUndo.test.ts) leave open, found by mutation
// testing (scripts/mutation.sh): value bounds at the limit, entries built for changes without results, stored text
// that is not a record, filters left empty, retention by age, and the reasons an entry cannot be undone.
import * as assert from 'node:assert/strict';
import { AuditRecorder, auditEntriesFor } from '../../src/core/audit/auditRecorder';
import { AuditStore } from '../../src/core/audit/auditStore';
import { UNDO_SOURCE } from '../../src/core/audit/auditUndo';
import { boundRecord, boundValue, restoreRecord } from '../../src/core/audit/auditValues';
import { inverseOf } from '../../src/core/audit/inverse';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import type { AuditEntry } from '../../shared/auditProtocol';
import { auditEntry, closeAuditFixture, openAuditFixture } from '../support/auditFixtures';

const noRetention = { days: 0, maxEntries: 0 };
const meta = { user: 'u', at: '2026-12-01T00:00:00.000Z', batchId: 'b' };

describe('Audit log edges', () => {
  describe('values bounded at the limit', () => {
    const limits = { textChars: 5, bytes: 3 };
    it('keeps text and bytes of exactly the limit whole, and cuts one more', () => {
      assert.deepEqual(boundValue('abcde', limits), { value: 'abcde', truncated: false });
      assert.deepEqual(boundValue('abcdef', limits), { value: { $truncated: { kind: 'text', length: 6, preview: 'abcde' } }, truncated: true });
      assert.equal(boundValue(new Uint8Array(3), limits).truncated, false);
      assert.deepEqual(boundValue(new Uint8Array(4), limits), { value: { $truncated: { kind: 'bytes', size: 4 } }, truncated: true });
      assert.deepEqual(boundRecord({ a: 'abcdef', b: 'x', c: new Uint8Array(9) }, limits).truncated, ['a', 'c']);
    });

    it('refuses to restore a record with a cut value, naming the column', () => {
      const { record } = boundRecord({ body: 'abcdef' }, limits);
      assert.throws(() => restoreRecord(record), /the value of "body" was not kept in full/);
    });
  });

  describe('entries for one applied batch', () => {
    const table = { datasourceId: 'ds', name: 't' };
    it('an insert without a result has no key and its sent values; an update keeps only the old values it read', () => {
      const [insert, update] = auditEntriesFor(
        table,
        [
          { kind: 'insert', values: { body: 'new' } },
          { kind: 'update', key: { id: 2 }, changes: { a: 1, b: 2 }, expected: { id: 2, a: 0 } },
        ],
        [],
        { source: 'api' },
        meta,
      );
      assert.deepEqual(insert, { batchId: 'b', at: meta.at, user: 'u', datasourceId: 'ds', table: 't', operation: 'insert', key: null, oldValues: null, newValues: { body: 'new' }, truncated: false, source: 'api' });
      assert.ok(!('schema' in insert!) && !('undoOf' in insert!), 'no schema or undoOf keys when there are none');
      assert.deepEqual([update!.key, update!.oldValues, update!.newValues], [{ id: 2 }, { a: 0 }, { a: 1, b: 2 }], 'an old value never read is not invented');
    });

    it('an update keeps the key it was sent even when the datasource returns another, and records what it undoes', () => {
      const [update, del] = auditEntriesFor(
        { ...table, schema: 'main' },
        [
          { kind: 'update', key: { id: 2 }, changes: { id: 3 }, expected: { id: 2 } },
          { kind: 'delete', key: { id: 4 }, expected: { id: 4, body: 'x' } },
        ],
        [{ key: { id: 3 }, row: { id: 3 } }, { key: { id: 4 } }],
        { source: UNDO_SOURCE, undoOf: [11, 12] },
        meta,
      );
      assert.deepEqual([update!.key, update!.oldValues, update!.newValues, update!.schema, update!.undoOf], [{ id: 2 }, { id: 2 }, { id: 3 }, 'main', 11]);
      assert.deepEqual([del!.key, del!.oldValues, del!.newValues, del!.undoOf], [{ id: 4 }, { id: 4, body: 'x' }, null, 12]);
      assert.equal(UNDO_SOURCE, 'nocoflo.audit');
    });
  });

  describe('on a real metadata file', () => {
    let dir: string;
    let metadata: MetadataFile;
    let store: AuditStore;
    beforeEach(async () => {
      ({ dir, metadata, store } = await openAuditFixture('nocoflo-audit-edges-'));
    });
    afterEach(() => closeAuditFixture({ dir, metadata, store }));
    const entry = auditEntry;

    it('reads stored text that is not a JSON object as no record, and an entry without undo marks without those keys', async () => {
      await metadata.write((db) => {
        for (const [key, old, value] of [['not json', '[1,2]', '"text"'], ['5', 'null', '{"id":1}']]) {
          db.run(
            "INSERT INTO audit_log (batch_id, at, user_name, datasource_id, schema_name, table_name, operation, row_key, old_values, new_values, truncated, source) VALUES ('raw', '2026-12-01T00:00:00.000Z', 'u', 'ds', '', 't', 'update', ?, ?, ?, 0, 'api')",
            [key!, old!, value!],
          );
        }
      });
      const [first, second] = store.batch('raw');
      assert.deepEqual([first!.key, first!.oldValues, first!.newValues], [null, null, null]);
      assert.deepEqual([second!.key, second!.oldValues, second!.newValues], [null, null, { id: 1 }]);
      assert.ok(!('undoOf' in first!) && !('undoneBy' in first!) && !('schema' in first!), JSON.stringify(first));
    });

    it('filters by schema, and treats an empty table or user filter as no filter', async () => {
      await store.record([entry({ schema: 'main' }), entry({ schema: 'aux', table: 'other', user: 'bob' })], noRetention);
      assert.deepEqual(store.query({ schema: 'aux' }, 0, 10).entries.map((e) => e.table), ['other']);
      assert.equal(store.query({ table: '', user: '' }, 0, 10).total, 2);
      assert.equal(store.query({ user: 'bob' }, 0, 10).total, 1);
    });

    it('records nothing, and prunes nothing, for an empty batch; prunes by age on its own', async () => {
      await store.record([entry({ at: '2026-11-01T00:00:00.000Z' }), entry({ at: '2026-11-28T00:00:00.000Z' })], noRetention);
      assert.deepEqual(await store.record([], { days: 1, maxEntries: 1 }, new Date('2026-12-01T00:00:00.000Z')), []);
      assert.equal(store.count(), 2);
      await store.prune({ days: 5, maxEntries: 0 }, new Date('2026-12-01T00:00:00.000Z'));
      assert.deepEqual(store.query({}, 0, 10).entries.map((e) => e.at), ['2026-11-28T00:00:00.000Z'], 'three days old kept, thirty removed');
    });

    it('records with the current time and a fresh batch id when none are injected, and tells its listeners', async () => {
      const errors: string[] = [];
      const recorder = new AuditRecorder({ store, user: () => 'grace', retention: () => noRetention, log: { info() {}, warn() {}, error: (m) => errors.push(m) }, limits: { textChars: 2, bytes: 2 } });
      let heard = 0;
      recorder.onDidRecord(() => heard++);
      await recorder.applied({ datasourceId: 'ds', name: 't' }, [{ kind: 'insert', values: { body: 'long' } }], [{ key: { id: 1 } }], { source: 'api' }, {} as never);
      assert.deepEqual(errors, []);
      assert.equal(heard, 1);
      recorder.dispose();
      await recorder.applied({ datasourceId: 'ds', name: 't' }, [{ kind: 'insert', values: { body: 'x' } }], [{ key: { id: 2 } }], { source: 'api' }, {} as never);
      assert.equal(heard, 1, 'no listener after dispose');
      assert.equal(store.count(), 2, 'still recorded after dispose');
      const recorded = store.query({}, 0, 10).entries.at(-1);
      assert.ok(!Number.isNaN(Date.parse(recorded!.at)) && recorded!.at.endsWith('Z'), recorded!.at);
      assert.match(recorded!.batchId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(recorded!.truncated, true, 'the injected limits apply');
    });
  });

  describe('why an entry cannot be undone', () => {
    const stored = (over: Partial<AuditEntry>): AuditEntry => ({
      id: 7, batchId: 'b', at: meta.at, user: 'u', datasourceId: 'ds', table: 'notes', operation: 'update',
      key: { id: 1 }, oldValues: { body: 'a' }, newValues: { body: 'b' }, truncated: false, source: 'api', ...over,
    });
    const reason = (over: Partial<AuditEntry>) => {
      const result = inverseOf(stored(over));
      assert.equal(result.ok, false);
      return (result as { reason: string }).reason;
    };
    it('names the entry, and the cut columns in the singular or plural, or "some columns" when only the flag says so', () => {
      const cut = { $truncated: { kind: 'text' as const, length: 9000, preview: 'x' } };
      assert.equal(reason({ oldValues: { body: cut } }), 'Change #7 (update of id=1 in notes) cannot be undone: the value of "body" was too large to keep in the audit log.');
      assert.equal(reason({ oldValues: { a: cut }, newValues: { b: cut } }), 'Change #7 (update of id=1 in notes) cannot be undone: the values of "a", "b" were too large to keep in the audit log.');
      assert.match(reason({ truncated: true }), /the values of some columns were too large/);
    });
    it('refuses an update or a delete whose values were not recorded', () => {
      for (const missing of [{ key: null }, { oldValues: null }, { newValues: null }]) assert.match(reason(missing), /its old values were not recorded/, JSON.stringify(missing));
      assert.match(reason({ operation: 'delete', oldValues: null, newValues: null }), /the deleted row was not recorded/);
      assert.deepEqual(inverseOf(stored({ operation: 'delete', oldValues: { id: 1, body: 'a' }, newValues: null })), { ok: true, change: { kind: 'insert', values: { id: 1, body: 'a' } } });
    });
  });
});
