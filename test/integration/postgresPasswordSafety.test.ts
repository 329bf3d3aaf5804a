// The PostgreSQL datasource never hands a password to a server on another host that asks for it in clear text
// (pg_hba method "password") unless TLS is verified or the connection allows it. A real PostgreSQL 15 server with
// SSL stands in for the remote host behind a recording relay reached as 0.0.0.0 (test/support/recordingRelay.ts), so
// the test sees every byte the client sent; the server's log (log_connections) shows which logins it authorized.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DatasourceConfig, DatasourceContext, DatasourceError } from '../../api';
import { createPostgresDatasource } from '../../plugins/postgres';
import { startRecordingRelay, type RecordingRelay } from '../support/recordingRelay';
import { startPostgres, type PostgresServer } from '../support/servers/postgresServer';

const plugin = createPostgresDatasource();
const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };
const USER = 'nocoflo_cleartext';

const refusedCleartext = (transport: RegExp) => (e: DatasourceError) => {
  assert.equal(e.code, 'auth', `expected auth, got ${e.code}: ${e.message}`);
  assert.match(e.message, /asked for the password in clear text/);
  assert.match(e.message, transport);
  assert.match(e.message, /"verify-full".*CA certificate.*Allow sending the password readably/);
  return true;
};

describe('PostgreSQL datasource: cleartext passwords (real PostgreSQL server behind a recording relay)', function () {
  this.timeout(60_000);
  let server: PostgresServer;
  let relay: RecordingRelay;
  const password = `clear-${randomBytes(12).toString('hex')}`;
  const authorizedLogins = () => readFileSync(server.logFile, 'utf8').split('\n').filter((line) => line.includes(`connection authorized: user=${USER}`)).length;
  const remote = (extra: DatasourceConfig): DatasourceConfig => ({ host: relay.host, port: relay.port, database: server.database, user: USER, ...extra });

  before(async () => {
    server = await startPostgres({ ssl: true, hba: [`host all ${USER} 127.0.0.1/32 password`], settings: { log_connections: 'on' } });
    await server.admin(`CREATE ROLE ${USER} LOGIN PASSWORD '${password}'`);
    relay = await startRecordingRelay(server.port);
  });

  beforeEach(() => relay.forget());

  after(async () => {
    await relay?.close();
    await server?.stop();
  });

  it('refuses without encryption, and the password never leaves the client', async () => {
    await assert.rejects(plugin.testConnection(remote({ sslMode: 'disable' }), { password }, context), refusedCleartext(/not encrypted/));
    assert.ok(relay.sent().length > 0, 'the client did reach the server');
    assert.equal(relay.sent().includes(password), false);
    assert.equal(authorizedLogins(), 0);
  });

  it('refuses over TLS that does not check the certificate (require)', async () => {
    await assert.rejects(plugin.testConnection(remote({ sslMode: 'require' }), { password }, context), refusedCleartext(/does not verify the server's certificate/));
    assert.equal(authorizedLogins(), 0, 'the server never got the password');
  });

  it('sends it when the connection allows it: the relay sees it, which is what the refusals prevent', async () => {
    const result = await plugin.testConnection(remote({ sslMode: 'disable', allowCleartextPassword: true }), { password }, context);
    assert.equal(result.ok, true);
    assert.equal(relay.sent().includes(password), true);
    assert.ok(authorizedLogins() > 0, 'the server authorized the login');
  });

  it('sends it over verified TLS with the self-signed CA, encrypted', async () => {
    const before = authorizedLogins();
    const result = await plugin.testConnection(remote({ sslMode: 'verify-ca', sslCaFile: server.caFile! }), { password }, context);
    assert.equal(result.ok, true);
    assert.equal(relay.sent().includes(password), false);
    assert.ok(authorizedLogins() > before);
  });

  it('defaults to verified TLS for the other host: a certificate no known CA signed is refused before any login', async () => {
    const before = authorizedLogins();
    await assert.rejects(plugin.testConnection(remote({}), { password }, context), (e: DatasourceError) => e.code === 'connection' && /SSL connection failed: .*self[- ]signed.*default for a server on another host.*set SSL to "require"/i.test(e.message));
    assert.equal(relay.sent().includes(password), false);
    assert.equal(authorizedLogins(), before);
  });

  it('keeps connections to this computer as they were: no SSL by default, and the password is sent', async () => {
    const before = authorizedLogins();
    const result = await plugin.testConnection({ host: server.host, port: server.port, database: server.database, user: USER }, { password }, context);
    assert.equal(result.ok, true);
    assert.ok(authorizedLogins() > before);
  });
});
