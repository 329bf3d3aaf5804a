import * as vscode from 'vscode';
import type { DatasourceConfig } from '../../api';
import type { DatasourceCatalog, DatasourceRecord } from '../core/datasourceManager';
import { isOpenedFile } from '../core/openedFiles';
import { nocofloError } from '../core/pluginErrors';

const PREFIX = 'workspace:';

interface DeclaredConnection {
  name?: unknown;
  type?: unknown;
  config?: unknown;
  production?: unknown;
}

/** Reads `nocoflo.connections` (team-shared, secret-free) into datasource records with stable ids. */
export function declaredConnections(log: (message: string) => void): DatasourceRecord[] {
  const declared = vscode.workspace.getConfiguration('nocoflo').get<DeclaredConnection[]>('connections', []);
  const records: DatasourceRecord[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of (Array.isArray(declared) ? declared : []).entries()) {
    if (typeof entry?.name !== 'string' || !entry.name.trim() || typeof entry.type !== 'string') {
      log(`nocoflo.connections[${index}] is ignored: it needs a "name" and a "type".`);
      continue;
    }
    if (seen.has(entry.name)) {
      log(`nocoflo.connections[${index}] is ignored: another declared connection is already named "${entry.name}".`);
      continue;
    }
    seen.add(entry.name);
    const config = typeof entry.config === 'object' && entry.config !== null ? (entry.config as DatasourceConfig) : {};
    records.push({ id: `${PREFIX}${entry.name}`, type: entry.type, name: entry.name, config, declared: true, ...(entry.production === true ? { production: true } : {}) });
  }
  return records;
}

export function isDeclared(id: string): boolean {
  return id.startsWith(PREFIX);
}

const OPENED_FILE = 'This file is open from the Explorer and is not one of your connections yet: use Keep in Sidebar first.';

/**
 * The catalog the extension uses: connections the user added (metadata store), the ones the workspace declares, and
 * database files open from the Explorer. Declared ones are edited in settings and opened files are kept first, so
 * rename/remove explain that instead of silently failing.
 */
export class CombinedCatalog implements DatasourceCatalog {
  constructor(
    private readonly stored: DatasourceCatalog,
    private readonly declared: () => DatasourceRecord[],
    private readonly resolveType: (type: string) => string,
    private readonly opened: { list(): DatasourceRecord[]; get(id: string): DatasourceRecord | undefined } = { list: () => [], get: () => undefined },
  ) {}

  listDatasources(): DatasourceRecord[] {
    return [...this.stored.listDatasources(), ...this.declaredRecords(), ...this.opened.list()];
  }

  getDatasource(id: string): DatasourceRecord | undefined {
    if (isOpenedFile(id)) return this.stored.getDatasource(id) ?? this.opened.get(id);
    return isDeclared(id) ? this.declaredRecords().find((r) => r.id === id) : this.stored.getDatasource(id);
  }

  addDatasource(record: Omit<DatasourceRecord, 'id'>): Promise<DatasourceRecord> {
    return this.stored.addDatasource(record);
  }

  async renameDatasource(id: string, name: string): Promise<void> {
    if (this.isOpenedOnly(id)) throw nocofloError('read_only', OPENED_FILE);
    if (isDeclared(id)) throw nocofloError('read_only', 'This connection is declared in the workspace settings (nocoflo.connections); rename it there.');
    await this.stored.renameDatasource(id, name);
  }

  async updateDatasource(id: string, changes: { name: string; config: DatasourceConfig }): Promise<void> {
    if (this.isOpenedOnly(id)) throw nocofloError('read_only', OPENED_FILE);
    if (isDeclared(id)) throw nocofloError('read_only', 'This connection is declared in the workspace settings (nocoflo.connections); change it there. Its password is asked when it connects and kept in secret storage.');
    await this.stored.updateDatasource(id, changes);
  }

  async removeDatasource(id: string): Promise<void> {
    if (this.isOpenedOnly(id)) throw nocofloError('read_only', 'This file is open from the Explorer: it leaves the sidebar when its editor closes.');
    if (isDeclared(id)) throw nocofloError('read_only', 'This connection is declared in the workspace settings (nocoflo.connections); remove it there.');
    await this.stored.removeDatasource(id);
  }

  private isOpenedOnly(id: string): boolean {
    return isOpenedFile(id) && this.stored.getDatasource(id) === undefined;
  }

  private declaredRecords(): DatasourceRecord[] {
    // Settings may name a scheme ("sqlite"); records always carry the plugin id.
    return this.declared().map((r) => ({ ...r, type: this.resolveType(r.type) }));
  }
}
