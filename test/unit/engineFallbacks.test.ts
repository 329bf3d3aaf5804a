import * as assert from 'node:assert/strict';
import type { AggregateRequest, CellValue } from '../../api';
import { EngineFallbacks, withFallback } from '../../plugins/kit/engineFallback';
import { listTables, readSchema, type Query } from '../../plugins/postgres/introspection';
import { pgMissingFeature } from '../../plugins/postgres/missingFeature';
import { fromPgError } from '../../plugins/postgres/pgErrors';
import { PostgresTables, type Runner } from '../../plugins/postgres/tableOperations';

// PostgreSQL-protocol engines we cannot run here (CockroachDB, YugabyteDB before 2.25, Citus), simulated by a fake
// catalogue that fails the statements those engines fail, with the SQLSTATE and message they send, mapped the way
// the session's runner maps them (fromPgError). Each check says which fallback is taken and what the user gets.
// docs/compatibility.md lists the engines' behaviour and its sources.

/** An error as pg's DatabaseError carries it, mapped as the session's runner maps it. */
const engineError = (code: string, message: string) => fromPgError(Object.assign(new Error(message), { code, severity: 'ERROR' }));

const COCKROACH_NO_PARTITION_TREE = () => engineError('42883', 'unknown function: pg_partition_tree()');
const YUGABYTE_NO_PARTITION_TREE = () => engineError('42883', 'function pg_partition_tree(oid) does not exist');
const YUGABYTE_NO_ATTGENERATED = () => engineError('42703', 'column a.attgenerated does not exist');
const COCKROACH_NO_JIT = () => engineError('42704', 'unrecognized configuration parameter "jit"');
const COCKROACH_NO_TABLESAMPLE = () => engineError('42601', 'at or near "tablesample": syntax error');
const COCKROACH_NO_EXPLAIN_JSON = () => engineError('42601', 'at or near "format": syntax error');
const CITUS_NO_WINDOW_JOIN = () => engineError('0A000', 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns');

type Rule = [RegExp, (sql: string, params: CellValue[]) => CellValue[][]];

/** A catalogue that answers by the first rule whose pattern the statement matches, and records every statement. */
function fakeEngine(rules: Rule[]) {
  const seen: string[] = [];
  const query: Query = async (sql, params = []) => {
    seen.push(sql);
    const rule = rules.find(([pattern]) => pattern.test(sql));
    if (!rule) throw new Error(`the fake engine has no answer for: ${sql.slice(0, 120)}`);
    return rule[1](sql, params);
  };
  const runner: Runner = { query: async (sql, params = []) => ({ rows: await query(sql, params), rowCount: 0 }) };
  return { query, runner, seen, count: (pattern: RegExp) => seen.filter((s) => pattern.test(s)).length };
}
const fail = (error: () => unknown) => () => {
  throw error();
};

const TABLE_ROWS: CellValue[][] = [
  ['app', 'events', 'p', null, null, 'partitioned'],
  ['app', 'events_2024', 'r', 'events', 60, null],
];

/** Answers for every catalogue query readSchema makes about app.items (id int8 primary key, doc json, note text). */
const itemCatalogue = (overrides: Rule[] = []): Rule[] => [
  ...overrides,
  [/FROM pg_class c JOIN pg_namespace n[\s\S]*c\.relname = \$2/, () => [[16384n, 'r', 'app', 'items']]],
  [
    /FROM pg_attribute a/,
    () => [
      ['id', 'bigint', 20n, -1, true, "unique_rowid()", '', '', null, false],
      ['doc', 'json', 114n, -1, false, null, '', '', null, false],
      ['note', 'text', 25n, -1, false, null, '', '', 'a comment', false],
    ],
  ],
  [
    /WITH RECURSIVE chain/,
    () => [
      [20n, true, 'bigint', 'int8', 'pg_catalog', 'b', 'N', 0n, null, false, null, true, true],
      [114n, true, 'json', 'json', 'pg_catalog', 'b', 'U', 0n, null, false, null, false, true],
      [25n, true, 'text', 'text', 'pg_catalog', 'b', 'S', 0n, null, false, null, true, true],
    ],
  ],
  [/FROM pg_index i/, () => [[true, '["id"]']]],
  [/FROM pg_constraint con/, () => []],
];

describe('Engines we cannot run here: PostgreSQL-protocol fallbacks', () => {
  describe('withFallback', () => {
    it('takes the fallback for a missing function, remembers it, and never retries the primary', async () => {
      const fallbacks = new EngineFallbacks();
      let primaries = 0;
      const run = () => withFallback('x', async () => (primaries++, Promise.reject(COCKROACH_NO_PARTITION_TREE())), () => 'fallback', { isMissing: pgMissingFeature, fallbacks });
      assert.equal(await run(), 'fallback');
      assert.equal(await run(), 'fallback');
      assert.equal(primaries, 1);
      assert.deepEqual([...fallbacks.taken], [['x', 'unknown function: pg_partition_tree().']]);
    });

    it('passes every other error unchanged: permission, cancellation, a lost connection', async () => {
      for (const error of [engineError('42501', 'permission denied for table pg_class'), engineError('57014', 'canceling statement due to user request'), engineError('08006', 'connection failure')]) {
        await assert.rejects(
          withFallback('x', () => Promise.reject(error), () => 'fallback', { isMissing: pgMissingFeature }),
          (e) => e === error,
        );
      }
    });
  });

  describe('listing tables', () => {
    for (const [engine, error] of [
      ['CockroachDB', COCKROACH_NO_PARTITION_TREE],
      ['YugabyteDB 2.20 (PostgreSQL 11.2)', YUGABYTE_NO_PARTITION_TREE],
    ] as const) {
      it(`${engine}: without pg_partition_tree the tables are listed, the partitioned parent without an estimate`, async () => {
        const engineFake = fakeEngine([
          [/pg_partition_tree/, fail(error)],
          [/FROM pg_class c JOIN pg_namespace n/, () => TABLE_ROWS],
        ]);
        const fallbacks = new EngineFallbacks();
        const tables = await listTables(engineFake.query, fallbacks);
        assert.deepEqual(
          tables.map((t) => [t.ref.name, t.kind, t.parent ?? null, t.rowCount ?? null, t.comment ?? null]),
          [
            ['events', 'partitioned-table', null, null, 'partitioned'],
            ['events_2024', 'table', 'events', { count: 60, exact: false }, null],
          ],
        );
        assert.ok(fallbacks.has('partition row counts'));
        // The next listing asks the plainer query at once.
        await listTables(engineFake.query, fallbacks);
        assert.equal(engineFake.count(/pg_partition_tree/), 1);
      });
    }

    it('an engine without obj_description or pg_inherits still lists its tables, without details', async () => {
      const engineFake = fakeEngine([
        [/obj_description|pg_inherits/, fail(() => engineError('42883', 'unknown function: obj_description()'))],
        [/FROM pg_class c JOIN pg_namespace n/, () => [['app', 'items', 'r', null, null, null]]],
      ]);
      const tables = await listTables(engineFake.query);
      assert.deepEqual(tables, [{ ref: { schema: 'app', name: 'items' }, kind: 'table' }]);
    });
  });

  describe('reading a table schema', () => {
    it('YugabyteDB 2.20: without pg_attribute.attgenerated (PostgreSQL 12) the columns, defaults and comments are read', async () => {
      const engineFake = fakeEngine(itemCatalogue([[/attgenerated/, fail(YUGABYTE_NO_ATTGENERATED)]]));
      const { schema } = await readSchema(engineFake.query, { schema: 'app', name: 'items' });
      assert.deepEqual(schema.columns.map((c) => [c.name, c.kind, c.defaultValue ?? null, c.comment ?? null]), [
        ['id', 'integer', 'unique_rowid()', null],
        ['doc', 'json', null, null],
        ['note', 'text', null, 'a comment'],
      ]);
      assert.deepEqual(schema.rowKey, { columns: ['id'] });
    });

    it('without pg_get_expr and col_description the schema is read without defaults and comments', async () => {
      const engineFake = fakeEngine(itemCatalogue([[/attgenerated|pg_get_expr/, fail(() => engineError('42883', 'unknown function: pg_get_expr()'))]]));
      const { schema } = await readSchema(engineFake.query, { schema: 'app', name: 'items' });
      assert.deepEqual(schema.columns.map((c) => c.name), ['id', 'doc', 'note']);
      // The fake answers the plainest query with its defaults too; what matters is which query was asked.
      assert.equal(engineFake.count(/NULL::text, ''/), 1);
    });

    it('CockroachDB: an empty pg_opclass does not make integers compare as text; json still does', async () => {
      const engineFake = fakeEngine(
        itemCatalogue([
          [
            /WITH RECURSIVE chain/,
            () => [
              [20n, true, 'bigint', 'int8', 'pg_catalog', 'b', 'N', 0n, null, false, null, false, false],
              [114n, true, 'json', 'json', 'pg_catalog', 'b', 'U', 0n, null, false, null, false, false],
              [25n, true, 'text', 'text', 'pg_catalog', 'b', 'S', 0n, null, false, null, false, false],
            ],
          ],
        ]),
      );
      const { compareAs } = await readSchema(engineFake.query, { schema: 'app', name: 'items' });
      assert.deepEqual([...compareAs], [['doc', 'text']]);
    });

    it('an engine whose pg_index cannot be read: the primary key comes from information_schema, so the table stays editable', async () => {
      const engineFake = fakeEngine(
        itemCatalogue([
          [/FROM pg_index i/, fail(() => engineError('0A000', 'unimplemented: int2vector to int2[] cast'))],
          [/information_schema\.table_constraints/, (_sql, params) => (params[0] === 'app' && params[1] === 'items' ? [[true, '["id"]']] : [])],
        ]),
      );
      const { schema } = await readSchema(engineFake.query, { schema: 'app', name: 'items' });
      assert.deepEqual(schema.primaryKey, ['id']);
      assert.deepEqual(schema.rowKey, { columns: ['id'] });
    });

    it('without pg_constraint.conparentid, foreign keys are read without it; without pg_constraint at all, none', async () => {
      const fk = [['app', 'parents', '["parent_id"]', '["id"]']];
      const withoutParent = fakeEngine(itemCatalogue([[/conparentid/, fail(() => engineError('42703', 'column p.conparentid does not exist'))], [/FROM pg_constraint con/, () => fk]]));
      const { schema } = await readSchema(withoutParent.query, { schema: 'app', name: 'items' });
      assert.deepEqual(schema.foreignKeys, [{ columns: ['parent_id'], references: { schema: 'app', name: 'parents' }, referencedColumns: ['id'] }]);
      const withoutConstraints = fakeEngine(itemCatalogue([[/FROM pg_constraint con/, fail(() => engineError('42P01', 'relation "pg_constraint" does not exist'))]]));
      assert.deepEqual((await readSchema(withoutConstraints.query, { schema: 'app', name: 'items' })).schema.foreignKeys, []);
    });

    it('a real failure (permission denied) still fails the table', async () => {
      const engineFake = fakeEngine(itemCatalogue([[/FROM pg_attribute a/, fail(() => engineError('42501', 'permission denied for table pg_attribute'))]]));
      await assert.rejects(readSchema(engineFake.query, { schema: 'app', name: 'items' }), (e: Error & { code?: string }) => e.code === 'permission');
    });
  });

  describe('counting and charts', () => {
    const items = { schema: 'app', name: 'items' };
    const chart: AggregateRequest = { groupBy: [{ column: 'note' }], measures: [{ op: 'count', as: 'n' }], sample: { rows: 1_000 } };

    it('CockroachDB: without EXPLAIN (FORMAT JSON) an estimate becomes the capped count', async () => {
      const engineFake = fakeEngine(itemCatalogue([[/^EXPLAIN/, fail(COCKROACH_NO_EXPLAIN_JSON)], [/COUNT\(\*\)|count\(\*\)/i, () => [[5001n]]]]));
      const tables = new PostgresTables();
      assert.deepEqual(await tables.countRows(engineFake.runner, items, { estimate: true, cap: 5_000 }), { count: 5_000, exact: false, capped: true });
      assert.ok(tables.fallbacks.has('planner estimate'));
    });

    it('CockroachDB: without jit and enable_seqscan the chart is still sampled by key windows, and nothing is restored', async () => {
      const engineFake = fakeEngine(
        itemCatalogue([
          [/set_config/, fail(COCKROACH_NO_JIT)],
          [/SELECT \(SELECT MIN/, () => [[1n, 1_000_000n]]],
          [/SELECT COUNT\(\*\) FROM \(SELECT a\.d/, () => [[1_000n]]],
          [/nocoflo_w/, () => [['a', 400n, 400n], ['b', 600n, 600n]]],
        ]),
      );
      const result = await new PostgresTables().aggregate(engineFake.runner, items, chart);
      assert.match(result.sample?.method ?? '', /windows of/);
      assert.equal(engineFake.count(/set_config/), 1);
    });

    it('CockroachDB: 64-bit unique_rowid() keys are not windowed (their span is beyond 2^53), and TABLESAMPLE, which it does not parse, gives way to the exact answer', async () => {
      const engineFake = fakeEngine(
        itemCatalogue([
          [/set_config/, fail(COCKROACH_NO_JIT)],
          [/SELECT \(SELECT MIN/, () => [[1084732384701628417n, 1084732984701628417n]]],
          [/to_regclass/, () => [[1e7, 1e5]]],
          [/TABLESAMPLE/, fail(COCKROACH_NO_TABLESAMPLE)],
          [/GROUP BY/, () => [['a', 4_000_000n], ['b', 6_000_000n]]],
        ]),
      );
      const tables = new PostgresTables();
      const result = await tables.aggregate(engineFake.runner, items, chart);
      assert.equal(result.sample, undefined);
      assert.deepEqual(result.rows, [['a', 4_000_000], ['b', 6_000_000]]);
      assert.deepEqual([...tables.fallbacks.taken.keys()].sort(), ['TABLESAMPLE', 'planner settings']);
    });

    it('YugabyteDB 2.20 / CockroachDB: without pg_partition_tree there is no sample plan, so the chart is exact', async () => {
      const engineFake = fakeEngine(
        itemCatalogue([
          [/SELECT \(SELECT MIN/, () => [[null, null]]],
          [/set_config/, () => [['on', 'on', 'off', 'off']]],
          [/pg_partition_tree/, fail(YUGABYTE_NO_PARTITION_TREE)],
          [/GROUP BY/, () => [['a', 2n]]],
        ]),
      );
      const result = await new PostgresTables().aggregate(engineFake.runner, items, chart);
      assert.equal(result.sample, undefined);
      assert.equal(engineFake.count(/TABLESAMPLE/), 0);
    });

    it('Citus: a key-window join the coordinator refuses gives way to the exact answer, and the planner settings are restored', async () => {
      const engineFake = fakeEngine(
        itemCatalogue([
          [/set_config\('jit', \$1/, () => [['on', 'on']]],
          [/set_config/, () => [['on', 'on', 'off', 'off']]],
          [/SELECT \(SELECT MIN/, () => [[1n, 1_000_000n]]],
          [/nocoflo_w/, fail(CITUS_NO_WINDOW_JOIN)],
          [/to_regclass/, () => [[0, 0]]],
          [/GROUP BY/, () => [['a', 2n]]],
        ]),
      );
      const result = await new PostgresTables().aggregate(engineFake.runner, items, chart);
      assert.equal(result.sample, undefined);
      assert.deepEqual(result.rows, [['a', 2]]);
      assert.equal(engineFake.count(/set_config\('jit', \$1/), 1);
    });

    it('a stale schema (undefined column) in a sampled chart is not taken for a missing feature', async () => {
      const engineFake = fakeEngine(
        itemCatalogue([
          [/set_config/, () => [['on', 'on', 'off', 'off']]],
          [/SELECT \(SELECT MIN/, fail(() => engineError('42703', 'column "id" does not exist'))],
        ]),
      );
      const tables = new PostgresTables();
      await assert.rejects(tables.aggregate(engineFake.runner, items, chart), (e: Error & { code?: string }) => e.code === 'not_found');
      assert.equal(tables.fallbacks.taken.size, 0);
    });
  });
});
