// What "Nocoflo: Set Role…" offers (src/core/roles/roleChoices.ts): the roles with what each allows, the way back
// to the fallback role, which entry says "current" and which one the picker opens on.
import * as assert from 'node:assert/strict';
import { roleChoices } from '../../src/core/roles/roleChoices';

describe('Set Role… choices', () => {
  it('a connection with no stored role: the three roles, then its default, which is current and where the picker opens', () => {
    const { items, active } = roleChoices({ table: false, current: 'admin', stored: undefined, fallback: 'admin', ownFile: true });
    assert.deepEqual(items, [
      { label: 'viewer', description: 'read only', role: 'viewer' },
      { label: 'editor', description: 'insert and update rows', role: 'editor' },
      { label: 'admin', description: 'also delete rows, manage the connection and plugins · current', role: 'admin' },
      {
        label: "Use the connection's default role",
        description: 'admin · current',
        detail: 'Admin for a file you added; viewer while the connection is marked production.',
        role: undefined,
      },
    ]);
    assert.equal(active, items[3]);
  });

  it('a stored role: the picker opens on it and the default entry is not current', () => {
    const { items, active } = roleChoices({ table: false, current: 'viewer', stored: 'viewer', fallback: 'editor', ownFile: false });
    assert.equal(active, items[0]);
    assert.equal(items[0].description, 'read only · current');
    assert.equal(items[3].description, 'editor');
    assert.equal(items[3].detail, 'Editor; viewer while the connection is marked production.');
  });

  it("a table: the way back is the connection's role, without the default's explanation", () => {
    const { items, active } = roleChoices({ table: true, current: 'editor', stored: 'editor', fallback: 'viewer', ownFile: true });
    assert.deepEqual(items[3], { label: "Use the connection's role", description: 'viewer', role: undefined });
    assert.equal(active, items[1]);
    assert.equal(items.filter((item) => item.description.endsWith('current')).length, 1);
  });
});
