import * as assert from 'node:assert/strict';
import type { RowValues, TableSchema } from '../../api';
import type { FormApp } from '../../webview/form/app';
import { column, tableSchema } from '../support/fakePlugins';
import { startViewHost, type ViewHostOptions } from '../support/viewHost';
import { press, settle, useWebviewDom } from '../support/webviewDom';

// The form view's foreign keys (webview/form/foreignKeys.ts, drawn by recordView.ts) on a happy-dom page: the
// referenced record's display value read through the related-table requests, the missing parent, the picker, the
// link that opens the parent, and the reverse references. The host is the in-memory one of test/support/viewHost.ts.

const customers: TableSchema = tableSchema({
  table: { name: 'customers' },
  columns: [column('id', { kind: 'integer', declaredType: 'INTEGER', primaryKeyPosition: 1, nullable: false }), column('name')],
});
const orders: TableSchema = tableSchema({
  table: { name: 'orders' },
  columns: [
    column('id', { kind: 'integer', declaredType: 'INTEGER', primaryKeyPosition: 1, nullable: false }),
    column('customer_id', { kind: 'integer', declaredType: 'INTEGER' }),
    column('note'),
  ],
  foreignKeys: [{ columns: ['customer_id'], references: { name: 'customers' }, referencedColumns: ['id'] }],
});
const customerRows: RowValues[] = [
  { id: 10, name: 'Ann' },
  { id: 11, name: 'Bob' },
];
const orderRows: RowValues[] = [
  { id: 1, customer_id: 10, note: 'first' },
  { id: 2, customer_id: 99, note: 'orphan' },
  { id: 3, customer_id: null, note: 'no customer' },
  { id: 4, customer_id: 10, note: 'again' },
];

