// The pure decisions about protecting the password on the way to a server (plugins/kit/transportSecurity.ts and the
// two server datasources' settings, URLs and driver options): which hosts are this computer, the SSL default per
// host, when a readable password may be sent, and the mysql2 authentication plugins that refuse otherwise.
import * as assert from 'node:assert/strict';
import type { Connection } from 'mysql2';
import type { DatasourceContext, DatasourceError } from '../../api';
import { defaultSslMode, isLocalHost, mayRevealPassword, readSslMode } from '../../plugins/kit/transportSecurity';
import * as my from '../../plugins/mysql/connectionConfig';
import { authOptions, type AuthPluginFactory } from '../../plugins/mysql/passwordGuard';
import * as pgConfig from '../../plugins/postgres/connectionConfig';
import { createMysqlDatasource } from '../../plugins/mysql';
import { createPostgresDatasource } from '../../plugins/postgres';
import { defaultForm, formToConfig } from '../../shared/connectionForm';

const context: DatasourceContext = { workspaceFolders: [], log: () => undefined };

describe('transport security: which hosts are this computer', () => {
  it('counts localhost, 127.0.0.0/8, ::1 in any spelling, IPv4-mapped loopback and unix sockets as local', () => {
    for (const host of ['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '/var/run/postgresql', '/tmp/mysql.sock']) {
      assert.equal(isLocalHost(host), true, host);
      assert.equal(defaultSslMode(host), 'disable', host);
    }
  });

  it('counts every other host as remote, names that merely resolve to loopback included', () => {
    for (const host of ['db.example.com', '10.0.0.5', '128.0.0.1', '::2', '::ffff:10.0.0.1', 'fe80::1%eth0', 'localhost.example.com', 'mylocalhost', '0.0.0.0', 'relative/socket']) {
      assert.equal(isLocalHost(host), false, host);
      assert.equal(defaultSslMode(host), 'verify-full', host);
    }
  });

  it('lets an explicit SSL mode win over the host default, and refuses unknown ones', () => {
    assert.equal(readSslMode({}, 'db.example.com'), 'verify-full');
    assert.equal(readSslMode({ sslMode: '' }, 'db.example.com'), 'verify-full');
    assert.equal(readSslMode({ sslMode: 'disable' }, 'db.example.com'), 'disable');
    assert.equal(readSslMode({ sslMode: 'require' }, 'localhost'), 'require');
    assert.throws(() => readSslMode({ sslMode: 'prefer' }, 'h'), (e: DatasourceError) => e.code === 'invalid_value' && /sslMode must be one of/.test(e.message));
  });

  it('reveals a password only to this computer, over verified TLS, or when the connection allows it', () => {
    const remote = { host: 'db.example.com', allowCleartextPassword: false };
    assert.equal(mayRevealPassword({ ...remote, sslMode: 'disable' }), false);
    assert.equal(mayRevealPassword({ ...remote, sslMode: 'require' }), false);
    assert.equal(mayRevealPassword({ ...remote, sslMode: 'verify-ca' }), true);
    assert.equal(mayRevealPassword({ ...remote, sslMode: 'verify-full' }), true);
    assert.equal(mayRevealPassword({ ...remote, sslMode: 'require', allowCleartextPassword: true }), true);
    assert.equal(mayRevealPassword({ host: '127.0.0.1', sslMode: 'disable', allowCleartextPassword: false }), true);
  });
});

describe('transport security: the server datasources', () => {
  for (const [name, plugin] of [
    ['PostgreSQL', pgConfig],
    ['MySQL', my],
  ] as const) {
    it(`${name}: the form leaves SSL to the host default, says so, and stores no SSL choice unless one is made`, () => {
      const ssl = plugin.configFields.find((f) => f.key === 'sslMode')!;
      assert.equal(ssl.default, undefined);
      assert.equal(ssl.required, undefined, 'an optional enum shows "(default)"');
      assert.match(ssl.description!, /verify-full for a server on another host, disable for this computer/);
      const allow = plugin.configFields.find((f) => f.key === 'allowCleartextPassword')!;
      assert.equal(allow.type, 'boolean');
      assert.equal(allow.default, false);
      const typed = { ...defaultForm(plugin.configFields), host: 'db.example.com', database: 'app', user: 'u' };
      const result = formToConfig(plugin.configFields, { values: typed, secrets: {} });
      assert.ok(result.ok);
      assert.equal(result.config.sslMode, undefined);
      const settings = plugin.readSettings(result.config);
      assert.equal(settings.sslMode, 'verify-full');
      assert.equal(settings.allowCleartextPassword, false);
      assert.equal(plugin.readSettings({ ...result.config, host: 'localhost' }).sslMode, 'disable');
      assert.equal(plugin.readSettings({ ...result.config, sslMode: 'require', allowCleartextPassword: true }).allowCleartextPassword, true);
    });
  }

  it('PostgreSQL: a remote host gets verified TLS in the pg options; a local one none', () => {
    const remote = pgConfig.clientConfig(pgConfig.readSettings({ host: 'db.example.com', database: 'd', user: 'u' }), {}, context);
    assert.deepEqual(remote.ssl, { rejectUnauthorized: true });
    const local = pgConfig.clientConfig(pgConfig.readSettings({ host: '127.0.0.1', database: 'd', user: 'u' }), {}, context);
    assert.equal(local.ssl, false);
  });

  it('PostgreSQL URLs: sslmode prefer/allow and no sslmode leave the host default; others are kept', () => {
    for (const mode of ['prefer', 'allow']) {
      assert.equal(pgConfig.parseUrl(`postgres://u@db.example.com/d?sslmode=${mode}`).config.sslMode, undefined);
    }
    assert.equal(pgConfig.parseUrl('postgres://u@db.example.com/d').config.sslMode, undefined);
    assert.equal(pgConfig.parseUrl('postgres://u@db.example.com/d?sslmode=disable').config.sslMode, 'disable');
    assert.equal(pgConfig.parseUrl('postgres://u@db.example.com/d?sslmode=verify-ca').config.sslMode, 'verify-ca');
    assert.throws(() => pgConfig.parseUrl('postgres://u@h/d?sslmode=sometimes'), /sslmode "sometimes"/);
  });

  it('MySQL URLs: ssl-mode PREFERRED and none leave the host default; MySQL and libpq spellings map; others refused', () => {
    assert.equal(my.parseUrl('mysql://u@db.example.com/d?ssl-mode=PREFERRED').config.sslMode, undefined);
    assert.equal(my.parseUrl('mysql://u@db.example.com/d').config.sslMode, undefined);
    assert.equal(my.parseUrl('mysql://u@db.example.com/d?ssl-mode=DISABLED').config.sslMode, 'disable');
    assert.equal(my.parseUrl('mysql://u@db.example.com/d?ssl-mode=VERIFY_IDENTITY').config.sslMode, 'verify-full');
    assert.equal(my.parseUrl('mysql://u@db.example.com/d?sslmode=verify-ca').config.sslMode, 'verify-ca');
    for (const bogus of ['sometimes', 'constructor', 'toString']) assert.throws(() => my.parseUrl(`mysql://u@h/d?ssl-mode=${bogus}`), new RegExp(`ssl-mode "${bogus}"`));
  });

  it('MySQL: a remote IP address under the default verify-full says every way out', () => {
    const settings = my.readSettings({ host: '10.0.0.5', user: 'u' });
    assert.throws(
      () => my.connectionOptions(settings, {}, context, () => () => null),
      (e: DatasourceError) => e.code === 'invalid_value' && /default for a server on another host.*IP address 10\.0\.0\.5.*host name.*verify-ca.*require or disable/.test(e.message),
    );
  });
});

describe('transport security: mysql2 authentication plugins', () => {
  const refusal = (how: string) => Object.assign(new Error(`refused ${how}`), { code: 'auth' });
  const meta = { connection: {} as Connection, command: 'handshake' };
  /** A stand-in for mysql2's caching_sha2_password that records what it was given. */
  const seen: Buffer[] = [];
  const cachingSha2: AuthPluginFactory = () => (data) => {
    seen.push(data);
    return Buffer.from('token');
  };

  it('use mysql2 own plugins (cleartext enabled) where the password may be revealed', () => {
    assert.deepEqual(authOptions(true, refusal, cachingSha2), { enableCleartextPlugin: true });
  });

  it('refuse mysql_clear_password and sha256_password before answering, elsewhere', () => {
    const options = authOptions(false, refusal, cachingSha2);
    assert.ok('authPlugins' in options);
    assert.throws(() => options.authPlugins.mysql_clear_password(meta)(Buffer.alloc(0)), /refused in clear text \(mysql_clear_password\)/);
    assert.throws(() => options.authPlugins.sha256_password(meta)(Buffer.alloc(20)), /refused with sha256_password/);
  });

  it("let caching_sha2_password's scramble and fast path through, and refuse its full authentication", () => {
    const options = authOptions(false, refusal, cachingSha2);
    assert.ok('authPlugins' in options);
    seen.length = 0;
    const answer = options.authPlugins.caching_sha2_password(meta);
    const scramble = Buffer.alloc(20, 4);
    assert.deepEqual(answer(scramble), Buffer.from('token'));
    assert.deepEqual(answer(Buffer.from([3])), Buffer.from('token'), 'fast auth success goes to the plugin');
    assert.throws(() => answer(Buffer.from([4])), /full authentication/);
    assert.deepEqual(seen, [scramble, Buffer.from([3])], 'the full-authentication request never reached the plugin');
    // A scramble that happens to be a single 0x04 byte is still the first call, not a request for the password.
    const fresh = options.authPlugins.caching_sha2_password(meta);
    assert.deepEqual(fresh(Buffer.from([4])), Buffer.from('token'));
  });
});

describe('transport security: a secret is bound to the way it travels', () => {
  for (const [name, plugin] of [['PostgreSQL', createPostgresDatasource()], ['MySQL', createMysqlDatasource()]] as const) {
    const target = (config: Record<string, string | number | boolean>) => plugin.secretTarget!({ user: 'app', database: 'shop', ...config });

    it(`${name}: relaxing TLS to a remote server is another target, so a saved password is asked again`, () => {
      const verified = target({ host: 'db.example.com' });
      assert.equal(target({ host: 'db.example.com', sslMode: 'verify-ca' }), verified);
      assert.notEqual(target({ host: 'db.example.com', sslMode: 'require' }), verified);
      assert.match(target({ host: 'db.example.com', sslMode: 'disable' }), /\(without TLS\)$/);
      assert.match(target({ host: 'db.example.com', sslMode: 'require', allowCleartextPassword: true }), /\(TLS not verified, password may travel readably\)$/);
    });

    it(`${name}: a local server's target does not depend on TLS`, () => {
      assert.equal(target({ host: '127.0.0.1', sslMode: 'disable' }), target({ host: '127.0.0.1', sslMode: 'verify-full' }));
    });
  }
});
