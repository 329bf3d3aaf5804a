// The enum CHECK reader is a linear scanner; the regular expression it replaced backtracked exponentially on a run
// of doubled quotes. These inputs would each have taken longer than the age of the universe with that expression.
import * as assert from 'node:assert/strict';
import { checkInValues } from '../../plugins/sqlite/checkConstraint';

describe('CHECK (col IN (…)) reader', () => {
  it('reads the values, unescaping doubled quotes, for each way of quoting the column', () => {
    const values = ['new', 'done', "it's"];
    for (const name of ['status', '"status"', '`status`', '[status]', 'STATUS']) {
      const sql = `CREATE TABLE t (id INTEGER PRIMARY KEY, status TEXT CHECK (${name} IN ('new', 'done', 'it''s')))`;
      assert.deepEqual(checkInValues(sql, 'status'), values, name);
    }
    assert.deepEqual(checkInValues(`CREATE TABLE t ("col ""q""" TEXT, CHECK ("col ""q""" IN ('a','b')))`, 'col "q"'), ['a', 'b']);
  });

  it('finds nothing where the pattern does not fit: other columns, other shapes, strings and comments', () => {
    const sql = "CREATE TABLE t (a TEXT CHECK (a IN ('x') AND length(a) > 0), b TEXT CHECK (b = 'y'), c TEXT DEFAULT 'CHECK (d IN (''z''))', d TEXT /* CHECK (d IN ('w')) */)";
    for (const column of ['a', 'b', 'c', 'd', 'missing']) assert.equal(checkInValues(sql, column), undefined, column);
    assert.equal(checkInValues("CREATE TABLE t (s TEXT CHECK (s IN ('x', 'y'", 's'), undefined, 'unterminated');
  });

  it('starts over at a CHECK that follows a failed match', () => {
    assert.deepEqual(checkInValues("CREATE TABLE t (s TEXT CHECK (s IN ('x') CHECK (s IN ('y', 'z'))))", 's'), ['y', 'z']);
  });

  it('reads a 10,000-character run of doubled quotes, the input that made the old expression backtrack', () => {
    const body = "a''".repeat(3_334).slice(0, 10_000);
    const sql = `CREATE TABLE t (s TEXT CHECK (s IN ('${body}')))`;
    assert.deepEqual(checkInValues(sql, 's'), [body.replace(/''/g, "'")]);
    // And the same run with no closing quote: a near miss, which is where backtracking used to explode.
    assert.equal(checkInValues(`CREATE TABLE t (s TEXT CHECK (s IN ('${body}`, 's'), undefined);
  });

  it('reads a 10,000-character list of values', () => {
    const values = Array.from({ length: 1_250 }, (_, i) => `v${String(i).padStart(4, '0')}`);
    const list = values.map((v) => `'${v}'`).join(', ');
    assert.ok(list.length >= 10_000);
    assert.deepEqual(checkInValues(`CREATE TABLE t (s TEXT CHECK (s IN (${list})))`, 's'), values);
  });
});
