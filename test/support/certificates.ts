// Throwaway certificates for TLS tests, made with the openssl command: a CA and a server certificate it signed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.error) throw new Error(`The SSL tests need the openssl command (Debian package "openssl"): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${result.stderr}`);
}

/**
 * Writes `prefix`-ca.pem (the CA), `prefix`-server.pem and `prefix`-server.key into `dir`: a server certificate
 * for `names` (subjectAltName entries such as "DNS:localhost,IP:127.0.0.1"), valid for two days.
 */
export function makeCertificates(dir: string, prefix: string, names: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${prefix} test CA`, '-keyout', `${prefix}-ca.key`, '-out', `${prefix}-ca.pem`]);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test server', '-keyout', `${prefix}-server.key`, '-out', `${prefix}-server.csr`]);
  writeFileSync(path.join(dir, `${prefix}-ext.cnf`), `subjectAltName=${names}\n`);
  openssl(dir, ['x509', '-req', '-in', `${prefix}-server.csr`, '-CA', `${prefix}-ca.pem`, '-CAkey', `${prefix}-ca.key`, '-CAcreateserial', '-days', '2', '-extfile', `${prefix}-ext.cnf`, '-out', `${prefix}-server.pem`]);
}
