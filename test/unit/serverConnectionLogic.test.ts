// The pure logic of the PostgreSQL and MySQL/MariaDB datasources that needs no server: connection URLs split into
// config and secrets (and refused without echoing a password), the connection form each declares, and the maps from
// driver and server errors (SQLSTATE, errno, Node codes) to the contract's codes. The integration suites
// (postgresConnection, mysqlConnection) check the same maps against what real servers send.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DatasourceError } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { fromMysqlError, serverErrno, withColumn } from '../../plugins/mysql/mysqlErrors';
import { createPostgresDatasource } from '../../plugins/postgres';
import { fromPgError, isConnectionError } from '../../plugins/postgres/pgErrors';

const pg = createPostgresDatasource();
const my = createMysqlDatasource();

/** An error shaped like pg's DatabaseError (what the server sent). */
function pgServerError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR', ...extra });
}

/** An error shaped like mysql2's for a server error. */
function mysqlServerError(errno: number, message: string): Error {
  return Object.assign(new Error(message), { errno, sqlState: 'HY000', sqlMessage: message, code: 'ER_X' });
}

/** An error shaped like a Node or mysql2 client error (no server involved). */
function clientError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const codeOf = (error: unknown) => (error as DatasourceError).code;

describe('PostgreSQL connection URLs and form', () => {
  it('parses postgres:// and postgresql:// URLs, keeping the password in secrets only', () => {
    const password = `p@ss:/?#${randomBytes(6).toString('hex')}`;
    const parsed = pg.parseUrl!(`postgres://alice:${encodeURIComponent(password)}@db.example.com:6543/sales%20db?sslmode=verify-full&application_name=reports&connect_timeout=7&sslrootcert=/etc/ca.pem`);
    assert.deepEqual(parsed, {
      config: { host: 'db.example.com', port: 6543, database: 'sales db', user: 'alice', sslMode: 'verify-full', sslCaFile: '/etc/ca.pem', applicationName: 'reports', connectTimeoutSeconds: 7 },
      secrets: { password },
    });
    assert.deepEqual(pg.parseUrl!('postgresql://[::1]/app'), { config: { host: '::1', database: 'app' }, secrets: {} });
    assert.deepEqual(pg.parseUrl!('postgresql:///app?host=/var/run/postgresql&user=bob'), { config: { host: '/var/run/postgresql', database: 'app', user: 'bob' }, secrets: {} });
  });

  it('refuses other schemes, bad sslmodes and bad ports without showing the password', () => {
    const password = `p@ss:/?#${randomBytes(6).toString('hex')}`;
    const hidden = (e: Error) => !e.message.includes(password) && !e.message.includes(encodeURIComponent(password));
    assert.throws(() => pg.parseUrl!('mysql://root@localhost/db'), /postgres:\/\/ or postgresql:\/\//);
    assert.throws(() => pg.parseUrl!(`postgres://alice:${encodeURIComponent(password)}@h/db?sslmode=bogus`), (e: Error) => hidden(e) && /sslmode "bogus"/.test(e.message));
    assert.throws(() => pg.parseUrl!(`postgres://alice:${encodeURIComponent(password)}@h:99999/db`), (e: Error) => hidden(e) && /cannot be parsed/.test(e.message));
  });

  it('declares its schemes and form: the password a secret field, SSL modes an enum, the CA a file', () => {
    assert.deepEqual(pg.schemes, ['postgres', 'postgresql']);
    const fields = Object.fromEntries(pg.configFields.map((f) => [f.key, f]));
    assert.deepEqual(Object.keys(fields), ['host', 'port', 'database', 'user', 'password', 'sslMode', 'sslCaFile', 'allowCleartextPassword', 'applicationName', 'connectTimeoutSeconds', 'statementTimeoutSeconds']);
    assert.equal(fields.password!.secret, true);
    assert.equal(fields.password!.type, 'password');
    assert.deepEqual(fields.sslMode!.enum, ['disable', 'require', 'verify-ca', 'verify-full']);
    assert.equal(fields.sslCaFile!.type, 'file');
  });
});

describe('MySQL/MariaDB connection URLs and form', () => {
  it('splits a URL into config and secrets, decoding user, database and password', () => {
    const password = `p@ss:w/rd%${randomBytes(4).toString('hex')}`;
    const parsed = my.parseUrl!(`mysql://app%20user:${encodeURIComponent(password)}@db.example.com:3307/shop%20db?ssl-mode=VERIFY_IDENTITY&ssl-ca=certs/ca.pem&connect_timeout=5`);
    assert.deepEqual(parsed.config, { host: 'db.example.com', port: 3307, user: 'app user', database: 'shop db', sslMode: 'verify-full', sslCaFile: 'certs/ca.pem', connectTimeoutSeconds: 5 });
    assert.deepEqual(parsed.secrets, { password });
    assert.deepEqual(my.parseUrl!('mariadb://root@[::1]/').config, { host: '::1', user: 'root' });
    assert.deepEqual(my.parseUrl!('mysql://u@localhost?socket=/run/mysqld/mysqld.sock&sslmode=require').config, { host: '/run/mysqld/mysqld.sock', user: 'u', sslMode: 'require' });
  });

  it('refuses what is not a MySQL URL without echoing it', () => {
    const secret = randomBytes(6).toString('hex');
    const refused = (message: RegExp) => (e: Error) => codeOf(e) === 'invalid_value' && message.test(e.message) && !e.message.includes(secret);
    assert.throws(() => my.parseUrl!(`postgres://u:${secret}@h/db`), refused(/mysql:\/\//));
    assert.throws(() => my.parseUrl!(`mysql://u:${secret}@h:99999/db`), refused(/port|cannot be parsed/));
  });

  it('declares its form: the password is a secret field, SSL modes an enum', () => {
    assert.equal(my.id, 'nocoflo.mysql');
    assert.deepEqual(my.schemes, ['mysql', 'mariadb']);
    const password = my.configFields.find((f) => f.key === 'password')!;
    assert.equal(password.secret, true);
    assert.equal(password.type, 'password');
    assert.deepEqual(my.configFields.find((f) => f.key === 'sslMode')!.enum, ['disable', 'require', 'verify-ca', 'verify-full']);
    assert.deepEqual(
      my.configFields.map((f) => f.key),
      ['host', 'port', 'database', 'user', 'password', 'sslMode', 'sslCaFile', 'allowCleartextPassword', 'connectTimeoutSeconds', 'queryTimeoutSeconds'],
    );
  });
});

describe('PostgreSQL errors mapped to the contract', () => {
  it('maps SQLSTATEs the server sends, by code and by class, keeping its message and detail', () => {
    const cases: [string, string][] = [
      ['28P01', 'auth'],
      ['3D000', 'not_found'],
      ['42501', 'permission'],
      ['42P01', 'not_found'],
      ['42703', 'not_found'],
      ['42883', 'unsupported'],
      ['0A000', 'unsupported'],
      ['P0001', 'constraint'],
      ['25006', 'read_only'],
      ['428C9', 'read_only'],
      ['53300', 'connection'],
      ['55P03', 'timeout'],
      ['40001', 'conflict'],
      ['40P01', 'conflict'],
      ['08006', 'connection'],
      ['57P01', 'connection'],
      ['57P03', 'connection'],
      ['53100', 'too_large'],
      ['54000', 'too_large'],
      ['23505', 'constraint'],
      ['22P02', 'invalid_value'],
    ];
    for (const [sqlstate, code] of cases) {
      const mapped = fromPgError(pgServerError(sqlstate, `server says ${sqlstate}`, { detail: 'More detail.' })) as DatasourceError;
      assert.equal(mapped.code, code, sqlstate);
      assert.match(mapped.message, new RegExp(`server says ${sqlstate}`), sqlstate);
    }
    assert.match((fromPgError(pgServerError('42501', 'permission denied for table t', { detail: 'Ask the owner.' })) as Error).message, /^permission denied for table t\. Ask the owner\.$/);
  });

  it('tells a cancel from a statement timeout (both are 57014)', () => {
    const canceled = pgServerError('57014', 'canceling statement due to statement timeout');
    assert.equal(codeOf(fromPgError(canceled)), 'timeout');
    assert.match((fromPgError(canceled) as Error).message, /statement timeout of this datasource/);
    assert.equal(codeOf(fromPgError(canceled, { cancelled: true })), 'cancelled');
  });

  it('says how to fix a server that refuses unencrypted connections, and names the column of a constraint', () => {
    const noSsl = fromPgError(pgServerError('28000', 'no pg_hba.conf entry for host "1.2.3.4", user "u", database "d", no encryption')) as Error;
    assert.equal(codeOf(noSsl), 'connection');
    assert.match(noSsl.message, /Set SSL to "require"/);
    assert.equal(codeOf(fromPgError(pgServerError('28000', 'role "u" is not permitted to log in'))), 'auth');
    const unique = fromPgError(pgServerError('23505', 'duplicate key value violates unique constraint "t_email_key"', { detail: 'Key (email)=(a@b.c) already exists.' })) as DatasourceError;
    assert.equal(unique.column, 'email');
    const composite = fromPgError(pgServerError('23505', 'duplicate key', { detail: 'Key (a, b)=(1, 2) already exists.' })) as DatasourceError;
    assert.equal(composite.column, undefined, 'a key of two columns names neither');
    const quoted = fromPgError(pgServerError('23503', 'violates foreign key', { detail: 'Key ("Parent ""Id""")=(7) is not present in table "p".' })) as DatasourceError;
    assert.equal(quoted.column, 'Parent "Id"');
  });

  it('names the column of an invalid value from the values a write bound', () => {
    const written = { qty: { declaredType: 'integer', value: 'abc' }, note: { declaredType: 'text', value: 'x' } };
    const mapped = fromPgError(pgServerError('22P02', 'invalid input syntax for type integer: "abc"'), { written }) as DatasourceError;
    assert.equal(mapped.code, 'invalid_value');
    assert.equal(mapped.column, 'qty');
  });

  it('maps client and network failures: SSL, timeouts, passwords, unreachable hosts, lost connections', () => {
    const cases: [Error, string, RegExp][] = [
      [new Error('The server does not support SSL connections'), 'connection', /Set SSL to "disable"/],
      [clientError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self signed certificate'), 'connection', /The SSL connection failed/],
      [new Error('Connection terminated due to connection timeout'), 'timeout', /timed out/],
      [new Error('timeout expired'), 'timeout', /timed out/],
      [new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature is missing'), 'auth', /Authentication failed/],
      [new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), 'auth', /none is stored/],
      [clientError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 'connection', /nothing is listening there/],
      [clientError('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere'), 'connection', /cannot be resolved/],
      [new Error('Connection terminated unexpectedly'), 'connection', /connection to the server was lost/],
    ];
    for (const [error, code, message] of cases) {
      const mapped = fromPgError(error) as Error;
      assert.equal(codeOf(mapped), code, error.message);
      assert.match(mapped.message, message, error.message);
    }
  });

  it('leaves errors only a bug can cause as they are, so they are reported as plugin failures', () => {
    const syntax = pgServerError('42601', 'syntax error at or near "SELEC"');
    assert.equal(fromPgError(syntax), syntax);
    const range = new RangeError('Invalid array length');
    assert.equal(fromPgError(range), range);
    assert.equal(fromPgError('not an error'), 'not an error');
  });

  it('tells which failures are a broken connection, worth one retry on a fresh one', () => {
    assert.equal(isConnectionError(pgServerError('08006', 'connection failure')), true);
    assert.equal(isConnectionError(pgServerError('57P01', 'terminating connection due to administrator command')), true);
    assert.equal(isConnectionError(clientError('ECONNRESET', 'read ECONNRESET')), true);
    assert.equal(isConnectionError(new Error('Client has encountered a connection error and is not queryable')), true);
    assert.equal(isConnectionError(pgServerError('23505', 'duplicate key')), false);
    assert.equal(isConnectionError(new Error('something else')), false);
    assert.equal(isConnectionError('a string'), false);
  });
});

describe('MySQL/MariaDB errors mapped to the contract', () => {
  const context = { where: '127.0.0.1:3306' };

  it('maps server error numbers, keeping the server message', () => {
    const cases: [number, string][] = [
      [1045, 'auth'],
      [1044, 'permission'],
      [1142, 'permission'],
      [1049, 'not_found'],
      [1146, 'not_found'],
      [1062, 'constraint'],
      [1451, 'constraint'],
      [1048, 'constraint'],
      [4025, 'constraint'],
      [1264, 'invalid_value'],
      [1406, 'invalid_value'],
      [4038, 'invalid_value'],
      [1906, 'read_only'],
      [1792, 'read_only'],
      [1969, 'timeout'],
      [3024, 'timeout'],
      [1205, 'timeout'],
      [1213, 'conflict'],
      [1317, 'cancelled'],
      [1040, 'connection'],
      [1927, 'connection'],
      [2013, 'connection'],
    ];
    for (const [errno, code] of cases) {
      const mapped = fromMysqlError(mysqlServerError(errno, `server says ${errno}`), context);
      assert.equal(codeOf(mapped), code, String(errno));
      assert.equal(mapped.message, `server says ${errno}`);
      assert.equal(serverErrno(mapped), errno);
    }
  });

  it("says a Galera node outside its cluster (1047) is not part of the cluster, as a connection error", () => {
    const mapped = fromMysqlError(mysqlServerError(1047, 'WSREP has not yet prepared node for application use'), context);
    assert.equal(codeOf(mapped), 'connection');
    assert.match(mapped.message, /Galera node at .* is not part of the cluster right now \(WSREP has not yet prepared node for application use\).*next action reconnects/);
    assert.equal(serverErrno(mapped), 1047);
  });

  it('maps client and network failures with where the server is, and says how to fix SSL', () => {
    const cases: [Error, string, RegExp][] = [
      [clientError('ETIMEDOUT', 'connect ETIMEDOUT'), 'timeout', /at 127\.0\.0\.1:3306 did not answer in time/],
      [clientError('PROTOCOL_SEQUENCE_TIMEOUT', 'Connection lost: handshake timeout'), 'timeout', /did not answer in time/],
      [clientError('HANDSHAKE_NO_SSL_SUPPORT', 'Server does not support secure connection'), 'connection', /does not support SSL\. Set SSL to "disable"/],
      [clientError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), 'connection', /The TLS connection to 127\.0\.0\.1:3306 failed/],
      [clientError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3306'), 'connection', /Cannot reach the MySQL server at 127\.0\.0\.1:3306/],
      [clientError('PROTOCOL_CONNECTION_LOST', 'Connection lost: The server closed the connection.'), 'connection', /Cannot reach/],
      [new Error("Can't add new command when connection is in closed state"), 'connection', /Cannot reach/],
    ];
    for (const [error, code, message] of cases) {
      const mapped = fromMysqlError(error, context);
      assert.equal(codeOf(mapped), code, error.message);
      assert.match(mapped.message, message, error.message);
    }
  });

  it('leaves unknown errors as they are (a plugin failure), and wraps what is not an Error', () => {
    const unknown = mysqlServerError(1064, 'You have an error in your SQL syntax');
    assert.equal(fromMysqlError(unknown, context), unknown);
    const wrapped = fromMysqlError('boom', context);
    assert.ok(wrapped instanceof Error);
    assert.equal(wrapped.message, 'boom');
    assert.equal(serverErrno(new Error('no errno')), undefined);
  });

  it('names the column a constraint or value error is about, from the server message and the table', () => {
    const table = { columns: ['id', 'email', 'parent_id', 'qty', 'odd`name'], keyColumns: (key: string) => (key === 'email_unique' ? ['email'] : key === 'pair' ? ['id', 'qty'] : undefined) };
    const column = (errno: number, message: string) => (withColumn(fromMysqlError(mysqlServerError(errno, message), context), table) as DatasourceError).column;
    assert.equal(column(1048, "Column 'email' cannot be null"), 'email');
    assert.equal(column(1366, "Incorrect integer value: 'abc' for column `db`.`t`.`qty` at row 1"), 'qty');
    assert.equal(column(1366, "Incorrect integer value: 'abc' for column `db`.`t`.`odd``name` at row 1"), 'odd`name');
    assert.equal(column(1452, 'Cannot add or update a child row: a foreign key constraint fails (`db`.`t`, CONSTRAINT `fk` FOREIGN KEY (`parent_id`) REFERENCES `p` (`id`))'), 'parent_id');
    assert.equal(column(1062, "Duplicate entry 'a@b.c' for key 'email_unique'"), 'email');
    assert.equal(column(1062, "Duplicate entry 'a@b.c' for key 't.email_unique'"), 'email', "MySQL 8's table.key");
    assert.equal(column(1062, "Duplicate entry '1-2' for key 'pair'"), undefined, 'a key of two columns names neither');
    assert.equal(column(4025, 'CONSTRAINT `t.qty` failed for `db`.`t`'), 'qty');
    assert.equal(column(1048, "Column 'not_in_table' cannot be null"), undefined, 'only columns of the table');
    // Other codes are left alone.
    const auth = fromMysqlError(mysqlServerError(1045, "Access denied for user 'u'"), context);
    assert.equal(withColumn(auth, table), auth);
    assert.equal((auth as DatasourceError).column, undefined);
  });
});
