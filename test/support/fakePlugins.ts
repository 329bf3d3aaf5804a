// Typed builders for plugin objects in unit tests of pure logic (registry, selection, manager). Datasource
// behaviour itself is always tested against real engines elsewhere.
import type { Capabilities, ColumnSchema, DatasourcePlugin, DatasourceSession, TableSchema, ViewPlugin } from '../../api';

export const capabilities: Capabilities = { insert: true, update: true, delete: true, transactions: false, aggregate: false, schemas: false };

export function fakeSession(overrides: Partial<DatasourceSession> = {}): DatasourceSession {
  return {
    capabilities,
    listTables: async () => [{ ref: { name: 't' }, kind: 'table' }],
    getSchema: async (table) => tableSchema({ table }),
    readRows: async () => ({ columns: ['id'], rows: [[1]], keys: [{ id: 1 }] }),
    countRows: async () => ({ count: 1, exact: true }),
    insertRow: async () => ({ key: { id: 2 } }),
    updateRow: async () => ({}),
    deleteRow: async () => undefined,
    close: async () => undefined,
    ...overrides,
  };
}

export function datasourcePlugin(overrides: Partial<DatasourcePlugin> = {}): DatasourcePlugin {
  return {
    id: 'test.ds',
    displayName: 'Test DS',
    version: '0.0.1',
    apiVersion: '1.0.0',
    schemes: ['testds'],
    configFields: [
      { key: 'host', label: 'Host', type: 'string', required: true },
      { key: 'password', label: 'Password', type: 'password', secret: true },
    ],
    parseUrl: (url) => {
      const u = new URL(url);
      const secrets: Record<string, string> = {};
      if (u.password) secrets.password = decodeURIComponent(u.password);
      return { config: { host: u.hostname }, secrets };
    },
    testConnection: async () => ({ ok: true }),
    connect: async () => fakeSession(),
    ...overrides,
  };
}

export function viewPlugin(overrides: Partial<ViewPlugin> = {}): ViewPlugin {
  return {
    id: 'test.view',
    displayName: 'Test View',
    version: '0.0.1',
    apiVersion: '1.0.0',
    priority: 10,
    canHandle: () => true,
    webview: { root: '/tmp', script: 'view.js' },
    ...overrides,
  };
}

export function column(name: string, overrides: Partial<ColumnSchema> = {}): ColumnSchema {
  return { name, declaredType: 'TEXT', kind: 'text', nullable: true, ...overrides };
}

export function tableSchema(overrides: Partial<TableSchema> = {}): TableSchema {
  return {
    table: { name: 't' },
    kind: 'table',
    columns: [column('id', { kind: 'integer', declaredType: 'INTEGER', primaryKeyPosition: 1, nullable: false }), column('name')],
    primaryKey: ['id'],
    foreignKeys: [],
    rowKey: { columns: ['id'] },
    ...overrides,
  };
}
