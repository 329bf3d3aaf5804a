import * as assert from 'node:assert/strict';
import type { ColumnSchema } from '../../api';
import { digitsOf, failedColumn, integerRange, validateRecord, validateValue } from '../../shared/fieldValidation';
import { column } from '../support/fakePlugins';

const int = (declaredType: string, extra: Partial<ColumnSchema> = {}) => column('n', { kind: 'integer', declaredType, ...extra });

describe('field validation before save (shared/fieldValidation)', () => {
  it('requires NOT NULL columns on insert unless the database fills them', () => {
    const columns = [
      column('id', { kind: 'integer', declaredType: 'INTEGER', primaryKeyPosition: 1, nullable: false }),
      column('name', { nullable: false }),
      column('status', { nullable: false, defaultValue: "'new'" }),
      column('serial', { kind: 'integer', declaredType: 'integer', nullable: false, autoIncrement: true }),
      column('total', { kind: 'decimal', declaredType: 'numeric', nullable: false, generated: true }),
      column('notes'),
    ];
    assert.deepEqual(validateRecord({}, columns, 'insert'), [{ column: 'name', message: '"name" is required (NOT NULL, no default).' }]);
    assert.deepEqual(validateRecord({ name: '' }, columns, 'insert'), [], 'the empty string is a value, not NULL');
    assert.deepEqual(validateRecord({ name: null }, columns, 'insert'), [{ column: 'name', message: '"name" cannot be NULL.' }]);
    assert.deepEqual(validateRecord({ status: null, name: 'x' }, columns, 'insert'), [{ column: 'status', message: '"status" cannot be NULL.' }], 'an explicit NULL does not become the default');
    assert.deepEqual(validateRecord({ serial: null, name: 'x' }, columns, 'insert'), [], 'NULL asks for the next number');
    // Updates check only what changes.
    assert.deepEqual(validateRecord({ notes: null }, columns, 'update'), []);
    assert.deepEqual(validateRecord({ name: null }, columns, 'update'), [{ column: 'name', message: '"name" cannot be NULL.' }]);
    assert.deepEqual(validateRecord({ serial: null }, columns, 'update'), [{ column: 'serial', message: '"serial" cannot be NULL.' }]);
  });

  it('checks integer ranges by declared type, exactly beyond 2^53', () => {
    assert.equal(validateValue(127, int('TINYINT'), 'update'), undefined);
    assert.equal(validateValue(128, int('TINYINT'), 'update'), '128 is outside the range of TINYINT (-128 to 127).');
    assert.equal(validateValue(255, int('tinyint unsigned'), 'update'), undefined);
    assert.equal(validateValue(-1, int('tinyint(3) unsigned'), 'update'), '-1 is outside the range of TINYINT(3) UNSIGNED (0 to 255).');
    assert.match(validateValue(40000, int('smallint'), 'update')!, /outside the range of SMALLINT \(-32768 to 32767\)/);
    assert.equal(validateValue(8388607, int('MEDIUMINT'), 'update'), undefined);
    assert.equal(validateValue(2n ** 63n - 1n, int('bigint'), 'update'), undefined);
    assert.match(validateValue(2n ** 63n, int('bigint'), 'update')!, /outside the range of BIGINT/);
    assert.equal(validateValue(2n ** 64n - 1n, int('bigint unsigned'), 'update'), undefined);
    // A bare INTEGER is 64-bit in SQLite and 32-bit in PostgreSQL/MySQL: the caller says which.
    assert.equal(validateValue(2 ** 40, int('INTEGER'), 'update'), undefined);
    assert.match(validateValue(2 ** 40, int('integer'), 'update', { bareIntegerBits: 32 })!, /outside the range of INTEGER \(-2147483648 to 2147483647\)/);
    assert.match(validateValue(2 ** 31, int('int(11)'), 'update')!, /INT\(11\)/, 'a display width means MySQL');
    assert.equal(validateValue(2 ** 40, int('UNSIGNED BIG INT'), 'update'), undefined);
    assert.equal(validateValue(1.5, int('INTEGER'), 'update'), '"1.5" is not a whole number.');
    assert.equal(validateValue('12', int('INTEGER'), 'update'), undefined, 'integer text from the database');
    assert.equal(validateValue('twelve', int('INTEGER'), 'update'), '"twelve" is not a whole number.');
    assert.deepEqual(integerRange('int4'), { min: -2147483648n, max: 2147483647n, label: 'INT4' });
  });

  it('checks decimal precision and scale on the exact digits', () => {
    const price = column('price', { kind: 'decimal', declaredType: 'decimal(5,2)', precision: 5, scale: 2 });
    assert.equal(validateValue('123.45', price, 'update'), undefined);
    assert.equal(validateValue('-999.99', price, 'update'), undefined);
    assert.equal(validateValue('123.450', price, 'update'), undefined, 'trailing zeros are not digits that get lost');
    assert.equal(validateValue('12.345', price, 'update'), '"12.345" has 3 digits after the point; decimal(5,2) keeps 2.');
    assert.equal(validateValue('1234.5', price, 'update'), '"1234.5" is too large for decimal(5,2) (at most 3 digits before the point).');
    assert.equal(validateValue(1e3, price, 'update'), '"1000" is too large for decimal(5,2) (at most 3 digits before the point).');
    assert.equal(validateValue('1.2e2', price, 'update'), undefined);
    assert.equal(validateValue('12,5', price, 'update'), '"12,5" is not a number.');
    const whole = column('qty', { kind: 'decimal', declaredType: 'numeric(4,0)', precision: 4, scale: 0 });
    assert.equal(validateValue('1.5', whole, 'update'), '"1.5" has decimals; numeric(4,0) holds whole numbers only.');
    assert.equal(validateValue('99999999999999999999.123456789', column('x', { kind: 'decimal', declaredType: 'numeric' }), 'update'), undefined, 'no declared precision: any number');
    assert.deepEqual(digitsOf('0.00120'), { whole: 0, fraction: 4 });
    assert.deepEqual(digitsOf('1.5e-3'), { whole: 0, fraction: 4 });
    assert.deepEqual(digitsOf('007'), { whole: 1, fraction: 0 });
  });

  it('checks float syntax, booleans, enums and sets', () => {
    const real = column('r', { kind: 'float', declaredType: 'REAL' });
    assert.equal(validateValue(1.25, real, 'update'), undefined);
    assert.equal(validateValue('-1.5e10', real, 'update'), undefined);
    assert.equal(validateValue('Infinity', real, 'update'), undefined);
    assert.equal(validateValue('1.2.3', real, 'update'), '"1.2.3" is not a number.');
    const flag = column('b', { kind: 'boolean', declaredType: 'BOOLEAN' });
    assert.equal(validateValue(true, flag, 'update'), undefined);
    assert.equal(validateValue(1, flag, 'update'), undefined);
    assert.equal(validateValue('maybe', flag, 'update'), '"maybe" is not true or false.');
    const status = column('status', { kind: 'enum', declaredType: 'TEXT', enumValues: ['new', 'paid'] });
    assert.equal(validateValue('paid', status, 'update'), undefined);
    assert.equal(validateValue('Paid', status, 'update'), '"Paid" is not one of new, paid.');
    const tags = column('tags', { kind: 'set', declaredType: "set('a','b','c')", enumValues: ['a', 'b', 'c'] });
    assert.equal(validateValue('a,c', tags, 'update'), undefined);
    assert.equal(validateValue('', tags, 'update'), undefined, 'the empty set');
    assert.equal(validateValue('a,x,y', tags, 'update'), '"x", "y" are not among a, b, c.');
  });

  it('checks JSON syntax, dates, times, datetimes, UUIDs and lengths', () => {
    const json = column('j', { kind: 'json', declaredType: 'JSON' });
    assert.equal(validateValue('{"a": [1, 2]}', json, 'update'), undefined);
    assert.match(validateValue('{"a": }', json, 'update')!, /^Invalid JSON: /);
    const date = column('d', { kind: 'date', declaredType: 'DATE' });
    assert.equal(validateValue('2024-02-29', date, 'update'), undefined);
    assert.equal(validateValue('2023-02-29', date, 'update'), '"2023-02-29" is not a date (YYYY-MM-DD).');
    assert.equal(validateValue('2024-13-01', date, 'update'), '"2024-13-01" is not a date (YYYY-MM-DD).');
    assert.equal(validateValue('01/02/2024', date, 'update'), '"01/02/2024" is not a date (YYYY-MM-DD).');
    const time = column('t', { kind: 'time', declaredType: 'TIME' });
    assert.equal(validateValue('23:59:59.123', time, 'update'), undefined);
    assert.equal(validateValue('24:00', time, 'update'), '"24:00" is not a time (HH:MM[:SS]).');
    const at = column('at', { kind: 'datetime', declaredType: 'DATETIME' });
    assert.equal(validateValue('2024-05-01 10:30:00', at, 'update'), undefined);
    assert.equal(validateValue('2024-05-01T10:30', at, 'update'), undefined);
    assert.equal(validateValue('2024-05-32 10:30:00', at, 'update'), '"2024-05-32 10:30:00" is not a date and time (YYYY-MM-DD HH:MM[:SS]).');
    const tz = column('tz', { kind: 'datetimetz', declaredType: 'timestamptz' });
    assert.equal(validateValue('2024-05-01 10:30:00+02:00', tz, 'update'), undefined);
    assert.match(validateValue('2024-05-01 10:30:00', tz, 'update')!, /with a time zone/);
    const id = column('u', { kind: 'uuid', declaredType: 'uuid' });
    assert.equal(validateValue('123e4567-e89b-12d3-a456-426614174000', id, 'update'), undefined);
    assert.equal(validateValue('123e4567-e89b-12d3-a456', id, 'update'), '"123e4567-e89b-12d3-a456" is not a UUID (8-4-4-4-12 hex digits).');
    const code = column('code', { declaredType: 'varchar(3)', maxLength: 3 });
    assert.equal(validateValue('abc', code, 'update'), undefined);
    assert.equal(validateValue('abcd', code, 'update'), '4 characters; varchar(3) holds at most 3.');
    assert.equal(validateValue('✓✓✓', code, 'update'), undefined, 'characters, not UTF-16 units');
  });
});

