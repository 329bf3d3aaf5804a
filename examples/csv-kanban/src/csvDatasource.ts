// A datasource plugin: a folder of CSV files, one table per *.csv file. Written only against Nocoflo's public API
// types (@nocoflo/api) and Node; no `vscode` import, so the conformance suite runs it in plain Node.
//
// Each file is read whole into memory; sorting, filtering, search and paging happen there with the contract's
// semantics. Writes rewrite the whole file atomically (a temp file in the same folder, then rename) and refuse
// with 'stale_file' when another program changed the file since this session read it.
import { randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type {
  CellValue,
  ColumnKind,
  ColumnSchema,
  CountRequest,
  DatasourceConfig,
  DatasourceContext,
  DatasourceError,
  DatasourceErrorCode,
  DatasourcePlugin,
  DatasourceSession,
  DatasourceWriter,
  Filter,
  ReadRowsRequest,
  RowCount,
  RowKey,
  RowPage,
  RowValues,
  SortKey,
  TableInfo,
  TableRef,
  TableSchema,
} from '@nocoflo/api';
import { type CsvField, CsvSyntaxError, formatCsv, parseCsv } from './csv';

export const CSV_DATASOURCE_ID = 'nocoflo-examples.csv';
/** Files above this size are refused: everything is held in memory. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

function error(code: DatasourceErrorCode, message: string, extra: Partial<DatasourceError> = {}): DatasourceError {
  return Object.assign(new Error(message), { code, name: 'DatasourceError' }, extra) as DatasourceError;
}

export function createCsvDatasource(extensionId?: string): DatasourcePlugin {
  return {
    id: CSV_DATASOURCE_ID,
    displayName: 'CSV folder',
    version: '0.1.0',
    apiVersion: '1.2.0',
    ...(extensionId ? { extensionId } : {}),
    description: 'Every *.csv file of a folder is a table.',
    schemes: ['csv'],
    icon: 'file-directory',
    configFields: [
      { key: 'folder', label: 'Folder', type: 'file', required: true, placeholder: '/path/to/folder', description: 'A folder holding .csv files (relative paths start at the workspace folder).' },
      { key: 'key', label: 'Key column', type: 'string', placeholder: 'id', description: 'The column whose values identify rows. Default: a column named "id". Without one, tables are read only.' },
    ],
    parseUrl: parseCsvUrl,
    async testConnection(config, _secrets, context) {
      const folder = await checkFolder(config, context);
      const files = await csvFiles(folder);
      return { ok: true, message: `${files.length} CSV file${files.length === 1 ? '' : 's'} in ${folder}` };
    },
    async connect(config, _secrets, context) {
      const folder = await checkFolder(config, context);
      const key = typeof config.key === 'string' && config.key.trim() !== '' ? config.key.trim() : undefined;
      return new CsvSession(folder, key);
    },
  };
}

/** `csv:///path/to/folder` (optionally `?key=column`) → config. */
export function parseCsvUrl(url: string): { config: DatasourceConfig; secrets: Record<string, string> } {
  const match = /^csv:(.*)$/i.exec(url.trim());
  if (!match) throw error('invalid_value', `Not a CSV folder URL: expected csv:///path/to/folder, got "${url}".`);
  const [rest, query] = match[1]!.split('?', 2) as [string, string | undefined];
  let folder = decodeURIComponent(rest.replace(/^\/\/(?=\/)/, ''));
  if (/^\/[A-Za-z]:[\\/]/.test(folder)) folder = folder.slice(1); // csv:///C:/data on Windows
  if (folder === '') throw error('invalid_value', 'The CSV URL names no folder: write csv:///path/to/folder.');
  const config: DatasourceConfig = { folder };
  const key = query ? new URLSearchParams(query).get('key') : null;
  if (key) config.key = key;
  return { config, secrets: {} };
}

async function checkFolder(config: DatasourceConfig, context: DatasourceContext): Promise<string> {
  const given = typeof config.folder === 'string' ? config.folder.trim() : '';
  if (given === '') throw error('invalid_value', 'Choose the folder that holds the CSV files.');
  const folder = path.isAbsolute(given) ? given : path.resolve(context.workspaceFolders[0] ?? process.cwd(), given);
  let stats: Stats;
  try {
    stats = await fs.stat(folder);
  } catch {
    throw error('not_found', `The folder ${folder} does not exist.`);
  }
  if (!stats.isDirectory()) throw error('invalid_value', `${folder} is a file, not a folder: choose the folder that holds the CSV files.`);
  return folder;
}

async function csvFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.csv$/i.test(e.name))
    .map((e) => e.name)
    .sort();
}

