// The dataset half of each target: which tables, columns and values of Chinook and Northwind exercise each check.
// The integration files add how to start the engine and load the data. Every value here is in the public data
// (see test/fixtures/datasets/SOURCES.md); the suite asserts that each filter selects some rows but not all.
import type { Dialect } from '../support/datasets';
import { quote } from './oracle';
import type { RealDatabaseTarget } from './target';

export type DatasetPart = Omit<RealDatabaseTarget, 'name' | 'schema' | 'open' | 'openScratch' | 'dispose'> & {
  /** The statement creating `view` (run by the target's loader as the test login). */
  createView: string;
};

/**
 * Chinook names its tables and columns in PascalCase in the SQLite and MySQL scripts and in snake_case in the
 * PostgreSQL one; otherwise the data is the same.
 */
export function chinook(dialect: Dialect): DatasetPart {
  const n = (name: string) => (dialect === 'postgres' ? name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase() : name);
  const q = (name: string) => quote(dialect, n(name));
  // SQLite stores NUMERIC(10,2) as REAL, which prints 0.3 without the scale's trailing zero.
  const scaled = (text: string) => (dialect === 'sqlite' ? String(Number(text)) : text);
  return {
    // Keyless: a join has no row key, so the datasource must order ties among whole rows. Genre has 25 values
    // over 3,503 tracks; UnitPrice two.
    createView: `CREATE VIEW ${q('TrackGenre')} AS SELECT t.${q('Name')} AS ${q('Track')}, g.${q('Name')} AS ${q('Genre')}, t.${q('UnitPrice')}, t.${q('Milliseconds')} FROM ${q('Track')} t JOIN ${q('Genre')} g ON g.${q('GenreId')} = t.${q('GenreId')}`,
    view: {
      name: n('TrackGenre'),
      sorts: [
        { column: n('Genre'), direction: 'asc' },
        { column: n('UnitPrice'), direction: 'desc' },
      ],
    },
    tableSorts: [
      { table: n('Track'), sort: { column: n('GenreId'), direction: 'asc' } },
      // Nullable text: 29 customers and 202 invoices have no state, so NULLs must come first / last.
      { table: n('Customer'), sort: { column: n('State'), direction: 'asc' } },
      { table: n('Invoice'), sort: { column: n('BillingState'), direction: 'desc' } },
    ],
    filters: {
      table: n('Track'),
      // Track 1's length; shorter and longer tracks exist.
      number: { column: n('Milliseconds'), value: 343719 },
      // 977 tracks have no composer.
      nullable: { column: n('Composer'), values: ['U2', 'Steve Harris', null] },
      // "Lô Borges", "Mônica Marianno", "… Fernando Brant"; "lo" without the accent matches hundreds more.
      text: { column: n('Composer'), contains: 'lô', startswith: 'mô', endswith: 'BRANT', unaccented: 'lo' },
    },
    aggregates: [
      { table: n('Invoice'), groupBy: n('BillingCountry'), measure: n('Total') },
      // 202 invoices have no state: one group is NULL.
      { table: n('Invoice'), groupBy: n('BillingState'), measure: n('Total') },
      { table: n('InvoiceLine'), groupBy: n('TrackId'), measure: n('UnitPrice') },
    ],
    writes: {
      // The MySQL script declares every text column NVARCHAR, which MariaDB makes utf8mb3.
      text: { table: n('Artist'), key: { [n('ArtistId')]: 100_001 }, values: {}, textColumn: n('Name'), bmpOnly: dialect === 'mysql' },
      decimals: [
        { table: n('Track'), key: { [n('TrackId')]: 1 }, column: n('UnitPrice'), values: ['0.30', '1234.57', '99999999.99', '0.99'].map(scaled) },
        // Invoice 1's total is 1.98; 0.1 + 0.2 in doubles is 0.30000000000000004.
        { table: n('Invoice'), key: { [n('InvoiceId')]: 1 }, column: n('Total'), values: ['0.30', '13.86', '1.98'].map(scaled) },
      ],
      referenced: [
        { table: n('Genre'), key: { [n('GenreId')]: 1 } },
        { table: n('Artist'), key: { [n('ArtistId')]: 1 } },
      ],
      conflict: { table: n('Customer'), key: { [n('CustomerId')]: 1 }, column: n('Company'), theirs: 'Changed Elsewhere Ltda.', mine: 'Nocoflo Ltda.' },
    },
  };
}

/** Northwind as pthom/northwind_psql ships it: snake_case, real (float4) prices, bytea pictures, composite keys. */
export function northwind(): DatasetPart {
  const q = (name: string) => quote('postgres', name);
  return {
    createView: `CREATE VIEW ${q('order_countries')} AS SELECT o.${q('order_id')}, c.${q('country')}, c.${q('company_name')}, o.${q('freight')}, o.${q('shipped_date')} FROM ${q('orders')} o JOIN ${q('customers')} c ON c.${q('customer_id')} = o.${q('customer_id')}`,
    view: {
      name: 'order_countries',
      sorts: [
        { column: 'country', direction: 'asc' },
        // 21 orders were never shipped: NULLs last when descending.
        { column: 'shipped_date', direction: 'desc' },
      ],
    },
    tableSorts: [
      // Composite key (order_id, product_id) as the tiebreaker.
      { table: 'order_details', sort: { column: 'quantity', direction: 'desc' } },
      { table: 'orders', sort: { column: 'ship_region', direction: 'asc' } },
      { table: 'customers', sort: { column: 'country', direction: 'desc' } },
    ],
    filters: {
      table: 'orders',
      number: { column: 'employee_id', value: 4 },
      nullable: { column: 'ship_region', values: ['SP', 'RJ', null] },
      // "Comércio Mineiro" (5 orders); "merc" without the accent also finds "LILA-Supermercado", "Tradiçao Hipermercados".
      text: { column: 'ship_name', contains: 'mérc', startswith: 'comé', endswith: 'MINEIRO', unaccented: 'merc' },
    },
    aggregates: [
      { table: 'order_details', groupBy: 'product_id', measure: 'quantity' },
      // 507 orders have no ship_region: one group is NULL.
      { table: 'orders', groupBy: 'ship_region', measure: 'employee_id' },
    ],
    writes: {
      text: { table: 'categories', key: { category_id: 1001 }, values: { category_name: 'Scratch' }, textColumn: 'description' },
      // real (float4): 0.99 must not come back as 0.9900000095367432.
      decimals: [{ table: 'products', key: { product_id: 1 }, column: 'unit_price', values: ['0.99', '18.4', '1234.5'] }],
      referenced: [
        { table: 'customers', key: { customer_id: 'ALFKI' } },
        { table: 'employees', key: { employee_id: 2 } },
      ],
      conflict: { table: 'customers', key: { customer_id: 'COMMI' }, column: 'contact_name', theirs: 'Someone Else', mine: 'Pedro Nocoflo' },
    },
  };
}
