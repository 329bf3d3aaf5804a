// The datasource conformance suite (test/conformance) against every built-in SQL datasource, each on the real
// thing: SQLite files through the worker and engine, a throwaway PostgreSQL cluster, a throwaway MariaDB server.
// The REST datasource and the example plugin run the same suite in their own test files.
import * as path from 'node:path';
import type { DatasourceSession } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { createPostgresDatasource } from '../../plugins/postgres';
import { type ConformanceRow, describeDatasourceConformance } from '../conformance/datasourceConformance';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';
import { startPostgres, type PostgresServer } from '../support/servers/postgresServer';
import { context, makeDatabase, openSqlite, tempDir } from '../support/sqliteFixtures';

const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const myIdent = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const values = (r: ConformanceRow) => [r.id, r.name, r.score, r.note];
/** Rows in groups of 500, one INSERT each (the admin helpers connect per statement). */
const batches = (rows: readonly ConformanceRow[]) => Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));

describeDatasourceConformance({
  name: 'SQLite',
  arbitraryTableNames: true,
  samplesAggregates: true,
  async open(rows, tableName) {
    const file = path.join(tempDir('nocoflo-conformance-'), 'items.sqlite');
    await makeDatabase(file, `CREATE TABLE ${pgIdent(tableName)} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER, note TEXT);`, (run) => {
      for (const row of rows) run(`INSERT INTO ${pgIdent(tableName)} VALUES (?, ?, ?, ?)`, values(row));
    });
    return { session: await openSqlite(file), table: { name: tableName } };
  },
});

let pg: PostgresServer | undefined;
let pgSession: DatasourceSession | undefined;
describeDatasourceConformance({
  name: 'PostgreSQL',
  arbitraryTableNames: true,
  samplesAggregates: true,
  async open(rows, tableName) {
    pg ??= await startPostgres();
    const table = `public.${pgIdent(tableName)}`;
    await pg.admin(`DROP TABLE IF EXISTS ${table}`);
    await pg.admin(`CREATE TABLE ${table} (id integer PRIMARY KEY, name text NOT NULL, score integer, note text)`);
    await pg.admin(`GRANT ALL ON ${table} TO ${pgIdent(pg.user)}`);
    for (const batch of batches(rows)) await pg.admin(`INSERT INTO ${table} VALUES ${batch.map((_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`).join(', ')}`, batch.flatMap(values));
    // Statistics now, as autovacuum would soon: sampling sizes itself from the planner's row estimate.
    await pg.admin(`ANALYZE ${table}`);
    pgSession ??= await createPostgresDatasource().connect({ host: pg.host, port: pg.port, database: pg.database, user: pg.user }, { password: pg.password }, context);
    return { session: pgSession, table: { schema: 'public', name: tableName } };
  },
  async dispose() {
    await pgSession?.close();
    await pg?.stop();
  },
});

let maria: MariadbServer | undefined;
let mariaSession: DatasourceSession | undefined;
describeDatasourceConformance({
  name: 'MariaDB',
  arbitraryTableNames: true,
  samplesAggregates: true,
  async open(rows, tableName) {
    maria ??= await startMariadb();
    await maria.admin(`DROP TABLE IF EXISTS ${myIdent(tableName)}`);
    await maria.admin(`CREATE TABLE ${myIdent(tableName)} (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, score INT NULL, note TEXT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    for (const batch of batches(rows)) await maria.admin(`INSERT INTO ${myIdent(tableName)} VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`, batch.flatMap(values));
    mariaSession ??= await createMysqlDatasource().connect(
      { host: maria.host, port: maria.port, database: maria.database, user: maria.user },
      { password: maria.password },
      context,
    );
    return { session: mariaSession, table: { schema: maria.database, name: tableName } };
  },
  async dispose() {
    await mariaSession?.close();
    await maria?.stop();
  },
});
