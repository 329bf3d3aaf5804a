// "Nocoflo: Create Plugin…": the files of a new plugin extension, a datasource or a view, written against the
// public API types only. Pure (no vscode, no file system) so the same templates are unit-tested and then built and
// tested for real by the scaffold integration test, the way an author would after generating them.

export type ScaffoldKind = 'datasource' | 'view';

export interface ScaffoldOptions {
  kind: ScaffoldKind;
  /** npm-style package name, e.g. "acme-notes". */
  name: string;
  /** Publisher id for the VS Code manifest. */
  publisher: string;
  /** The API version the plugin is written against ("1.2.0"). */
  apiVersion: string;
  /** How package.json refers to the API types package: a registry version or a "file:" path. */
  apiDependency: string;
  /** Versions of the build and test tools, taken from Nocoflo's own so the scaffold builds with what it ships. */
  toolVersions: { esbuild: string; typescript: string; mocha: string; typesMocha: string; typesNode: string; typesVscode: string };
}

const NAME = /^[a-z][a-z0-9-]{1,50}$/;

/** Why a name cannot be used, or undefined. */
export function scaffoldNameProblem(name: string): string | undefined {
  return NAME.test(name) ? undefined : 'Use 2–51 lower-case letters, digits and dashes, starting with a letter (it becomes the package name).';
}

const title = (name: string) => name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The files to write, by path relative to the new folder. */
export function scaffoldPlugin(options: ScaffoldOptions): Record<string, string> {
  const problem = scaffoldNameProblem(options.name);
  if (problem) throw new Error(problem);
  const files: Record<string, string> = {
    'package.json': packageJson(options),
    'tsconfig.json': json({
      compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, noEmit: true, skipLibCheck: true, lib: ['ES2022', 'DOM'], types: ['node', 'mocha', 'vscode'] },
      include: ['src', 'test'],
    }),
    'esbuild.mjs': ESBUILD,
    '.vscodeignore': 'src/**\ntest/**\nout/**\nnode_modules/**\ntsconfig.json\nesbuild.mjs\n',
    '.gitignore': 'node_modules/\ndist/\nout/\n*.vsix\n',
    'README.md': readme(options),
  };
  if (options.kind === 'datasource') {
    files['src/extension.ts'] = extensionTs(options, 'registerDatasource(createNotesDatasource())', "import { createNotesDatasource } from './notesDatasource';");
    files['src/notesDatasource.ts'] = notesDatasource(options);
    files['test/notesDatasource.test.ts'] = NOTES_TEST;
  } else {
    files['src/extension.ts'] = extensionTs(options, 'registerView(createRecordListView(context.extensionPath))', "import { createRecordListView } from './recordListView';");
    files['src/recordListView.ts'] = recordListView(options);
    files['media/view.js'] = VIEW_SCRIPT;
    files['media/view.css'] = VIEW_CSS;
    files['test/recordListView.test.ts'] = VIEW_TEST;
  }
  return files;
}

function packageJson(o: ScaffoldOptions): string {
  return json({
    name: o.name,
    displayName: title(o.name),
    description: o.kind === 'datasource' ? 'A Nocoflo datasource: JSON files of records as tables.' : 'A Nocoflo view: the records of a table as a list.',
    version: '0.0.1',
    publisher: o.publisher,
    license: 'MIT',
    engines: { vscode: '^1.100.0' },
    main: './dist/extension.js',
    // Nocoflo activates the extensions that depend on it, so no activation event is needed here.
    activationEvents: [],
    extensionDependencies: ['nocoflo.nocoflo'],
    scripts: {
      build: 'node esbuild.mjs',
      typecheck: 'tsc -p .',
      test: 'node esbuild.mjs --tests && mocha out/test/*.test.js',
      package: 'vsce package --no-dependencies',
    },
    devDependencies: {
      '@nocoflo/api': o.apiDependency,
      '@types/mocha': o.toolVersions.typesMocha,
      '@types/node': o.toolVersions.typesNode,
      '@types/vscode': o.toolVersions.typesVscode,
      esbuild: o.toolVersions.esbuild,
      mocha: o.toolVersions.mocha,
      typescript: o.toolVersions.typescript,
    },
  });
}

const ESBUILD = `// Bundles the extension (and, with --tests, the tests) with esbuild. Types are checked by \`npm run typecheck\`.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, external: ['vscode'], logLevel: 'warning' };
await esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' });
if (process.argv.includes('--tests')) {
  const tests = readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => \`test/\${f}\`);
  await esbuild.build({ ...common, entryPoints: tests, outdir: 'out/test' });
}
`;

