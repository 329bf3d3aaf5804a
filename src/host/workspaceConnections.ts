import * as vscode from 'vscode';
import type { DatasourceConfig } from '../../api';
import type { DatasourceCatalog, DatasourceRecord } from '../core/datasourceManager';
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

/**
 * The catalog the extension uses: connections the user added (metadata store) plus the ones the workspace declares.
 * Declared ones are edited in settings, not here, so rename/remove explain that instead of silently failing.
 */
export class CombinedCatalog implements DatasourceCatalog {
  constructor(
    private readonly stored: DatasourceCatalog,
    private readonly declared: () => DatasourceRecord[],
    private readonly resolveType: (type: string) => string,
  ) {}

  listDatasources(): DatasourceRecord[] {
    return [...this.stored.listDatasources(), ...this.declaredRecords()];
  }

  getDatasource(id: string): DatasourceRecord | undefined {
    return isDeclared(id) ? this.declaredRecords().find((r) => r.id === id) : this.stored.getDatasource(id);
  }

  addDatasource(record: Omit<DatasourceRecord, 'id'>): Promise<DatasourceRecord> {
    return this.stored.addDatasource(record);
  }

  async renameDatasource(id: string, name: string): Promise<void> {
    if (isDeclared(id)) throw nocofloError('read_only', 'This connection is declared in the workspace settings (nocoflo.connections); rename it there.');
    await this.stored.renameDatasource(id, name);
  }

  async updateDatasource(id: string, changes: { name: string; config: DatasourceConfig }): Promise<void> {
    if (isDeclared(id)) throw nocofloError('read_only', 'This connection is declared in the workspace settings (nocoflo.connections); change it there. Its password is asked when it connects and kept in secret storage.');
    await this.stored.updateDatasource(id, changes);
  }

  async removeDatasource(id: string): Promise<void> {
    if (isDeclared(id)) throw nocofloError('read_only', 'This connection is declared in the workspace settings (nocoflo.connections); remove it there.');
    await this.stored.removeDatasource(id);
  }

  private declaredRecords(): DatasourceRecord[] {
    // Settings may name a scheme ("sqlite"); records always carry the plugin id.
    return this.declared().map((r) => ({ ...r, type: this.resolveType(r.type) }));
  }
}
