// The fallback queries of docs/compatibility.md run for real: a real PostgreSQL 15 is made to refuse one catalogue
// function, relation or statement form at a time, with the error CockroachDB or YugabyteDB 2.20 sends for it, and
// the plainer query that replaces it runs on the real server. Each must give the same tables, keys and foreign keys
// as the full query (losing only the detail it names), and counts and charts must stay right.
import * as assert from 'node:assert/strict';
import type { AggregateRequest, CellValue } from '../../api';
import pg from 'pg';
import { listTables, readSchema } from '../../plugins/postgres/introspection';
import { fromPgError } from '../../plugins/postgres/pgErrors';
import { PostgresTables, type Runner } from '../../plugins/postgres/tableOperations';
import { typeParsers } from '../../plugins/postgres/typeKinds';
import { postgresSuite } from '../support/servers/postgresSuite';

const SCHEMA = `
  CREATE SCHEMA app;
  CREATE TABLE app.parents (id int8 PRIMARY KEY, name text NOT NULL UNIQUE);
  COMMENT ON TABLE app.parents IS 'the parents';
  CREATE TABLE app.items (
    id bigserial PRIMARY KEY,
    parent_id int8 REFERENCES app.parents (id),
    code text NOT NULL UNIQUE,
    doc json,
    note text DEFAULT 'none'
  );
  COMMENT ON COLUMN app.items.note IS 'a note';
  CREATE TABLE app.events (id int, at date NOT NULL, v int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
  CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  INSERT INTO app.parents SELECT i, 'p' || i FROM generate_series(1, 3) i;
  INSERT INTO app.items (parent_id, code, note) SELECT 1 + i % 3, 'c' || i, CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END FROM generate_series(1, 20000) i;
  INSERT INTO app.events SELECT i, DATE '2024-01-01' + i % 300, i % 10 FROM generate_series(1, 120) i;
  CREATE TABLE app.by_code (code text PRIMARY KEY, kind text);
  INSERT INTO app.by_code SELECT 'k' || i, CASE WHEN i % 4 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 40000) i;
  ANALYZE;
`;

