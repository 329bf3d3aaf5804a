import * as assert from 'node:assert/strict';
import { errorOffset, lensStatements, statementTitle, statementToRun } from '../../src/host/sqlEditor/statementText';

const none = { start: 0, end: 0 };

describe('SQL editor text: the statement Run Query sends', () => {
  const doc = 'SELECT 1;\n\nSELECT name\n  FROM Track;\n-- done\nDELETE FROM x';

  it('runs the statement under the cursor, without its semicolon, at its own offset', () => {
    const at = doc.indexOf('FROM Track');
    assert.deepEqual(statementToRun(doc, 'sqlite', none, at), { text: 'SELECT name\n  FROM Track', offset: doc.indexOf('SELECT name') });
    assert.deepEqual(statementToRun(doc, 'sqlite', none, 3), { text: 'SELECT 1', offset: 0 });
    assert.deepEqual(statementToRun(doc, 'sqlite', none, doc.length), { text: 'DELETE FROM x', offset: doc.indexOf('DELETE') });
  });

  it('a cursor between two statements (after a semicolon, on a blank line) takes the one before', () => {
    assert.equal(statementToRun(doc, 'sqlite', none, doc.indexOf(';') + 1)?.text, 'SELECT 1');
    assert.equal(statementToRun(doc, 'sqlite', none, doc.indexOf('\n\n') + 1)?.text, 'SELECT 1');
  });

  it('a selection runs as selected, without surrounding blanks and a trailing semicolon, from where its text starts', () => {
    const start = doc.indexOf('\nSELECT name');
    const end = doc.indexOf('Track;') + 'Track;'.length + 1;
    assert.deepEqual(statementToRun(doc, 'sqlite', { start, end }, end), { text: 'SELECT name\n  FROM Track', offset: start + 1 });
    assert.equal(statementToRun(doc, 'sqlite', { start: 9, end: 11 }, 11), undefined, 'a selection of blanks runs nothing');
  });

  it('a semicolon inside a string or a PostgreSQL dollar quote does not split, per flavour', () => {
    const pg = "SELECT $$a;b$$;\nSELECT 'x;y'";
    assert.equal(statementToRun(pg, 'postgres', none, 3)?.text, 'SELECT $$a;b$$');
    assert.equal(statementToRun(pg, 'postgres', none, pg.length)?.text, "SELECT 'x;y'");
  });

  it('an empty or comment-only document has nothing to run', () => {
    assert.equal(statementToRun('', 'sqlite', none, 0), undefined);
    assert.equal(statementToRun('-- nothing\n', 'sqlite', none, 3), undefined);
  });
});

describe('SQL editor text: where an error position lands', () => {
  it('maps line and column within a statement that starts mid-document', () => {
    const doc = 'SELECT 1;\nSELECT a,\n  nosuch FROM t';
    const statement = statementToRun(doc, 'sqlite', { start: 0, end: 0 }, doc.length)!;
    assert.equal(doc.slice(errorOffset(statement, { line: 2, column: 3 })).startsWith('nosuch'), true);
    assert.equal(errorOffset(statement, { line: 1, column: 1 }), doc.indexOf('SELECT a'));
  });

  it('in a CRLF document the \\r stays in its line: columns count from the line start, never onto the \\r', () => {
    const doc = 'SELECT 1;\r\nSELECT a,\r\n  nosuch FROM t';
    const statement = statementToRun(doc, 'sqlite', { start: 0, end: 0 }, doc.length)!;
    assert.equal(doc.slice(errorOffset(statement, { line: 2, column: 3 })).startsWith('nosuch'), true);
    assert.equal(errorOffset(statement, { line: 1, column: 99 }), doc.indexOf(',\r\n') + 1, 'a column past the line end stops before its \\r');
  });

  it('a position past the statement is clamped to it', () => {
    const statement = { text: 'SELECT x', offset: 10 };
    assert.equal(errorOffset(statement, { line: 7, column: 1 }), 10);
    assert.equal(errorOffset(statement, { line: 1, column: 100 }), 18);
    assert.equal(errorOffset(statement, { line: 0, column: 0 }), 10);
  });
});

describe('SQL editor text: lenses and titles', () => {
  it('caps the lenses of a long script and says so', () => {
    const script = Array.from({ length: 1200 }, (_, i) => `INSERT INTO t VALUES (${i});`).join('\n');
    const { spans, capped } = lensStatements(script, 'sqlite', 500);
    assert.equal(spans.length, 500);
    assert.equal(capped, true);
    assert.equal(spans[499].text, 'INSERT INTO t VALUES (499)');
    assert.deepEqual(lensStatements('SELECT 1; SELECT 2', 'sqlite', 500).spans.map((s) => s.text), ['SELECT 1', 'SELECT 2']);
    assert.equal(lensStatements('SELECT 1; SELECT 2', 'sqlite', 500).capped, false);
  });

  it('titles are the first words on one line, cut at a word', () => {
    assert.equal(statementTitle('SELECT *\n  FROM Track'), 'SELECT * FROM Track');
    const title = statementTitle('SELECT g.Name, SUM(il.UnitPrice * il.Quantity) AS revenue FROM InvoiceLine il');
    assert.ok(title.endsWith('…') && title.length <= 41, title);
    assert.equal(title, 'SELECT g.Name, SUM(il.UnitPrice *…');
  });
});
