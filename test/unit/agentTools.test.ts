// The decision logic of the language model tools (src/core/agentTools): input checks, bounded reads, values a model
// can read and send back, connection settings without secrets, proposals turned into pending edits with `expected`
// rows, role notes and the confirmation texts. The VS Code side is tested in test/vscode/agentTools.test.ts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CellValue, ReadRowsRequest, RowPage, TableLocator, TableSchema } from '../../api';
import { findConnection, listConnections, visibleConfig, type AgentCatalog } from '../../src/core/agentTools/catalog';
import { listConnectionsConfirmation, plain, proposeChangesConfirmation, readRowsConfirmation, runQueryConfirmation } from '../../src/core/agentTools/confirmation';
import { checkDescribeTable, checkListTables, checkProposal, checkReadRows, checkRunQuery, MAX_PROPOSED_CHANGES, MAX_QUERY_LENGTH, MAX_ROW_LIMIT, type ReadRowsInput } from '../../src/core/agentTools/inputs';
import { AGENT_TOOL_NAMES } from '../../src/core/agentTools/names';
import { buildProposal, describeCounts, roleNotes } from '../../src/core/agentTools/proposal';
import { describeTable, readRows, type AgentTables } from '../../src/core/agentTools/reads';
import { inputValue, MAX_BYTES, MAX_TEXT_CHARS, resultValue } from '../../src/core/agentTools/values';
import type { DatasourceRecord } from '../../src/core/datasourceManager';

const customers: TableSchema = {
  table: { name: 'customers' },
  kind: 'table',
  columns: [
    { name: 'id', declaredType: 'INTEGER', kind: 'integer', nullable: false, primaryKeyPosition: 1 },
    { name: 'name', declaredType: 'TEXT', kind: 'text', nullable: false },
    { name: 'total', declaredType: 'INTEGER', kind: 'integer', nullable: true, generated: true },
  ],
  primaryKey: ['id'],
  foreignKeys: [],
  rowKey: { columns: ['id'] },
};

const ROWS: CellValue[][] = [
  [1n, 'Ada', 3],
  [2n, 'Linus', 5],
  [3n, 'Grace', null],
];

/** A table of three rows that answers eq filters and limits like a datasource, recording each request. */
function fakeTables(schema = customers): AgentTables & { requests: ReadRowsRequest[] } {
  const requests: ReadRowsRequest[] = [];
  return {
    requests,
    schema: () => Promise.resolve(schema),
    tableInfos: () => Promise.resolve([{ ref: { name: 'customers' }, kind: 'table', rowCount: { count: 3, exact: true } }, { ref: { name: 'totals' }, kind: 'view' }]),
    countRows: () => Promise.resolve({ count: 3, exact: true }),
    capabilities: () => Promise.resolve({ insert: true, update: true, delete: true, transactions: true, aggregate: false, schemas: false }),
    readRows: (_table: TableLocator, request: ReadRowsRequest): Promise<RowPage> => {
      requests.push(request);
      let rows = ROWS;
      for (const f of request.filters ?? []) {
        const at = schema.columns.findIndex((c) => c.name === f.column);
        rows = rows.filter((r) => f.op === 'eq' && String(r[at]) === String(f.value));
      }
      rows = rows.slice(request.offset ?? 0, (request.offset ?? 0) + request.limit);
      return Promise.resolve({ columns: schema.columns.map((c) => c.name), rows, keys: rows.map((r) => ({ id: r[0] })) });
    },
  };
}

const table: TableLocator = { datasourceId: 'shop', name: 'customers' };
const readInput = (over: Partial<ReadRowsInput> = {}): ReadRowsInput => ({ connection: 'shop', table: 'customers', filters: [], sort: [], limit: 50, offset: 0, ...over });

