// The audit log's core against a real metadata file (real sql.js): what the `applied` hook records for each kind of
// change, exact values (bigint, bytes, NaN), bounded values marked truncated, filters, paging, retention by age and
// by count, and the inverse changes an undo applies (with the values to check for conflicts).
import * as assert from 'node:assert/strict';
import type { TableSchema } from '../../api';
import { AuditRecorder, auditEntriesFor } from '../../src/core/audit/auditRecorder';
import { AuditStore, auditTimeBound, type NewAuditEntry } from '../../src/core/audit/auditStore';
import { restoreRecord } from '../../src/core/audit/auditValues';
import { inverseOf } from '../../src/core/audit/inverse';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import { auditSourceText, auditValueText, parseFromAudit } from '../../shared/auditProtocol';
import { auditEntry, closeAuditFixture, openAuditFixture, openMetadataIn } from '../support/auditFixtures';

const schema = { table: { name: 'notes' }, kind: 'table', columns: [], primaryKey: ['id'], rowKey: { columns: ['id'] } } as unknown as TableSchema;
const noRetention = { days: 0, maxEntries: 0 };

describe('Audit log', () => {
  let dir: string;
  let metadata: MetadataFile;
  let store: AuditStore;

  beforeEach(async () => {
    ({ dir, metadata, store } = await openAuditFixture('nocoflo-audit-'));
  });
  afterEach(() => closeAuditFixture({ dir, metadata, store }));

  const entry = auditEntry;

  it('records every change of a batch with who, when, where, key, old and new values, and one batch id', async () => {
    const errors: string[] = [];
    const recorder = new AuditRecorder({
      store,
      user: () => 'grace',
      retention: () => noRetention,
      log: { info() {}, warn() {}, error: (m) => errors.push(m) },
      now: () => new Date('2026-12-01T09:30:00.000Z'),
      newBatchId: () => 'batch-7',
    });
    let heard = 0;
    recorder.onDidRecord(() => heard++);
    await recorder.applied(
      { datasourceId: 'ds1', schema: 'main', name: 'notes' },
      [
        { kind: 'insert', values: { body: 'new' } },
        { kind: 'update', key: { id: 2 }, changes: { body: 'after' }, expected: { id: 2, body: 'before', title: 'kept out' } },
        { kind: 'delete', key: { id: 3 }, expected: { id: 3, body: 'gone' } },
      ],
      [{ key: { id: 10 }, row: { id: 10, body: 'new', created: '2026-12-01' } }, { key: { id: 2 } }, { key: { id: 3 } }],
      { source: 'nocoflo.form' },
      schema,
    );
    assert.deepEqual(errors, []);
    assert.equal(heard, 1);
    const page = store.query({}, 0, 10);
    assert.equal(page.total, 3);
    const [del, upd, ins] = page.entries;
    assert.deepEqual(
      page.entries.map((e) => [e.operation, e.batchId, e.user, e.at, e.datasourceId, e.schema, e.table, e.source]),
      [
        ['delete', 'batch-7', 'grace', '2026-12-01T09:30:00.000Z', 'ds1', 'main', 'notes', 'nocoflo.form'],
        ['update', 'batch-7', 'grace', '2026-12-01T09:30:00.000Z', 'ds1', 'main', 'notes', 'nocoflo.form'],
        ['insert', 'batch-7', 'grace', '2026-12-01T09:30:00.000Z', 'ds1', 'main', 'notes', 'nocoflo.form'],
      ],
      'newest first',
    );
    assert.deepEqual([ins!.key, ins!.oldValues, ins!.newValues], [{ id: 10 }, null, { id: 10, body: 'new', created: '2026-12-01' }], 'an insert keeps the stored row the datasource returned');
    assert.deepEqual([upd!.key, upd!.oldValues, upd!.newValues], [{ id: 2 }, { body: 'before' }, { body: 'after' }], 'old values of the changed columns only');
    assert.deepEqual([del!.key, del!.oldValues, del!.newValues], [{ id: 3 }, { id: 3, body: 'gone' }, null]);
    assert.deepEqual(store.batch('batch-7').map((e) => e.operation), ['insert', 'update', 'delete'], 'a batch in applied order');
  });

  it('keeps bigint, bytes and non-finite floats exactly, and the stored form of updated values', () => {
    const bytes = new Uint8Array([0, 255, 1, 128]);
    const [e] = auditEntriesFor(
      { datasourceId: 'ds', name: 't' },
      [{ kind: 'update', key: { id: 9007199254740993n }, changes: { n: 12345678901234567890n, b: bytes, f: Number.NaN, d: '1.50' }, expected: { n: 1n, b: null, f: 1.5, d: '1' } }],
      [{ key: { id: 9007199254740993n }, row: { id: 9007199254740993n, n: 12345678901234567890n, b: bytes, f: Number.NaN, d: '1.5' } }],
      { source: 'api' },
      { user: 'u', at: 'now', batchId: 'b' },
    );
    assert.deepEqual(restoreRecord(e!.key!), { id: 9007199254740993n });
    const written = restoreRecord(e!.newValues!);
    assert.equal(written.n, 12345678901234567890n);
    assert.deepEqual(written.b, bytes);
    assert.ok(Number.isNaN(written.f));
    assert.equal(written.d, '1.5', "the datasource's stored form wins over what the view sent");
    assert.deepEqual(restoreRecord(e!.oldValues!), { n: 1n, b: null, f: 1.5, d: '1' });
    assert.equal(e!.truncated, false);
  });

  it('bounds large values, marks the entry truncated and refuses to undo it with the reason', async () => {
    const long = 'x'.repeat(5000);
    const [e] = auditEntriesFor(
      { datasourceId: 'ds', name: 't' },
      [{ kind: 'update', key: { id: 1 }, changes: { body: long, blob: new Uint8Array(5000) }, expected: { body: 'short', blob: new Uint8Array(3) } }],
      [{ key: { id: 1 } }],
      { source: 'nocoflo.table' },
      { user: 'u', at: '2026-12-01T00:00:00.000Z', batchId: 'b' },
    );
    assert.equal(e!.truncated, true);
    assert.deepEqual(e!.newValues!.blob, { $truncated: { kind: 'bytes', size: 5000 } }, 'big bytes keep only their size');
    const text = e!.newValues!.body as { $truncated: { kind: 'text'; length: number; preview: string } };
    assert.equal(text.$truncated.length, 5000);
    assert.equal(text.$truncated.preview.length, 4096);
    const [id] = await store.record([e!], noRetention);
    const stored = store.entry(id!)!;
    assert.equal(stored.truncated, true);
    assert.match(auditValueText(stored.newValues!.blob), /5000 bytes, not kept/);
    const inverse = inverseOf(stored);
    assert.equal(inverse.ok, false);
    assert.match(!inverse.ok ? inverse.reason : '', /cannot be undone: the values of "body", "blob" were too large/);
  });

  it('filters by datasource, table, user, operation and time range, and pages newest first', async () => {
    const many: NewAuditEntry[] = [];
    for (let i = 0; i < 25; i++) {
      many.push(
        entry({
          batchId: `b${i % 5}`,
          at: `2026-11-${String(10 + i).padStart(2, '0')}T12:00:00.000Z`,
          user: i % 2 ? 'ada' : 'bob',
          datasourceId: i < 20 ? 'ds1' : 'ds2',
          table: i % 3 ? 'notes' : 'orders',
          operation: i % 4 === 0 ? 'delete' : 'update',
          key: { id: i },
        }),
      );
    }
    await store.record(many, noRetention);
    assert.equal(store.query({}, 0, 10).total, 25);
    assert.deepEqual(store.query({}, 0, 3).entries.map((e) => e.key), [{ id: 24 }, { id: 23 }, { id: 22 }]);
    assert.deepEqual(store.query({}, 3, 3).entries.map((e) => e.key), [{ id: 21 }, { id: 20 }, { id: 19 }], 'second page');
    assert.equal(store.query({}, 24, 10).entries.length, 1, 'last page');
    assert.equal(store.query({ datasourceId: 'ds2' }, 0, 100).total, 5);
    assert.equal(store.query({ table: 'orders' }, 0, 100).total, 9);
    assert.equal(store.query({ user: 'ada', datasourceId: 'ds1' }, 0, 100).total, 10);
    assert.equal(store.query({ operation: 'delete' }, 0, 100).total, 7);
    assert.equal(store.query({ from: '2026-11-20', to: '2026-11-22' }, 0, 100).total, 3, 'a bare "to" date includes that whole day');
    assert.equal(store.query({ from: '2026-11-20T13:00' }, 0, 100).total, 14);
    // A bound to the minute or second covers that whole minute or second, with or without the Z (entries are at 12:00:00.000).
    assert.equal(store.query({ from: '2026-11-20T12:00', to: '2026-11-20T12:00' }, 0, 100).total, 1);
    assert.equal(store.query({ from: '2026-11-20T12:00Z', to: '2026-11-20T12:00Z' }, 0, 100).total, 1);
    assert.equal(store.query({ from: '2026-11-20T12:00:00', to: '2026-11-20T12:00:00' }, 0, 100).total, 1);
    assert.equal(store.query({ to: '2026-11-20T11:59:59.999Z' }, 0, 100).total, 10, 'a bound to the millisecond is exact');
    assert.equal(store.query({ batchId: 'b3' }, 0, 100).total, 5);
    assert.deepEqual(store.users(), ['ada', 'bob']);
  });

  it('prunes on write: entries older than the retention days, and beyond the maximum count', async () => {
    const now = new Date('2026-12-01T00:00:00.000Z');
    await store.record([entry({ at: '2026-08-01T00:00:00.000Z' }), entry({ at: '2026-09-15T00:00:00.000Z' })], noRetention, now);
    assert.equal(store.count(), 2);
    await store.record([entry({ at: now.toISOString() })], { days: 60, maxEntries: 0 }, now);
    assert.deepEqual(store.query({}, 0, 10).entries.map((e) => e.at), ['2026-12-01T00:00:00.000Z'], 'older than 60 days is gone');
    for (let i = 0; i < 4; i++) await store.record([entry({ key: { id: 100 + i }, at: now.toISOString() })], { days: 90, maxEntries: 3 }, now);
    assert.deepEqual(store.query({}, 0, 10).entries.map((e) => e.key), [{ id: 103 }, { id: 102 }, { id: 101 }], 'the newest 3 remain');
    metadata.dispose();
    metadata = await openMetadataIn(dir);
    assert.equal(new AuditStore(metadata).count(), 3, 'on disk too');
  });

  it('marks the undone entry with the undo that took it back', async () => {
    const [original] = await store.record([entry()], noRetention);
    const [undo] = await store.record([entry({ source: 'nocoflo.audit', oldValues: { body: 'b' }, newValues: { body: 'a' }, undoOf: original! })], noRetention);
    assert.equal(store.entry(original!)!.undoneBy, undo);
    assert.equal(store.entry(undo!)!.undoOf, original);
    const again = inverseOf(store.entry(original!)!);
    assert.equal(again.ok, false);
    assert.match(!again.ok ? again.reason : '', new RegExp(`already undone by #${undo}`));
  });

  it('computes inverses that carry the written values as the conflict check', async () => {
    const [u, i, d, k] = await store.record(
      [
        entry({ key: { id: { $bigint: '1' } }, oldValues: { body: 'a', n: 1 }, newValues: { body: 'b', n: 2 } }),
        entry({ operation: 'insert', key: { id: 5 }, oldValues: null, newValues: { id: 5, body: 'x', bin: { $bytes: 'AAE=' } } }),
        entry({ operation: 'delete', key: { id: 6 }, oldValues: { id: 6, body: 'y' }, newValues: null }),
        entry({ operation: 'insert', key: null, oldValues: null, newValues: { body: 'z' } }),
      ],
      noRetention,
    );
    assert.deepEqual(inverseOf(store.entry(u!)!), { ok: true, change: { kind: 'update', key: { id: 1n }, changes: { body: 'a', n: 1 }, expected: { body: 'b', n: 2 } } });
    assert.deepEqual(inverseOf(store.entry(i!)!), { ok: true, change: { kind: 'delete', key: { id: 5 }, expected: { id: 5, body: 'x', bin: new Uint8Array([0, 1]) } } });
    assert.deepEqual(inverseOf(store.entry(d!)!), { ok: true, change: { kind: 'insert', values: { id: 6, body: 'y' } } });
    const unknown = inverseOf(store.entry(k!)!);
    assert.match(!unknown.ok ? unknown.reason : '', /did not report the key/);
    const [moved] = await store.record([entry({ key: { id: 7, part: 'a' }, oldValues: { part: 'a', body: 'x' }, newValues: { part: 'b', body: 'y' } })], noRetention);
    assert.deepEqual(inverseOf(store.entry(moved!)!), { ok: true, change: { kind: 'update', key: { id: 7, part: 'b' }, changes: { part: 'a', body: 'x' }, expected: { part: 'b', body: 'y' } } }, 'a changed key column is found under its new value');
    const [partial] = await store.record([entry({ oldValues: { body: 'a' }, newValues: { body: 'b', n: 2 } })], noRetention);
    const refused = inverseOf(store.entry(partial!)!);
    assert.match(!refused.ok ? refused.reason : '', /the old value of "n" was not recorded/);
  });

  it('a failing store is logged and never thrown into the save', async () => {
    const errors: string[] = [];
    metadata.dispose();
    const recorder = new AuditRecorder({ store, user: () => 'u', retention: () => noRetention, log: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    await recorder.applied({ datasourceId: 'ds', name: 'notes' }, [{ kind: 'insert', values: { a: 1 } }], [{ key: { id: 1 } }], { source: 'api' }, schema);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /1 change\(s\) to notes were saved but could not be recorded/);
    metadata = await openMetadataIn(dir);
  });

  it('names a batch\'s source by the view\'s display name, and a view no longer installed by its id', () => {
    const sources = [
      { id: 'nocoflo.table', name: 'Table' },
      { id: 'nocoflo.audit', name: 'Undo in the Audit Log' },
    ];
    assert.equal(auditSourceText('nocoflo.table', sources), 'Table');
    assert.equal(auditSourceText('nocoflo.audit', sources), 'Undo in the Audit Log');
    assert.equal(auditSourceText('acme.kanban', sources), 'acme.kanban (not installed)');
  });

  it('validates the Audit Log view messages', () => {
    assert.equal(parseFromAudit({ type: 'ready' }).ok, true);
    assert.equal(parseFromAudit({ type: 'request', id: 1, method: 'query', params: { filter: { table: 'notes', from: '2026-12-01' }, offset: 0, limit: 50 } }).ok, true);
    assert.equal(parseFromAudit({ type: 'request', id: 2, method: 'undo', params: { entryId: 3 } }).ok, true);
    assert.equal(parseFromAudit({ type: 'request', id: 2, method: 'undo', params: { batchId: 'b' } }).ok, true);
    const bad = [
      [{ type: 'request', id: 1, method: 'query', params: { filter: { from: "1' OR 1=1" }, offset: 0, limit: 50 } }, /from must be a date/],
      [{ type: 'request', id: 1, method: 'query', params: { filter: {}, offset: 0, limit: 100000 } }, /limit must be between/],
      [{ type: 'request', id: 1, method: 'query', params: { filter: { operation: 'drop' }, offset: 0, limit: 5 } }, /operation must be one of/],
      [{ type: 'request', id: 1, method: 'undo', params: { entryId: -1 } }, /entryId/],
      [{ type: 'request', id: 1, method: 'sql', params: {} }, /unknown method/],
      [{ type: 'request', id: 1, method: 'undo', params: { entryId: 1 }, extra: 1 }, /extra is not allowed/],
      ['x', /must be an object/],
    ] as const;
    for (const [message, error] of bad) {
      const parsed = parseFromAudit(message);
      assert.equal(parsed.ok, false, JSON.stringify(message));
      assert.match(!parsed.ok ? parsed.error : '', error);
    }
  });
});

describe('audit time bounds (src/core/audit/auditStore auditTimeBound)', () => {
  it('pads a bound to the stored form, from the first or to the last millisecond of its precision', () => {
    assert.equal(auditTimeBound('2026-12-01', false), '2026-12-01T00:00:00.000Z');
    assert.equal(auditTimeBound('2026-12-01', true), '2026-12-01T23:59:59.999Z');
    assert.equal(auditTimeBound('2026-12-01T09:30', true), '2026-12-01T09:30:59.999Z');
    assert.equal(auditTimeBound('2026-12-01T09:30Z', false), '2026-12-01T09:30:00.000Z');
    assert.equal(auditTimeBound('2026-12-01T09:30:12', true), '2026-12-01T09:30:12.999Z');
    assert.equal(auditTimeBound('2026-12-01T09:30:12.3', true), '2026-12-01T09:30:12.399Z');
    assert.equal(auditTimeBound('2026-12-01T09:30:12.345Z', true), '2026-12-01T09:30:12.345Z');
  });
});
