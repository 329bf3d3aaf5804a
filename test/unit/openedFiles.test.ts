import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { isOpenedFile, openedFileId, OpenedFiles } from '../../src/core/openedFiles';

describe('database files opened from the Explorer (src/core/openedFiles)', () => {
  const file = path.resolve('/data/Chinook_Sqlite.sqlite');

  it('lists a file while an editor shows it, and drops it when the last one closes', () => {
    const opened = new OpenedFiles(() => 'nocoflo.sqlite');
    let changes = 0;
    opened.onDidChange(() => changes++);
    const first = opened.open(file);
    const second = opened.open(file);
    assert.equal(first.record.id, second.record.id);
    assert.deepEqual(opened.list(), [{ id: openedFileId(file), type: 'nocoflo.sqlite', name: 'Chinook_Sqlite', config: { path: file }, opened: true }]);
    first.release();
    first.release(); // a second release of the same editor counts once
    assert.equal(opened.list().length, 1, 'the other editor still shows it');
    second.release();
    assert.deepEqual(opened.list(), []);
    assert.equal(changes, 2, 'one change when it joined, one when it left');
  });

  it('gives each path one stable id, whatever the spelling of the path', () => {
    assert.equal(openedFileId('/data/x/../Chinook_Sqlite.sqlite'), openedFileId(file));
    assert.notEqual(openedFileId('/data/other.sqlite'), openedFileId(file));
    assert.ok(isOpenedFile(openedFileId(file)));
    assert.ok(!isOpenedFile('workspace:Shop'));
  });

  it('still resolves a file opened before (its tabs outlive the editor), without listing it', () => {
    const known = new Map<string, string>();
    const first = new OpenedFiles(() => 'nocoflo.sqlite', known, (id, f) => known.set(id, f));
    first.open(file).release();
    const afterReload = new OpenedFiles(() => 'nocoflo.sqlite', known);
    assert.equal(afterReload.get(openedFileId(file))?.config.path, file);
    assert.deepEqual(afterReload.list(), []);
    assert.equal(afterReload.get('file:unknown'), undefined);
  });

  it('forgets a file that was kept, at once, while its editor is still open', () => {
    const opened = new OpenedFiles(() => 'nocoflo.sqlite');
    const editor = opened.open(file);
    opened.forget(editor.record.id);
    assert.deepEqual(opened.list(), []);
    editor.release(); // closing the editor later changes nothing
    assert.deepEqual(opened.list(), []);
  });
});