// ---------------------------------------------------------------------------------------------------------------
// One loaded file
// ---------------------------------------------------------------------------------------------------------------

interface Row {
  /** Position in the file, the order of tables without a key. */
  index: number;
  values: CellValue[];
}

interface LoadedTable {
  file: string;
  /** The file's text and stats when read (or last written by us): what a write compares against. */
  text: string;
  stamp: string;
  newline: '\r\n' | '\n';
  schema: TableSchema;
  rows: Row[];
  /** Column index of the row key, or -1. */
  keyIndex: number;
}

const stampOf = (s: Stats) => `${s.ino}:${s.size}:${s.mtimeMs}`;

/**
 * A column's type is the narrowest that every non-NULL value spells exactly as it would be written back:
 * "7" is an integer, "007" and "1.50" stay text, so rewriting a file never changes a value nobody edited.
 */
function inferKind(values: CsvField[]): ColumnKind {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return 'text';
  if (present.every((v) => /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) && String(Number(v)) === v)) return 'integer';
  if (present.every((v) => /^-?[\d.e+-]+$/i.test(v) && Number.isFinite(Number(v)) && String(Number(v)) === v)) return 'float';
  return 'text';
}

function toCell(field: CsvField, kind: ColumnKind): CellValue {
  return field === null || kind === 'text' ? field : Number(field);
}

function toField(value: CellValue): CsvField {
  return value === null ? null : String(value);
}

function parseTable(file: string, ref: TableRef, text: string, stamp: string, keyName: string | undefined): LoadedTable {
  let doc;
  try {
    doc = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw error('invalid_value', `${path.basename(file)} is not valid CSV: ${e.message}.`);
    throw e;
  }
  const kinds = doc.header.map((_, c) => inferKind(doc.records.map((r) => r[c]!)));
  const rows = doc.records.map((record, index) => ({ index, values: record.map((f, c) => toCell(f, kinds[c]!)) }));
  const wanted = keyName ?? 'id';
  let keyIndex = doc.header.indexOf(wanted);
  let readOnlyReason: string | undefined;
  if (keyIndex < 0) {
    readOnlyReason = keyName
      ? `The key column "${keyName}" is not in ${path.basename(file)}; rows cannot be addressed, so the table is read only.`
      : `${path.basename(file)} has no "id" column; name a key column in the connection to edit it.`;
  } else {
    const seen = new Set<CellValue>();
    for (const row of rows) {
      const key = row.values[keyIndex]!;
      if (key === null || seen.has(key)) {
        readOnlyReason = `The key column "${wanted}" of ${path.basename(file)} has ${key === null ? 'an empty value' : `the value ${String(key)} twice`}; the table is read only until keys are unique.`;
        break;
      }
      seen.add(key);
    }
  }
  if (readOnlyReason) keyIndex = -1;
  const columns: ColumnSchema[] = doc.header.map((name, c) => ({
    name,
    declaredType: kinds[c]!,
    kind: kinds[c]!,
    nullable: c !== keyIndex,
    ...(c === keyIndex ? { primaryKeyPosition: 1, ...(kinds[c] === 'integer' ? { autoIncrement: true } : {}) } : {}),
  }));
  const key = keyIndex >= 0 ? doc.header[keyIndex]! : undefined;
  const schema: TableSchema = {
    table: ref,
    kind: 'table',
    columns,
    primaryKey: key ? [key] : [],
    foreignKeys: [],
    ...(key ? { rowKey: { columns: [key] } } : { readOnlyReason: readOnlyReason! }),
  };
  return { file, text, stamp, newline: doc.newline, schema, rows, keyIndex };
}

