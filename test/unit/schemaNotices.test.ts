// TableSchema.notices (API 1.4) reach the grid and the form through the view init's schema; noticeText is what both
// put in their message strip as a warning. A plugin's notices are untrusted: odd entries must not break the view.
import * as assert from 'node:assert/strict';
import type { TableSchema } from '../../api';
import { MAX_NOTICE_LENGTH, noticeText, withoutNotices } from '../../webview/shared/model/schemaNotices';

const fk = '3 rows refer to rows of "Album" that do not exist (AlbumId).';

describe('schema notices shown in the grid and the form (webview/shared/model/schemaNotices)', () => {
  it('shows nothing when there are no notices', () => {
    assert.equal(noticeText({}), undefined);
    assert.equal(noticeText({ notices: [] }), undefined);
    assert.equal(noticeText({ notices: ['  ', ''] }), undefined);
  });

  it('shows a notice as the datasource wrote it, and several in order', () => {
    assert.equal(noticeText({ notices: [fk] }), fk);
    assert.equal(noticeText({ notices: [fk, '1 row refers to rows of "Genre" that do not exist (GenreId).'] }), `${fk} 1 row refers to rows of "Genre" that do not exist (GenreId).`);
  });

  it('summarises beyond three notices and cuts a very long one', () => {
    const text = noticeText({ notices: ['a.', 'b.', 'c.', 'd.', 'e.'] });
    assert.equal(text, 'a. b. c. (and 2 more notices)');
    const long = noticeText({ notices: ['x'.repeat(5_000)] })!;
    assert.equal(long.length, MAX_NOTICE_LENGTH);
    assert.ok(long.endsWith('…'));
  });

  it('ignores what is not a string (a plugin is untrusted) and folds whitespace', () => {
    const schema = { notices: [42, null, { text: 'x' }, ' two\n lines '] } as unknown as Pick<TableSchema, 'notices'>;
    assert.equal(noticeText(schema), 'two lines');
    assert.equal(noticeText({ notices: 'not a list' } as unknown as Pick<TableSchema, 'notices'>), undefined);
  });

  it('leaves notices out of what decides whether a refreshed schema rebuilds the grid', () => {
    const base: TableSchema = { table: { name: 'Track' }, kind: 'table', columns: [], primaryKey: ['TrackId'], foreignKeys: [] };
    const before = JSON.stringify(withoutNotices({ ...base, notices: [fk] }));
    assert.equal(JSON.stringify(withoutNotices({ ...base, notices: ['1 row refers to rows of "Album" that do not exist.'] })), before);
    assert.equal(JSON.stringify(withoutNotices(base)), before);
    assert.notEqual(JSON.stringify(withoutNotices({ ...base, primaryKey: [] })), before);
  });
});
