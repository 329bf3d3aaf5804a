// The MySQL/MariaDB datasource's SSL modes against a real MariaDB server with a certificate from a throwaway CA
// (made with the openssl command): require encrypts, verify-ca checks the chain against the CA file, verify-full
// the host name too (and refuses an IP address, which mysql2 cannot check); a wrong CA or an unreadable CA file says
// so.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DatasourceConfig, DatasourceContext, DatasourceError } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { makeCertificates } from '../support/certificates';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

const plugin = createMysqlDatasource();
const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };

function failsWith(code: string, message?: RegExp) {
  return (error: unknown) => {
    const e = error as DatasourceError;
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  };
}

describe('MySQL/MariaDB datasource: SSL (real MariaDB server)', function () {
  this.timeout(60_000);
  let dir: string;
  let server: MariadbServer;
  let password: string;
  const config = (extra: DatasourceConfig): DatasourceConfig => ({ host: server.host, port: server.port, user: 'tls_only', database: server.database, ...extra });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nocoflo-mdb-tls-'));
    makeCertificates(dir, 'good', 'DNS:localhost,IP:127.0.0.1');
    makeCertificates(dir, 'other', 'DNS:localhost,IP:127.0.0.1');
    server = await startMariadb({ args: [`--ssl-ca=${path.join(dir, 'good-ca.pem')}`, `--ssl-cert=${path.join(dir, 'good-server.pem')}`, `--ssl-key=${path.join(dir, 'good-server.key')}`] });
    password = randomBytes(15).toString('base64url');
    await server.admin("CREATE USER 'tls_only'@'%' IDENTIFIED BY ? REQUIRE SSL", [password], null);
    await server.admin("GRANT SELECT ON `nocoflo_test`.* TO 'tls_only'@'%'", [], null);
  });

  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('connects without SSL only where the user may', async () => {
    await assert.rejects(plugin.testConnection(config({ sslMode: 'disable' }), { password }, context), failsWith('auth', /Access denied/));
  });

  it('encrypts with require, without checking the certificate', async () => {
    const result = await plugin.testConnection(config({ sslMode: 'require' }), { password }, context);
    assert.equal(result.ok, true);
  });

  it('checks the chain against the CA file with verify-ca and verify-full', async () => {
    const ca = path.join(dir, 'good-ca.pem');
    assert.equal((await plugin.testConnection(config({ sslMode: 'verify-ca', sslCaFile: ca }), { password }, context)).ok, true);
    assert.equal((await plugin.testConnection(config({ host: 'localhost', sslMode: 'verify-full', sslCaFile: ca }), { password }, context)).ok, true);
    // mysql2 cannot check a certificate against an IP address: verify-full says so rather than check the wrong name.
    await assert.rejects(plugin.testConnection(config({ sslMode: 'verify-full', sslCaFile: ca }), { password }, context), failsWith('invalid_value', /verify-full.*IP address 127\.0\.0\.1.*verify-ca/));
    // A relative CA path resolves against the workspace folder.
    const inWorkspace = await plugin.testConnection(config({ sslMode: 'verify-ca', sslCaFile: 'good-ca.pem' }), { password }, { ...context, workspaceFolders: [dir] });
    assert.equal(inWorkspace.ok, true);
  });

  it('refuses a server whose certificate another CA signed, or an unreadable CA file', async () => {
    await assert.rejects(
      plugin.testConnection(config({ sslMode: 'verify-ca', sslCaFile: path.join(dir, 'other-ca.pem') }), { password }, context),
      failsWith('connection', /TLS connection .* failed.*CA certificate that signed it.*set SSL to "require"/),
    );
    await assert.rejects(plugin.testConnection(config({ sslMode: 'verify-ca' }), { password }, context), failsWith('connection', /TLS connection .* failed/), 'the system CAs do not know the test CA');
    await assert.rejects(plugin.testConnection(config({ sslMode: 'verify-ca', sslCaFile: path.join(dir, 'missing.pem') }), { password }, context), failsWith('not_found', /missing\.pem/));
    await assert.rejects(plugin.testConnection(config({ sslMode: 'verify-ca', sslCaFile: 'relative.pem' }), { password }, context), failsWith('invalid_value', /workspace folder/));
  });
});
