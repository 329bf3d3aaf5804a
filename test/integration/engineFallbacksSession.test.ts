// A catalogue function the engine lacks, met inside the session's own transaction. Every PostgreSQL operation is one
// transaction (for PgBouncer), and on a real server a failed statement aborts it: the fallback query cannot run
// in the same transaction ("current transaction is aborted"). The session must run the operation again, with the
// fallback from the start. The real server here really refuses pg_partition_tree as CockroachDB does: the test
// login's search_path puts a function of the same name that raises CockroachDB's error before pg_catalog's.
import * as assert from 'node:assert/strict';
import type { DatasourceSession } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { postgresSuite } from '../support/servers/postgresSuite';
import { context } from '../support/sqliteFixtures';

describe('PostgreSQL session: a missing catalogue function inside the operation transaction', function () {
  this.timeout(120_000);
  const suite = postgresSuite();
  let session: DatasourceSession;

  before(async () => {
    const { server, admin } = suite;
    await admin.query(`
      CREATE TABLE measures (id int, at date NOT NULL, v int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE measures_2024 PARTITION OF measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      INSERT INTO measures SELECT i, DATE '2024-01-01' + i % 300, i FROM generate_series(1, 50) i;
      CREATE TABLE plain (id int PRIMARY KEY, name text);
      INSERT INTO plain VALUES (1, 'one'), (2, 'two');
      ANALYZE;
      CREATE FUNCTION public.pg_partition_tree(regclass) RETURNS TABLE (relid regclass, parentrelid regclass, isleaf boolean, level integer)
        LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION USING ERRCODE = '42883', MESSAGE = 'unknown function: pg_partition_tree()'; END $$;
    `);
    // New connections of the test login find public.pg_partition_tree before pg_catalog's.
    await suite.server.admin(`ALTER ROLE "${server.user}" SET search_path = public, pg_catalog`);
    session = await createPostgresDatasource().connect({ host: server.host, port: server.port, database: server.database, user: server.user }, { password: server.password }, context);
  });

  after(async () => {
    await session?.close();
  });

  it('the server really refuses the function, inside a transaction too', async () => {
    const { server } = suite;
    const pg = (await import('pg')).default;
    const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
    await client.connect();
    try {
      await client.query('BEGIN');
      await assert.rejects(client.query("SELECT * FROM pg_partition_tree('measures')"), /unknown function: pg_partition_tree/);
      await assert.rejects(client.query('SELECT 1'), /current transaction is aborted/);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });

  it('lists the tables with the fallback: the partitioned table without its estimate, the others as before', async () => {
    const tables = await session.listTables();
    const names = tables.map((t) => t.ref.name).sort();
    assert.ok(names.includes('measures') && names.includes('plain') && names.includes('measures_2024'), names.join(', '));
    // And again: the fallback is remembered, the refused function is not asked for any more.
    assert.deepEqual((await session.listTables()).map((t) => t.ref.name).sort(), names);
    const page = await session.readRows({ name: 'plain' }, { limit: 10 });
    assert.equal(page.rows.length, 2);
  });
});
