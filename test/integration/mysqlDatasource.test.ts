// One file (504 lines): one MariaDB server and its fixture tables serve every check below.
// The MySQL/MariaDB datasource against a real MariaDB server: the tree, schema reading, exact values of every
// type, filters and search, writes with conflict checks, error codes, transactions (InnoDB all-or-nothing, MyISAM's
// clear message), read-only tables and columns, and hostile identifiers.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { CellValue, DatasourceContext, DatasourceError, DatasourceSession, Filter, RowValues, TableRef } from '../../api';
import { createMysqlDatasource } from '../../plugins/mysql';
import { startMariadb, type MariadbServer } from '../support/servers/mariadbServer';

const plugin = createMysqlDatasource();
const logs: string[] = [];
const context: DatasourceContext = { workspaceFolders: [], log: (level, message) => logs.push(`${level}: ${message}`) };

function failsWith(code: string, message?: RegExp, column?: string) {
  return (error: unknown) => {
    const e = error as DatasourceError;
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    if (column !== undefined) assert.equal(e.column, column, `column of: ${e.message}`);
    return true;
  };
}

const SETUP = [
  "CREATE TABLE parent (a INT NOT NULL, b VARCHAR(20) NOT NULL, label VARCHAR(50) NULL COMMENT 'what it is', PRIMARY KEY (a, b)) ENGINE=InnoDB COMMENT='the parents'",
  `CREATE TABLE child (
     id INT AUTO_INCREMENT PRIMARY KEY,
     pa INT NULL, pb VARCHAR(20) NULL,
     status ENUM('new','done','it''s','back\\\\slash') NOT NULL DEFAULT 'new',
     tags SET('red','green','blue') NULL,
     total DECIMAL(10,2) NULL,
     doubled DECIMAL(12,2) AS (total * 2) VIRTUAL,
     tripled DECIMAL(12,2) AS (total * 3) STORED,
     note VARCHAR(12) NULL,
     amount INT NULL,
     created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
     UNIQUE KEY uniq_note (note),
     CONSTRAINT amount_positive CHECK (amount >= 0),
     CONSTRAINT child_parent FOREIGN KEY (pa, pb) REFERENCES parent (a, b)
   ) ENGINE=InnoDB`,
  'CREATE TABLE loose (note VARCHAR(10), n INT) ENGINE=InnoDB',
  'CREATE TABLE natural_key (code VARCHAR(10) NOT NULL, maybe INT NULL, v TEXT, UNIQUE KEY by_maybe (maybe), UNIQUE KEY by_code (code)) ENGINE=InnoDB',
  'CREATE VIEW child_view AS SELECT id, status FROM child',
  'CREATE TABLE legacy (id INT PRIMARY KEY, v VARCHAR(10) NOT NULL) ENGINE=MyISAM',
  'CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(40) NULL, age INT NULL, score DECIMAL(5,2) NULL, mood ENUM(\'sad\',\'glad\') NULL)',
  "INSERT INTO people VALUES (1, 'Alice', 30, 1.50, 'glad'), (2, 'bob', NULL, 2.00, 'sad'), (3, 'Carol_%', 25, NULL, NULL), (4, NULL, 40, 3.25, 'glad'), (5, 'ALICIA', 30, 1.50, 'sad')",
  `CREATE TABLE vals (
     id INT PRIMARY KEY,
     flag TINYINT(1) NULL, tiny TINYINT NULL, small SMALLINT UNSIGNED NULL, medium MEDIUMINT NULL, i INT NULL,
     big BIGINT NULL, ubig BIGINT UNSIGNED NULL, dec38 DECIMAL(38,10) NULL, f FLOAT NULL, d DOUBLE NULL,
     da DATE NULL, dt DATETIME(6) NULL, dt0 DATETIME NULL, ts TIMESTAMP(3) NULL, t TIME(1) NULL, y YEAR NULL,
     e ENUM('a','b c','it''s') NULL, s SET('p','q','r') NULL, j JSON NULL,
     txt TEXT NULL, vc VARCHAR(20) NULL, bl BLOB NULL, bin BINARY(4) NULL, vb VARBINARY(10) NULL,
     b10 BIT(10) NULL, b64 BIT(64) NULL
   ) ENGINE=InnoDB`,
  "CREATE TABLE `we``ird \"ta' ble` (`col ``q``` VARCHAR(40) PRIMARY KEY, `ünï ¢ode` INT, `select` VARCHAR(40)) ENGINE=InnoDB",
  "INSERT INTO `we``ird \"ta' ble` VALUES ('it''s `quoted`', 7, 'drop table vals; --'), ('other', 8, 'x')",
  'CREATE DATABASE `nocoflo_we``ird db` CHARACTER SET utf8mb4',
  'CREATE TABLE `nocoflo_we``ird db`.`t 1` (id INT PRIMARY KEY, v VARCHAR(10))',
  "INSERT INTO `nocoflo_we``ird db`.`t 1` VALUES (1, 'x')",
];

