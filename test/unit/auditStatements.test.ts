import * as assert from 'node:assert/strict';
import { AuditRecorder } from '../../src/core/audit/auditRecorder';
import { AuditStore } from '../../src/core/audit/auditStore';
import { inverseOf } from '../../src/core/audit/inverse';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import { MIGRATIONS } from '../../src/core/metadata/migrations';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';
import { auditEntry, closeAuditFixture, openAuditFixture, type AuditFixture } from '../support/auditFixtures';
import * as path from 'node:path';

const noRetention = { days: 0, maxEntries: 0 };
const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

describe('audit log: statements run from SQL editors (operation "statement")', () => {
  let fixture: AuditFixture | undefined;
  afterEach(() => {
    closeAuditFixture(fixture);
    fixture = undefined;
  });

  it('records the text, bound values, rows affected, who and when; the entry can never be undone', async () => {
    fixture = await openAuditFixture('nocoflo-audit-stmt-');
    const errors: string[] = [];
    const recorder = new AuditRecorder({ store: fixture.store, user: () => 'grace', retention: () => noRetention, log: { info() {}, warn() {}, error: (m) => errors.push(m) }, now: () => new Date('2026-12-05T10:00:00.000Z'), newBatchId: () => 'b-stmt' });
    await recorder.statement({ datasourceId: 'ds1', text: "DELETE FROM Track WHERE Composer = ?", params: ['AC/DC', 12n], rowsAffected: 8, source: 'nocoflo.query' });
    assert.deepEqual(errors, []);
    const [entry] = fixture.store.query({ operation: 'statement' }, 0, 10).entries;
    assert.equal(entry.user, 'grace');
    assert.equal(entry.at, '2026-12-05T10:00:00.000Z');
    assert.equal(entry.operation, 'statement');
    assert.equal(entry.source, 'nocoflo.query');
    assert.equal(entry.newValues?.statement, 'DELETE FROM Track WHERE Composer = ?');
    assert.equal(entry.newValues?.['parameter 1'], 'AC/DC');
    assert.deepEqual(entry.newValues?.['parameter 2'], { $bigint: '12' }, 'a bigint parameter keeps its digits');
    assert.equal(entry.newValues?.rowsAffected, 8);
    const inverse = inverseOf(entry);
    assert.equal(inverse.ok, false);
    assert.match(inverse.ok ? '' : inverse.reason, /cannot be undone: Nocoflo does not know which rows it changed/);
  });

  it('a metadata file written before statements were audited upgrades with its entries kept', async () => {
    fixture = await openAuditFixture('nocoflo-audit-v2-');
    const file = path.join(fixture.dir, 'old.sqlite');
    const v2 = await MetadataFile.open({ path: file, wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic, migrations: MIGRATIONS.filter((m) => m.version <= 2) });
    await new AuditStore(v2).record([auditEntry()], noRetention);
    await assert.rejects(new AuditStore(v2).record([auditEntry({ operation: 'statement' })], noRetention), /CHECK constraint failed/);
    v2.dispose();
    const upgraded = await MetadataFile.open({ path: file, wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    try {
      const store = new AuditStore(upgraded);
      assert.equal(store.count(), 1);
      await store.record([auditEntry({ operation: 'statement', table: '' })], noRetention);
      assert.deepEqual(store.query({}, 0, 10).entries.map((e) => e.operation).sort(), ['statement', 'update']);
      assert.deepEqual(upgraded.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' ORDER BY name").map((r) => r.name), ['audit_log_at', 'audit_log_batch', 'audit_log_table']);
    } finally {
      upgraded.dispose();
    }
  });
});
