// The datasource conformance suite and the real-data suite on a 3-node MariaDB Galera cluster (galeraCluster.ts):
// everything is loaded through node 1 and read and written through the others, so every check also proves that a
// session sees what another node committed just before (causal reads, plugins/mysql/galera.ts).
import type { DatasourceSession } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { type ConformanceRow, describeDatasourceConformance, type KeylessRow } from '../conformance/datasourceConformance';
import { chinook } from '../realdata/datasetTargets';
import { describeRealDatabaseSuite } from '../realdata/realDatabaseSuite';
import { loadChinookMariadb, mysqlRawClient, type RawClient } from '../support/datasets';
import { startGaleraCluster, type GaleraCluster } from '../support/servers/galeraCluster';
import { context } from '../support/sqliteFixtures';

const myIdent = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const values = (r: ConformanceRow) => [r.id, r.name, r.score, r.note];
const keylessValues = (r: KeylessRow) => [r.name, r.score, r.note];
const batches = <T>(rows: readonly T[]): T[][] => Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));

let started: Promise<GaleraCluster> | undefined;
/** One cluster for the whole file, started by the first suite that needs it. */
const cluster = () => (started ??= startGaleraCluster());
after(async function () {
  this.timeout(120_000);
  if (started) await (await started).stop();
});

const connectTo = async (index: number, database?: string): Promise<DatasourceSession> => {
  const c = await cluster();
  const node = c.nodes[index - 1];
  return createMysqlDatasource().connect({ host: node.host, port: node.port, database: database ?? c.database, user: c.user }, { password: c.password }, context);
};

let conformanceSession: DatasourceSession | undefined;
describeDatasourceConformance({
  name: 'MariaDB Galera (loaded through node 1, read and written through node 2)',
  arbitraryTableNames: true,
  aggregates: true,
  samplesAggregates: true,
  async open(rows, tableName) {
    const first = (await cluster()).nodes[0];
    await first.admin(`DROP TABLE IF EXISTS ${myIdent(tableName)}`);
    await first.admin(`CREATE TABLE ${myIdent(tableName)} (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, score INT NULL, note TEXT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    for (const batch of batches(rows)) await first.admin(`INSERT INTO ${myIdent(tableName)} VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`, batch.flatMap(values));
    conformanceSession ??= await connectTo(2);
    return { session: conformanceSession, table: { schema: (await cluster()).database, name: tableName } };
  },
  async keyless(keyed, keyless) {
    const first = (await cluster()).nodes[0];
    await first.admin('DROP VIEW IF EXISTS source_view');
    await first.admin('DROP TABLE IF EXISTS source, heap');
    await first.admin('CREATE TABLE source (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, score INT NULL, note TEXT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');
    await first.admin('CREATE VIEW source_view AS SELECT name, score, note FROM source');
    // Galera replicates tables without a primary key too (InnoDB's hidden key); reads need nothing more.
    await first.admin('CREATE TABLE heap (name VARCHAR(40) NOT NULL, score INT NULL, note VARCHAR(40) NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');
    for (const batch of batches(keyed)) await first.admin(`INSERT INTO source VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`, batch.flatMap(values));
    for (const batch of batches(keyless)) await first.admin(`INSERT INTO heap VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`, batch.flatMap(keylessValues));
    conformanceSession ??= await connectTo(2);
    const database = (await cluster()).database;
    return { session: conformanceSession, table: { schema: database, name: 'heap' }, view: { schema: database, name: 'source_view' } };
  },
  equalityIgnoresCaseAndAccents: true,
  maxParameters: 65_535,
  async dispose() {
    await conformanceSession?.close();
    conformanceSession = undefined;
  },
});

const dataset = chinook('mysql');
const open: { session: DatasourceSession; raw: RawClient }[] = [];

/**
 * Loads Chinook through node 1 and opens a session on `sessionNode`. The oracle (raw client) reads through
 * `oracleNode` with causal reads on, so it sees what the session wrote through another node.
 */
async function load(database: string, sessionNode: number, oracleNode: number) {
  const c = await cluster();
  await loadChinookMariadb(c.asServer(1), database);
  // The GRANT on the new database was made through node 1; logins elsewhere are checked before any causal wait.
  await c.catchUp(sessionNode);
  await c.catchUp(oracleNode);
  const session = await connectTo(sessionNode, database);
  const raw = await mysqlRawClient(c.asServer(oracleNode), database);
  await raw.run('SET SESSION wsrep_sync_wait = 1');
  const opened = { session, raw, schema: database };
  open.push(opened);
  await opened.raw.run(dataset.createView);
  return opened;
}

describeRealDatabaseSuite({
  ...dataset,
  name: 'Chinook on MariaDB Galera (loaded through node 1; read through node 2, scratch writes through node 3 checked on node 1)',
  schema: 'Chinook',
  open: () => load('Chinook', 2, 2),
  openScratch: () => load('Chinook_scratch', 3, 1),
  async dispose() {
    for (const { session, raw } of open.splice(0)) {
      await session.close();
      await raw.close();
    }
  },
});
