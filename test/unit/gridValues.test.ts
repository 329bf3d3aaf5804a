import * as assert from 'node:assert/strict';
import type { ColumnKind } from '../../api';
import { formatCell, fullText, valueText } from '../../webview/shared/model/cellFormat';
import { copyText, planPaste } from '../../webview/table/model/clipboardModel';
import { buildFilters, operatorsFor, searchColumns } from '../../webview/shared/model/filterModel';
import { parseTsv, toTsv } from '../../webview/table/model/tsv';
import { parseInput, parsePasted } from '../../webview/shared/model/valueInput';
import { column } from '../support/fakePlugins';

const col = (kind: ColumnKind, extra = {}) => column('c', { kind, ...extra });

describe('grid cell formatting (webview/shared/model/cellFormat)', () => {
  it('renders NULL distinctly from the empty string', () => {
    assert.deepEqual(formatCell(null, col('text')), { text: 'NULL', look: 'null', truncated: false });
    assert.deepEqual(formatCell('', col('text')), { text: '', look: 'empty', truncated: false });
    assert.equal(formatCell('NULL', col('text')).look, 'text', 'the string "NULL" is text');
  });

  it('shows BLOBs as size plus a hex preview', () => {
    const f = formatCell(new Uint8Array(Array.from({ length: 2048 }, (_, i) => i & 255)), col('blob'));
    assert.equal(f.text, '2.0 KB  00 01 02 03 04 05 06 07 …');
    assert.equal(f.look, 'blob');
    assert.equal(formatCell(new Uint8Array([0xab]), col('blob')).text, '1 B  ab');
  });

  it('truncates long and multi-line text and says so', () => {
    const long = formatCell('x'.repeat(5000), col('text'));
    assert.ok(long.truncated && long.text.length < 400);
    const multi = formatCell('a\nb', col('json'));
    assert.deepEqual(multi, { text: 'a ⏎ b', look: 'json', truncated: true });
    assert.equal(fullText('{"a":[1,2]}', col('json')), '{\n  "a": [\n    1,\n    2\n  ]\n}');
  });

  it('formats numbers, bigints and booleans', () => {
    assert.deepEqual(formatCell(2n ** 64n, col('integer')), { text: '18446744073709551616', look: 'number', truncated: false });
    assert.equal(formatCell(1, col('boolean')).text, 'true');
    assert.equal(formatCell(0, col('boolean')).text, 'false');
    assert.equal(formatCell(2, col('boolean')).text, '2', 'a value that is not a boolean is shown as it is');
    assert.equal(valueText(new Uint8Array([1, 255]), col('blob')), '\\x01ff');
  });
});