function extensionTs(o: ScaffoldOptions, registration: string, importLine: string): string {
  const major = o.apiVersion.split('.')[0];
  return `// Registers the plugin with Nocoflo through its public API (the same door Nocoflo's own plugins use).
import type { Disposable, NocofloApi } from '@nocoflo/api';
import * as vscode from 'vscode';
${importLine}

/** Everything the plugin registers. Nocoflo's dev mode (nocoflo.dev.pluginFolders) calls it again after a rebuild. */
export function register(api: NocofloApi, extensionPath = __dirname + '/..'): Disposable[] {
  if (!api.apiVersion.startsWith('${major}.')) throw new Error(\`${title(o.name)} needs Nocoflo API ${major}.x, found \${api.apiVersion}.\`);
  return [api.${registration.replace('context.extensionPath', 'extensionPath')}];
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const nocoflo = vscode.extensions.getExtension<NocofloApi>('nocoflo.nocoflo');
  if (!nocoflo) throw new Error('${title(o.name)} needs the Nocoflo extension.');
  context.subscriptions.push(...register(await nocoflo.activate(), context.extensionPath));
}

export function deactivate(): void {
  // The registration is disposed through context.subscriptions: Nocoflo forgets the plugin.
}
`;
}

function notesDatasource(o: ScaffoldOptions): string {
  return `// A datasource that shows every JSON file of a folder (an array of objects with an "id") as a table. Read-only:
// add insertRow/updateRow/deleteRow (with the \`expected\` conflict check) to make it writable.
import type { CellValue, ColumnSchema, DatasourcePlugin, DatasourceSession, RowPage, TableRef } from '@nocoflo/api';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

type Row = Record<string, CellValue>;
const fail = (code: string, message: string) => Object.assign(new Error(message), { code });

function load(folder: string, table: TableRef): Row[] {
  const data: unknown = JSON.parse(readFileSync(path.join(folder, \`\${table.name}.json\`), 'utf8'));
  if (!Array.isArray(data)) throw fail('bad_response', \`\${table.name}.json does not hold an array.\`);
  return data.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || typeof v !== 'object' ? (v as CellValue) : JSON.stringify(v)])));
}

function columnsOf(rows: Row[]): ColumnSchema[] {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return names.map((name) => {
    const kinds = new Set(rows.map((r) => r[name]).filter((v) => v !== null && v !== undefined).map((v) => typeof v));
    const kind = kinds.size === 1 && kinds.has('number') ? 'float' : kinds.size === 1 && kinds.has('boolean') ? 'boolean' : 'text';
    return { name, declaredType: kind, kind, nullable: name !== 'id', ...(name === 'id' ? { primaryKeyPosition: 1 } : {}) };
  });
}

function session(folder: string): DatasourceSession {
  const readOnly = async (): Promise<never> => Promise.reject(fail('read_only', 'This datasource is read-only.'));
  return {
    capabilities: { insert: false, update: false, delete: false, transactions: false, aggregate: false, schemas: false, cheapCount: true },
    description: folder,
    listTables: async () => readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => ({ ref: { name: f.slice(0, -5) }, kind: 'table' as const })),
    getSchema: async (table) => ({ table, kind: 'table', columns: columnsOf(load(folder, table)), primaryKey: ['id'], foreignKeys: [], rowKey: { columns: ['id'] }, readOnlyReason: 'JSON files are shown read-only.' }),
    readRows: async (table, request): Promise<RowPage> => {
      const rows = load(folder, table);
      const columns = columnsOf(rows).map((c) => c.name);
      const start = request.after !== undefined ? Number(request.after) : (request.offset ?? 0);
      const page = rows.slice(start, start + request.limit);
      const end = start + page.length;
      return { columns, rows: page.map((r) => columns.map((c) => r[c] ?? null)), keys: page.map((r) => ({ id: r.id ?? null })), offset: start, ...(end < rows.length ? { next: String(end) } : {}) };
    },
    countRows: async (table) => ({ count: load(folder, table).length, exact: true }),
    insertRow: readOnly,
    updateRow: readOnly,
    deleteRow: readOnly,
    close: async () => undefined,
  };
}

export function createNotesDatasource(): DatasourcePlugin {
  return {
    id: '${o.publisher}.${o.name}',
    displayName: '${title(o.name)}',
    version: '0.0.1',
    apiVersion: '${o.apiVersion}',
    schemes: ['${o.name.replace(/-/g, '')}'],
    icon: 'json',
    configFields: [{ key: 'folder', label: 'Folder', type: 'file', required: true, description: 'A folder of JSON files.' }],
    parseUrl: (url) => ({ config: { folder: decodeURIComponent(new URL(url).pathname) }, secrets: {} }),
    testConnection: async (config) => ({ ok: true, message: \`\${readdirSync(String(config.folder)).filter((f) => f.endsWith('.json')).length} JSON files.\` }),
    connect: async (config) => session(String(config.folder)),
  };
}
`;
}

