// The datasource conformance suite (test/conformance) run through `api.data` (API 1.5) instead of the session:
// another extension reading and writing a real SQLite file through Nocoflo's data door must see exactly what the
// contract promises — schema, paging with ties and NULLs, every filter, exact values, conflicts, aggregates —
// after the door's own checks (roles, locks, the audit hook) have had their say.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import type { CancellationToken, DatasourceSession, NocofloData, RowChange, TableRef } from '../../api';
import { createDataAccess } from '../../src/core/dataAccess';
import { Emitter } from '../../src/core/events';
import { type ConformanceRow, describeDatasourceConformance } from '../conformance/datasourceConformance';
import { type GovernedRig, governedRig } from '../support/governedRig';
import { makeDatabase, sqlitePlugin, tempDir } from '../support/sqliteFixtures';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** An AbortSignal as the CancellationToken an extension would pass. */
function tokenOf(signal: AbortSignal | undefined): CancellationToken | undefined {
  if (!signal) return undefined;
  return {
    get isCancellationRequested() {
      return signal.aborted;
    },
    onCancellationRequested: (listener) => {
      signal.addEventListener('abort', listener);
      return { dispose: () => signal.removeEventListener('abort', listener) };
    },
  };
}

/**
 * A session whose every call goes through `data`, so the suite can drive the data door as it drives a session. Each
 * write is a batch of one; a refused batch throws the failure's code, as a session's write would.
 */
function throughData(data: NocofloData, datasourceId: string, capabilities: DatasourceSession['capabilities']): DatasourceSession {
  const at = (table: TableRef) => ({ datasourceId, ...table });
  const write = async (table: TableRef, change: RowChange) => {
    const result = await data.applyChanges(at(table), [change]);
    if (!result.ok) throw Object.assign(new Error(result.failure.message), { code: result.failure.code, current: result.failure.current });
    return result.results[0]!;
  };
  return {
    // Writes are batches of one here, so nothing in the suite relies on a transaction spanning calls.
    capabilities: { ...capabilities, transactions: false },
    listTables: (options) => data.listTables(datasourceId, tokenOf(options?.signal)),
    getSchema: (table) => data.getSchema(at(table)),
    readRows: (table, request) => data.readRows(at(table), request),
    countRows: (table, request) => data.countRows(at(table), request),
    aggregate: (table, request) => data.aggregate(at(table), request),
    insertRow: (table, values) => write(table, { kind: 'insert', values }),
    updateRow: async (table, key, changes, expected) => {
      const { row } = await write(table, { kind: 'update', key, changes, expected });
      return row ? { row } : {};
    },
    deleteRow: async (table, key, expected) => {
      await write(table, { kind: 'delete', key, expected });
    },
    close: async () => undefined,
  };
}

const rigs: { dir: string; rig: GovernedRig }[] = [];

describeDatasourceConformance({
  name: 'SQLite through api.data',
  arbitraryTableNames: true,
  aggregates: true,
  samplesAggregates: true,
  async open(rows: readonly ConformanceRow[], tableName: string) {
    const dir = tempDir('nocoflo-data-conformance-');
    const file = path.join(dir, 'items.sqlite');
    await makeDatabase(file, `CREATE TABLE ${ident(tableName)} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER, note TEXT);`, (run) => {
      for (const row of rows) run(`INSERT INTO ${ident(tableName)} VALUES (?, ?, ?, ?)`, [row.id, row.name, row.score, row.note]);
    });
    const rig = await governedRig(dir, sqlitePlugin());
    rigs.push({ dir, rig });
    const datasourceId = await rig.manager.add({ type: 'nocoflo.sqlite', name: 'Items', config: { path: file }, secrets: {} });
    // The suite deletes rows: the user is admin on this file, as on any file they added.
    await rig.roles.setRole({ datasourceId }, 'admin');
    const data = createDataAccess(
      { datasources: rig.manager, tables: rig.tables, role: (id) => rig.roleService.resolve({ datasourceId: id }), locksOn: () => [], confirm: async () => true, changed: new Emitter() },
      'nocoflo-tests.conformance',
    );
    const { capabilities } = await rig.manager.session(datasourceId);
    return { session: throughData(data, datasourceId, capabilities), table: { name: tableName } };
  },
  async dispose() {
    for (const { dir, rig } of rigs.splice(0)) {
      await rig.manager.closeAll();
      rig.metadata.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
  foldsNonAsciiCase: false,
  maxParameters: 32_766,
});
