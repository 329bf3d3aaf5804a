import * as assert from 'node:assert/strict';
import type { ColumnSchema, TableSchema } from '../../api';
import { editableResult, resultBase, resultKeys, toBaseChanges, toResultRow } from '../../src/core/queries/queryResults';

const col = (name: string, extra: Partial<ColumnSchema> = {}): ColumnSchema => ({ name, declaredType: 'TEXT', kind: 'text', nullable: true, ...extra });
const from = (table: string, column: string) => ({ origin: { table: { name: table }, column } });

const customer: TableSchema = {
  table: { name: 'Customer' },
  kind: 'table',
  columns: [col('CustomerId', { kind: 'integer', nullable: false, primaryKeyPosition: 1 }), col('FirstName', { nullable: false, maxLength: 40 }), col('Country'), col('SupportRepId', { kind: 'integer' }), col('Stamp', { generated: true, readOnly: true })],
  primaryKey: ['CustomerId'],
  rowKey: { columns: ['CustomerId'] },
  foreignKeys: [{ columns: ['SupportRepId'], references: { name: 'Employee' }, referencedColumns: ['EmployeeId'] }],
};

const result = (columns: ColumnSchema[], extra: Partial<TableSchema> = {}): TableSchema => ({
  table: { name: 'Brazil', query: { text: "SELECT … FROM Customer WHERE Country = 'Brazil'" } },
  kind: 'query',
  columns,
  primaryKey: [],
  foreignKeys: [],
  ...extra,
});

describe('query results: when they can be edited and how edits reach their table (src/core/queries/queryResults.ts)', () => {
  it('a result of one table with its key is editable: key, writable copies, carried foreign keys, renamed columns', () => {
    const raw = result([col('id', { kind: 'integer', ...from('Customer', 'CustomerId') }), col('first', from('Customer', 'FirstName')), col('rep', from('Customer', 'SupportRepId')), col('shout'), col('Stamp', from('Customer', 'Stamp'))]);
    const base = resultBase(raw);
    assert.deepEqual(base, { base: { name: 'Customer' } });
    const { schema, mapping } = editableResult(raw, customer);
    assert.ok(mapping);
    assert.equal(schema.readOnlyReason, undefined);
    assert.deepEqual(schema.primaryKey, ['id']);
    assert.deepEqual(schema.rowKey, { columns: ['id'] });
    assert.deepEqual(schema.foreignKeys, [{ columns: ['rep'], references: { name: 'Employee' }, referencedColumns: ['EmployeeId'] }]);
    const byName = Object.fromEntries(schema.columns.map((c) => [c.name, c]));
    assert.equal(byName.first.maxLength, 40, 'a copy takes its base column\'s constraints');
    assert.equal(byName.first.nullable, false);
    assert.equal(byName.shout.readOnly, true, 'a computed column is read-only');
    assert.equal(byName.Stamp.generated, true, 'a generated base column stays generated');
    assert.deepEqual(schema.columns.map((c) => c.name), ['id', 'first', 'rep', 'shout', 'Stamp'], 'the result keeps its own names and order');
    assert.match(schema.notices?.join(' ') ?? '', /saved to Customer/);
  });

  it('a result without the whole key, of several tables, of a view, or of computed columns only is read-only with the reason', () => {
    const noKey = editableResult(result([col('first', from('Customer', 'FirstName'))]), customer);
    assert.equal(noKey.mapping, undefined);
    assert.match(noKey.schema.readOnlyReason!, /leaves out Customer's key column "CustomerId".*Add it to the SELECT list/);
    const join = resultBase(result([col('id', from('Customer', 'CustomerId')), col('inv', from('Invoice', 'InvoiceId'))]));
    assert.ok('reason' in join);
    assert.match(join.reason, /come from 2 tables \(Customer, Invoice\)/);
    const computed = resultBase(result([col('n')]));
    assert.ok('reason' in computed && /none of its columns is a plain column/.test(computed.reason));
    const engine = resultBase(result([col('id', from('Customer', 'CustomerId'))], { readOnlyReason: 'sql.js cannot tell where result columns come from.' }));
    assert.deepEqual(engine, { reason: 'sql.js cannot tell where result columns come from.' });
    const view = editableResult(result([col('id', from('V', 'CustomerId'))]), { ...customer, table: { name: 'V' }, kind: 'view' });
    assert.match(view.schema.readOnlyReason!, /"V" is a view, not a table/);
    const keyless = editableResult(result([col('id', from('Customer', 'CustomerId'))]), { ...customer, primaryKey: [], rowKey: { columns: ['rowid'], synthetic: true } });
    assert.match(keyless.schema.readOnlyReason!, /has no primary key/);
  });

  it('the same base column twice: only its first copy is written', () => {
    const { schema, mapping } = editableResult(result([col('CustomerId', from('Customer', 'CustomerId')), col('again', from('Customer', 'CustomerId'))]), customer);
    assert.ok(mapping);
    assert.equal(schema.columns[1].readOnly, true);
    assert.equal(mapping.toBase.get('again'), undefined);
  });

  it('row keys come from the result\'s key columns; edits, conflicts and returned rows translate both ways', () => {
    const { mapping } = editableResult(result([col('first', from('Customer', 'FirstName')), col('id', from('Customer', 'CustomerId')), col('shout')]), customer);
    assert.ok(mapping);
    assert.deepEqual(resultKeys(mapping, ['first', 'id', 'shout'], [['Ana', 7, 'ANA'], ['Bo', 9, 'BO']]), [{ id: 7 }, { id: 9 }]);
    assert.deepEqual(resultKeys(mapping, ['first'], [['Ana']]), [null], 'without the key column no row can be addressed');
    assert.deepEqual(
      toBaseChanges(mapping, [
        { kind: 'update', key: { id: 7 }, changes: { first: 'Anna' }, expected: { first: 'Ana', shout: 'ANA' } },
        { kind: 'delete', key: { id: 9 }, expected: { first: 'Bo', id: 9 } },
        { kind: 'insert', values: { first: 'Cy', id: 11 } },
      ]),
      [
        { kind: 'update', key: { CustomerId: 7 }, changes: { FirstName: 'Anna' }, expected: { FirstName: 'Ana' } },
        { kind: 'delete', key: { CustomerId: 9 }, expected: { FirstName: 'Bo', CustomerId: 9 } },
        { kind: 'insert', values: { FirstName: 'Cy', CustomerId: 11 } },
      ],
    );
    assert.deepEqual(toResultRow(mapping, { CustomerId: 7, FirstName: 'Anna', Country: 'Brazil' }), { id: 7, first: 'Anna' });
  });
});
