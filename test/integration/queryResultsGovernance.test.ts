// Editable query results on a real MariaDB with Chinook: a result of one table with its key is edited through
// TableService like that table (renamed columns, computed columns read-only, the table's role, conflict checks with
// the current row, the audit entry on the table), and results that cannot be edited say why. Also through api.data,
// as another extension would.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TableLocator } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { createDataAccess } from '../../src/core/dataAccess';
import { exportRows } from '../../src/host/panels/exportRows';
import { Emitter } from '../../src/core/events';
import { loadChinookMariadb, mysqlRawClient, type RawClient } from '../support/datasets';
import { governedRig, type GovernedRig } from '../support/governedRig';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

describe('query results edited through their table (MariaDB, Chinook)', function () {
  let server: MariadbServer;
  let raw: RawClient;
  let rig: GovernedRig;
  let dir: string;
  let id: string;
  const query = (text: string, name = 'result'): TableLocator => ({ datasourceId: id, name, query: { text } });
  const brazil = () => query("SELECT CustomerId AS id, FirstName AS first, Country, UPPER(LastName) AS shout FROM Customer WHERE Country = 'Brazil' ORDER BY CustomerId", 'Brazil');
  const firstName = async (customer: number) => (await raw.query('SELECT FirstName FROM Customer WHERE CustomerId = ?', [customer]))[0]?.[0];

  before(async function () {
    server = await startMariadb();
    await loadChinookMariadb(server, 'Chinook');
    raw = await mysqlRawClient(server, 'Chinook');
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-query-gov-'));
    rig = await governedRig(dir, createMysqlDatasource());
    id = await rig.manager.add({ type: 'nocoflo.mysql', name: 'Chinook', config: { host: server.host, port: server.port, database: 'Chinook', user: server.user }, secrets: { password: server.password } });
    await rig.roles.setRole({ datasourceId: id }, 'admin');
  });

  after(async () => {
    await rig?.manager.closeAll();
    rig?.metadata.dispose();
    await raw?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a result of one table with its key is editable under its own column names; computed columns are not', async () => {
    const schema = await rig.tables.schema(brazil());
    assert.equal(schema.kind, 'query');
    assert.equal(schema.readOnlyReason, undefined);
    assert.deepEqual(schema.rowKey, { columns: ['id'] });
    assert.deepEqual(schema.columns.map((c) => [c.name, c.readOnly === true]), [['id', false], ['first', false], ['Country', false], ['shout', true]]);
    assert.match(schema.notices?.join(' ') ?? '', /saved to Chinook\.Customer/);
    const page = await rig.tables.readRows(brazil(), { limit: 10 });
    assert.equal(page.rows.length, 5);
    assert.deepEqual(page.keys.map((k) => k?.id), [1, 10, 11, 12, 13]);
    assert.deepEqual(page.rows[1], [10, 'Eduardo', 'Brazil', 'MARTINS']);
  });

  it('an edit is saved to the table, audited there, and read back through the result', async () => {
    const result = await rig.tables.apply(brazil(), [{ kind: 'update', key: { id: 10 }, changes: { first: 'Edu' }, expected: { first: 'Eduardo', shout: 'MARTINS' } }], { source: 'nocoflo.table' });
    assert.deepEqual(result.ok, true);
    assert.equal(await firstName(10), 'Edu');
    const [entry] = rig.audit.query({ datasourceId: id }, 0, 1).entries;
    assert.equal(entry.table, 'Customer');
    assert.equal(entry.schema, 'Chinook');
    assert.deepEqual(entry.key, { CustomerId: 10 });
    assert.deepEqual(entry.newValues, { FirstName: 'Edu' });
    assert.deepEqual((await rig.tables.readRows(brazil(), { limit: 2 })).rows[1], [10, 'Edu', 'Brazil', 'MARTINS']);
  });

  it('a row changed by someone else since it was read is a conflict with its current values under the result\'s names', async () => {
    await raw.run('UPDATE Customer SET FirstName = ? WHERE CustomerId = ?', ['Alexandre (other)', 11]);
    const result = await rig.tables.apply(brazil(), [{ kind: 'update', key: { id: 11 }, changes: { first: 'Alex' }, expected: { first: 'Alexandre' } }], { source: 'nocoflo.table' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure.code, 'conflict');
    assert.equal(!result.ok && result.failure.current?.first, 'Alexandre (other)');
    assert.equal(await firstName(11), 'Alexandre (other)', 'nothing was overwritten');
  });

  it('the table\'s role decides: a viewer on Customer cannot save through a result', async () => {
    await rig.roles.setRole({ datasourceId: id, schema: 'Chinook', table: 'Customer' }, 'viewer');
    try {
      const result = await rig.tables.apply(brazil(), [{ kind: 'update', key: { id: 12 }, changes: { first: 'X' }, expected: { first: 'Roberto' } }], { source: 'nocoflo.table' });
      assert.equal(!result.ok && result.failure.code, 'permission');
      assert.equal(await firstName(12), 'Roberto');
    } finally {
      await rig.roles.setRole({ datasourceId: id, schema: 'Chinook', table: 'Customer' }, undefined);
    }
  });

  it('a join, a result without the key and a computed result are read-only, and say why', async () => {
    const join = await rig.tables.schema(query('SELECT c.CustomerId, i.InvoiceId, i.Total FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId'));
    assert.match(join.readOnlyReason ?? '', /come from 2 tables \(Chinook\.Customer, Chinook\.Invoice\)/);
    const keyless = await rig.tables.schema(query('SELECT FirstName, LastName FROM Customer'));
    assert.match(keyless.readOnlyReason ?? '', /leaves out Chinook\.Customer's key column "CustomerId"/);
    const computed = query('SELECT COUNT(*) AS n FROM Customer');
    assert.match((await rig.tables.schema(computed)).readOnlyReason ?? '', /none of its columns is a plain column/);
    const refused = await rig.tables.apply(computed, [{ kind: 'update', key: { n: 59 }, changes: { n: 1 }, expected: {} }], { source: 'nocoflo.table' });
    assert.equal(!refused.ok && refused.failure.code, 'read_only');
  });

  it('another extension reads a result and writes an editable one through api.data', async () => {
    const data = createDataAccess({ datasources: rig.manager, tables: rig.tables, role: (d) => rig.roleService.resolve({ datasourceId: d }), locksOn: () => [], confirm: async () => true, changed: new Emitter() }, 'acme.reports');
    const genres = await data.readRows(query('SELECT g.Name AS genre, COUNT(*) AS tracks FROM Track t JOIN Genre g ON g.GenreId = t.GenreId GROUP BY g.Name ORDER BY tracks DESC'), { limit: 3 });
    assert.deepEqual(genres.rows.map((r) => r[0]), ['Rock', 'Latin', 'Metal']);
    const written = await data.applyChanges(brazil(), [{ kind: 'update', key: { id: 13 }, changes: { first: 'Fernanda R.' }, expected: { first: 'Fernanda' } }]);
    assert.equal(written.ok, true);
    assert.equal(await firstName(13), 'Fernanda R.');
    assert.equal(rig.audit.query({ datasourceId: id }, 0, 1).entries[0].source, 'extension:acme.reports');
  });

  it("exports a join's whole result as the grid's Export does, page by page, sorted and filtered by the view", async () => {
    const lines = query('SELECT il.InvoiceLineId AS line, g.Name AS genre, il.UnitPrice * il.Quantity AS amount FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId', 'Lines');
    const chunks: string[] = [];
    const filters = [{ column: 'genre', op: 'eq' as const, value: 'Jazz' }];
    const sort = [{ column: 'line', direction: 'desc' as const }];
    const written = await exportRows({
      format: 'csv',
      columns: ['line', 'genre', 'amount'],
      pageSize: 50,
      signal: new AbortController().signal,
      readPage: (position) => rig.tables.readRows(lines, { filters, sort, ...position, limit: 50 }),
      write: async (chunk) => void chunks.push(chunk),
    });
    const expected = await raw.query("SELECT il.InvoiceLineId FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId WHERE g.Name = 'Jazz' ORDER BY il.InvoiceLineId DESC");
    assert.equal(written, expected.length);
    assert.ok(written > 50, `more than one page (${written} rows)`);
    const csv = chunks.join('').trim().split(/\r?\n/);
    assert.equal(csv[0], 'line,genre,amount');
    assert.deepEqual(csv.slice(1).map((row) => Number(row.split(',')[0])), expected.map((r) => Number(r[0])), 'every line once, in the view sort');
    assert.ok(csv.slice(1).every((row) => row.split(',')[1] === 'Jazz'));
  });
});
