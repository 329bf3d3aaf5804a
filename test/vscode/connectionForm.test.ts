// The connection form's host side (src/host/connections/connectionFormPanel.ts) inside a real VS Code: one form per
// connection; what it sends the webview on `ready` (the plugin's fields, the stored values, which secrets are saved but
// never their values); Save refusing an empty name, a value that does not fit its field and a changed type on the
// field they concern, keeping a stored password that was left empty, and closing the tab; a pasted URL split into
// fields and secrets. The webview's messages are delivered through nocoflo.internal.connectionFormMessage, the same
// parser and handlers the webview's messages take, and the form's answers are what it posted back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NocofloApi } from '../../api';
import { choose, closeAllTabs, datasourceNode, nocoflo, waitFor } from './hostSupport';

interface Response {
  type: 'response';
  id: number;
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { code: string; message: string; field?: string };
}
interface Init {
  mode: string;
  type: string;
  name: string;
  plugins: { id: string }[];
  values: Record<string, unknown>;
  savedSecrets: string[];
}

const formTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('nocoflo.connectionForm'));

let nextId = 1000;
async function send(key: string, message: object): Promise<unknown[]> {
  const posted = await vscode.commands.executeCommand<unknown[] | undefined>('nocoflo.internal.connectionFormMessage', key, message);
  assert.ok(posted, `a form ${key} is open`);
  return posted;
}
async function request(key: string, method: string, params: object): Promise<Response> {
  const id = nextId++;
  const posted = (await send(key, { type: 'request', id, method, params })) as Response[];
  const response = posted.find((m) => m.type === 'response' && m.id === id);
  assert.ok(response, `the form answered ${method}: ${JSON.stringify(posted)}`);
  return response;
}
async function init(key: string): Promise<Init> {
  const posted = (await send(key, { type: 'ready' })) as { type: string; init: Init }[];
  const message = posted.find((m) => m.type === 'init');
  assert.ok(message, JSON.stringify(posted));
  return message.init;
}

const PG_VALUES = { host: 'db.example.com', port: '5433', database: 'shop', user: 'ada' };

