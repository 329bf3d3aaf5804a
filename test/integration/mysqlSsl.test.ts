// The MySQL/MariaDB datasource's SSL modes against a real MariaDB server with a certificate from a throwaway CA
// (made with the openssl command): require encrypts, verify-ca checks the chain against the CA file, verify-full
// the host name too (and refuses an IP address, which mysql2 cannot check); a wrong CA or an unreadable CA file says
// so.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DatasourceConfig, DatasourceContext, DatasourceError } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

const plugin = createMysqlDatasource();
const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.error) throw new Error(`The SSL tests need the openssl command (Debian package "openssl"): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${result.stderr}`);
}

/** A CA and a server certificate it signed, for `names` (subjectAltName entries). */
function makeCertificates(dir: string, prefix: string, names: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${prefix} test CA`, '-keyout', `${prefix}-ca.key`, '-out', `${prefix}-ca.pem`]);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=mariadb test server', '-keyout', `${prefix}-server.key`, '-out', `${prefix}-server.csr`]);
  writeFileSync(path.join(dir, `${prefix}-ext.cnf`), `subjectAltName=${names}\n`);
  openssl(dir, ['x509', '-req', '-in', `${prefix}-server.csr`, '-CA', `${prefix}-ca.pem`, '-CAkey', `${prefix}-ca.key`, '-CAcreateserial', '-days', '2', '-extfile', `${prefix}-ext.cnf`, '-out', `${prefix}-server.pem`]);
}

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
    await assert.rejects(plugin.testConnection(config({ sslMode: 'verify-ca', sslCaFile: path.join(dir, 'other-ca.pem') }), { password }, context), failsWith('connection', /TLS connection .* failed/));
    await assert.rejects(plugin.testConnection(config({ sslMode: 'verify-ca' }), { password }, context), failsWith('connection', /TLS connection .* failed/), 'the system CAs do not know the test CA');
    await assert.rejects(plugin.testConnection(config({ sslMode: 'verify-ca', sslCaFile: path.join(dir, 'missing.pem') }), { password }, context), failsWith('not_found', /missing\.pem/));
    await assert.rejects(plugin.testConnection(config({ sslMode: 'verify-ca', sslCaFile: 'relative.pem' }), { password }, context), failsWith('invalid_value', /workspace folder/));
  });
});
