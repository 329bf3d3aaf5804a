// Pure decisions for PostgreSQL deployment shapes (plugins/postgres/replica.ts, connectionConfig.ts): what the tree
// says about a standby and its lag, the schema a standby serves, and the settings every operation makes for itself
// rather than at startup (a pooler in transaction mode refuses startup options and moves sessions between server
// connections). The real standby and PgBouncer: test/integration/postgresReplica.test.ts, postgresPgBouncer.test.ts.
import * as assert from 'node:assert/strict';
import type { TableSchema } from '../../api';
import { clientConfig, readSettings, transactionSettings } from '../../plugins/postgres/connectionConfig';
import { replicaSchema, replicaStatus, replicaWriteRefused } from '../../plugins/postgres/replica';

const context = { workspaceFolders: [], log: () => undefined };

describe('PostgreSQL read replicas: status and schema', () => {
  it('says nothing about a primary', () => {
    assert.equal(replicaStatus([false, null, true, null]), undefined);
    assert.equal(replicaStatus(undefined), undefined);
  });

  it('names a standby that has replayed nothing yet, without a lag', () => {
    const status = replicaStatus([true, null, true, null]);
    assert.equal(status?.label, 'read replica');
    assert.match(status?.detail ?? '', /no replication lag/);
  });

  it('tells lag from an idle primary: behind only while received WAL waits to be replayed', () => {
    assert.match(replicaStatus([true, 2.25, false, '2026-12-05 18:00:00+00'])?.detail ?? '', /Replication lag: 2\.3 s/);
    assert.match(replicaStatus([true, 400, false, 't'])?.detail ?? '', /Replication lag: 7 min/);
    assert.match(replicaStatus([true, 9000, false, 't'])?.detail ?? '', /Replication lag: 3 h/);
    const idle = replicaStatus([true, 400, true, 't']);
    assert.equal(idle?.label, 'read replica', 'a stable label, so the tree is not redrawn for every new lag');
    assert.match(idle?.detail ?? '', /replayed all it received; the last transaction it replayed committed 7 min ago/);
    // Clock skew between the servers can make the difference negative.
    assert.match(replicaStatus([true, -0.4, false, 't'])?.detail ?? '', /Replication lag: 0\.0 s/);
  });

  it('opens every table read-only with the reason, keeping the rest of the schema', () => {
    const schema: TableSchema = { table: { schema: 'public', name: 't' }, kind: 'table', columns: [], primaryKey: ['id'], uniqueKeys: [], foreignKeys: [], rowKey: { columns: ['id'] } };
    const onStandby = replicaSchema(schema);
    assert.match(onStandby.readOnlyReason ?? '', /read replica: the server is in recovery/i);
    assert.deepEqual({ ...onStandby, readOnlyReason: undefined }, { ...schema, readOnlyReason: undefined });
    assert.equal(schema.readOnlyReason, undefined, 'the cached schema is not changed');
  });

  it('a write the standby refused is read_only, with the server words kept', () => {
    const error = replicaWriteRefused(new Error('cannot execute UPDATE in a read-only transaction')) as Error & { code: string };
    assert.equal(error.code, 'read_only');
    assert.match(error.message, /^Read replica: the server is in recovery, so it refuses writes: cannot execute UPDATE/);
  });
});

describe('PostgreSQL session settings per transaction', () => {
  it('sends no startup options or statement_timeout (PgBouncer refuses them), and SETs them LOCAL instead', () => {
    const settings = readSettings({ host: '127.0.0.1', database: 'd', user: 'u', statementTimeoutSeconds: 2.5 });
    const config = clientConfig(settings, {}, context) as Record<string, unknown>;
    assert.equal(config.options, undefined);
    assert.equal(config.statement_timeout, undefined);
    assert.deepEqual(transactionSettings(settings), [
      ['DateStyle', 'ISO'],
      ['bytea_output', 'hex'],
      ['extra_float_digits', '3'],
      ['IntervalStyle', 'postgres'],
      ['statement_timeout', '2500'],
    ]);
    assert.equal(transactionSettings(readSettings({ database: 'd', user: 'u' })).length, 4, 'no timeout: the server default');
  });
});
