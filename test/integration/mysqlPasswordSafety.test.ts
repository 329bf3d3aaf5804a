// The MySQL/MariaDB datasource never hands a password to a server on another host that asks for it in clear text
// unless TLS is verified or the connection allows it. A real MariaDB 10.11 server asks for mysql_clear_password for
// a PAM user (auth_pam_v1 with pam_use_cleartext_plugin); with TLS from a throwaway CA, it stands in for the remote
// host behind a recording relay reached as 0.0.0.0 (test/support/recordingRelay.ts), so the test sees every byte
// the client sent. (PAM then refuses the test password: what matters here is whether it was sent.)
// caching_sha2_password and sha256_password need MySQL, not MariaDB: their refusals are checked at the driver-option
// level in test/unit/transportSecurity.test.ts.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DatasourceConfig, DatasourceContext, DatasourceError } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { makeCertificates } from '../support/certificates';
import { startRecordingRelay, type RecordingRelay } from '../support/recordingRelay';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

const plugin = createMysqlDatasource();
const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };
const PAM_USER = 'pam_user';

const refusedCleartext = (transport: RegExp) => (e: DatasourceError) => {
  assert.equal(e.code, 'auth', `expected auth, got ${e.code}: ${e.message}`);
  assert.match(e.message, /asked for the password in clear text \(mysql_clear_password\)/);
  assert.match(e.message, transport);
  assert.match(e.message, /"verify-full".*CA certificate.*Allow sending the password readably/);
  return true;
};
/** The server got the password and PAM turned it down: the datasource let it through. */
const sentAndDenied = (e: DatasourceError) => {
  assert.equal(e.code, 'auth', `expected auth, got ${e.code}: ${e.message}`);
  assert.match(e.message, /Access denied for user 'pam_user'/);
  return true;
};

describe('MySQL/MariaDB datasource: cleartext passwords (real MariaDB server behind a recording relay)', function () {
  this.timeout(60_000);
  let dir: string;
  let server: MariadbServer;
  let relay: RecordingRelay;
  const password = `clear-${randomBytes(12).toString('hex')}`;
  const remote = (extra: DatasourceConfig): DatasourceConfig => ({ host: relay.host, port: relay.port, user: PAM_USER, ...extra });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-mdb-clear-'));
    makeCertificates(dir, 'good', 'DNS:localhost,IP:127.0.0.1');
    server = await startMariadb({
      args: [
        `--ssl-ca=${path.join(dir, 'good-ca.pem')}`,
        `--ssl-cert=${path.join(dir, 'good-server.pem')}`,
        `--ssl-key=${path.join(dir, 'good-server.key')}`,
        '--plugin-load-add=auth_pam_v1.so',
        '--pam-use-cleartext-plugin=ON',
      ],
    });
    await server.admin("CREATE USER 'pam_user'@'%' IDENTIFIED VIA pam USING 'nocoflo-test'", [], null);
    relay = await startRecordingRelay(server.port);
  });

  beforeEach(() => relay.forget());

  after(async () => {
    await relay?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses without encryption, and the password never leaves the client', async () => {
    await assert.rejects(plugin.testConnection(remote({ sslMode: 'disable' }), { password }, context), refusedCleartext(/not encrypted/));
    assert.ok(relay.sent().length > 0, 'the client did reach the server');
    assert.equal(relay.sent().includes(password), false);
  });

  it('refuses over TLS that does not check the certificate (require)', async () => {
    await assert.rejects(plugin.testConnection(remote({ sslMode: 'require' }), { password }, context), refusedCleartext(/does not verify the server's certificate/));
  });

  it('sends it when the connection allows it: the relay sees it, which is what the refusal prevents', async () => {
    await assert.rejects(plugin.testConnection(remote({ sslMode: 'disable', allowCleartextPassword: true }), { password }, context), sentAndDenied);
    assert.equal(relay.sent().includes(password), true);
  });

  it('sends it over verified TLS with the throwaway CA, encrypted', async () => {
    await assert.rejects(plugin.testConnection(remote({ sslMode: 'verify-ca', sslCaFile: path.join(dir, 'good-ca.pem') }), { password }, context), sentAndDenied);
    assert.equal(relay.sent().includes(password), false);
  });

  it('keeps logins that never send the password itself working on the other host: mysql_native_password without TLS, and over verified TLS', async () => {
    const native = { host: relay.host, port: relay.port, user: server.user, database: server.database };
    assert.equal((await plugin.testConnection({ ...native, sslMode: 'disable' }, { password: server.password }, context)).ok, true);
    assert.equal(relay.sent().includes(server.password), false);
    assert.equal((await plugin.testConnection({ ...native, sslMode: 'verify-ca', sslCaFile: path.join(dir, 'good-ca.pem') }, { password: server.password }, context)).ok, true);
  });

  it('defaults to verified TLS for the other host: for an IP address, which mysql2 cannot check by name, it says so before connecting', async () => {
    await assert.rejects(plugin.testConnection(remote({}), { password }, context), (e: DatasourceError) => e.code === 'invalid_value' && /default for a server on another host.*IP address 0\.0\.0\.0/.test(e.message));
    assert.equal(relay.sent().length, 0, 'nothing was sent');
  });

  it('keeps connections to this computer as they were: the PAM server gets the password without SSL', async () => {
    await assert.rejects(plugin.testConnection({ host: server.host, port: server.port, user: PAM_USER }, { password }, context), sentAndDenied);
  });
});