describe('grid value input (webview/shared/model/valueInput)', () => {
  const ok = (text: string | null, kind: ColumnKind, extra = {}) => {
    const r = parseInput(text, col(kind, extra));
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.value;
  };
  const bad = (text: string | null, kind: ColumnKind, extra = {}) => {
    const r = parseInput(text, col(kind, extra));
    assert.ok(!r.ok, `accepted ${text} as ${kind}`);
    return r.error;
  };

  it('parses integers exactly, beyond 2^53 as bigint', () => {
    assert.equal(ok('42', 'integer'), 42);
    assert.equal(ok(' -7 ', 'integer'), -7);
    assert.equal(ok('9007199254740993', 'integer'), 9007199254740993n);
    bad('4.2', 'integer');
    bad('12abc', 'integer');
  });

  it('keeps decimals exact when a double would round them', () => {
    assert.equal(ok('12.5', 'decimal'), 12.5);
    assert.equal(ok('12.50', 'decimal'), '12.50');
    assert.equal(ok('0.1000000000000000055511', 'decimal'), '0.1000000000000000055511');
    assert.equal(ok('1e3', 'float'), 1000);
    bad('1,5', 'float');
  });

  it('handles the boolean tri-state and NOT NULL', () => {
    assert.equal(ok('yes', 'boolean'), true);
    assert.equal(ok('0', 'boolean'), false);
    assert.equal(ok(null, 'boolean'), null);
    assert.match(bad(null, 'boolean', { nullable: false }), /cannot be NULL/);
    bad('maybe', 'boolean');
  });

  it('validates JSON, dates, times, UUIDs and enum values', () => {
    assert.equal(ok('{"a": 1}', 'json'), '{"a": 1}');
    assert.match(bad('{a: 1}', 'json'), /Invalid JSON/);
    assert.equal(ok('2024-02-29', 'date'), '2024-02-29');
    bad('2023-02-29', 'date');
    bad('2024-13-01', 'date');
    assert.equal(ok('2024-01-31 23:59:59', 'datetime'), '2024-01-31 23:59:59');
    assert.equal(ok('2024-01-31T23:59:59.123+02:00', 'datetimetz'), '2024-01-31T23:59:59.123+02:00');
    bad('2024-01-31 24:00', 'datetime');
    assert.equal(ok('23:15', 'time'), '23:15');
    assert.equal(ok('0E0A2E0B-1C2D-4E5F-8A9B-0C1D2E3F4A5B', 'uuid'), '0e0a2e0b-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    assert.equal(ok('paid', 'enum', { enumValues: ['new', 'paid'] }), 'paid');
    assert.match(bad('lost', 'enum', { enumValues: ['new', 'paid'] }), /not one of new, paid/);
    assert.deepEqual(ok('\\x00ff', 'blob'), new Uint8Array([0, 255]));
    bad('xyz', 'blob');
  });

  it('pastes an empty field as NULL except into text columns', () => {
    const pasted = (text: string, kind: ColumnKind) => {
      const r = parsePasted(text, col(kind));
      return r.ok ? r.value : r.error;
    };
    assert.equal(pasted('', 'integer'), null);
    assert.equal(pasted('', 'text'), '');
    assert.equal(pasted('5', 'integer'), 5);
  });
});

describe('grid TSV (webview/table/model/tsv)', () => {
  it('round-trips tabs, line breaks and quotes', () => {
    const rows = [['a', 'b\tc', ''], ['line1\nline2', '"quoted"', 'x"y']];
    assert.deepEqual(parseTsv(toTsv(rows)), rows);
  });

  it('reads spreadsheet clipboard text with CRLF and a trailing line break', () => {
    assert.deepEqual(parseTsv('1\tAnn\r\n2\t"Bob\r\nSmith"\r\n'), [['1', 'Ann'], ['2', 'Bob\r\nSmith']]);
    assert.deepEqual(parseTsv('single'), [['single']]);
    assert.deepEqual(parseTsv('a\t\tc'), [['a', '', 'c']]);
    assert.deepEqual(parseTsv('5" screen\tx'), [['5" screen', 'x']], 'a quote inside a field is literal');
    assert.deepEqual(parseTsv(''), []);
  });
});

describe('grid filters (webview/shared/model/filterModel)', () => {
  const columns = [column('id', { kind: 'integer' }), column('name'), column('vip', { kind: 'boolean' }), column('photo', { kind: 'blob' }), column('born', { kind: 'date' })];

  it('turns drafts into typed, structured filters', () => {
    const { filters, problems } = buildFilters(
      [
        { column: 'id', op: 'gt', text: '10' },
        { column: 'name', op: 'contains', text: 'an' },
        { column: 'id', op: 'in', text: '1, 2,3' },
        { column: 'vip', op: 'eq', text: 'true' },
        { column: 'photo', op: 'isnull', text: '' },
        { column: 'name', op: 'eq', text: '' },
      ],
      columns,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(filters, [
      { column: 'id', op: 'gt', value: 10 },
      { column: 'name', op: 'contains', value: 'an' },
      { column: 'id', op: 'in', value: [1, 2, 3] },
      { column: 'vip', op: 'eq', value: true },
      { column: 'photo', op: 'isnull' },
    ]);
  });

  it('reports operands that do not fit the column', () => {
    const { filters, problems } = buildFilters([{ column: 'id', op: 'gt', text: 'ten' }, { column: 'born', op: 'lt', text: '2024-02-30' }, { column: 'photo', op: 'contains', text: 'x' }, { column: 'gone', op: 'eq', text: '1' }], columns);
    assert.deepEqual(filters, []);
    assert.deepEqual(problems.map((p) => p.index), [0, 1, 2, 3]);
  });

  it('offers operators by kind and searches text-like columns only', () => {
    assert.deepEqual(operatorsFor({ kind: 'blob' }), ['isnull', 'notnull']);
    assert.ok(!operatorsFor({ kind: 'integer' }).includes('contains'));
    assert.deepEqual(searchColumns(columns), ['name', 'born']);
  });
});

describe('grid clipboard (webview/table/model/clipboardModel)', () => {
  const cols = [column('id', { kind: 'integer' }), column('note'), column('photo', { kind: 'blob' })];

  it('copies a block as TSV with optional headers, NULL as an empty field', () => {
    assert.equal(copyText([[1, 'a\tb', new Uint8Array([255])], [2, null, null]], cols, false), '1\t"a\tb"\t\\xff\n2\t\t');
    assert.equal(copyText([[1, 'x', null]], cols, true), 'id\tnote\tphoto\n1\tx\t');
  });

  it('pastes a block from the top-left of the selection, clipped to the grid', () => {
    const plan = planPaste('a\tb\nc\td\ne\tf\n', { top: 8, left: 1, bottom: 8, right: 1 }, { rows: 10, cols: 2 });
    assert.deepEqual(plan.cells, [{ row: 8, col: 1, text: 'a' }, { row: 9, col: 1, text: 'c' }]);
    assert.equal(plan.clipped, 4);
  });

  it('fills a selection with a single pasted value', () => {
    const plan = planPaste('7\n', { top: 0, left: 0, bottom: 1, right: 1 }, { rows: 5, cols: 5 });
    assert.deepEqual(plan.cells.map((c) => [c.row, c.col, c.text]), [[0, 0, '7'], [0, 1, '7'], [1, 0, '7'], [1, 1, '7']]);
  });
});
