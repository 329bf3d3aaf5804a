// Named statements per connection (table `saved_queries`, metadata migration 4). A name is unique per connection;
// a save never replaces a different text unless the caller says the user agreed to overwrite it.
import type { SqlValue } from 'sql.js';
import { nocofloError } from '../pluginErrors';
import { timestamp, type MetadataAccess } from '../metadata/metadataAccess';

export interface SavedQuery {
  datasourceId: string;
  name: string;
  text: string;
}

export const SAVED_QUERY_NAME_LIMIT = 200;

/** Why a name cannot be used, or undefined when it can (before uniqueness, which needs the store). */
export function savedQueryNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'A saved query needs a name.';
  if (trimmed.length > SAVED_QUERY_NAME_LIMIT) return `A saved query's name has at most ${SAVED_QUERY_NAME_LIMIT} characters.`;
  return undefined;
}

function checkedName(name: string): string {
  const problem = savedQueryNameProblem(name);
  if (problem) throw nocofloError('invalid_value', problem);
  return name.trim();
}

const toQuery = (r: Record<string, SqlValue>): SavedQuery => ({ datasourceId: String(r.datasource_id), name: String(r.name), text: String(r.text) });

/** "Revenue (2)", "Revenue (3)", …: the first name the connection does not use yet. */
export function freeName(taken: ReadonlySet<string>, name: string): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}

export class SavedQueryStore {
  constructor(private readonly metadata: MetadataAccess) {}

  /** Ordered by connection, then name (case-insensitively, as the tree shows them). */
  list(datasourceId?: string): SavedQuery[] {
    const rows =
      datasourceId === undefined
        ? this.metadata.rows('SELECT datasource_id, name, text FROM saved_queries ORDER BY datasource_id, name COLLATE NOCASE, name')
        : this.metadata.rows('SELECT datasource_id, name, text FROM saved_queries WHERE datasource_id = ? ORDER BY name COLLATE NOCASE, name', [datasourceId]);
    return rows.map(toQuery);
  }

  get(datasourceId: string, name: string): SavedQuery | undefined {
    const row = this.metadata.rows('SELECT datasource_id, name, text FROM saved_queries WHERE datasource_id = ? AND name = ?', [datasourceId, name])[0];
    return row ? toQuery(row) : undefined;
  }

  /**
   * Stores `text` under `name`. A name the connection already uses for a different text is a 'conflict' unless
   * `overwrite` (the user confirmed); saving the same text again changes nothing.
   */
  async save(query: SavedQuery, options: { overwrite?: boolean } = {}): Promise<SavedQuery> {
    const name = checkedName(query.name);
    if (query.text.trim() === '') throw nocofloError('invalid_value', 'A saved query needs a statement.');
    return this.metadata.write((db) => {
      const existing = db.exec('SELECT text FROM saved_queries WHERE datasource_id = ? AND name = ?', [query.datasourceId, name])[0]?.values[0]?.[0];
      const at = timestamp();
      if (existing === undefined) {
        db.run('INSERT INTO saved_queries (datasource_id, name, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [query.datasourceId, name, query.text, at, at]);
      } else if (existing !== query.text) {
        if (!options.overwrite) throw nocofloError('conflict', `A saved query named "${name}" already exists on this connection with a different statement.`);
        db.run('UPDATE saved_queries SET text = ?, updated_at = ? WHERE datasource_id = ? AND name = ?', [query.text, at, query.datasourceId, name]);
      }
      return { datasourceId: query.datasourceId, name, text: query.text };
    });
  }

  /** Replaces the statement of an existing saved query. */
  async updateText(datasourceId: string, name: string, text: string): Promise<void> {
    if (text.trim() === '') throw nocofloError('invalid_value', 'A saved query needs a statement.');
    await this.metadata.write((db) => {
      db.run('UPDATE saved_queries SET text = ?, updated_at = ? WHERE datasource_id = ? AND name = ?', [text, timestamp(), datasourceId, name]);
      if (db.getRowsModified() === 0) throw nocofloError('not_found', `There is no saved query named "${name}" on this connection.`);
    });
  }

  /** Renames within the connection; a name already used there is a 'conflict' (nothing is replaced). */
  async rename(datasourceId: string, from: string, to: string): Promise<string> {
    const name = checkedName(to);
    if (name === from) return name;
    return this.metadata.write((db) => {
      if (db.exec('SELECT 1 FROM saved_queries WHERE datasource_id = ? AND name = ?', [datasourceId, name]).length > 0) {
        throw nocofloError('conflict', `A saved query named "${name}" already exists on this connection.`);
      }
      db.run('UPDATE saved_queries SET name = ?, updated_at = ? WHERE datasource_id = ? AND name = ?', [name, timestamp(), datasourceId, from]);
      if (db.getRowsModified() === 0) throw nocofloError('not_found', `There is no saved query named "${from}" on this connection.`);
      return name;
    });
  }

  async delete(datasourceId: string, name: string): Promise<void> {
    await this.metadata.write((db) => db.run('DELETE FROM saved_queries WHERE datasource_id = ? AND name = ?', [datasourceId, name]));
  }
}
