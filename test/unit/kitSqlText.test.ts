import * as assert from 'node:assert/strict';
import { classifyStatement, limitsItself, ordersItself, positionOf, splitStatements, statementAt, trimStatement, trimStatementEnd, type SqlFlavour } from '../../plugins/kit/sql/sqlText';

// The SQL text scanner behind Run Query, query references and the one-statement rule: statements split where the
// engines split them, whatever strings, quoted names and comments hold.
const texts = (text: string, flavour: SqlFlavour) => splitStatements(text, flavour).map((s) => s.text);

describe('SQL kit: statement text (plugins/kit/sql/sqlText)', () => {
  describe('splitStatements', () => {
    it('splits at top-level semicolons only, keeping offsets into the text', () => {
      const text = "SELECT ';' AS a, \"x;y\" FROM t;\n  -- c; d\nSELECT /* ; */ 2 ; ";
      const spans = splitStatements(text, 'sqlite');
      assert.deepEqual(spans.map((s) => s.text), ["SELECT ';' AS a, \"x;y\" FROM t", 'SELECT /* ; */ 2']);
      for (const s of spans) assert.equal(text.slice(s.start, s.end), s.text);
    });

    it('leaves out spans of only comments and blanks', () => {
      assert.deepEqual(texts('-- only\n;  /* x */ ; SELECT 1;;', 'postgres'), ['SELECT 1']);
      assert.deepEqual(texts('  \n', 'mysql'), []);
    });

    it('reads each dialect’s quotes: doubled quotes, backslashes (MySQL), E-strings and dollar quotes (PostgreSQL), brackets (SQLite)', () => {
      assert.deepEqual(texts("SELECT 'it''s;'; SELECT 2", 'sqlite'), ["SELECT 'it''s;'", 'SELECT 2']);
      assert.deepEqual(texts("SELECT 'a\\';b'; SELECT 2", 'mysql'), ["SELECT 'a\\';b'", 'SELECT 2']);
      assert.deepEqual(texts("SELECT E'a\\';b'; SELECT 2", 'postgres'), ["SELECT E'a\\';b'", 'SELECT 2']);
      // Outside an E-string PostgreSQL takes a backslash literally.
      assert.deepEqual(texts("SELECT 'a\\'; SELECT 2", 'postgres'), ["SELECT 'a\\'", 'SELECT 2']);
      assert.deepEqual(texts('SELECT $body$ a; b $body$; SELECT $$;$$', 'postgres'), ['SELECT $body$ a; b $body$', 'SELECT $$;$$']);
      assert.deepEqual(texts('SELECT `a;b` FROM t; SELECT 2', 'mysql'), ['SELECT `a;b` FROM t', 'SELECT 2']);
      assert.deepEqual(texts('SELECT [a;b] FROM t; SELECT 2', 'sqlite'), ['SELECT [a;b] FROM t', 'SELECT 2']);
      assert.deepEqual(texts('SELECT "a"";b"; SELECT 2', 'postgres'), ['SELECT "a"";b"', 'SELECT 2']);
    });

    it('reads MySQL # comments, and -- as a comment only before whitespace', () => {
      assert.deepEqual(texts('SELECT 1 # a; b\n; SELECT 2', 'mysql'), ['SELECT 1 # a; b', 'SELECT 2']);
      assert.deepEqual(texts('SELECT 1--1; SELECT 2', 'mysql'), ['SELECT 1--1', 'SELECT 2']);
      assert.deepEqual(texts('SELECT 1 -- a; b\n; SELECT 2', 'mysql'), ['SELECT 1 -- a; b', 'SELECT 2']);
    });

    it('skips nested block comments in PostgreSQL only', () => {
      assert.deepEqual(texts('SELECT /* a /* b */ ; */ 1; SELECT 2', 'postgres'), ['SELECT /* a /* b */ ; */ 1', 'SELECT 2']);
      assert.deepEqual(texts('SELECT /* a /* b */ 1; SELECT 2', 'sqlite'), ['SELECT /* a /* b */ 1', 'SELECT 2']);
    });

    it('keeps a trigger’s BEGIN … END body (with CASE … END inside) as one statement', () => {
      const trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN new.x THEN 1 ELSE 2 END; DELETE FROM c; END";
      assert.deepEqual(texts(`${trigger}; SELECT 1`, 'sqlite'), [trigger, 'SELECT 1']);
      assert.deepEqual(texts('BEGIN; SELECT 1; END', 'sqlite'), ['BEGIN', 'SELECT 1', 'END']);
    });

    it('keeps a MySQL routine with END IF / END LOOP / END CASE as one statement', () => {
      const routine = 'CREATE PROCEDURE p() BEGIN IF a THEN SELECT 1; END IF; l: LOOP LEAVE l; END LOOP; CASE x WHEN 1 THEN SELECT 2; END CASE; END';
      assert.deepEqual(texts(`${routine}; SELECT 3`, 'mysql'), [routine, 'SELECT 3']);
    });

    it('keeps a PostgreSQL BEGIN ATOMIC body', () => {
      const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END';
      assert.deepEqual(texts(`${fn}; SELECT 3`, 'postgres'), [fn, 'SELECT 3']);
    });
  });

  describe('statementAt', () => {
    const text = 'SELECT 1;\n\nSELECT 2;\n-- end';
    it('finds the statement under the cursor, or the one before it between statements', () => {
      assert.equal(statementAt(text, 'sqlite', 3)?.text, 'SELECT 1');
      assert.equal(statementAt(text, 'sqlite', 10)?.text, 'SELECT 1');
      assert.equal(statementAt(text, 'sqlite', 13)?.text, 'SELECT 2');
      assert.equal(statementAt(text, 'sqlite', text.length)?.text, 'SELECT 2');
      assert.equal(statementAt('-- c\nSELECT 1', 'sqlite', 0)?.text, 'SELECT 1');
      assert.equal(statementAt('', 'sqlite', 0), undefined);
    });
  });

  describe('classifyStatement', () => {
    const cases: [string, SqlFlavour, string][] = [
      ['select 1', 'sqlite', 'query'],
      ['VALUES (1)', 'postgres', 'query'],
      ['WITH x AS (SELECT 1) SELECT * FROM x', 'postgres', 'query'],
      ['WITH x AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM x)', 'sqlite', 'write'],
      ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'postgres', 'query'],
      ['-- lead\n/* c */ UPDATE t SET a = 1', 'mysql', 'write'],
      ['DELETE FROM t RETURNING id', 'sqlite', 'write'],
      ['EXPLAIN SELECT 1', 'postgres', 'rows'],
      ['EXPLAIN ANALYZE DELETE FROM t', 'postgres', 'other'],
      ['EXPLAIN QUERY PLAN SELECT 1', 'sqlite', 'rows'],
      ['PRAGMA table_info(t)', 'sqlite', 'rows'],
      ['PRAGMA foreign_keys = 1', 'sqlite', 'other'],
      ['PRAGMA foreign_keys=1', 'sqlite', 'other'],
      ['SHOW TABLES', 'mysql', 'rows'],
      ['CREATE TABLE t (a int)', 'sqlite', 'schema'],
      ['DROP TABLE t', 'postgres', 'schema'],
      ['SELECT * INTO t2 FROM t', 'postgres', 'schema'],
      ['SELECT a INTO @x FROM t', 'mysql', 'other'],
      ['BEGIN', 'sqlite', 'other'],
      ['VACUUM', 'sqlite', 'other'],
      ['', 'sqlite', 'other'],
    ];
    for (const [text, flavour, expected] of cases) {
      it(`${JSON.stringify(text)} (${flavour}) is ${expected}`, () => assert.equal(classifyStatement(text, flavour), expected));
    }
  });

  describe('ordersItself and limitsItself', () => {
    it('look at the top level only', () => {
      assert.equal(ordersItself('SELECT * FROM t ORDER BY a', 'sqlite'), true);
      assert.equal(ordersItself('SELECT * FROM (SELECT * FROM t ORDER BY a) s', 'sqlite'), false);
      assert.equal(ordersItself('SELECT row_number() OVER (ORDER BY a) FROM t', 'postgres'), false);
      assert.equal(ordersItself("SELECT 'ORDER BY' FROM t -- ORDER BY a", 'mysql'), false);
      assert.equal(ordersItself('SELECT a FROM t UNION SELECT b FROM u ORDER BY 1', 'postgres'), true);
      assert.equal(limitsItself('SELECT * FROM t LIMIT 5', 'sqlite'), true);
      assert.equal(limitsItself('SELECT * FROM t FETCH FIRST 5 ROWS ONLY', 'postgres'), true);
      assert.equal(limitsItself('SELECT * FROM (SELECT * FROM t LIMIT 5) s', 'mysql'), false);
    });
  });

  describe('trimStatement', () => {
    it('drops trailing semicolons and whitespace, and a ; followed only by comments', () => {
      assert.equal(trimStatement('  SELECT 1 ;; \n'), 'SELECT 1');
      assert.equal(trimStatement('SELECT 1; -- done\n'), 'SELECT 1');
      assert.equal(trimStatement('SELECT 1; /* done */'), 'SELECT 1');
      assert.equal(trimStatement('SELECT 1 -- note'), 'SELECT 1 -- note');
      assert.equal(trimStatement("SELECT ';' -- x"), "SELECT ';' -- x");
      assert.equal(trimStatement('SELECT 1; SELECT 2'), 'SELECT 1; SELECT 2');
      assert.equal(trimStatementEnd('\n  SELECT 1;', 'sqlite'), '\n  SELECT 1');
    });
  });

  describe('positionOf', () => {
    it('gives 1-based lines and columns', () => {
      assert.deepEqual(positionOf('SELECT 1', 0), { line: 1, column: 1 });
      assert.deepEqual(positionOf('SELECT\n  x', 9), { line: 2, column: 3 });
      assert.deepEqual(positionOf('a\r\nb', 3), { line: 2, column: 1 });
      assert.deepEqual(positionOf('ab', 99), { line: 1, column: 3 });
    });
  });
});
