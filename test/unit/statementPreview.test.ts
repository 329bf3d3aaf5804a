import * as assert from 'node:assert/strict';
import { describeParam, formatStatements } from '../../shared/statementPreview';

describe('Preview SQL text (shared/statementPreview)', () => {
  it('shows bound values as literals without ever pasting them into the statement', () => {
    const text = formatStatements(
      [
        { text: 'UPDATE "t" SET "name" = ? WHERE "id" = ? AND "name" IS ?', params: ["O'Brien", 2n ** 63n - 1n, null] },
        { text: 'DELETE FROM "t" WHERE "id" = ?', params: [7] },
      ],
      true,
    );
    assert.equal(
      text,
      [
        'BEGIN;',
        'UPDATE "t" SET "name" = ? WHERE "id" = ? AND "name" IS ?;',
        "  -- bound: [1] 'O''Brien', [2] 9223372036854775807, [3] NULL",
        'DELETE FROM "t" WHERE "id" = ?;',
        '  -- bound: [1] 7',
        'COMMIT;',
      ].join('\n'),
    );
  });

  it('shortens long text and BLOBs and names their full size', () => {
    assert.equal(describeParam(new Uint8Array([0, 255])), "X'00ff'");
    assert.match(describeParam(new Uint8Array(100)), /^X'(00){32}…' \(100 bytes\)$/);
    assert.match(describeParam('x'.repeat(500)), /…' \(500 characters\)$/);
    assert.equal(describeParam('two\nlines'), "'two\\nlines'");
    assert.equal(describeParam(true), 'TRUE');
  });
});
