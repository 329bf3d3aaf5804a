// Query history and saved queries in a real metadata file (real sql.js): bounded history per connection, text
// only; saved-query names unique per connection; the upgrade of a file written before migration 4; Export and
// Import Configuration carrying saved queries.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';
import { exportConfiguration, importConfiguration, importSummaryText, validateConfiguration } from '../../src/core/metadata/configTransfer';
import { openMetadata, type Metadata } from '../../src/core/metadata/metadata';
import { MetadataFile } from '../../src/core/metadata/metadataFile';
import { MIGRATIONS } from '../../src/core/metadata/migrations';
import { HISTORY_TEXT_LIMIT, QueryHistory, type HistoryRun } from '../../src/core/queries/queryHistory';
import { freeName, SavedQueryStore } from '../../src/core/queries/savedQueries';
import { datasourcePlugin } from '../support/fakePlugins';
import { importGuards } from '../support/importGuards';

const wasmPath = path.resolve(__dirname, '../../sql-wasm.wasm');

const run = (over: Partial<HistoryRun> = {}): HistoryRun => ({ datasourceId: 'ds1', text: 'SELECT 1', startedAt: Date.UTC(2026, 11, 5, 10), durationMs: 12, outcome: 'result', ...over });

describe('query history and saved queries (real sql.js metadata store)', () => {
  let dir: string;
  let metadata: Metadata;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-queries-'));
    metadata = await openMetadata({ path: path.join(dir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
  });
  afterEach(() => {
    metadata.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every run per connection, newest first, with time, duration, rows, outcome and error', async () => {
    const history = new QueryHistory(metadata.file);
    await history.record(run({ text: 'SELECT * FROM Track' }), 10);
    await history.record(run({ text: 'DELETE FROM Track WHERE TrackId = 1', outcome: 'executed', rowsAffected: 1, durationMs: 3.6 }), 10);
    await history.record(run({ datasourceId: 'ds2', text: 'SELEC 1', outcome: 'failed', error: 'syntax error near "SELEC"' }), 10);
    const ds1 = history.list('ds1');
    assert.deepEqual(ds1.map((e) => e.text), ['DELETE FROM Track WHERE TrackId = 1', 'SELECT * FROM Track']);
    assert.equal(ds1[0].rowsAffected, 1);
    assert.equal(ds1[0].durationMs, 4);
    assert.equal(ds1[0].outcome, 'executed');
    assert.equal(ds1[0].startedAt, '2026-12-05T10:00:00.000Z');
    assert.equal(ds1[1].rowsAffected, undefined);
    assert.deepEqual(history.list('ds2').map((e) => [e.outcome, e.error]), [['failed', 'syntax error near "SELEC"']]);
    assert.deepEqual(history.list().map((e) => e.datasourceId), ['ds2', 'ds1', 'ds1']);
  });

  it('drops the oldest runs of a connection beyond the limit, leaving other connections alone; 0 keeps all', async () => {
    const history = new QueryHistory(metadata.file);
    await history.record(run({ datasourceId: 'quiet', text: 'SELECT quiet' }), 3);
    for (let i = 1; i <= 5; i++) await history.record(run({ text: `SELECT ${i}` }), 3);
    assert.deepEqual(history.list('ds1').map((e) => e.text), ['SELECT 5', 'SELECT 4', 'SELECT 3']);
    assert.equal(history.count('quiet'), 1, "a busy connection does not push a quiet one's history out");
    for (let i = 6; i <= 8; i++) await history.record(run({ text: `SELECT ${i}` }), 0);
    assert.equal(history.count('ds1'), 6);
    await history.clear('ds1');
    assert.equal(history.count('ds1'), 0);
    assert.equal(history.count('quiet'), 1);
    await history.clear();
    assert.equal(history.count(), 0);
  });

  it('keeps only the text of a run (the history has no place for bound values) and cuts a text too long to keep', async () => {
    const history = new QueryHistory(metadata.file);
    const columns = metadata.file.rows("SELECT name FROM pragma_table_info('query_history')").map((r) => String(r.name));
    assert.deepEqual(columns, ['id', 'datasource_id', 'text', 'text_truncated', 'started_at', 'duration_ms', 'outcome', 'rows_affected', 'error']);
    await history.record(run({ text: `SELECT '${'x'.repeat(HISTORY_TEXT_LIMIT)}'` }), 10);
    const [entry] = history.list('ds1');
    assert.equal(entry.truncated, true);
    assert.equal(entry.text.length, HISTORY_TEXT_LIMIT);
  });

  it('saved query names are unique per connection: same text is a no-op, a different text needs overwrite', async () => {
    const store = new SavedQueryStore(metadata.file);
    await store.save({ datasourceId: 'ds1', name: '  Revenue by genre ', text: 'SELECT 1' });
    await store.save({ datasourceId: 'ds2', name: 'Revenue by genre', text: 'SELECT 2' });
    assert.deepEqual(store.get('ds1', 'Revenue by genre'), { datasourceId: 'ds1', name: 'Revenue by genre', text: 'SELECT 1' }, 'the name is trimmed');
    await store.save({ datasourceId: 'ds1', name: 'Revenue by genre', text: 'SELECT 1' });
    await assert.rejects(store.save({ datasourceId: 'ds1', name: 'Revenue by genre', text: 'SELECT 3' }), (e: Error & { code?: string }) => e.code === 'conflict' && /already exists on this connection/.test(e.message));
    assert.equal(store.get('ds1', 'Revenue by genre')?.text, 'SELECT 1', 'nothing was replaced');
    await store.save({ datasourceId: 'ds1', name: 'Revenue by genre', text: 'SELECT 3' }, { overwrite: true });
    assert.equal(store.get('ds1', 'Revenue by genre')?.text, 'SELECT 3');
    assert.equal(store.get('ds2', 'Revenue by genre')?.text, 'SELECT 2', 'the other connection keeps its own');
    await assert.rejects(store.save({ datasourceId: 'ds1', name: '   ', text: 'SELECT 1' }), /needs a name/);
    await assert.rejects(store.save({ datasourceId: 'ds1', name: 'Empty', text: ' ' }), /needs a statement/);
    await store.updateText('ds1', 'Revenue by genre', 'SELECT 4');
    assert.equal(store.get('ds1', 'Revenue by genre')?.text, 'SELECT 4');
    await assert.rejects(store.updateText('ds1', 'Nope', 'SELECT 1'), (e: Error & { code?: string }) => e.code === 'not_found');
  });

  it('renames within a connection without replacing another query, and deletes', async () => {
    const store = new SavedQueryStore(metadata.file);
    await store.save({ datasourceId: 'ds1', name: 'b', text: 'SELECT 2' });
    await store.save({ datasourceId: 'ds1', name: 'A', text: 'SELECT 1' });
    await store.save({ datasourceId: 'ds1', name: 'c', text: 'SELECT 3' });
    assert.deepEqual(store.list('ds1').map((q) => q.name), ['A', 'b', 'c'], 'ordered by name, case-insensitively');
    await assert.rejects(store.rename('ds1', 'b', 'c'), (e: Error & { code?: string }) => e.code === 'conflict');
    assert.equal(await store.rename('ds1', 'b', ' Bee '), 'Bee');
    assert.deepEqual(store.list('ds1').map((q) => [q.name, q.text]), [['A', 'SELECT 1'], ['Bee', 'SELECT 2'], ['c', 'SELECT 3']]);
    await assert.rejects(store.rename('ds1', 'gone', 'x'), (e: Error & { code?: string }) => e.code === 'not_found');
    await store.delete('ds1', 'Bee');
    assert.deepEqual(store.list().map((q) => q.name), ['A', 'c']);
  });

  it('freeName numbers a taken name', () => {
    assert.equal(freeName(new Set(['a']), 'b'), 'b');
    assert.equal(freeName(new Set(['a', 'a (2)']), 'a'), 'a (3)');
  });

  it('Export Configuration carries saved queries (version 2); Import merges by connection and name and never overwrites a different text', async () => {
    const ds = await metadata.datasources.addDatasource({ type: 'test.ds', name: 'Chinook', config: {} });
    const store = new SavedQueryStore(metadata.file);
    await store.save({ datasourceId: ds.id, name: 'Revenue', text: 'SELECT sum(Total) FROM Invoice' });
    await store.save({ datasourceId: ds.id, name: 'Tracks', text: 'SELECT * FROM Track' });
    const exported = JSON.parse(JSON.stringify(exportConfiguration(metadata))) as ReturnType<typeof exportConfiguration>;
    assert.equal(exported.version, 2);
    assert.deepEqual(exported.savedQueries?.map((q) => q.name), ['Revenue', 'Tracks']);

    const otherDir = mkdtempSync(path.join(tmpdir(), 'nocoflo-queries-import-'));
    const other = await openMetadata({ path: path.join(otherDir, 'nocoflo.sqlite'), wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
    try {
      const otherStore = new SavedQueryStore(other.file);
      await otherStore.save({ datasourceId: ds.id, name: 'Revenue', text: 'SELECT 42' });
      await otherStore.save({ datasourceId: ds.id, name: 'Revenue (2)', text: 'SELECT 43' });
      const guards = importGuards(other);
      guards.registry.registerDatasource(datasourcePlugin());
      const summary = await importConfiguration(other, exported, guards);
      assert.equal(summary.savedQueries, 2);
      assert.deepEqual(summary.savedQueriesRenamed, [{ datasourceId: ds.id, name: 'Revenue', importedAs: 'Revenue (3)' }]);
      assert.match(importSummaryText(summary), /2 saved queries.*imported under a new name: "Revenue" as "Revenue \(3\)"/);
      assert.deepEqual(otherStore.list(ds.id).map((q) => [q.name, q.text]), [
        ['Revenue', 'SELECT 42'],
        ['Revenue (2)', 'SELECT 43'],
        ['Revenue (3)', 'SELECT sum(Total) FROM Invoice'],
        ['Tracks', 'SELECT * FROM Track'],
      ]);
      const again = await importConfiguration(other, exported, guards);
      assert.equal(again.savedQueries, 0, 'importing the same file twice adds nothing');
    } finally {
      other.dispose();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('Import reads version 1 files (no saved queries) and refuses malformed saved queries, naming them', () => {
    assert.deepEqual(validateConfiguration({ format: 'nocoflo-config', version: 1, exportedAt: '', datasources: [], pluginConfig: [], viewPreferences: [] }).problems, []);
    assert.deepEqual(validateConfiguration({ format: 'nocoflo-config', version: 2, savedQueries: [{ datasourceId: 'd', name: ' x', text: 'SELECT 1' }, { datasourceId: 'd', name: 'y' }] }).problems, [
      'savedQueries[0] needs string "datasourceId", "name" (without surrounding spaces) and "text"',
      'savedQueries[1] needs string "datasourceId", "name" (without surrounding spaces) and "text"',
    ]);
    assert.match(validateConfiguration({ format: 'nocoflo-config', version: 3 }).problems.join(), /"version" 3 is not supported \(expected 1 or 2\)/);
  });
});

describe('metadata migration 4 (query history, saved queries)', () => {
  it('upgrades a file written by schema version 3 in place, keeping its data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-queries-v3-'));
    const file = path.join(dir, 'old.sqlite');
    try {
      const v3 = await MetadataFile.open({ path: file, wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic, migrations: MIGRATIONS.filter((m) => m.version <= 3) });
      await v3.write((db) => db.run("INSERT INTO datasources (id, type, name, config, created_at, updated_at) VALUES ('ds1', 'sqlite', 'Old', '{}', 'x', 'x')"));
      assert.equal(v3.rows("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('query_history', 'saved_queries')")[0].n, 0);
      v3.dispose();
      const upgraded = await MetadataFile.open({ path: file, wasmPath, watchIntervalMs: 0, replaceFile: writeFileAtomic });
      try {
        assert.equal(upgraded.rows('PRAGMA user_version')[0].user_version, 4);
        assert.equal(upgraded.rows('SELECT name FROM datasources')[0].name, 'Old');
        await new SavedQueryStore(upgraded).save({ datasourceId: 'ds1', name: 'Q', text: 'SELECT 1' });
        await new QueryHistory(upgraded).record(run(), 10);
        assert.equal(new QueryHistory(upgraded).count('ds1'), 1);
      } finally {
        upgraded.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