describe('agent tools (src/core/agentTools)', () => {
  describe('inputs', () => {
    it('bounds reads: a default limit, a cap whatever the model asks, structured filters and sort', () => {
      const checked = checkReadRows({ connection: 'Shop', table: 'customers', limit: 10_000, filters: [{ column: 'id', op: 'in', value: [1, { $bigint: '2' }] }, { column: 'name', op: 'isnull' }], sort: [{ column: 'name' }] });
      assert.ok(checked.ok);
      assert.equal(checked.value.limit, MAX_ROW_LIMIT);
      assert.deepEqual(checked.value.filters, [{ column: 'id', op: 'in', value: [1, 2n] }, { column: 'name', op: 'isnull' }]);
      assert.deepEqual(checked.value.sort, [{ column: 'name', direction: 'asc' }]);
      const defaults = checkReadRows({ connection: 'Shop', table: 'customers' });
      assert.ok(defaults.ok);
      assert.equal(defaults.value.limit, 50);
    });

    it('refuses SQL text, unknown fields, bad operators and missing names with a reason the model can act on', () => {
      assert.deepEqual(checkReadRows({ connection: 'Shop', table: 'customers', where: 'id = 1' }), { ok: false, error: 'The input has unknown field "where"; allowed: connection, schema, table, columns, filters, sort, limit, offset.' });
      const op = checkReadRows({ connection: 'Shop', table: 'customers', filters: [{ column: 'id', op: 'like', value: '%' }] });
      assert.ok(!op.ok && op.error.startsWith('filters[0].op must be one of eq, ne'));
      const value = checkReadRows({ connection: 'Shop', table: 'customers', filters: [{ column: 'id', op: 'eq' }] });
      assert.ok(!value.ok && value.error === 'filters[0].value is needed for "eq".');
      assert.deepEqual(checkListTables({}), { ok: false, error: 'connection must be a non-empty string.' });
      assert.deepEqual(checkDescribeTable({ connection: 'Shop', table: 'customers', schema: 'main' }), { ok: true, value: { connection: 'Shop', table: 'customers', schema: 'main' } });
      const limit = checkReadRows({ connection: 'Shop', table: 'customers', limit: 0 });
      assert.ok(!limit.ok && limit.error === 'limit must be a whole number of at least 1.');
    });

    it('a query is one bounded statement with a bounded page', () => {
      assert.deepEqual(checkRunQuery({ connection: 'Shop', sql: 'SELECT 1' }), { ok: true, value: { connection: 'Shop', sql: 'SELECT 1', limit: 50, offset: 0 } });
      const capped = checkRunQuery({ connection: 'Shop', sql: 'SELECT 1', limit: 5_000, offset: 7 });
      assert.ok(capped.ok && capped.value.limit === MAX_ROW_LIMIT && capped.value.offset === 7);
      assert.deepEqual(checkRunQuery({ connection: 'Shop' }), { ok: false, error: 'sql must be a non-empty string.' });
      const long = checkRunQuery({ connection: 'Shop', sql: 'x'.repeat(MAX_QUERY_LENGTH + 1) });
      assert.ok(!long.ok && long.error.includes(`at most ${MAX_QUERY_LENGTH}`));
      assert.ok(!checkRunQuery({ connection: 'Shop', sql: 'SELECT 1', params: [] }).ok, 'unknown fields are refused');
    });

    it('a proposal needs at least one change and at most the reviewable maximum', () => {
      assert.deepEqual(checkProposal({ connection: 'Shop', table: 'customers' }), { ok: false, error: 'The proposal is empty: give at least one of inserts, updates or deletes.' });
      const many = checkProposal({ connection: 'Shop', table: 'customers', inserts: Array.from({ length: MAX_PROPOSED_CHANGES + 1 }, () => ({ values: { name: 'x' } })) });
      assert.ok(!many.ok && many.error.includes(`at most ${MAX_PROPOSED_CHANGES}`));
      const update = checkProposal({ connection: 'Shop', table: 'customers', updates: [{ key: { id: 1 }, changes: {} }] });
      assert.ok(!update.ok && update.error === 'updates[0].changes must be an object of column names to values.');
    });
  });

  describe('values', () => {
    it('tags what JSON cannot carry and cuts what would flood the context', () => {
      assert.deepEqual(resultValue(2n ** 70n), { $bigint: '1180591620717411303424' });
      assert.deepEqual(resultValue(new Uint8Array([1, 2, 3])), { $bytes: 'AQID' });
      assert.deepEqual(resultValue(new Uint8Array(MAX_BYTES + 1)), { $bytesOmitted: MAX_BYTES + 1 });
      assert.deepEqual(resultValue(Number.NaN), { $float: 'NaN' });
      assert.deepEqual(resultValue('x'.repeat(MAX_TEXT_CHARS + 5)), { $textCut: 'x'.repeat(MAX_TEXT_CHARS), length: MAX_TEXT_CHARS + 5 });
      assert.equal(resultValue('2024-01-31'), '2024-01-31');
    });

    it('reads the tags back, and refuses a value that was cut', () => {
      assert.deepEqual(inputValue({ $bigint: '9007199254740993' }, 'v'), { ok: true, value: 9007199254740993n });
      assert.deepEqual(inputValue({ $bytes: 'AQID' }, 'v'), { ok: true, value: new Uint8Array([1, 2, 3]) });
      assert.deepEqual(inputValue({ $textCut: 'x', length: 3000 }, 'v'), { ok: false, error: 'v: a value that was cut or omitted in a result cannot be written back.' });
      const nested = inputValue({ a: 1 }, 'v');
      assert.ok(!nested.ok && nested.error.startsWith('v: expected a string'));
    });
  });

  describe('connections', () => {
    const records: DatasourceRecord[] = [
      { id: 'a', type: 'nocoflo.postgres', name: 'Shop', config: { host: 'db', user: 'app', password: 'leak1', url: 'postgres://app:leak2@db/shop?sslpassword=leak3', apiToken: 'leak4', accept: 'json' }, production: true },
      { id: 'b', type: 'nocoflo.rest', name: 'Api', config: { baseUrl: 'https://api.example', secretField: 'leak5', note: 'ok' } },
      { id: 'c', type: 'nocoflo.sqlite', name: 'shop copy', config: { path: '/w/a.sqlite' } },
      { id: 'd', type: 'nocoflo.sqlite', name: 'Shop Copy', config: { path: '/w/b.sqlite' } },
    ];
    const catalog: AgentCatalog = {
      connections: () => records,
      configFields: (r) => (r.type === 'nocoflo.rest' ? [{ key: 'secretField', label: 'Key', type: 'string', secret: true }] : []),
      role: ({ datasourceId }) => (datasourceId === 'a' ? { role: 'viewer', production: true } : { role: 'admin', production: false }),
    };

    it('never shows a secret: secret fields, credential-named settings, passwords in URLs', () => {
      const text = JSON.stringify(listConnections(catalog));
      for (const leak of ['leak1', 'leak2', 'leak3', 'leak4', 'leak5']) assert.ok(!text.includes(leak), `${leak} must not appear in ${text}`);
      assert.deepEqual(visibleConfig(records[0].config, []), { host: 'db', user: 'app', url: 'postgres://app:***@db/shop?sslpassword=***', accept: 'json' });
      const shop = listConnections(catalog)[0];
      assert.equal(shop.production, true);
      assert.equal(shop.role, 'viewer');
      assert.match(shop.access, /read only/);
    });

    it('finds a connection by id or case-insensitive name and names the choices when it cannot', () => {
      assert.equal(findConnection(catalog, 'a').ok && findConnection(catalog, 'shop').ok, true);
      const ambiguous = findConnection(catalog, 'SHOP COPY');
      assert.ok(!ambiguous.ok && ambiguous.error === 'Several connections are named "SHOP COPY"; pass the id instead: c, d.');
      const missing = findConnection(catalog, 'nope');
      assert.ok(!missing.ok && missing.error.includes('"Shop" (id a)'));
    });
  });

  describe('reads', () => {
    it('reads one row more than asked to say whether more match, and returns values with their keys', async () => {
      const tables = fakeTables();
      const result = await readRows(tables, table, readInput({ limit: 2, columns: ['name'] }));
      assert.equal(tables.requests[0].limit, 3);
      assert.deepEqual(result.rows, [
        { key: { id: { $bigint: '1' } }, values: { name: 'Ada' } },
        { key: { id: { $bigint: '2' } }, values: { name: 'Linus' } },
      ]);
      assert.equal(result.more, true);
      assert.equal(result.nextOffset, 2);
      const last = await readRows(tables, table, readInput({ limit: 2, offset: 2 }));
      assert.equal(last.more, false);
      assert.equal(last.nextOffset, undefined);
      await assert.rejects(readRows(tables, table, readInput({ columns: ['nope'] })), /Unknown column "nope" in customers/);
    });

    it('describes columns, keys, the count and what the role allows', async () => {
      const described = await describeTable(fakeTables(), table, { role: 'editor', production: false });
      assert.equal(described.rows, 3);
      assert.deepEqual(described.primaryKey, ['id']);
      assert.deepEqual(described.columns[2], { name: 'total', type: 'INTEGER', kind: 'integer', nullable: true, generated: true });
      assert.match(described.access, /deletes need the admin role/);
    });
  });

  describe('proposals', () => {
    it('turns updates and deletes into pending edits that expect the row as read now', async () => {
      const input = checkProposal({ connection: 'shop', table: 'customers', inserts: [{ values: { name: 'Barbara' } }], updates: [{ key: { id: 1 }, changes: { name: 'Ada L.' } }], deletes: [{ key: { id: 3 } }] });
      assert.ok(input.ok);
      const built = await buildProposal(fakeTables(), table, input.value);
      assert.ok(built.ok);
      // In the views' order of pending edits: updates, inserts, deletes.
      assert.deepEqual(built.value.changes, [
        { kind: 'update', key: { id: 1n }, changes: { name: 'Ada L.' }, expected: { id: 1n, name: 'Ada', total: 3 } },
        { kind: 'insert', values: { name: 'Barbara' } },
        { kind: 'delete', key: { id: 3n }, expected: { id: 3n, name: 'Grace', total: null } },
      ]);
      assert.equal(describeCounts(built.value.counts), '1 insert, 1 update and 1 delete');
    });

    it('refuses what a save would refuse, before anything opens', async () => {
      const refusal = async (raw: unknown) => {
        const input = checkProposal(raw);
        assert.ok(input.ok);
        const built = await buildProposal(fakeTables(), table, input.value);
        assert.ok(!built.ok);
        return built.error;
      };
      assert.match(await refusal({ connection: 's', table: 'customers', updates: [{ key: { id: 9 }, changes: { name: 'x' } }] }), /^updates\[0\]: no row with id=9 in customers\.$/);
      assert.match(await refusal({ connection: 's', table: 'customers', updates: [{ key: { name: 'Ada' }, changes: { name: 'x' } }] }), /key must give exactly the key column "id"/);
      assert.match(await refusal({ connection: 's', table: 'customers', inserts: [{ values: { total: 1 } }] }), /column "total" is generated by the database/);
      assert.match(await refusal({ connection: 's', table: 'customers', inserts: [{ values: { nope: 1 } }] }), /column "nope" does not exist/);
      assert.match(await refusal({ connection: 's', table: 'customers', updates: [{ key: { id: 1 }, changes: { name: 'x' } }], deletes: [{ key: { id: 1 } }] }), /appears twice/);
      const view = checkProposal({ connection: 's', table: 'totals', inserts: [{ values: { name: 'x' } }] });
      assert.ok(view.ok);
      const refused = await buildProposal({ ...fakeTables({ ...customers, table: { name: 'totals' }, kind: 'view' }) }, { datasourceId: 'shop', name: 'totals' }, view.value);
      assert.deepEqual(refused, { ok: false, error: 'Changes to totals cannot be proposed: "totals" is a view: its rows cannot be edited here.' });
    });

    it('says what the role means for the proposal', () => {
      assert.deepEqual(roleNotes('admin', { insert: 1, update: 1, delete: 1 }, 'Shop'), []);
      assert.deepEqual(roleNotes('editor', { insert: 0, update: 1, delete: 2 }, 'Shop'), ['The user is an editor on "Shop", which does not allow deletes: saving will refuse them.']);
      assert.match(roleNotes('viewer', { insert: 1, update: 0, delete: 0 }, 'Shop')[0], /viewer on "Shop": the table opened read-only/);
    });
  });

  it('confirmations say what is read or proposed and name production connections', () => {
    assert.match(readRowsConfirmation({ name: 'Prod', production: true }, 'orders', 20, { filters: 1, sort: ['id desc'] }).message, /up to 20 rows of orders matching 1 filter, sorted by id desc from "Prod" \(a production connection\).*\*\*Production:\*\* "Prod"/s);
    assert.match(proposeChangesConfirmation({ name: 'Shop', production: false }, 'customers', '2 inserts').message, /^The agent proposes 2 inserts in customers of "Shop"\. .*nothing is written until you review and save them\.$/);
    assert.match(proposeChangesConfirmation({ name: 'Shop', production: true }, 'customers', '1 delete', 'A duplicate.').message, /\n\nThe agent's reason: A duplicate\.\n\n\*\*Production:\*\* "Shop"/);
    // What the model sends cannot turn into a link, an image or a code span in the question the person reads.
    assert.equal(plain('see [here](command:workbench.action.quit)\n`x`'), 'see \\[here\\]\\(command:workbench.action.quit\\) \\`x\\`');
    assert.match(listConnectionsConfirmation(['Prod']).message, /\*\*Production:\*\* "Prod" is marked as production\./);
    // A query is shown whole in a fence the statement cannot close, so the person reads exactly what runs.
    const query = runQueryConfirmation({ name: 'Prod', production: true }, 'SELECT 1\n```\n[x](command:y)', 20).message;
    assert.match(query, /on "Prod" \(a production connection\), read-only \(the database refuses any write\), and read up to 20 rows/);
    assert.ok(query.includes('```sql\nSELECT 1\n`\u200b``\n[x](command:y)\n```'));
    assert.equal(query.split('```').length, 3, 'only the confirmation\'s own fence');
  });

  it('package.json contributes exactly the registered tools, each with a schema and a model description', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { languageModelTools: { name: string; modelDescription: string; inputSchema: { type: string }; toolReferenceName: string; canBeReferencedInPrompt: boolean }[] } };
    const tools = manifest.contributes.languageModelTools;
    assert.deepEqual(tools.map((t) => t.name).sort(), Object.values(AGENT_TOOL_NAMES).sort());
    for (const tool of tools) {
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.ok(tool.modelDescription.length > 80, tool.name);
      assert.equal(tool.canBeReferencedInPrompt, true);
      assert.match(tool.toolReferenceName, /^nocoflo[A-Z]/);
    }
  });
});
