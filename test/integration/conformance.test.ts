// The datasource conformance suite (test/conformance) against every built-in SQL datasource, each on the real
// thing: SQLite files through the worker and engine, a throwaway PostgreSQL cluster, a throwaway MariaDB server.
// The REST datasource and the example plugin run the same suite in their own test files.
import * as path from 'node:path';
import type { DatasourceSession } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { createPostgresDatasource } from '../../plugins/postgres';
import { type ConformanceRow, describeDatasourceConformance, type KeylessRow } from '../conformance/datasourceConformance';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';
import { startPostgres, type PostgresServer } from '../support/servers/postgresServer';
import { context, makeDatabase, openSqlite, tempDir } from '../support/sqliteFixtures';

const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const myIdent = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const values = (r: ConformanceRow) => [r.id, r.name, r.score, r.note];
const keylessValues = (r: KeylessRow) => [r.name, r.score, r.note];
/** Rows in groups of 500, one INSERT each (the admin helpers connect per statement). */
const batches = <T>(rows: readonly T[]): T[][] => Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));

describeDatasourceConformance({
  name: 'SQLite',
  arbitraryTableNames: true,
  aggregates: true,
  samplesAggregates: true,
  async open(rows, tableName) {
    const file = path.join(tempDir('nocoflo-conformance-'), 'items.sqlite');
    await makeDatabase(file, `CREATE TABLE ${pgIdent(tableName)} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER, note TEXT);`, (run) => {
      for (const row of rows) run(`INSERT INTO ${pgIdent(tableName)} VALUES (?, ?, ?, ?)`, values(row));
    });
    return { session: await openSqlite(file), table: { name: tableName } };
  },
  async keyless(keyed, keyless) {
    const file = path.join(tempDir('nocoflo-conformance-'), 'keyless.sqlite');
    // A rowid table without a primary key pages by its rowid; the view has neither.
    const ddl = `CREATE TABLE source (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER, note TEXT);
      CREATE VIEW source_view AS SELECT name, score, note FROM source;
      CREATE TABLE heap (name TEXT NOT NULL, score INTEGER, note TEXT);`;
    await makeDatabase(file, ddl, (run) => {
      for (const row of keyed) run('INSERT INTO source VALUES (?, ?, ?, ?)', values(row));
      for (const row of keyless) run('INSERT INTO heap VALUES (?, ?, ?)', keylessValues(row));
    });
    return { session: await openSqlite(file), table: { name: 'heap' }, view: { name: 'source_view' } };
  },
  // LIKE folds A–Z only.
  foldsNonAsciiCase: false,
  maxParameters: 32_766,
});

let pg: PostgresServer | undefined;
let pgSession: DatasourceSession | undefined;
describeDatasourceConformance({
  name: 'PostgreSQL',
  arbitraryTableNames: true,
  aggregates: true,
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
  async keyless(keyed, keyless) {
    pg ??= await startPostgres();
    await pg.admin('DROP VIEW IF EXISTS public.source_view');
    await pg.admin('DROP TABLE IF EXISTS public.source, public.heap');
    await pg.admin('CREATE TABLE public.source (id integer PRIMARY KEY, name text NOT NULL, score integer, note text)');
    await pg.admin('CREATE VIEW public.source_view AS SELECT name, score, note FROM public.source');
    // A json column too: it has no ordering of its own, so it breaks ties as its text. The notes are in a
    // nondeterministic collation that ignores case and accents, so only a tiebreaker that tells 'e' from 'É' pages
    // them each once.
    await pg.admin("CREATE COLLATION IF NOT EXISTS public.loose (provider = icu, locale = 'und-u-ks-level1', deterministic = false)");
    await pg.admin('CREATE TABLE public.heap (name text NOT NULL, score integer, note text COLLATE public.loose, doc json)');
    await pg.admin(`GRANT ALL ON public.source, public.source_view, public.heap TO ${pgIdent(pg.user)}`);
    for (const batch of batches(keyed)) await pg.admin(`INSERT INTO public.source VALUES ${batch.map((_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`).join(', ')}`, batch.flatMap(values));
    for (const batch of batches(keyless)) {
      await pg.admin(`INSERT INTO public.heap (name, score, note, doc) SELECT n, s, t, json_build_object('n', n) FROM unnest($1::text[], $2::int[], $3::text[]) AS u(n, s, t)`, [batch.map((r) => r.name), batch.map((r) => r.score), batch.map((r) => r.note)]);
    }
    await pg.admin('ANALYZE public.source, public.heap');
    pgSession ??= await createPostgresDatasource().connect({ host: pg.host, port: pg.port, database: pg.database, user: pg.user }, { password: pg.password }, context);
    return { session: pgSession, table: { schema: 'public', name: 'heap' }, view: { schema: 'public', name: 'source_view' } };
  },
  // ILIKE folds what the database's LC_CTYPE knows; the test cluster's is C (initdb --locale=C).
  foldsNonAsciiCase: false,
  maxParameters: 65_535,
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
  aggregates: true,
  samplesAggregates: true,
  async open(rows, tableName) {
    maria ??= await startMariadb();
    await maria.admin(`DROP TABLE IF EXISTS ${myIdent(tableName)}`);
    await maria.admin(`CREATE TABLE ${myIdent(tableName)} (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, score INT NULL, note TEXT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    for (const batch of batches(rows)) await maria.admin(`INSERT INTO ${myIdent(tableName)} VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`, batch.flatMap(values));
    mariaSession ??= await createMysqlDatasource().connect(
      { host: maria.host, port: maria.port, database: maria.database, user: maria.user },
      { password: maria.password },
      context,
    );
    return { session: mariaSession, table: { schema: maria.database, name: tableName } };
  },
  async keyless(keyed, keyless) {
    maria ??= await startMariadb();
    await maria.admin('DROP VIEW IF EXISTS source_view');
    await maria.admin('DROP TABLE IF EXISTS source, heap');
    await maria.admin('CREATE TABLE source (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, score INT NULL, note TEXT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');
    await maria.admin('CREATE VIEW source_view AS SELECT name, score, note FROM source');
    // unicode_ci calls 'e', 'E', 'é', 'É' and 'e ' equal; only a tiebreaker that tells them apart pages them once.
    await maria.admin('CREATE TABLE heap (name VARCHAR(40) NOT NULL, score INT NULL, note VARCHAR(40) NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');
    for (const batch of batches(keyed)) await maria.admin(`INSERT INTO source VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`, batch.flatMap(values));
    for (const batch of batches(keyless)) await maria.admin(`INSERT INTO heap VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`, batch.flatMap(keylessValues));
    mariaSession ??= await createMysqlDatasource().connect({ host: maria.host, port: maria.port, database: maria.database, user: maria.user }, { password: maria.password }, context);
    return { session: mariaSession, table: { schema: maria.database, name: 'heap' }, view: { schema: maria.database, name: 'source_view' } };
  },
  // The conformance table's collation is utf8mb4_unicode_ci, the test database's default (and like MariaDB's own
  // defaults, it ignores case and accents in comparisons).
  equalityIgnoresCaseAndAccents: true,
  maxParameters: 65_535,
  async dispose() {
    await mariaSession?.close();
    await maria?.stop();
  },
});