describe('MySQL/MariaDB datasource (real MariaDB server)', function () {
  this.timeout(60_000);
  let server: MariadbServer;
  let session: DatasourceSession;
  const t = (name: string): TableRef => ({ schema: server.database, name });

  before(async () => {
    server = await startMariadb();
    for (const statement of SETUP) await server.admin(statement);
    session = await plugin.connect({ host: server.host, port: server.port, user: server.user, database: server.database }, { password: server.password }, context);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
    for (const line of logs) assert.ok(!line.includes(server.password), `a log line holds the password: ${line}`);
  });

  describe('tree and schema', () => {
    it('lists databases (not the system ones) with their tables and views, with estimated row counts', async () => {
      const tables = await session.listTables();
      assert.deepEqual(
        tables.map((x) => `${x.ref.schema}.${x.ref.name}:${x.kind}`),
        [
          'nocoflo_test.child:table',
          'nocoflo_test.child_view:view',
          'nocoflo_test.legacy:table',
          'nocoflo_test.loose:table',
          'nocoflo_test.natural_key:table',
          'nocoflo_test.parent:table',
          'nocoflo_test.people:table',
          'nocoflo_test.vals:table',
          'nocoflo_test.we`ird "ta\' ble:table',
          'nocoflo_we`ird db.t 1:table',
        ],
      );
      assert.equal(session.capabilities.schemas, true);
      const people = tables.find((x) => x.ref.name === 'people')!;
      assert.equal(people.rowCount?.exact, false, 'InnoDB counts are statistics');
      const legacy = tables.find((x) => x.ref.name === 'legacy')!;
      assert.deepEqual(legacy.rowCount, { count: 0, exact: true }, 'MyISAM knows its count');
      assert.equal(tables.find((x) => x.ref.name === 'parent')!.comment, 'the parents');
      assert.equal(tables.find((x) => x.ref.name === 'child_view')!.rowCount, undefined);
    });

    it('reads columns, kinds, defaults, keys, foreign keys, enums, sets, generated and auto-increment columns', async () => {
      const parent = await session.getSchema(t('parent'));
      assert.deepEqual(parent.table, { schema: 'nocoflo_test', name: 'parent' });
      assert.deepEqual(parent.primaryKey, ['a', 'b']);
      assert.deepEqual(parent.rowKey, { columns: ['a', 'b'] });
      assert.equal(parent.comment, 'the parents');
      assert.deepEqual(parent.columns.find((c) => c.name === 'b'), { name: 'b', declaredType: 'varchar(20)', kind: 'text', nullable: false, primaryKeyPosition: 2, maxLength: 20 });
      assert.equal(parent.columns.find((c) => c.name === 'label')!.comment, 'what it is');

      const child = await session.getSchema(t('child'));
      assert.deepEqual(child.foreignKeys, [{ columns: ['pa', 'pb'], references: { schema: 'nocoflo_test', name: 'parent' }, referencedColumns: ['a', 'b'] }]);
      assert.deepEqual(child.uniqueKeys, [['note']]);
      const column = (name: string) => child.columns.find((c) => c.name === name)!;
      assert.deepEqual(column('id'), { name: 'id', declaredType: 'int(11)', kind: 'integer', nullable: false, primaryKeyPosition: 1, autoIncrement: true });
      assert.equal(column('status').kind, 'enum');
      assert.deepEqual(column('status').enumValues, ['new', 'done', "it's", 'back\\slash']);
      assert.equal(column('status').defaultValue, "'new'");
      assert.equal(column('tags').kind, 'set');
      assert.deepEqual(column('tags').enumValues, ['red', 'green', 'blue']);
      assert.deepEqual([column('total').kind, column('total').precision, column('total').scale], ['decimal', 10, 2]);
      for (const name of ['doubled', 'tripled']) {
        assert.equal(column(name).generated, true, name);
        assert.equal(column(name).readOnly, true, name);
      }
      assert.equal(column('created').kind, 'datetime');
      assert.match(column('created').defaultValue ?? '', /current_timestamp/i);
      assert.equal(column('pa').defaultValue, 'NULL');
    });

    it('maps every type to its kind, and detects MariaDB JSON (LONGTEXT with json_valid)', async () => {
      const vals = await session.getSchema(t('vals'));
      const kinds = Object.fromEntries(vals.columns.map((c) => [c.name, c.kind]));
      assert.deepEqual(kinds, {
        id: 'integer', flag: 'boolean', tiny: 'integer', small: 'integer', medium: 'integer', i: 'integer', big: 'integer', ubig: 'integer', dec38: 'decimal',
        f: 'float', d: 'float', da: 'date', dt: 'datetime', dt0: 'datetime', ts: 'datetime', t: 'time', y: 'integer', e: 'enum', s: 'set', j: 'json',
        txt: 'text', vc: 'text', bl: 'blob', bin: 'blob', vb: 'blob', b10: 'integer', b64: 'integer',
      });
      assert.equal(vals.columns.find((c) => c.name === 'j')!.declaredType, 'longtext');
      assert.equal(vals.columns.find((c) => c.name === 'ubig')!.declaredType, 'bigint(20) unsigned');
      assert.deepEqual(vals.columns.find((c) => c.name === 'e')!.enumValues, ['a', 'b c', "it's"]);
    });

    it('keys a table without primary key by a unique key over NOT NULL columns', async () => {
      const natural = await session.getSchema(t('natural_key'));
      assert.deepEqual(natural.primaryKey, []);
      assert.deepEqual(natural.rowKey, { columns: ['code'] });
      assert.equal(natural.readOnlyReason, undefined);
    });

    it('opens a table without any key read-only with the reason, still paging it by offset', async () => {
      await server.admin("INSERT INTO loose VALUES ('same', 1), ('same', 1), ('other', 2)");
      const loose = await session.getSchema(t('loose'));
      assert.equal(loose.rowKey, undefined);
      assert.match(loose.readOnlyReason ?? '', /no primary key.*read-only/);
      const first = await session.readRows(t('loose'), { limit: 2 });
      assert.equal(first.rows.length, 2);
      assert.deepEqual(first.keys, [null, null]);
      const rest = await session.readRows(t('loose'), { limit: 2, after: first.next! });
      assert.equal(rest.rows.length, 1);
      assert.equal(rest.next, undefined);
      await assert.rejects(session.updateRow(t('loose'), { note: 'same' }, { n: 3 }, { n: 1 }), failsWith('read_only', /no primary key/));
      await assert.rejects(session.insertRow(t('loose'), { note: 'new' }), failsWith('read_only', /no primary key/));
    });

    it('opens views read-only with the reason', async () => {
      const view = await session.getSchema(t('child_view'));
      assert.equal(view.kind, 'view');
      assert.equal(view.rowKey, undefined);
      assert.match(view.readOnlyReason ?? '', /view/);
    });

    it('says which table is missing', async () => {
      await assert.rejects(session.getSchema(t('nope')), failsWith('not_found', /nocoflo_test\.nope/));
      await assert.rejects(session.readRows(t('nope'), { limit: 1 }), failsWith('not_found'));
    });
  });

  describe('values', () => {
    const table = () => t('vals');
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    const full: RowValues = {
      id: 1,
      flag: true,
      tiny: -128,
      small: 65535,
      medium: -8388608,
      i: 2147483647,
      big: 9007199254740993n,
      ubig: 18446744073709551615n,
      dec38: '1234567890123456789012345678.0000000001',
      f: 0.5,
      d: 0.1,
      da: '2024-02-29',
      dt: '2024-02-29 23:59:59.123456',
      dt0: '2024-01-01 00:00:00',
      ts: '2024-06-01 12:00:00.500',
      t: '-838:59:59.0',
      y: 2024,
      e: "it's",
      s: 'p,r',
      j: '{"a": [1, 2], "é": "😀"}',
      txt: 'emoji 😀, clef 𝄞, ünïcode',
      vc: '',
      bl: bytes,
      bin: new Uint8Array([1, 2, 3, 4]),
      vb: new Uint8Array(),
      b10: 1023,
      b64: 18446744073709551615n,
    };
    const sparse: RowValues = { id: 2, flag: false, big: -9223372036854775808n, dt: '2024-01-01 00:00:00.000000', t: '100:00:00.5', b64: 0n, f: -3.4028234663852886e38 };
    let originalTz: string | undefined;

    before(() => {
      // Values must not move with the client's time zone.
      originalTz = process.env.TZ;
      process.env.TZ = 'Asia/Kolkata';
    });
    after(() => {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    });

    const rowOf = (page: { columns: string[]; rows: CellValue[][] }, index: number): RowValues => Object.fromEntries(page.columns.map((c, i) => [c, page.rows[index][i]]));

    it('round-trips every type exactly: bigints beyond 2^53, unsigned max, DECIMAL(38,10), DATETIME(6), TIME, BIT, SET, ENUM, JSON, bytes, emoji', async () => {
      const inserted = await session.insertRow(table(), full);
      assert.deepEqual(inserted.key, { id: 1 });
      assert.deepEqual(inserted.row, full);
      await session.insertRow(table(), sparse);
      const page = await session.readRows(table(), { limit: 10, sort: [{ column: 'id', direction: 'asc' }] });
      assert.deepEqual(rowOf(page, 0), full);
      const second = rowOf(page, 1);
      for (const [name, value] of Object.entries(second)) assert.deepEqual(value, name in sparse ? sparse[name] : null, name);
      assert.equal(typeof second.big, 'bigint');
      // TIMESTAMP is read and written in UTC (the session's time_zone), whatever the client's or server's zone.
      const [{ epoch }] = await server.admin<{ epoch: string }[]>('SELECT UNIX_TIMESTAMP(ts) AS epoch FROM vals WHERE id = 1');
      assert.equal(Number(epoch), Date.UTC(2024, 5, 1, 12, 0, 0, 500) / 1000);
    });

    it('shows zero dates as the server stores them', async () => {
      await server.admin("INSERT INTO vals (id, da, dt, dt0) VALUES (3, '0000-00-00', '0000-00-00 00:00:00', '2024-00-00 00:00:00')");
      const page = await session.readRows(table(), { limit: 1, filters: [{ column: 'id', op: 'eq', value: 3 }] });
      const row = rowOf(page, 0);
      assert.deepEqual([row.da, row.dt, row.dt0], ['0000-00-00', '0000-00-00 00:00:00.000000', '2024-00-00 00:00:00']);
      // …and the zero date works as an expected value.
      await session.updateRow(table(), { id: 3 }, { vc: 'zero' }, { da: '0000-00-00', dt: '0000-00-00 00:00:00.000000' });
    });

    it('checks expected values of every type exactly (what was read matches what is stored)', async () => {
      const { id, ...expected } = full;
      const { row } = await session.updateRow(table(), { id }, { vc: 'changed' }, expected);
      assert.equal(row?.vc, 'changed');
      const { id: id2, ...expected2 } = rowOf(await session.readRows(table(), { limit: 1, filters: [{ column: 'id', op: 'eq', value: 2 }] }), 0);
      await session.updateRow(table(), { id: id2 }, { vc: 'changed too' }, expected2);
      // A bigint one off is a different value.
      await assert.rejects(session.updateRow(table(), { id: 1 }, { vc: 'x' }, { big: 9007199254740992n }), failsWith('conflict'));
      await assert.rejects(session.updateRow(table(), { id: 1 }, { vc: 'x' }, { dec38: '1234567890123456789012345678.0000000002' }), failsWith('conflict'));
    });

    it('filters exactly on bigints and decimals beyond double precision', async () => {
      const ids = async (filters: Filter[]) => (await session.readRows(table(), { limit: 10, filters, sort: [{ column: 'id', direction: 'asc' }] })).rows.map((r) => r[0]);
      assert.deepEqual(await ids([{ column: 'big', op: 'eq', value: 9007199254740993n }]), [1]);
      assert.deepEqual(await ids([{ column: 'big', op: 'eq', value: 9007199254740992n }]), []);
      assert.deepEqual(await ids([{ column: 'ubig', op: 'eq', value: 18446744073709551615n }]), [1]);
      assert.deepEqual(await ids([{ column: 'dec38', op: 'gt', value: '1234567890123456789012345678.0000000000' }]), [1]);
      assert.deepEqual(await ids([{ column: 'dec38', op: 'gt', value: '1234567890123456789012345678.0000000001' }]), []);
      assert.deepEqual(await ids([{ column: 'flag', op: 'eq', value: true }]), [1]);
      assert.deepEqual(await ids([{ column: 'b10', op: 'eq', value: 1023 }]), [1]);
    });
  });

  describe('reading', () => {
    const people = () => t('people');
    const ids = async (request: { filters?: Filter[]; search?: { text: string; columns?: string[] } }) =>
      (await session.readRows(people(), { limit: 100, sort: [{ column: 'id', direction: 'asc' }], ...request })).rows.map((r) => r[0]);

    it('applies each filter operator', async () => {
      const cases: [Filter, number[]][] = [
        [{ column: 'name', op: 'eq', value: 'bob' }, [2]],
        [{ column: 'name', op: 'eq', value: null }, [4]],
        [{ column: 'age', op: 'ne', value: 30 }, [2, 3, 4]],
        [{ column: 'age', op: 'lt', value: 30 }, [3]],
        [{ column: 'age', op: 'lte', value: 30 }, [1, 3, 5]],
        [{ column: 'age', op: 'gt', value: 30 }, [4]],
        [{ column: 'age', op: 'gte', value: 30 }, [1, 4, 5]],
        [{ column: 'name', op: 'contains', value: 'ALI' }, [1, 5]],
        [{ column: 'name', op: 'startswith', value: 'car' }, [3]],
        [{ column: 'name', op: 'endswith', value: '_%' }, [3]],
        [{ column: 'name', op: 'contains', value: 'o_' }, []],
        [{ column: 'name', op: 'isnull' }, [4]],
        [{ column: 'age', op: 'notnull' }, [1, 3, 4, 5]],
        [{ column: 'age', op: 'in', value: [25, 40, null] }, [2, 3, 4]],
        [{ column: 'score', op: 'eq', value: '1.50' }, [1, 5]],
        [{ column: 'score', op: 'lt', value: '2' }, [1, 5]],
        [{ column: 'mood', op: 'eq', value: 'glad' }, [1, 4]],
        // ENUM('sad','glad'): range filters follow the declared order, as ORDER BY mood does.
        [{ column: 'mood', op: 'lt', value: 'glad' }, [2, 5]],
      ];
      for (const [filter, expected] of cases) assert.deepEqual(await ids({ filters: [filter] }), expected, JSON.stringify(filter));
      assert.deepEqual(await ids({ filters: [{ column: 'age', op: 'eq', value: 30 }, { column: 'name', op: 'startswith', value: 'alici' }] }), [5]);
      await assert.rejects(ids({ filters: [{ column: 'age', op: 'lt', value: null }] }), failsWith('invalid_value'));
    });

    it('searches text columns case-insensitively, wildcards literal', async () => {
      assert.deepEqual(await ids({ search: { text: 'aLi' } }), [1, 5]);
      assert.deepEqual(await ids({ search: { text: '_%' } }), [3]);
      assert.deepEqual(await ids({ search: { text: 'glad' } }), [1, 4]);
      assert.deepEqual(await ids({ search: { text: '30', columns: ['age'] } }), [1, 5]);
    });

    it('sorts ENUM columns in their declared order, as ORDER BY does, consistently across pages', async () => {
      const seen: CellValue[] = [];
      let after: string | undefined;
      do {
        const page = await session.readRows(people(), { limit: 2, sort: [{ column: 'mood', direction: 'desc' }], ...(after ? { after } : {}) });
        seen.push(...page.rows.map((r) => r[0]));
        after = page.next;
      } while (after);
      assert.deepEqual(seen, [1, 4, 2, 5, 3]);
    });

    it('counts exactly, capped, or as an estimate', async () => {
      assert.deepEqual(await session.countRows(people()), { count: 5, exact: true });
      assert.deepEqual(await session.countRows(people(), { filters: [{ column: 'age', op: 'eq', value: 30 }] }), { count: 2, exact: true });
      assert.deepEqual(await session.countRows(people(), { cap: 3 }), { count: 3, exact: false, capped: true });
      assert.deepEqual(await session.countRows(people(), { cap: 10 }), { count: 5, exact: true });
      const estimate = await session.countRows(people(), { estimate: true });
      assert.equal(estimate.exact, false);
      assert.ok(Number.isInteger(estimate.count));
    });

    it('aggregates through the kit', async () => {
      const result = await session.aggregate!(people(), {
        groupBy: [{ column: 'age' }],
        measures: [
          { op: 'count', as: 'n' },
          { op: 'sum', column: 'score', as: 'total' },
          { op: 'max', column: 'name', as: 'last' },
        ],
      });
      assert.deepEqual(result.columns, ['age', 'n', 'total', 'last']);
      assert.deepEqual(result.rows, [
        [null, 1, '2.00', 'bob'],
        [25, 1, null, 'Carol_%'],
        [30, 2, '3.00', 'ALICIA'],
        [40, 1, '3.25', null],
      ]);
      const binned = await session.aggregate!(people(), { groupBy: [{ column: 'age', bin: { step: 20 } }], measures: [{ op: 'count', as: 'n' }], filters: [{ column: 'id', op: 'lt', value: 5 }] });
      assert.deepEqual(binned.rows, [
        [null, 1],
        [20, 2],
        [40, 1],
      ]);
      const truncated = await session.aggregate!(people(), { groupBy: [{ column: 'age', bin: { step: 20 } }], measures: [{ op: 'count', as: 'n' }], limit: 2 });
      assert.equal(truncated.truncated, true);
      assert.equal(truncated.rows.length, 2);
      const glad = await session.aggregate!(people(), { groupBy: [{ column: 'mood' }], measures: [{ op: 'mean', column: 'age', as: 'age' }] });
      assert.deepEqual(glad.rows, [
        [null, '25.0000'],
        ['sad', '30.0000'],
        ['glad', '35.0000'],
      ]);
    });
  });

  describe('writing', () => {
    const parent = () => t('parent');
    const child = () => t('child');

    it('inserts with defaults applied, updates and deletes by key, and previews the statements', async () => {
      await session.insertRow(parent(), { a: 1, b: 'x', label: 'one-x' });
      const inserted = await session.insertRow(child(), { pa: 1, pb: 'x', total: '2.50' });
      assert.equal(typeof inserted.key?.id, 'number');
      assert.equal(inserted.row?.status, 'new');
      assert.equal(inserted.row?.doubled, '5.00');
      assert.match(String(inserted.row?.created), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      const key = inserted.key!;
      const { row } = await session.updateRow(child(), key, { status: 'done', tags: 'red,blue' }, { status: 'new', tags: null });
      assert.equal(row?.status, 'done');
      assert.equal(row?.tags, 'red,blue');
      const preview = await session.previewChanges!(child(), [
        { kind: 'update', key, changes: { note: 'n' }, expected: { note: null } },
        { kind: 'insert', values: {} },
      ]);
      assert.deepEqual(preview[0], { text: 'UPDATE `nocoflo_test`.`child` SET `note` = ? WHERE `id` = ? AND `note` <=> ?', params: ['n', key.id, null] });
      assert.equal(preview[1].text, 'INSERT INTO `nocoflo_test`.`child` () VALUES ()');
      const defaults = await session.insertRow(child(), {});
      assert.equal(defaults.row?.status, 'new');
      await session.deleteRow(child(), defaults.key!, { status: 'new' });
      assert.equal((await session.countRows(child())).count, 1);
    });

    it('refuses a stale update or delete as a conflict with the current row, writing nothing', async () => {
      await session.insertRow(parent(), { a: 2, b: 'y', label: 'before' });
      await server.admin("UPDATE parent SET label = 'changed elsewhere' WHERE a = 2");
      await assert.rejects(session.updateRow(parent(), { a: 2, b: 'y' }, { label: 'mine' }, { label: 'before' }), (e: DatasourceError) => {
        assert.equal(e.code, 'conflict');
        assert.deepEqual(e.current, { a: 2, b: 'y', label: 'changed elsewhere' });
        return true;
      });
      await server.admin('DELETE FROM parent WHERE a = 2');
      await assert.rejects(session.deleteRow(parent(), { a: 2, b: 'y' }, { label: 'changed elsewhere' }), (e: DatasourceError) => e.code === 'conflict' && e.current === null);
      // Writing the value a row already holds is not a conflict (matched rows count, not changed rows).
      await session.updateRow(parent(), { a: 1, b: 'x' }, { label: 'one-x' }, { label: 'one-x' });
    });

    it('maps constraint and value errors, naming the column', async () => {
      await assert.rejects(session.insertRow(parent(), { a: 1, b: 'x' }), failsWith('constraint', /Duplicate entry '1-x' for key 'PRIMARY'/));
      await session.updateRow(child(), { id: (await session.readRows(child(), { limit: 1 })).keys[0]!.id }, { note: 'taken' }, {});
      await assert.rejects(session.insertRow(child(), { note: 'taken' }), failsWith('constraint', /Duplicate entry 'taken'/, 'note'));
      await assert.rejects(session.insertRow(parent(), { a: 5, b: null }), failsWith('constraint', /cannot be null/, 'b'));
      await assert.rejects(session.insertRow(child(), { pa: 99, pb: 'zz' }), failsWith('constraint', /foreign key constraint fails/, 'pa'));
      await assert.rejects(session.insertRow(child(), { amount: -1 }), failsWith('constraint', /amount_positive/));
      await assert.rejects(session.insertRow(t('people'), { id: 9, age: 'abc' }), failsWith('invalid_value', /Incorrect integer value/, 'age'));
      await assert.rejects(session.insertRow(t('vals'), { id: 9, vc: 'x'.repeat(21) }), failsWith('invalid_value', /too long/, 'vc'));
      await assert.rejects(session.insertRow(t('vals'), { id: 9, tiny: 1000 }), failsWith('invalid_value', /Out of range/, 'tiny'));
      await assert.rejects(session.insertRow(t('vals'), { id: 9, da: '2024-02-30' }), failsWith('invalid_value', /Incorrect date value/, 'da'));
      await assert.rejects(session.insertRow(t('vals'), { id: 9, j: '{not json' }), failsWith('constraint', /CONSTRAINT `vals\.j` failed/, 'j'));
      await assert.rejects(session.updateRow(child(), { id: 1 }, { doubled: '1' }, {}), failsWith('read_only', /generated/));
      assert.equal((await session.countRows(t('vals'), { filters: [{ column: 'id', op: 'eq', value: 9 }] })).count, 0);
    });

    it('reports a write the user may not make as permission', async () => {
      const password = randomBytes(12).toString('base64url');
      await server.admin("CREATE USER 'reader'@'%' IDENTIFIED BY ?", [password]);
      await server.admin("GRANT SELECT ON `nocoflo_test`.* TO 'reader'@'%'");
      const reader = await plugin.connect({ host: server.host, port: server.port, user: 'reader', database: server.database }, { password }, context);
      try {
        assert.equal((await reader.readRows(parent(), { limit: 10 })).rows.length, 1);
        await assert.rejects(reader.updateRow(parent(), { a: 1, b: 'x' }, { label: 'no' }, {}), failsWith('permission', /UPDATE command denied/));
      } finally {
        await reader.close();
      }
    });
  });

  describe('transactions', () => {
    it('rolls everything back when a later statement fails (InnoDB)', async () => {
      const parent = t('parent');
      await assert.rejects(
        session.transaction!(async (tx) => {
          await tx.insertRow(parent, { a: 10, b: 'x', label: 'first' });
          await tx.updateRow(parent, { a: 1, b: 'x' }, { label: 'changed in tx' }, { label: 'one-x' });
          await tx.insertRow(parent, { a: 10, b: 'x', label: 'duplicate' });
        }),
        failsWith('constraint', /Duplicate entry/),
      );
      assert.deepEqual(await server.admin('SELECT a, b, label FROM parent ORDER BY a'), [{ a: 1, b: 'x', label: 'one-x' }]);
      const result = await session.transaction!(async (tx) => {
        await tx.insertRow(parent, { a: 11, b: 'x' });
        await tx.insertRow(parent, { a: 12, b: 'x' });
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal((await session.countRows(parent)).count, 3);
    });

    it('says clearly which changes a MyISAM table kept when a save fails halfway', async () => {
      const legacy = t('legacy');
      await assert.rejects(
        session.transaction!(async (tx) => {
          await tx.insertRow(legacy, { id: 1, v: 'kept' });
          await tx.insertRow(legacy, { id: 1, v: 'duplicate' });
        }),
        failsWith('constraint', /^Duplicate entry '1' for key 'PRIMARY'.*1 change to `nocoflo_test`\.`legacy` \(MyISAM engine\) stayed written: that storage engine cannot roll back/),
      );
      assert.deepEqual(await server.admin('SELECT id, v FROM legacy'), [{ id: 1, v: 'kept' }]);
      assert.ok(logs.some((line) => /^warn: `nocoflo_test`\.`legacy` uses the MyISAM engine, which cannot roll back/.test(line)), logs.join('\n'));
      // Single writes to MyISAM work as usual.
      await session.updateRow(legacy, { id: 1 }, { v: 'edited' }, { v: 'kept' });
      await session.deleteRow(legacy, { id: 1 }, { v: 'edited' });
    });
  });

  describe('hostile identifiers', () => {
    it('treats backticks, quotes, spaces and unicode in names as names, never as SQL', async () => {
      const table = t('we`ird "ta\' ble');
      const schema = await session.getSchema(table);
      assert.deepEqual(schema.columns.map((c) => c.name), ['col `q`', 'ünï ¢ode', 'select']);
      assert.deepEqual(schema.rowKey, { columns: ['col `q`'] });
      const page = await session.readRows(table, { limit: 10, sort: [{ column: 'ünï ¢ode', direction: 'desc' }], filters: [{ column: 'select', op: 'contains', value: 'drop' }] });
      assert.deepEqual(page.rows, [["it's `quoted`", 7, 'drop table vals; --']]);
      await session.updateRow(table, { 'col `q`': "it's `quoted`" }, { select: 'still a value', 'ünï ¢ode': 70 }, { select: 'drop table vals; --' });
      const inserted = await session.insertRow(table, { 'col `q`': '`; DROP TABLE parent; --', 'ünï ¢ode': 1 });
      assert.deepEqual(inserted.key, { 'col `q`': '`; DROP TABLE parent; --' });
      await session.deleteRow(table, inserted.key!, { 'ünï ¢ode': 1 });
      const all = await session.readRows(table, { limit: 10, sort: [{ column: 'col `q`', direction: 'asc' }] });
      assert.deepEqual(all.rows, [["it's `quoted`", 70, 'still a value'], ['other', 8, 'x']]);
      assert.equal((await session.countRows(t('parent'))).count, 3, 'parent still exists');

      const elsewhere = { schema: 'nocoflo_we`ird db', name: 't 1' };
      assert.deepEqual((await session.getSchema(elsewhere)).rowKey, { columns: ['id'] });
      await session.updateRow(elsewhere, { id: 1 }, { v: 'y' }, { v: 'x' });
      assert.deepEqual((await session.readRows(elsewhere, { limit: 5 })).rows, [[1, 'y']]);
    });
  });
});
