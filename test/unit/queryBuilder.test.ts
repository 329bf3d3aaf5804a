import * as assert from 'node:assert/strict';
import type { DatasourceError, Filter, TableSchema } from '../../api';
import { mysqlDialect, postgresDialect, sqliteDialect } from '../../plugins/kit/sql/dialect';
import { Params, SqlBuilder } from '../../plugins/kit/sql/queryBuilder';
import { column, tableSchema } from '../support/fakePlugins';

// The SQL kit's statements as text: what a relation without a row key is ordered by, where ENUM positions are used,
// and the bound-value cap. The engines' answers to these statements are checked in the conformance suite.
describe('SQL kit: orderings and limits (plugins/kit/sql/queryBuilder)', () => {
  const view: TableSchema = tableSchema({
    kind: 'view',
    columns: [column('name', { nullable: false }), column('score', { kind: 'integer' }), column('doc', { kind: 'json' })],
    primaryKey: [],
    rowKey: undefined,
  });

  it('orders a relation without a row key by the sort, then every other column, and pages it by offset', () => {
    const sql = new SqlBuilder(postgresDialect, { comparable: (c, q) => (c.kind === 'json' ? `(${q})::text` : q) });
    const page = sql.selectPage(view, { limit: 7, sort: [{ column: 'score', direction: 'desc' }] });
    assert.match(page.sql, /ORDER BY "score" DESC NULLS LAST, "name" ASC, \("doc"\)::text ASC NULLS FIRST LIMIT \$1$/);
    // An offset cursor needs no ordering values: the tiebreakers are not selected.
    assert.match(page.sql, /^SELECT "name", "score", "doc" FROM/);
    const next = sql.selectPage(view, { limit: 7, sort: [{ column: 'score', direction: 'desc' }], after: sql.shapePage(view, page, Array.from({ length: 8 }, () => ['a', 1, '{}']), 7).next! });
    assert.match(next.sql, /LIMIT \$1 OFFSET \$2$/);
    assert.deepEqual(next.params, [8, 7]);
  });

  it('orders an unsorted relation without a row key too (no ORDER BY lets pages overlap)', () => {
    const page = new SqlBuilder(sqliteDialect, { tieBreaker: (_c, q) => `${q} COLLATE BINARY` }).selectPage(view, { limit: 7 });
    assert.match(page.sql, /ORDER BY "name" COLLATE BINARY ASC, "score" COLLATE BINARY ASC, "doc" COLLATE BINARY ASC LIMIT \?$/);
  });

  it('leaves a keyed table ordered by the sort and its key alone', () => {
    const page = new SqlBuilder(sqliteDialect).selectPage(tableSchema(), { limit: 7, sort: [{ column: 'name', direction: 'asc' }] });
    assert.match(page.sql, /ORDER BY "name" ASC, "id" ASC LIMIT \?$/);
  });

  describe('a column sorted by position (MySQL ENUM)', () => {
    const film = tableSchema({ columns: [column('id', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), column('rating', { kind: 'enum', enumValues: ['G', 'PG', 'R'] })] });
    const sql = new SqlBuilder(mysqlDialect, {
      position: (c, q) => (c.kind === 'enum' ? { expr: `(${q}+0)`, of: (v) => c.enumValues!.indexOf(String(v)) + 1 } : undefined),
    });

    it('sorts and seeks by the position, carrying it in the cursor', () => {
      const page = sql.selectPage(film, { limit: 2, sort: [{ column: 'rating', direction: 'desc' }] });
      assert.match(page.sql, /^SELECT `id`, `rating`, \(`rating`\+0\) AS `__o0` FROM/);
      assert.match(page.sql, /ORDER BY \(`rating`\+0\) DESC, `id` ASC/);
      const next = sql.selectPage(film, { limit: 2, sort: [{ column: 'rating', direction: 'desc' }], after: sql.shapePage(film, page, [[1, 'R', 3], [2, 'R', 3], [3, 'PG', 2]], 2).next! });
      assert.match(next.sql, /\(`rating`\+0\) < \?/);
      assert.deepEqual(next.params.slice(0, 1), [3]);
    });

    it('range-filters by the position of the label given; equality stays text', () => {
      const params = new Params(mysqlDialect);
      assert.equal(sql.where(film, params, [{ column: 'rating', op: 'gt', value: 'PG' }, { column: 'rating', op: 'eq', value: 'PG' }]), '(`rating`+0) > ? AND `rating` = ?');
      assert.deepEqual(params.values, [2, 'PG']);
    });
  });

  describe('bound values per statement', () => {
    const lists = (values: number): Filter[] =>
      Array.from({ length: Math.ceil(values / 1_000) }, (_, i) => ({ column: 'id', op: 'in', value: Array.from({ length: Math.min(1_000, values - i * 1_000) }, (_, j) => j) }));

    for (const [dialect, max] of [
      [sqliteDialect, 32_766],
      [postgresDialect, 65_535],
      [mysqlDialect, 65_535],
    ] as const) {
      it(`${dialect.engine}: refuses more than ${max} with invalid_value naming the limit, takes exactly ${max}`, () => {
        const sql = new SqlBuilder(dialect);
        // The page statement binds its LIMIT after the lists.
        assert.equal(sql.selectPage(tableSchema(), { limit: 10, filters: lists(max - 1) }).params.length, max);
        assert.throws(
          () => sql.selectPage(tableSchema(), { limit: 10, filters: lists(max) }),
          (e: DatasourceError) => e.code === 'invalid_value' && e.message.includes(`more than ${max.toLocaleString('en-US')} values`) && e.message.includes(dialect.engine),
        );
      });
    }
  });
});
