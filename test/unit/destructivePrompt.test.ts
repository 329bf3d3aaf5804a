import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DELETE_AND_SAVE, deletePrompt, savePending } from '../../src/core/destructivePrompt';

const where = { table: 'customers', datasource: 'Shop' };

describe('delete confirmation (src/core/destructivePrompt)', () => {
  it('asks nothing when no change deletes a row', () => {
    assert.equal(deletePrompt(where, []), undefined);
    assert.equal(deletePrompt(where, [{ kind: 'update' }, { kind: 'insert' }]), undefined);
  });

  it('names the rows, the table and the connection', () => {
    const one = deletePrompt(where, [{ kind: 'delete' }])!;
    assert.equal(one.message, 'Delete 1 row from "customers" on "Shop"?');
    assert.equal(one.confirm, DELETE_AND_SAVE);
    assert.match(one.detail, /^Deleted rows are gone/);
    assert.match(one.detail, /nocoflo\.confirm\.destructiveActions/);
    const many = deletePrompt(where, [{ kind: 'delete' }, { kind: 'update' }, { kind: 'delete' }, { kind: 'insert' }, { kind: 'update' }])!;
    assert.equal(many.message, 'Delete 2 rows from "customers" on "Shop"?');
    assert.match(many.detail, /^The save also applies 3 other changes\. /);
    assert.match(deletePrompt(where, [{ kind: 'delete' }, { kind: 'update' }])!.detail, /^The save also applies 1 other change\. /);
  });

  it('applies nothing when the deletes are declined, and keeps the changes as they were', async () => {
    const changes = [{ kind: 'update' }, { kind: 'delete' }];
    const applied: unknown[] = [];
    const asked: unknown[] = [];
    const outcome = await savePending(changes, {
      confirm: async (c) => (asked.push(c), false),
      apply: async (c) => (applied.push(c), 'saved'),
    });
    assert.deepEqual(outcome, { kind: 'declined' });
    assert.deepEqual(asked, [changes]);
    assert.deepEqual(applied, []);
    assert.deepEqual(changes, [{ kind: 'update' }, { kind: 'delete' }]);
  });

  it('applies once confirmed, asking before applying', async () => {
    const steps: string[] = [];
    const outcome = await savePending([{ kind: 'delete' }], {
      confirm: async () => (steps.push('confirm'), true),
      apply: async () => (steps.push('apply'), 'result'),
    });
    assert.deepEqual(outcome, { kind: 'applied', result: 'result' });
    assert.deepEqual(steps, ['confirm', 'apply']);
  });

  it('is how the host saves when a tab closes or the view switches (no direct apply there)', () => {
    // Both leaving paths need vscode, so they cannot run here; this keeps them from applying around the question.
    const root = join(__dirname, '..', '..', '..');
    for (const file of ['src/host/panels/panelManager.ts', 'src/host/panels/viewCommands.ts']) {
      const source = readFileSync(join(root, file), 'utf8');
      assert.match(source, /savePending\(pending, \{\s*confirm: \(changes\) => /, file);
      const applies = [...source.matchAll(/[\w.]*tables\.apply\(/g)].map((m) => source.slice(source.lastIndexOf('\n', m.index) + 1, m.index).trim());
      assert.ok(applies.length > 0, file);
      for (const before of applies) assert.equal(before, 'apply: (changes) =>', `${file} applies outside savePending`);
    }
  });
});