describe('form foreign keys (webview/form: foreignKeys, recordView)', () => {
  useWebviewDom();
  let Form: typeof FormApp;
  before(async () => {
    await import('../../webview/shared/elements');
    ({ FormApp: Form } = await import('../../webview/form/app'));
  });

  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 50 && !check(); i++) await settle();
    assert.ok(check(), `never happened: ${what}`);
  }

  /** A form tab on `table` showing its first record; `withoutRelated` is a view client of API 1.1 (no related tables). */
  async function openForm(options: Partial<ViewHostOptions> & { withoutRelated?: boolean } = {}) {
    const host = startViewHost({
      schema: orders,
      rows: orderRows,
      related: [
        { schema: customers, rows: customerRows },
        { schema: orders, rows: orderRows },
      ],
      viewId: 'nocoflo.form',
      ...options,
    });
    const client = options.withoutRelated ? { ...host.client, related: undefined, listTables: undefined } : host.client;
    const root = document.getElementById('nocoflo-root')!;
    const app = new Form(client, root);
    const field = (name: string) => root.querySelector(`.field[data-column="${name}"]`) as HTMLElement | null;
    const reference = (name: string) => field(name)?.querySelector('.field-reference') as HTMLElement | null;
    const display = (name: string) => reference(name)?.querySelector('.reference-display')?.textContent ?? '';
    const link = (name: string, label: string) => [...(reference(name)?.querySelectorAll('.link-button') ?? [])].find((b) => b.textContent === label) as HTMLElement | undefined;
    const last = (options.schema ?? orders).columns.at(-1)!.name;
    await until(() => field(last) !== null, 'the first record is shown');
    return { host, app, root, field, reference, display, link };
  }

  it("shows the referenced record by its first text column, read by key through the related table", async () => {
    const f = await openForm();
    await until(() => f.display('customer_id') === 'customers · Ann', 'the display value');
    const read = f.host.requests('related/read') as { table: unknown; request: unknown }[];
    assert.deepEqual(read, [{ table: { name: 'customers' }, request: { filters: [{ column: 'id', op: 'eq', value: 10 }], limit: 1 } }]);
    assert.ok(!f.reference('customer_id')!.classList.contains('missing'));
    assert.equal(f.reference('note')!.hidden, true, 'no reference line on a plain column');
  });

  it('opens the referenced record in a form', async () => {
    const f = await openForm();
    f.link('customer_id', 'Open customers record')!.click();
    assert.deepEqual(f.host.commands('view/open'), [{ type: 'view/open', viewId: 'nocoflo.form', table: { name: 'customers' }, key: { id: 10 } }]);
  });

  it('says so when the referenced record does not exist, and when the key is NULL', async () => {
    const f = await openForm();
    press(document.body, 'PageDown');
    await until(() => f.display('customer_id').startsWith('No record'), 'the missing parent');
    assert.equal(f.display('customer_id'), 'No record in customers has id = 99.');
    assert.ok(f.reference('customer_id')!.classList.contains('missing'));
    press(document.body, 'PageDown');
    await until(() => (f.field('note')!.querySelector('.field-editor > *') as HTMLElement & { value?: string })?.value === 'no customer', 'the third record');
    assert.equal(f.display('customer_id'), 'customers: no record (NULL)');
    assert.equal(f.link('customer_id', 'Open customers record'), undefined, 'nothing to open');
    assert.ok(f.link('customer_id', 'Choose…'), 'but one can be chosen');
  });

  it('reads a parent once per tab: a second record with the same parent asks no more', async () => {
    const f = await openForm();
    await until(() => f.display('customer_id') === 'customers · Ann', 'the display value');
    f.app.navigation.goToIndex(3);
    await until(() => (f.field('note')!.querySelector('.field-editor > *') as HTMLElement & { value?: string })?.value === 'again', 'the fourth record');
    await until(() => f.display('customer_id') === 'customers · Ann', 'the display value again');
    assert.equal(f.host.requests('related/read').length, 1);
    assert.equal(f.host.requests('related/schema').filter((p) => (p as { table: { name: string } }).table.name === 'customers').length, 1);
  });

  it('picks the parent in a searchable list, which becomes a pending edit of the key column', async () => {
    const f = await openForm();
    f.link('customer_id', 'Choose…')!.click();
    const dialog = document.querySelector('.dialog') as HTMLElement;
    assert.equal(dialog.getAttribute('aria-label'), 'Choose a customers record for customer_id');
    await until(() => dialog.querySelectorAll('.picker-item').length === 2, 'the list of customers');
    assert.deepEqual([...dialog.querySelectorAll('.picker-item')].map((i) => i.textContent), ['10Ann', '11Bob']);
    assert.equal(dialog.querySelector('.dialog-note')!.textContent, '2 records.');
    (dialog.querySelectorAll('.picker-item')[1] as HTMLElement).click();
    await settle();
    assert.equal(document.querySelector('.dialog'), null, 'the picker closes');
    assert.deepEqual(f.host.pending(), [{ kind: 'update', key: { id: 1 }, changes: { customer_id: 11 }, expected: orderRows[0] }]);
    await until(() => f.display('customer_id') === 'customers · Bob', 'the new display value');
  });

  it('lists the rows of other tables that reference this record, with a link to them in a grid', async () => {
    const f = await openForm({ schema: customers, rows: customerRows });
    await until(() => f.root.querySelector('.reference-text') !== null, 'the reverse references');
    assert.equal(f.root.querySelector('.references-title')!.textContent, 'Referenced by');
    assert.equal(f.root.querySelector('.reference-text')!.textContent, '2 rows in orders reference this customer');
    assert.deepEqual(f.host.requests('related/count'), [{ table: { name: 'orders' }, request: { filters: [{ column: 'customer_id', op: 'eq', value: 10 }], cap: 10000 } }]);
    ([...f.root.querySelectorAll('.reference-item .link-button')].find((b) => b.textContent === 'Show them') as HTMLElement).click();
    assert.deepEqual(f.host.commands('view/open'), [{ type: 'view/open', viewId: 'nocoflo.table', table: { name: 'orders' }, query: { filters: [{ column: 'customer_id', op: 'eq', value: 10 }] } }]);
  });

  it('says when the referenced table cannot be read, and shows only the raw key without related tables', async () => {
    const unreadable = await openForm({ related: [] });
    await until(() => unreadable.display('customer_id').includes('could not read'), 'the read failure');
    assert.equal(unreadable.display('customer_id'), 'customers: could not read (no table customers)');

    document.getElementById('nocoflo-root')!.replaceChildren();
    const old = await openForm({ withoutRelated: true });
    assert.equal(old.display('customer_id'), 'customers(id)');
    assert.equal(old.link('customer_id', 'Choose…'), undefined, 'no picker without related tables');
    assert.ok(old.link('customer_id', 'Open customers record'), 'opening the parent needs only openView');
  });
});
