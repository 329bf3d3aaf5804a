// How the PostgreSQL and MySQL/MariaDB datasources protect the password on the way to the server. Two rules:
//
// 1. SSL defaults by where the server is. A server on this computer (localhost, 127.0.0.0/8, ::1, a unix socket)
//    defaults to `disable`: the traffic never leaves the machine and local servers rarely have a certificate, so
//    local connections work as they always did. Any other host defaults to `verify-full`: encrypted, with the
//    certificate checked against the CA and the host name, so nobody on the way can read or impersonate. The user
//    relaxes it per connection by picking another SSL mode; an explicit choice (form or URL) always wins.
// 2. A password that can be read on the way (PostgreSQL's cleartext `password` method, MySQL's
//    mysql_clear_password, sha256_password and caching_sha2_password's full authentication, which send it as is
//    over TLS or encrypted to a server key nobody checked) is only sent to a local server, over verified TLS
//    (verify-ca, verify-full), or when the connection says "allowCleartextPassword". Otherwise the connection is
//    refused with an `auth` error that says why and how to relax it, before the password is sent.
import { isIP } from 'node:net';
import type { ConfigField, DatasourceConfig, DatasourceError } from '../../api';
import { datasourceError } from './errors';

/** libpq's names, which Nocoflo uses for every server datasource. */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/**
 * Whether `host` is this computer: a unix socket path, "localhost", or a loopback address (127.0.0.0/8, ::1, and
 * IPv4-mapped ::ffff:127.x). Decided from the text alone, never by a DNS lookup: a name that happens to resolve to
 * a loopback address today is still a name someone else can answer for.
 */
export function isLocalHost(host: string): boolean {
  const h = host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h.startsWith('/')) return true;
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) {
    // The URL parser writes every spelling of an IPv6 address the same way (::1, ::ffff:7f00:1 for ::ffff:127.0.0.1).
    const canonical = new URL(`http://[${h.replace(/%.*$/, '')}]/`).hostname;
    return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
  }
  return false;
}

/** The SSL mode a connection gets when none is chosen. */
export function defaultSslMode(host: string): SslMode {
  return isLocalHost(host) ? 'disable' : 'verify-full';
}

export const isVerifiedTls = (mode: SslMode): boolean => mode === 'verify-ca' || mode === 'verify-full';

/** The `sslMode` config field, validated; absent or blank means the default for `host`. */
export function readSslMode(config: DatasourceConfig, host: string): SslMode {
  const value = config.sslMode;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return defaultSslMode(host);
  const mode = typeof value === 'string' ? value.trim() : value;
  if (!(SSL_MODES as readonly unknown[]).includes(mode)) throw datasourceError('invalid_value', `sslMode must be one of ${SSL_MODES.join(', ')}.`);
  return mode as SslMode;
}

/** The `allowCleartextPassword` config field: only `true` (a ticked checkbox, or "true" from a URL) allows. */
export function readAllowCleartext(config: DatasourceConfig): boolean {
  return config.allowCleartextPassword === true || config.allowCleartextPassword === 'true';
}

/** Whether a password that can be read on the way may be sent to this server. */
export function mayRevealPassword(settings: { host: string; sslMode: SslMode; allowCleartextPassword: boolean }): boolean {
  return settings.allowCleartextPassword || isVerifiedTls(settings.sslMode) || isLocalHost(settings.host);
}

/**
 * What a secret's target says about the way to it. A password saved for a verified connection to a remote server
 * must not silently follow a settings change (a shared settings file, say) that sends it without verified TLS, or
 * lets it travel readably: such a change makes another target, and the password is asked again, naming it.
 * Local servers (nothing leaves the computer) add nothing.
 */
export function transportNote(settings: { host: string; sslMode: SslMode; allowCleartextPassword: boolean }): string {
  if (isLocalHost(settings.host) || isVerifiedTls(settings.sslMode)) return '';
  const tls = settings.sslMode === 'disable' ? 'without TLS' : 'TLS not verified';
  return settings.allowCleartextPassword ? ` (${tls}, password may travel readably)` : ` (${tls})`;
}

/** The `auth` error for a server that asked for the password in a readable form over an unverified connection. */
export function cleartextRefused(product: string, how: string, sslMode: SslMode): DatasourceError {
  const transport = sslMode === 'disable' ? 'this connection is not encrypted' : 'this connection does not verify the server\'s certificate (SSL "require")';
  return datasourceError(
    'auth',
    `The ${product} server asked for the password ${how}, and ${transport}: anyone on the way could read it or pose as the server, so Nocoflo did not send it. ` +
      'Set SSL to "verify-full" (or "verify-ca") with the server\'s CA certificate, or, if you trust the network to this server, tick "Allow sending the password readably" in the connection.',
  );
}

/** Said after a failed certificate check: a server on another host now gets verify-full unless the user picks less. */
export const CERTIFICATE_HINT =
  'SSL verify-full (the default for a server on another host) and verify-ca check the certificate: give the CA certificate that signed it in "SSL CA certificate", or, if you trust the network to this server, set SSL to "require" (or "disable") for this connection.';

/** The form fields both server datasources share: SSL mode, CA file and the cleartext opt-in. */
export function transportFields(caPlaceholder: string): ConfigField[] {
  return [
    {
      key: 'sslMode',
      label: 'SSL',
      type: 'enum',
      enum: [...SSL_MODES],
      // No fixed default: it depends on the host (see defaultSslMode), and "(default)" in the form says so.
      description:
        '(default): verify-full for a server on another host, disable for this computer (localhost, 127.x, ::1, a socket). ' +
        'disable: no encryption. require: encrypted, but the certificate is not checked, so anyone on the way can pose as the server. ' +
        'verify-ca: the certificate must be signed by the CA. verify-full: also issued for this host name (safest). ' +
        'If a server\'s certificate cannot be verified, pick require or disable here for this connection only.',
    },
    { key: 'sslCaFile', label: 'SSL CA certificate', type: 'file', placeholder: caPlaceholder, description: 'PEM file of the certificate authority (verify-ca, verify-full); empty: the system CAs. Relative paths resolve against the workspace folder.' },
    {
      key: 'allowCleartextPassword',
      label: 'Allow sending the password readably',
      type: 'boolean',
      default: false,
      description:
        'Some servers (PAM or LDAP logins, the "password" method) ask for the password as is. Nocoflo sends it that way only to this computer or over verified SSL (verify-ca, verify-full), unless this is ticked.',
    },
  ];
}
