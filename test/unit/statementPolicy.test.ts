import * as assert from 'node:assert/strict';
import { planStatement, statementLabel, type StatementKind } from '../../src/core/queries/statementPolicy';
import { withStatementTimeout } from '../../src/core/queries/statementTimeout';
import { formatRowsAsText } from '../../src/core/queries/rowsText';
import type { Role } from '../../src/core/roles/roleModel';

const plan = (kind: StatementKind, role: Role, production = false) => planStatement({ kind, role, production, connection: 'Shop', text: 'DELETE FROM orders\nWHERE id = 1' });

describe('who may run which statement (src/core/queries/statementPolicy.ts)', () => {
  it('queries open as results for every role; SHOW/PRAGMA/EXPLAIN run read-only for every role', () => {
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      assert.deepEqual(plan('query', role, true), { kind: 'result' });
      assert.deepEqual(plan('rows', role, true), { kind: 'execute', readOnly: true });
    }
  });

  it('a viewer\'s writes and schema changes go to the database read-only, so the database refuses them', () => {
    for (const kind of ['write', 'schema', 'other'] as const) assert.deepEqual(plan(kind, 'viewer'), { kind: 'execute', readOnly: true });
  });

  it('editors write but need admin for schema changes; production asks first, naming the connection', () => {
    assert.deepEqual(plan('write', 'editor'), { kind: 'execute', readOnly: false });
    const refused = plan('schema', 'editor');
    assert.equal(refused.kind, 'refuse');
    assert.match(refused.kind === 'refuse' ? refused.message : '', /need the admin role on Shop; your role there is editor/);
    assert.deepEqual(plan('schema', 'admin'), { kind: 'execute', readOnly: false });
    const asked = plan('write', 'editor', true);
    assert.equal(asked.kind === 'execute' && asked.confirm, '"DELETE FROM orders" may change data on the production connection Shop. Run it?');
    const schema = plan('schema', 'admin', true);
    assert.match(schema.kind === 'execute' ? schema.confirm ?? '' : '', /may change the schema on the production connection Shop/);
  });

  it('labels a statement by its first line, shortened', () => {
    assert.equal(statementLabel('  SELECT *\nFROM t'), 'SELECT *');
    assert.equal(statementLabel('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });
});

describe('statement timeout (src/core/queries/statementTimeout.ts)', () => {
  it('aborts the work\'s signal at the budget and fails with code timeout naming it', async () => {
    let seen: AbortSignal | undefined;
    await assert.rejects(
      withStatementTimeout(20, undefined, (signal) => {
        seen = signal;
        return new Promise((_, reject) => signal!.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { code: 'cancelled' }))));
      }),
      (error: Error & { code?: string }) => error.code === 'timeout' && /longer than this connection's statement timeout \(20 ms\) and was cancelled/.test(error.message),
    );
    assert.equal(seen?.aborted, true);
  });

  it('passes a caller\'s cancel through as the work\'s own error, and runs without a budget untouched', async () => {
    const caller = new AbortController();
    const run = withStatementTimeout(60_000, caller.signal, (signal) => new Promise((_, reject) => signal!.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { code: 'cancelled' })))));
    caller.abort();
    await assert.rejects(run, (error: Error & { code?: string }) => error.code === 'cancelled');
    assert.equal(await withStatementTimeout(0, undefined, async (signal) => signal), undefined);
  });
});

describe('rows of a statement that runs once, as text (src/core/queries/rowsText.ts)', () => {
  it('aligns columns, shows NULL and bytes, cuts long cells, and says when rows were left out', () => {
    const text = formatRowsAsText(['cid', 'name', 'dflt'], [[0, 'id', null], [1, 'blob', new Uint8Array(3)], [2, 'x'.repeat(200), 'a\nb']], true);
    const lines = text.split('\n');
    assert.equal(lines[0], 'cid | name' + ' '.repeat(116) + ' | dflt');
    assert.match(lines[2], /^0 {3}\| id +\| NULL$/);
    assert.match(lines[3], /\| <3 bytes>$/);
    assert.match(lines[4], /x{119}… \| a b$/);
    assert.match(text, /\(3 rows; more rows were not fetched\)/);
  });

  it('writes a single column (a query plan) line by line, uncut', () => {
    const plan = formatRowsAsText(['QUERY PLAN'], [['Seq Scan on t  (cost=0.00..' + '9'.repeat(150) + ')']], false);
    assert.ok(plan.includes('9'.repeat(150)));
    assert.match(plan, /\(1 row\)\n$/);
  });
});
