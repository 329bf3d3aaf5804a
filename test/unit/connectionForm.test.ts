import * as assert from 'node:assert/strict';
import type { ConfigField } from '../../api';
import { configToForm, defaultForm, formToConfig, parseFromConnectionForm } from '../../shared/connectionForm';

const fields: ConfigField[] = [
  { key: 'host', label: 'Host', type: 'string', required: true, default: 'localhost' },
  { key: 'port', label: 'Port', type: 'number', default: 5432 },
  { key: 'password', label: 'Password', type: 'password', secret: true },
  { key: 'token', label: 'Token', type: 'string', secret: true, required: true },
  { key: 'sslMode', label: 'SSL mode', type: 'enum', enum: ['disable', 'require'] },
  { key: 'readOnly', label: 'Read only', type: 'boolean', default: false },
  { key: 'headers', label: 'Headers', type: 'json' },
];

describe('connection form rules', () => {
  it('turns typed text into typed config, keeps secrets apart, and leaves empty optional fields out', () => {
    const result = formToConfig(fields, {
      values: { host: ' db.local ', port: '6543', sslMode: 'require', readOnly: true, headers: '{"X-A":"1"}', password: 'ignored-as-value' },
      secrets: { password: 'pw', token: 't0k' },
    });
    assert.deepEqual(result, {
      ok: true,
      config: { host: 'db.local', port: 6543, sslMode: 'require', readOnly: true, headers: '{"X-A":"1"}' },
      secrets: { password: 'pw', token: 't0k' },
    });
    const sparse = formToConfig(fields, { values: { host: 'h', port: '  ' }, secrets: { token: 't' } });
    assert.deepEqual(sparse, { ok: true, config: { host: 'h' }, secrets: { token: 't' } });
  });

  it('names every wrong field with a message a user understands', () => {
    const result = formToConfig(fields, { values: { host: '', port: '54x', sslMode: 'sometimes', headers: '{oops' }, secrets: {} });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.errors.host, 'Host is required.');
    assert.equal(result.errors.port, 'Port must be a number.');
    assert.equal(result.errors.sslMode, 'SSL mode must be one of disable, require.');
    assert.match(result.errors.headers!, /^Headers is not valid JSON: /);
    assert.equal(result.errors.token, 'Token is required.');
  });

  it('accepts a required secret left empty when one is already stored (editing)', () => {
    const result = formToConfig(fields, { values: { host: 'h' }, secrets: { token: '' } }, ['token']);
    assert.deepEqual(result, { ok: true, config: { host: 'h' }, secrets: {} });
  });

  it('fills a new form with the declared defaults and an edited one with the stored config, never secrets', () => {
    assert.deepEqual(defaultForm(fields), { host: 'localhost', port: '5432', readOnly: false });
    assert.deepEqual(configToForm(fields, { host: 'h', port: 1, readOnly: true, password: 'should-not-show', unknown: 'x' }), { host: 'h', port: '1', readOnly: true });
  });

  it('accepts well-formed messages and refuses anything else with the reason', () => {
    assert.deepEqual(parseFromConnectionForm({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    const save = { type: 'request', id: 3, method: 'save', params: { type: 'nocoflo.postgres', name: 'db', values: { host: 'h', ssl: true }, secrets: { password: 'p' } } };
    assert.deepEqual(parseFromConnectionForm(save), { ok: true, message: save });
    const bad = (raw: unknown) => {
      const r = parseFromConnectionForm(raw);
      assert.equal(r.ok, false);
      return r.ok ? undefined : r;
    };
    assert.equal(bad(null)!.error, 'message must be an object');
    assert.match(bad({ type: 'request', id: 4, method: 'dropTable', params: {} })!.error, /unknown method "dropTable"/);
    assert.equal(bad({ type: 'request', id: 4, method: 'dropTable', params: {} })!.id, 4);
    assert.match(bad({ ...save, params: { ...save.params, values: { host: 42 } } })!.error, /params\.values\.host must be/);
    assert.match(bad({ ...save, params: { ...save.params, extra: 1 } })!.error, /params\.extra is not allowed/);
    assert.match(bad({ ...save, id: -1 })!.error, /id must be between/);
    assert.match(bad({ type: 'ready', sneaky: true })!.error, /takes no fields/);
    assert.match(bad({ ...save, secrets: 'x' })!.error, /secrets is not allowed/);
  });
});