// ---------------------------------------------------------------------------------------------------------------
// Sorting and filtering with the contract's rules
// ---------------------------------------------------------------------------------------------------------------

/** NULL first, numbers by value, text by code unit (the same order in every locale). */
function compareValues(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A filter operand as the column holds values: "7" for an integer column is 7. */
function operand(value: CellValue | undefined, kind: ColumnKind): CellValue {
  if (value === undefined) return null;
  if (kind !== 'text' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function matches(v: CellValue, op: Filter['op'], x: CellValue, list: CellValue[]): boolean {
  const lower = (s: CellValue) => String(s).toLowerCase();
  switch (op) {
    case 'eq':
      return x === null ? v === null : v === x;
    case 'ne':
      // "Not equal to X" keeps NULLs.
      return x === null ? v !== null : v !== x;
    case 'lt':
      return v !== null && x !== null && compareValues(v, x) < 0;
    case 'lte':
      return v !== null && x !== null && compareValues(v, x) <= 0;
    case 'gt':
      return v !== null && x !== null && compareValues(v, x) > 0;
    case 'gte':
      return v !== null && x !== null && compareValues(v, x) >= 0;
    case 'contains':
      return v !== null && lower(v).includes(lower(x));
    case 'startswith':
      return v !== null && lower(v).startsWith(lower(x));
    case 'endswith':
      return v !== null && lower(v).endsWith(lower(x));
    case 'isnull':
      return v === null;
    case 'notnull':
      return v !== null;
    case 'in':
      return list.some((item) => (item === null ? v === null : item === v));
  }
}

const OPERATORS = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startswith', 'endswith', 'isnull', 'notnull', 'in']);

function columnIndex(table: LoadedTable, name: string, what: string): number {
  const index = table.schema.columns.findIndex((c) => c.name === name);
  if (index < 0) throw error('invalid_value', `${what}: ${path.basename(table.file)} has no column "${name}".`);
  return index;
}

function selectRows(table: LoadedTable, filters: readonly Filter[] = [], search?: { text: string; columns?: string[] }): Row[] {
  const tests = filters.map((f) => {
    if (!OPERATORS.has(f.op)) throw error('invalid_value', `Unknown filter operator "${String(f.op)}".`);
    const c = columnIndex(table, f.column, 'Filter');
    const kind = table.schema.columns[c]!.kind;
    if (f.op === 'in' && !Array.isArray(f.value)) throw error('invalid_value', `The "in" filter on "${f.column}" needs a list of values.`);
    const list = Array.isArray(f.value) ? f.value.map((v) => operand(v, kind)) : [];
    const x = Array.isArray(f.value) ? null : operand(f.value, kind);
    return (row: Row) => matches(row.values[c]!, f.op, x, list);
  });
  if (search && search.text !== '') {
    const needle = search.text.toLowerCase();
    const columns = search.columns ? search.columns.map((name) => columnIndex(table, name, 'Search')) : table.schema.columns.flatMap((col, i) => (col.kind === 'text' ? [i] : []));
    tests.push((row) => columns.some((c) => row.values[c] !== null && String(row.values[c]).toLowerCase().includes(needle)));
  }
  return table.rows.filter((row) => tests.every((t) => t(row)));
}

/** The order the contract promises: the sort keys (NULLs first ascending), then the row key ascending. */
function comparator(table: LoadedTable, sort: readonly SortKey[]): (a: Row, b: Row) => number {
  const keys = sort.map((s) => ({ c: columnIndex(table, s.column, 'Sort'), sign: s.direction === 'desc' ? -1 : 1 }));
  const k = table.keyIndex;
  return (a, b) => {
    for (const { c, sign } of keys) {
      const cmp = compareValues(a.values[c]!, b.values[c]!);
      if (cmp !== 0) return sign * cmp;
    }
    return k >= 0 ? compareValues(a.values[k]!, b.values[k]!) : a.index - b.index;
  };
}

/** A cursor names the last row returned (its sort values and key, or its file position) and the query it belongs to. */
interface Cursor {
  q: string;
  last: CellValue[];
  index: number;
}

function queryId(table: TableRef, request: ReadRowsRequest): string {
  return JSON.stringify([table.name, request.sort ?? [], request.filters ?? [], request.search ?? null], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, q: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (cursor.q === q && Array.isArray(cursor.last) && typeof cursor.index === 'number') return cursor;
  } catch {
    // Reported below.
  }
  throw error('invalid_value', 'This continuation belongs to another table or query; read from the start again.');
}

// ---------------------------------------------------------------------------------------------------------------
// The session
// ---------------------------------------------------------------------------------------------------------------

export class CsvSession implements DatasourceSession {
  readonly capabilities = { insert: true, update: true, delete: true, transactions: true, aggregate: false, schemas: false, cheapCount: true };
  readonly description: string;
  private readonly tables = new Map<string, LoadedTable>();
  private closed = false;
  /** Writes run one at a time, so two saves never interleave their read-check-rename steps. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly keyName: string | undefined,
  ) {
    this.description = folder;
  }

  async listTables(): Promise<TableInfo[]> {
    this.checkOpen();
    return (await csvFiles(this.folder)).map((name) => ({ ref: { name: name.replace(/\.csv$/i, '') }, kind: 'table' }));
  }

  async getSchema(table: TableRef): Promise<TableSchema> {
    return (await this.load(table)).schema;
  }

  async readRows(table: TableRef, request: ReadRowsRequest): Promise<RowPage> {
    const loaded = await this.load(table);
    if (!Number.isInteger(request.limit) || request.limit < 0) throw error('invalid_value', `A page limit must be a whole number, not ${request.limit}.`);
    const order = comparator(loaded, request.sort ?? []);
    const rows = selectRows(loaded, request.filters, request.search).sort(order);
    const q = queryId(table, request);
    let start: number;
    if (request.after) {
      const cursor = decodeCursor(request.after, q);
      const last: Row = { index: cursor.index, values: cursor.last };
      // The first row after the last one returned, by the same order: rows inserted or deleted meanwhile neither
      // repeat nor skip the rows that stayed.
      start = rows.findIndex((row) => order(row, last) > 0);
      if (start < 0) start = rows.length;
    } else {
      start = Math.max(0, Math.floor(request.offset ?? 0));
    }
    const page = rows.slice(start, start + request.limit);
    const columns = loaded.schema.columns.map((c) => c.name);
    const k = loaded.keyIndex;
    const result: RowPage = {
      columns,
      rows: page.map((r) => [...r.values]),
      keys: page.map((r) => (k >= 0 ? { [columns[k]!]: r.values[k]! } : null)),
      offset: start,
    };
    const lastRow = page[page.length - 1];
    if (lastRow && start + page.length < rows.length) result.next = encodeCursor({ q, last: lastRow.values, index: lastRow.index });
    return result;
  }

  async countRows(table: TableRef, request: CountRequest = {}): Promise<RowCount> {
    const loaded = await this.load(table);
    return { count: selectRows(loaded, request.filters, request.search).length, exact: true };
  }

  insertRow(table: TableRef, values: RowValues): Promise<{ key: RowKey | null; row?: RowValues }> {
    return this.transaction((tx) => tx.insertRow(table, values));
  }

  updateRow(table: TableRef, key: RowKey, changes: RowValues, expected: RowValues): Promise<{ row?: RowValues }> {
    return this.transaction((tx) => tx.updateRow(table, key, changes, expected));
  }

  deleteRow(table: TableRef, key: RowKey, expected: RowValues): Promise<void> {
    return this.transaction((tx) => tx.deleteRow(table, key, expected));
  }

  /**
   * All changes of `work` apply to copies of the tables; the files are written only when all of them succeeded.
   * Each file is replaced atomically; a batch touching several files could stop between two renames, but every
   * Nocoflo save names one table.
   */
  transaction<T>(work: (tx: DatasourceWriter) => Promise<T>): Promise<T> {
    const run = async () => {
      this.checkOpen();
      const drafts = new Map<string, LoadedTable>();
      const draft = async (ref: TableRef) => {
        const loaded = await this.load(ref, { forWrite: true });
        let copy = drafts.get(loaded.file);
        if (!copy) {
          if (loaded.keyIndex < 0) throw error('read_only', loaded.schema.readOnlyReason ?? 'This table is read only.');
          copy = { ...loaded, rows: loaded.rows.map((r) => ({ index: r.index, values: [...r.values] })) };
          drafts.set(loaded.file, copy);
        }
        return copy;
      };
      const result = await work(writer(draft));
      for (const [file, copy] of drafts) {
        const text = formatCsv(
          copy.schema.columns.map((c) => c.name),
          copy.rows.map((r) => r.values.map(toField)),
          copy.newline,
        );
        await this.ensureUnchanged(copy);
        await writeAtomically(file, text);
        const stats = await fs.stat(file);
        this.tables.set(file, { ...copy, text, stamp: stampOf(stats) });
      }
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.tables.clear();
  }

  private checkOpen(): void {
    if (this.closed) throw error('connection', 'This CSV folder session is closed.');
  }

  private fileOf(table: TableRef): string {
    const name = table.name;
    if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || /[\\/\0]/.test(name)) {
      throw error('not_found', `There is no table "${String(name)}" in ${this.folder}.`);
    }
    return path.join(this.folder, `${name}.csv`);
  }

  /**
   * The table as the file holds it now. Reads pick up changes made by other programs (the file's inode, size and
   * modification time changed); writes refuse them instead, because the user edited what they saw before.
   */
  private async load(table: TableRef, options: { forWrite?: boolean } = {}): Promise<LoadedTable> {
    this.checkOpen();
    const file = this.fileOf(table);
    let stats: Stats;
    try {
      stats = await fs.stat(file);
    } catch {
      throw error('not_found', `There is no file ${path.basename(file)} in ${this.folder} (any more).`);
    }
    const known = this.tables.get(file);
    if (known && known.stamp === stampOf(stats)) return known;
    if (known && options.forWrite) throw staleFile(file);
    if (stats.size > MAX_FILE_BYTES) throw error('too_large', `${path.basename(file)} has ${stats.size} bytes; this example reads files up to ${MAX_FILE_BYTES} bytes into memory.`);
    const text = await fs.readFile(file, 'utf8');
    const loaded = parseTable(file, { name: table.name }, text, stampOf(stats), this.keyName);
    this.tables.set(file, loaded);
    return loaded;
  }

  /** Right before the rename: the file still holds exactly what this session last read or wrote. */
  private async ensureUnchanged(table: LoadedTable): Promise<void> {
    let now: string;
    try {
      now = await fs.readFile(table.file, 'utf8');
    } catch {
      throw staleFile(table.file);
    }
    if (now !== table.text) throw staleFile(table.file);
  }
}

function staleFile(file: string): DatasourceError {
  return error('stale_file', `${path.basename(file)} changed on disk since Nocoflo read it; nothing was written. Refresh to see the file as it is now, then edit again.`);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  // The new file keeps the old one's permissions.
  const mode = (await fs.stat(file)).mode & 0o7777;
  const handle = await fs.open(temp, 'wx', mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Row changes on a draft table
// ---------------------------------------------------------------------------------------------------------------

/** A value as a column of `kind` stores it, or an 'invalid_value' error naming the column. */
function coerce(value: CellValue, column: ColumnSchema): CellValue {
  if (value === null) {
    if (!column.nullable) throw error('constraint', `"${column.name}" is the key column and cannot be empty.`, { column: column.name });
    return null;
  }
  if (column.kind === 'text') {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    throw error('invalid_value', `"${column.name}" holds text; binary values cannot be stored in a CSV file.`, { column: column.name });
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'bigint' ? Number(value) : value;
  const ok = typeof n === 'number' && Number.isFinite(n) && (column.kind === 'float' || Number.isSafeInteger(n));
  if (!ok) throw error('invalid_value', `"${column.name}" holds ${column.kind === 'integer' ? 'whole numbers' : 'numbers'}; ${JSON.stringify(String(value))} is not one.`, { column: column.name });
  return n;
}

function recordOf(table: LoadedTable, row: Row): RowValues {
  return Object.fromEntries(table.schema.columns.map((c, i) => [c.name, row.values[i]!]));
}

function writer(draft: (ref: TableRef) => Promise<LoadedTable>): DatasourceWriter {
  const columnFor = (table: LoadedTable, name: string) => {
    const index = columnIndex(table, name, 'Write');
    return { index, column: table.schema.columns[index]! };
  };
  const find = (table: LoadedTable, key: RowKey) => {
    const keyColumn = table.schema.columns[table.keyIndex]!;
    if (!(keyColumn.name in key)) throw error('invalid_value', `The row key needs "${keyColumn.name}".`);
    const wanted = coerce(key[keyColumn.name]!, keyColumn);
    return table.rows.findIndex((r) => r.values[table.keyIndex] === wanted);
  };
  /** The stored row agrees with every value the user read, or nothing changes. */
  const checkExpected = (table: LoadedTable, at: number, expected: RowValues) => {
    const row = table.rows[at];
    if (!row) throw error('conflict', 'The row was deleted since it was read.', { current: null });
    for (const [name, value] of Object.entries(expected)) {
      const { index, column } = columnFor(table, name);
      let want: CellValue;
      try {
        want = coerce(value, { ...column, nullable: true });
      } catch {
        want = value;
      }
      if (row.values[index] !== want) {
        throw error('conflict', `The row changed since it was read: "${name}" is now ${JSON.stringify(row.values[index])}.`, { current: recordOf(table, row) });
      }
    }
  };
  const unique = (table: LoadedTable, value: CellValue, except?: Row) => {
    if (table.rows.some((r) => r !== except && r.values[table.keyIndex] === value)) {
      const name = table.schema.columns[table.keyIndex]!.name;
      throw error('constraint', `Another row already has ${name} ${String(value)}.`, { column: name });
    }
  };
  return {
    async insertRow(ref, values) {
      const table = await draft(ref);
      const row: Row = { index: table.rows.reduce((max, r) => Math.max(max, r.index + 1), 0), values: table.schema.columns.map(() => null) };
      for (const [name, value] of Object.entries(values)) {
        const { index, column } = columnFor(table, name);
        row.values[index] = coerce(value, column);
      }
      const keyColumn = table.schema.columns[table.keyIndex]!;
      if (row.values[table.keyIndex] === null) {
        if (!keyColumn.autoIncrement) throw error('constraint', `A new row needs a value in the key column "${keyColumn.name}".`, { column: keyColumn.name });
        row.values[table.keyIndex] = table.rows.reduce((max, r) => Math.max(max, r.values[table.keyIndex] as number), 0) + 1;
      }
      unique(table, row.values[table.keyIndex]!);
      table.rows.push(row);
      return { key: { [keyColumn.name]: row.values[table.keyIndex]! }, row: recordOf(table, row) };
    },
    async updateRow(ref, key, changes, expected) {
      const table = await draft(ref);
      const at = find(table, key);
      checkExpected(table, at, expected);
      const row = table.rows[at]!;
      const values = [...row.values];
      for (const [name, value] of Object.entries(changes)) {
        const { index, column } = columnFor(table, name);
        values[index] = coerce(value, column);
      }
      unique(table, values[table.keyIndex]!, row);
      row.values = values;
      return { row: recordOf(table, row) };
    },
    async deleteRow(ref, key, expected) {
      const table = await draft(ref);
      const at = find(table, key);
      checkExpected(table, at, expected);
      table.rows.splice(at, 1);
    },
  };
}