describe('the connection form (connectionFormPanel)', function () {
  this.timeout(120_000);
  let api: NocofloApi;
  let pgId: string;
  const key = () => `edit:${pgId}`;
  const record = () => api.data?.({ extensionId: 'nocoflo-tests.nocoflo-test-plugin' }).listDatasources().find((d) => d.id === pgId);
  const openForm = async () => {
    await vscode.commands.executeCommand('nocoflo.editDatasource', datasourceNode(pgId, record()?.name ?? '', 'nocoflo.postgres'));
    await waitFor('the form opens', () => formTabs().length, (n) => n === 1);
  };

  before(async () => {
    api = await nocoflo();
    // Never connected: saving a form does not connect, and the server does not exist.
    pgId = await api.addDatasource({ type: 'postgres', name: 'Form pg', config: { host: 'db.example.com', port: 5432, database: 'shop', user: 'ada' }, secrets: { password: 'pg-secret-1' } });
    // A server connection is an editor's by default; editing it is the admin's.
    const done = vscode.commands.executeCommand('nocoflo.setRole', datasourceNode(pgId, 'Form pg', 'nocoflo.postgres'));
    await choose('admin');
    await done;
  });

  afterEach(closeAllTabs);

  it('one form per connection; on ready it gets its plugin, its values and which secrets are saved, never a secret', async () => {
    await openForm();
    await vscode.commands.executeCommand('nocoflo.editDatasource', datasourceNode(pgId, 'Form pg', 'nocoflo.postgres'));
    assert.equal(formTabs().length, 1);
    const posted = await send(key(), { type: 'ready' });
    assert.doesNotMatch(JSON.stringify(posted), /pg-secret-1/);
    const sent = (posted[0] as { init: Init }).init;
    assert.equal(sent.mode, 'edit');
    assert.deepEqual(sent.plugins.map((p) => p.id), ['nocoflo.postgres'], 'an edit cannot switch plugins');
    assert.equal(sent.name, 'Form pg');
    assert.equal(sent.values.host, 'db.example.com');
    assert.equal(sent.values.port, '5432');
    assert.deepEqual(sent.savedSecrets, ['password']);
  });

  it('Save refuses an empty name, a port that is not a number and a changed type, on the field concerned, and keeps the form open', async () => {
    await openForm();
    const emptyName = await request(key(), 'save', { type: 'nocoflo.postgres', name: '  ', values: PG_VALUES, secrets: {} });
    assert.deepEqual(emptyName.error, { code: 'invalid_value', message: 'Give the connection a name.', field: 'name' });
    const badPort = await request(key(), 'save', { type: 'nocoflo.postgres', name: 'Form pg', values: { ...PG_VALUES, port: 'fifty' }, secrets: {} });
    assert.deepEqual(badPort.error, { code: 'invalid_value', message: 'Port must be a number.', field: 'port' });
    const missing = await request(key(), 'save', { type: 'nocoflo.postgres', name: 'Form pg', values: { ...PG_VALUES, user: '' }, secrets: {} });
    assert.deepEqual(missing.error, { code: 'invalid_value', message: 'User is required.', field: 'user' });
    const otherType = await request(key(), 'save', { type: 'nocoflo.mysql', name: 'Form pg', values: PG_VALUES, secrets: {} });
    assert.equal(otherType.error?.code, 'invalid_value');
    assert.match(otherType.error?.message ?? '', /type of an existing connection cannot change/);
    const malformed = (await send(key(), { type: 'request', id: 7, method: 'save', params: { type: 'nocoflo.postgres', name: 'x', values: {}, secrets: {}, extra: true } })) as Response[];
    assert.equal(malformed[0]?.error?.code, 'invalid_message', 'a message the parser refuses is answered, not handled');
    assert.equal(record()?.name, 'Form pg', 'nothing was saved');
    assert.equal(formTabs().length, 1);
  });

  it('Save with the password left empty keeps the stored one for the same server, closes the form and renames the row', async () => {
    await openForm();
    const saved = await request(key(), 'save', { type: 'nocoflo.postgres', name: 'Form pg renamed', values: { ...PG_VALUES, port: '5432', applicationName: 'ledger app' }, secrets: {} });
    assert.deepEqual(saved.result, { id: pgId });
    await waitFor('the form closes', () => formTabs().length, (n) => n === 0);
    assert.equal(record()?.name, 'Form pg renamed');
    await openForm();
    const after = await init(key());
    assert.equal(after.values.applicationName, 'ledger app');
    assert.deepEqual(after.savedSecrets, ['password'], 'the stored password was kept');
  });

  it("a password is not carried to another server: a new port without a password typed leaves none saved, a typed one is saved", async () => {
    await openForm();
    await request(key(), 'save', { type: 'nocoflo.postgres', name: 'Form pg', values: PG_VALUES, secrets: {} });
    await openForm();
    assert.deepEqual((await init(key())).savedSecrets, []);
    const typed = await request(key(), 'save', { type: 'nocoflo.postgres', name: 'Form pg', values: PG_VALUES, secrets: { password: 'pg-secret-2' } });
    assert.equal(typed.ok, true, JSON.stringify(typed));
    await openForm();
    const after = await send(key(), { type: 'ready' });
    assert.deepEqual((after[0] as { init: Init }).init.savedSecrets, ['password']);
    assert.doesNotMatch(JSON.stringify(after), /pg-secret-2/);
  });

  it('a pasted URL is split into fields, with its password apart as a secret', async () => {
    await openForm();
    const parsed = await request(key(), 'parseUrl', { type: 'nocoflo.postgres', url: ' postgres://grace:hopper%21@pg.example.org:6543/ledger ' });
    assert.equal(parsed.ok, true, JSON.stringify(parsed));
    assert.equal(parsed.result?.type, 'nocoflo.postgres');
    const values = parsed.result?.values as Record<string, unknown>;
    assert.deepEqual([values.host, values.port, values.database, values.user], ['pg.example.org', '6543', 'ledger', 'grace']);
    assert.equal(values.password, undefined, 'the password is not a value');
    assert.deepEqual(parsed.result?.secrets, { password: 'hopper!' });
    const unknown = await request(key(), 'parseUrl', { type: 'nocoflo.postgres', url: 'gopher://example.org/1' });
    assert.equal(unknown.error?.field, 'url');
  });
});