const NOTES_TEST = `// The datasource in plain Node, on a real folder. For the full contract, run Nocoflo's conformance suite
// (test/conformance/datasourceConformance.ts in the Nocoflo repository) against it as well.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createNotesDatasource } from '../src/notesDatasource';

describe('notes datasource', () => {
  it('lists JSON files as tables and pages through their records once each', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'notes-'));
    const notes = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, title: \`note \${i + 1}\`, done: i % 2 === 0 }));
    writeFileSync(path.join(folder, 'notes.json'), JSON.stringify(notes));
    const session = await createNotesDatasource().connect({ folder }, {}, { workspaceFolders: [], log: () => undefined });
    assert.deepEqual((await session.listTables()).map((t) => t.ref.name), ['notes']);
    const schema = await session.getSchema({ name: 'notes' });
    assert.deepEqual(schema.columns.map((c) => [c.name, c.kind]), [['id', 'float'], ['title', 'text'], ['done', 'boolean']]);
    const ids: unknown[] = [];
    let after: string | undefined;
    do {
      const page = await session.readRows({ name: 'notes' }, { limit: 10, ...(after ? { after } : {}) });
      ids.push(...page.rows.map((r) => r[0]));
      after = page.next;
    } while (after);
    assert.deepEqual(ids, notes.map((n) => n.id));
    await assert.rejects(session.updateRow({ name: 'notes' }, { id: 1 }, { title: 'x' }, { title: 'note 1' }), /read-only/);
  });
});
`;

function recordListView(o: ScaffoldOptions): string {
  return `// A view plugin: the records of any table as a simple list, rendered by media/view.js in the webview.
import type { TableSchema, ViewPlugin } from '@nocoflo/api';
import * as path from 'node:path';

export function createRecordListView(extensionPath: string): ViewPlugin {
  return {
    id: '${o.publisher}.${o.name}',
    displayName: '${title(o.name)}',
    version: '0.0.1',
    apiVersion: '${o.apiVersion}',
    icon: 'list-flat',
    // Below Nocoflo's table view (100), so it opens only when chosen ("Open as…") or set as a default.
    priority: 5,
    canHandle: (schema: TableSchema) => schema.columns.some((c) => c.kind === 'text'),
    webview: { root: path.join(extensionPath, 'media'), script: 'view.js', styles: ['view.css'] },
  };
}
`;
}

const VIEW_SCRIPT = `// Runs in the webview after Nocoflo's view client (globalThis.nocoflo). Strict CSP: no inline styles or scripts.
const client = await globalThis.nocoflo.connect();
const root = document.getElementById('nocoflo-root');
const title = client.init.schema.columns.find((c) => c.kind === 'text')?.name;
const page = await client.readRows({ limit: 100, ...(client.init.query?.sort ? { sort: client.init.query.sort } : {}), ...(client.init.query?.filters ? { filters: client.init.query.filters } : {}) });
const heading = document.createElement('h2');
heading.textContent = \`\${client.init.displayName.table}: \${page.rows.length}\${page.next ? '+' : ''} records\`;
const list = document.createElement('ol');
list.className = 'records';
const index = page.columns.indexOf(title);
for (const row of page.rows) {
  const item = document.createElement('li');
  item.textContent = row[index] === null ? 'NULL' : String(row[index]);
  list.append(item);
}
root.append(heading, list);
`;

const VIEW_CSS = `.records {
  font-family: var(--vscode-font-family);
  color: var(--vscode-foreground);
}
`;

const VIEW_TEST = `import * as assert from 'node:assert/strict';
import type { TableSchema } from '@nocoflo/api';
import { createRecordListView } from '../src/recordListView';

const schema = (kinds: string[]): TableSchema =>
  ({ table: { name: 't' }, kind: 'table', columns: kinds.map((kind, i) => ({ name: \`c\${i}\`, declaredType: kind, kind, nullable: true })), primaryKey: [], foreignKeys: [] }) as TableSchema;

describe('record list view', () => {
  it('offers itself for tables with a text column and points at its script', () => {
    const view = createRecordListView('/ext');
    assert.equal(view.canHandle(schema(['integer', 'text'])), true);
    assert.equal(view.canHandle(schema(['integer'])), false);
    assert.equal(view.webview.script, 'view.js');
    assert.ok(typeof view.priority === 'number' && view.priority < 100, 'below the table view');
  });
});
`;

function readme(o: ScaffoldOptions): string {
  const what = o.kind === 'datasource' ? 'a datasource (JSON files of records as tables)' : 'a view (the records of a table as a list)';
  return `# ${title(o.name)}

A Nocoflo plugin extension: ${what}, written against the types in \`@nocoflo/api\` only.

\`\`\`bash
npm install        # @nocoflo/api comes from ${o.apiDependency}
npm run typecheck  # tsc against the API types
npm test           # builds and runs the tests in plain Node
npm run build      # dist/extension.js; then "Run Extension" or \\\`npm run package\\\`
\`\`\`

- It declares \`"extensionDependencies": ["nocoflo.nocoflo"]\` and no activation events: Nocoflo activates the
  extensions that depend on it.
- \`src/extension.ts\` registers the plugin; the disposable it returns unregisters it.
- Errors you expect (a missing file, a read-only table) are \`Error\`s with a \`code\` from the contract; Nocoflo
  shows them as they are. Anything else marks the plugin failed without affecting the rest of Nocoflo.
- Every write still goes through Nocoflo's checks, roles and audit log.

See Nocoflo's docs/plugin-development.md for the contracts, the lifecycle and testing (including the datasource
conformance suite).
`;
}
