// The PostgreSQL datasource through PgBouncer in transaction pooling mode (test/support/servers/pgbouncer.ts): the
// real-data suite and the datasource conformance suite with every Nocoflo session going through the pooler (the
// oracles and set-up go to the server directly), then what transaction pooling takes away: session state across
// transactions, a cancel that must reach the right server connection through the pooler, the statement timeout,
// and a pooler restart in the middle of a session.
import * as assert from 'node:assert/strict';
import pg from 'pg';
import type { DatasourceConfig, DatasourceContext, DatasourceError, DatasourceSession } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { type ConformanceRow, describeDatasourceConformance } from '../conformance/datasourceConformance';
import { chinook, type DatasetPart, northwind } from '../realdata/datasetTargets';
import { describeRealDatabaseSuite } from '../realdata/realDatabaseSuite';
import { loadChinookPostgres, loadNorthwindPostgres, postgresRawClient, type RawClient } from '../support/datasets';
import { startPgBouncer, type PgBouncer } from '../support/servers/pgbouncer';
import { startPostgres, type PostgresServer } from '../support/servers/postgresServer';
import { context } from '../support/sqliteFixtures';

const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const isCode = (code: string, message?: RegExp) => (e: DatasourceError) => {
  assert.equal(e.code, code, `expected a ${code} error, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.message, message);
  return true;
};

/** The server and a PgBouncer in front of it, started by the first caller, and the sessions to close at the end. */
function pooled() {
  let server: PostgresServer | undefined;
  let bouncer: PgBouncer | undefined;
  const sessions: DatasourceSession[] = [];
  return {
    async start() {
      server ??= await startPostgres();
      bouncer ??= await startPgBouncer(server);
      return { server, bouncer };
    },
    async connect(database: string, extra: DatasourceConfig = {}, ctx: DatasourceContext = context) {
      const { server: s, bouncer: b } = await this.start();
      const session = await createPostgresDatasource().connect({ host: b.host, port: b.port, database, user: s.user, ...extra }, { password: s.password }, ctx);
      sessions.push(session);
      return session;
    },
    async stop() {
      for (const session of sessions.splice(0)) await session.close();
      await bouncer?.stop();
      await server?.stop();
    },
  };
}

/** The real-data suite (as postgresRealData.test.ts runs it) with Nocoflo's sessions going through the pooler. */
function realDataThroughPooler(name: string, dataset: DatasetPart, database: string, load: (server: PostgresServer, database: string) => Promise<void>) {
  const shape = pooled();
  const raws: RawClient[] = [];
  const rawClient = async (server: PostgresServer, db: string) => {
    const raw = await postgresRawClient(server, db);
    raws.push(raw);
    return raw;
  };
  describeRealDatabaseSuite({
    ...dataset,
    name,
    schema: 'public',
    async open() {
      const { server } = await shape.start();
      await load(server, database);
      const setup = await postgresRawClient(server, database);
      await setup.run(dataset.createView);
      await setup.close();
      await server.admin(`CREATE DATABASE ${pgIdent(`${database}_scratch`)} TEMPLATE ${pgIdent(database)} OWNER ${pgIdent(server.user)}`);
      return { session: await shape.connect(database), raw: await rawClient(server, database) };
    },
    async openScratch() {
      const { server } = await shape.start();
      return { session: await shape.connect(`${database}_scratch`), raw: await rawClient(server, `${database}_scratch`) };
    },
    async dispose() {
      for (const raw of raws.splice(0)) await raw.close();
      await shape.stop();
    },
  });
}

describe('PostgreSQL through PgBouncer (transaction pooling)', function () {
  this.timeout(120_000);

  realDataThroughPooler('Chinook on PostgreSQL through PgBouncer', chinook('postgres'), 'chinook', loadChinookPostgres);
  realDataThroughPooler('Northwind on PostgreSQL through PgBouncer', northwind(), 'northwind', loadNorthwindPostgres);

  {
    const shape = pooled();
    const values = (r: ConformanceRow) => [r.id, r.name, r.score, r.note];
    const batches = <T>(rows: readonly T[]): T[][] => Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));
    let session: DatasourceSession | undefined;
    describeDatasourceConformance({
      name: 'PostgreSQL through PgBouncer',
      arbitraryTableNames: true,
      aggregates: true,
      samplesAggregates: true,
      async open(rows, tableName) {
        const { server } = await shape.start();
        const table = `public.${pgIdent(tableName)}`;
        await server.admin(`DROP TABLE IF EXISTS ${table}`);
        await server.admin(`CREATE TABLE ${table} (id integer PRIMARY KEY, name text NOT NULL, score integer, note text)`);
        await server.admin(`GRANT ALL ON ${table} TO ${pgIdent(server.user)}`);
        for (const batch of batches(rows)) await server.admin(`INSERT INTO ${table} VALUES ${batch.map((_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`).join(', ')}`, batch.flatMap(values));
        await server.admin(`ANALYZE ${table}`);
        session ??= await shape.connect(server.database);
        return { session, table: { schema: 'public', name: tableName } };
      },
      async keyless(keyed, keyless) {
        const { server } = await shape.start();
        await server.admin('DROP VIEW IF EXISTS public.source_view');
        await server.admin('DROP TABLE IF EXISTS public.source, public.heap');
        await server.admin('CREATE TABLE public.source (id integer PRIMARY KEY, name text NOT NULL, score integer, note text)');
        await server.admin('CREATE VIEW public.source_view AS SELECT name, score, note FROM public.source');
        await server.admin("CREATE COLLATION IF NOT EXISTS public.loose (provider = icu, locale = 'und-u-ks-level1', deterministic = false)");
        await server.admin('CREATE TABLE public.heap (name text NOT NULL, score integer, note text COLLATE public.loose, doc json)');
        await server.admin(`GRANT ALL ON public.source, public.source_view, public.heap TO ${pgIdent(server.user)}`);
        for (const batch of batches(keyed)) await server.admin(`INSERT INTO public.source VALUES ${batch.map((_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`).join(', ')}`, batch.flatMap(values));
        for (const batch of batches(keyless)) {
          await server.admin(`INSERT INTO public.heap (name, score, note) SELECT * FROM unnest($1::text[], $2::int[], $3::text[])`, [batch.map((r) => r.name), batch.map((r) => r.score), batch.map((r) => r.note)]);
        }
        await server.admin('ANALYZE public.source, public.heap');
        session ??= await shape.connect(server.database);
        return { session, table: { schema: 'public', name: 'heap' }, view: { schema: 'public', name: 'source_view' } };
      },
      foldsNonAsciiCase: false,
      maxParameters: 65_535,
      dispose: () => shape.stop(),
    });
  }

  describe('session state, cancellation, timeouts and restarts', () => {
    const shape = pooled();
    let server: PostgresServer;
    let bouncer: PgBouncer;
    let session: DatasourceSession;
    const logs: string[] = [];
    const ctx: DatasourceContext = { workspaceFolders: [], log: (level, message) => logs.push(`${level}: ${message}`) };

    before(async () => {
      ({ server, bouncer } = await shape.start());
      await server.admin(`SET ROLE ${pgIdent(server.user)};
        CREATE TABLE items (id int PRIMARY KEY, note text, at interval, bytes bytea, f float8);
        INSERT INTO items SELECT i, 'note ' || i, make_interval(hours => i), '\\x00ff', 0.1 FROM generate_series(1, 50) i;
        CREATE VIEW slow AS SELECT pg_sleep(30)::text AS slept, 1 AS n;`);
      session = await shape.connect(server.database, { applicationName: 'nocoflo-pgb' }, ctx);
    });
    after(() => shape.stop());

    const activeSleeps = async () =>
      Number((await server.admin<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%slow%' AND application_name = 'nocoflo-pgb'")).rows[0].n);
    const untilActive = async () => {
      for (let i = 0; i < 1000 && (await activeSleeps()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await activeSleeps(), 1, 'the slow query runs on the server');
    };

    it('reads values as a direct connection does, whatever settings other clients left on the server connections', async () => {
      // Another client of the same pool sets session state that a session-pooled client would have reset.
      const other = new pg.Client({ host: bouncer.host, port: bouncer.port, user: server.user, password: server.password, database: server.database });
      await other.connect();
      try {
        for (let i = 0; i < 3; i++) await other.query("SET IntervalStyle = 'iso_8601'; SET bytea_output = 'escape'; SET extra_float_digits = 0");
        const page = await session.readRows({ name: 'items' }, { limit: 2 });
        const at = page.columns.indexOf('at');
        const bytes = page.columns.indexOf('bytes');
        const f = page.columns.indexOf('f');
        assert.equal(page.rows[0][at], '01:00:00');
        assert.deepEqual(page.rows[0][bytes], new Uint8Array([0, 255]));
        assert.equal(page.rows[0][f], 0.1);
      } finally {
        await other.end();
      }
    });

    it('cancels a slow read on the server, through the pooler, when its signal aborts', async () => {
      const controller = new AbortController();
      const reading = session.readRows({ name: 'slow' }, { limit: 10, signal: controller.signal });
      await untilActive();
      controller.abort();
      await assert.rejects(reading, isCode('cancelled'));
      assert.equal(await activeSleeps(), 0, 'the query is gone from the server');
      assert.equal((await session.countRows({ name: 'items' })).count, 50);
    });

    it('closing a session cancels its running query on the server', async () => {
      const other = await shape.connect(server.database, { applicationName: 'nocoflo-pgb' });
      const reading = other.readRows({ name: 'slow' }, { limit: 1 });
      await untilActive();
      const outcome = assert.rejects(reading, isCode('cancelled'));
      await other.close();
      await outcome;
      assert.equal(await activeSleeps(), 0);
    });

    it('stops a statement at statementTimeoutSeconds with a timeout error, and the next one runs without it', async () => {
      const impatient = await shape.connect(server.database, { applicationName: 'nocoflo-pgb', statementTimeoutSeconds: 1 });
      await assert.rejects(impatient.readRows({ name: 'slow' }, { limit: 1 }), isCode('timeout', /statement timeout/));
      assert.equal(await activeSleeps(), 0);
      assert.equal((await impatient.countRows({ name: 'items' })).count, 50, 'the session still works');
      // The timeout was SET LOCAL: the server connections go back to the pool without it (they are few, see
      // pgbouncer.ts, so the one it ran on is among those asked).
      const probe = new pg.Client({ host: bouncer.host, port: bouncer.port, user: server.user, password: server.password, database: server.database });
      await probe.connect();
      try {
        for (let i = 0; i < 6; i++) assert.equal((await probe.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0].statement_timeout, '0');
      } finally {
        await probe.end();
      }
    });

    it('reconnects after the pooler restarted: the next write and read work', async () => {
      const first = await Promise.all([1, 2, 3].map(() => session.readRows({ name: 'items' }, { limit: 5 })));
      await bouncer.restart();
      await session.updateRow({ name: 'items' }, { id: 1 }, { note: 'after restart' }, { note: 'note 1' });
      assert.equal((await server.admin('SELECT note FROM items WHERE id = 1')).rows[0].note, 'after restart');
      const again = await session.readRows({ name: 'items' }, { limit: 5 });
      assert.deepEqual(again.rows.slice(1), first[0].rows.slice(1));
    });
  });
});
