// The example plugin's RFC 4180 reader and writer (examples/csv-kanban/src/csv.ts).
import * as assert from 'node:assert/strict';
import { CsvSyntaxError, formatCsv, parseCsv, parseRecords } from '../../examples/csv-kanban/src/csv';

describe('example plugin: CSV parser', () => {
  it('reads quoted fields with commas, "" escapes, CRLF and line breaks inside quotes', () => {
    assert.deepEqual(parseRecords('a,"b,c","say ""hi"""\r\n"multi\r\nline",x,y\r\n'), [
      ['a', 'b,c', 'say "hi"'],
      ['multi\r\nline', 'x', 'y'],
    ]);
  });

  it('tells NULL (empty unquoted) from the empty string (quoted "")', () => {
    assert.deepEqual(parseRecords('1,,""\n'), [['1', null, '']]);
    assert.deepEqual(parseCsv('id,a,b\n1,,""').records, [['1', null, '']]);
  });

  it('accepts LF, CRLF, no final line break and a byte order mark; keeps the file\'s line break for writing', () => {
    assert.equal(parseCsv('\ufeffid\r\n1\r\n').newline, '\r\n');
    assert.equal(parseCsv('id\n1').newline, '\n');
    assert.deepEqual(parseCsv('\ufeffid,x\n1,a').header, ['id', 'x']);
    assert.deepEqual(parseCsv('id,x\n1,a\n\n2,b\n').records, [['1', 'a'], ['2', 'b']], 'blank lines are no records');
  });

  it('refuses malformed files with the line of the problem', () => {
    const fails = (text: string, message: RegExp) =>
      assert.throws(() => parseCsv(text), (e: unknown) => e instanceof CsvSyntaxError && message.test(e.message));
    fails('id,name\n1,"never closed\n2,x\n', /^line 2: a quoted field is never closed/);
    fails('id,name\n"a\nb",x\n3,ab"c\n', /^line 4: a quote inside an unquoted field/);
    fails('id,name\n1,"x"y\n', /^line 2: unexpected "y" after a closing quote/);
    fails('id,name\n1,x,extra\n', /^line 2: 3 fields where the header has 2/);
    fails('id,,name\n', /^line 1: column 2 of the header has no name/);
    fails('id,id\n', /^line 1: the header names column "id" twice/);
    fails('', /^line 1: the file is empty/);
  });

  it('writes what it reads back, quoting only where needed', () => {
    const header = ['id', 'note'];
    const records = [
      ['1', 'plain'],
      ['2', ''],
      ['3', null],
      ['4', 'a,b "c"\nd'],
      ['5', ' padded '],
    ];
    const text = formatCsv(header, records);
    assert.equal(text, 'id,note\r\n1,plain\r\n2,""\r\n3,\r\n4,"a,b ""c""\nd"\r\n5," padded "\r\n');
    assert.deepEqual(parseCsv(text), { header, records, newline: '\r\n' });
  });
});