describe('Engine fallbacks on a real PostgreSQL refusing one feature at a time', function () {
  this.timeout(120_000);
  const server = postgresSuite();
  let client: pg.Client;
  /** Statements matching this pattern fail with `refusal`, as the simulated engine would fail them. */
  let refused: RegExp | undefined;
  let refusal: { code: string; message: string } = { code: '42883', message: '' };
  const runner: Runner = {
    async query(sql: string, params: CellValue[] = []) {
      if (refused?.test(sql)) throw fromPgError(Object.assign(new Error(refusal.message), { code: refusal.code, severity: 'ERROR' }));
      try {
        const result = await client.query({ text: sql, values: params as unknown[], rowMode: 'array' });
        return { rows: result.rows as CellValue[][], rowCount: result.rowCount ?? 0 };
      } catch (error) {
        throw fromPgError(error);
      }
    },
  };
  const query = (sql: string, params?: CellValue[]) => runner.query(sql, params).then((r) => r.rows);
  const refuse = (pattern: RegExp, code: string, message: string) => {
    refused = pattern;
    refusal = { code, message };
  };

  before(async () => {
    const { server: s } = server;
    await server.admin.query(SCHEMA);
    client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database, types: typeParsers });
    await client.connect();
  });
  after(async () => {
    await client?.end();
  });
  afterEach(() => {
    refused = undefined;
  });

  const items = { schema: 'app', name: 'items' };

  it('without pg_partition_tree (CockroachDB, YugabyteDB 2.20) the same tables are listed; only the partitioned parent loses its estimate', async () => {
    const full = await listTables(query);
    refuse(/pg_partition_tree/, '42883', 'unknown function: pg_partition_tree()');
    const plain = await listTables(query);
    const parent = (list: typeof full) => list.find((t) => t.ref.name === 'events')!;
    assert.equal(parent(full).rowCount?.count, 120);
    assert.equal(parent(plain).rowCount, undefined);
    assert.deepEqual(
      plain.filter((t) => t.ref.name !== 'events'),
      full.filter((t) => t.ref.name !== 'events'),
    );
    assert.equal(plain.find((t) => t.ref.name === 'events_2024')!.parent, 'events');
  });

  it('without obj_description and pg_inherits the same tables are listed, without details', async () => {
    const full = await listTables(query);
    refuse(/obj_description|pg_inherits/, '42883', 'unknown function: obj_description()');
    const plain = await listTables(query);
    assert.deepEqual(
      plain.map((t) => [t.ref, t.kind]),
      full.map((t) => [t.ref, t.kind]),
    );
    assert.ok(plain.every((t) => t.parent === undefined && t.rowCount === undefined && t.comment === undefined));
  });

  it('each schema fallback keeps the columns, kinds, keys and foreign keys, losing only its detail', async () => {
    const full = (await readSchema(query, items)).schema;
    const cases: [RegExp, string, string, (s: typeof full) => void][] = [
      [/attgenerated/, '42703', 'column a.attgenerated does not exist', (s) => assert.deepEqual(s, full)],
      [/pg_get_expr/, '42883', 'unknown function: pg_get_expr()', (s) => assert.ok(s.columns.every((c) => c.defaultValue === undefined && c.comment === undefined))],
      [/WITH RECURSIVE chain/, '0A000', 'unimplemented: this syntax', (s) => assert.deepEqual(s.columns.map((c) => c.kind), full.columns.map((c) => c.kind))],
      [/FROM pg_index i/, '42P01', 'relation "pg_index" does not exist', (s) => assert.deepEqual([s.primaryKey, s.uniqueKeys, s.rowKey], [full.primaryKey, full.uniqueKeys, full.rowKey])],
      [/conparentid/, '42703', 'column p.conparentid does not exist', (s) => assert.deepEqual(s.foreignKeys, full.foreignKeys)],
      [/FROM pg_constraint con/, '42P01', 'relation "pg_constraint" does not exist', (s) => assert.deepEqual(s.foreignKeys, [])],
    ];
    assert.equal(full.foreignKeys.length, 1);
    assert.deepEqual(full.uniqueKeys, [['code']]);
    for (const [pattern, code, message, check] of cases) {
      refuse(pattern, code, message);
      const { schema } = await readSchema(query, items);
      assert.deepEqual(schema.columns.map((c) => c.name), full.columns.map((c) => c.name), message);
      assert.deepEqual(schema.rowKey, { columns: ['id'] }, message);
      check(schema);
    }
  });

  it('without EXPLAIN (FORMAT JSON) an estimated count is the capped count', async () => {
    refuse(/^EXPLAIN/, '42601', 'at or near "format": syntax error');
    assert.deepEqual(await new PostgresTables().countRows(runner, items, { estimate: true, cap: 5_000 }), { count: 5_000, exact: false, capped: true });
    assert.deepEqual(await new PostgresTables().countRows(runner, items, { estimate: true, cap: 50_000 }), { count: 20_000, exact: true });
  });

  const byNote: AggregateRequest = { groupBy: [{ column: 'note' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 2_000 } };
  const byKind: AggregateRequest = { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 2_000 } };

  it('without the jit and enable_seqscan settings (CockroachDB) a chart is still sampled by key windows', async () => {
    refuse(/set_config/, '42704', 'unrecognized configuration parameter "jit"');
    const result = await new PostgresTables().aggregate(runner, items, byNote);
    assert.match(result.sample?.method ?? '', /windows/);
    const total = result.rows.reduce((sum, row) => sum + Number(row[1]), 0);
    assert.ok(Math.abs(total - 20_000) < 2_000, `the sampled total ${total} estimates 20,000 rows`);
  });

  it('without TABLESAMPLE (CockroachDB) or pg_partition_tree a table without an integer key is charted exactly', async () => {
    for (const [pattern, code, message] of [
      [/TABLESAMPLE/, '42601', 'at or near "tablesample": syntax error'],
      [/pg_partition_tree/, '42883', 'function pg_partition_tree(oid) does not exist'],
    ] as const) {
      refuse(pattern, code, message);
      const result = await new PostgresTables().aggregate(runner, { schema: 'app', name: 'by_code' }, byKind);
      assert.equal(result.sample, undefined, message);
      assert.deepEqual(result.rows, [['a', 10_000], ['b', 30_000]], message);
    }
    refused = undefined;
    assert.match((await new PostgresTables().aggregate(runner, { schema: 'app', name: 'by_code' }, byKind)).sample?.method ?? '', /TABLESAMPLE/);
  });
});