describe('database errors on their field (shared/fieldValidation failedColumn)', () => {
  const columns = [{ name: 'id' }, { name: 'email' }, { name: 'name' }];
  it('takes the column the datasource names, else the one its message names', () => {
    assert.equal(failedColumn({ column: 'name', message: 'x' }, 'customers', columns), 'name');
    assert.equal(failedColumn({ message: 'UNIQUE constraint failed: customers.email' }, 'customers', columns), 'email');
    assert.equal(failedColumn({ message: 'NOT NULL constraint failed: customers.name' }, 'customers', columns), 'name');
    assert.equal(failedColumn({ message: 'null value in column "name" of relation "customers" violates not-null constraint' }, 'customers', columns), 'name');
    assert.equal(failedColumn({ message: "Column 'email' cannot be null" }, 'customers', columns), 'email');
    assert.equal(failedColumn({ message: "Duplicate entry 'a@b' for key 'customers.email'" }, 'customers', columns), 'email');
    assert.equal(failedColumn({ message: 'FOREIGN KEY constraint failed' }, 'customers', columns), undefined);
    assert.equal(failedColumn({ message: 'UNIQUE constraint failed: other.email' }, 'customers', columns), undefined, 'another table');
    assert.equal(failedColumn({ column: 'gone', message: 'x' }, 'customers', columns), undefined);
  });
});
