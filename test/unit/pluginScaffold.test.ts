// "Create Plugin…" templates (src/core/scaffold/pluginScaffold.ts) in plain Node: the manifest a generated
// extension declares, and the generated code itself, compiled by esbuild and run here — the datasource on a real
// folder of JSON files, the view's choice of tables, the extension's registration and its API version check.
// test/integration/scaffold.test.ts also type-checks, builds and runs the generated projects with npm.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { transformSync } from 'esbuild';
import type { DatasourcePlugin, TableSchema, ViewPlugin } from '../../api';
import { type ScaffoldKind, scaffoldNameProblem, scaffoldPlugin } from '../../src/core/scaffold/pluginScaffold';

const toolVersions = { esbuild: '^0.28.2', typescript: '^5.9.3', mocha: '^11.8.0', typesMocha: '^10.0.10', typesNode: '^20.19.43', typesVscode: '^1.100.0' };
const generate = (kind: ScaffoldKind, name = 'acme-notes') =>
  scaffoldPlugin({ kind, name, publisher: 'acme', apiVersion: '1.4.0', apiDependency: 'file:../api', toolVersions });

/** The Node modules the generated code may import. */
const nodeModules: Record<string, unknown> = { 'node:fs': fs, 'node:path': path };

/** Compiles one generated TypeScript module and runs it as CommonJS; `modules` answers its other imports. */
function load(source: string, modules: Record<string, unknown>, filename: string): Record<string, unknown> {
  const { code } = transformSync(source, { loader: 'ts', format: 'cjs', platform: 'node', sourcefile: filename });
  const module = { exports: {} as Record<string, unknown> };
  const requireFrom = (id: string) => {
    if (id in modules) return modules[id];
    if (id in nodeModules) return nodeModules[id];
    throw new Error(`the generated ${filename} imports ${id}`);
  };
  new Function('require', 'module', 'exports', '__dirname', code)(requireFrom, module, module.exports, '/ext/dist');
  return module.exports;
}

describe('Create Plugin… templates', () => {
  it('declare a manifest Nocoflo activates: its dependency, no activation events, the tool versions given', () => {
    for (const kind of ['datasource', 'view'] as const) {
      const manifest = JSON.parse(generate(kind)['package.json']!) as Record<string, unknown> & { devDependencies: Record<string, string> };
      assert.equal(manifest.name, 'acme-notes');
      assert.equal(manifest.displayName, 'Acme Notes');
      assert.equal(manifest.publisher, 'acme');
      assert.deepEqual(manifest.extensionDependencies, ['nocoflo.nocoflo']);
      assert.deepEqual(manifest.activationEvents, []);
      assert.equal(manifest.main, './dist/extension.js');
      assert.deepEqual(manifest.devDependencies, {
        '@nocoflo/api': 'file:../api',
        '@types/mocha': '^10.0.10',
        '@types/node': '^20.19.43',
        '@types/vscode': '^1.100.0',
        esbuild: '^0.28.2',
        mocha: '^11.8.0',
        typescript: '^5.9.3',
      });
    }
  });

  it('write the files of each kind, and only those', () => {
    const common = ['.gitignore', '.vscodeignore', 'README.md', 'esbuild.mjs', 'package.json', 'src/extension.ts', 'tsconfig.json'];
    assert.deepEqual(Object.keys(generate('datasource')).sort(), [...common, 'src/notesDatasource.ts', 'test/notesDatasource.test.ts'].sort());
    assert.deepEqual(Object.keys(generate('view')).sort(), [...common, 'media/view.css', 'media/view.js', 'src/recordListView.ts', 'test/recordListView.test.ts'].sort());
    assert.match(generate('view')['README.md']!, /^# Acme Notes\n[\s\S]*a view \(the records of a table as a list\)[\s\S]*file:\.\.\/api/);
  });

  it('refuse names that cannot be package names before writing anything', () => {
    for (const bad of ['', 'a', 'A-b', 'my plugin', '-x', '9lives', 'x'.repeat(52), '../escape', 'a_b']) {
      assert.ok(scaffoldNameProblem(bad), bad);
      assert.throws(() => generate('view', bad), /lower-case letters/);
    }
    for (const good of ['ab', 'acme-notes', 'x'.repeat(51), 'a1-2']) assert.equal(scaffoldNameProblem(good), undefined, good);
  });

  it('generate a datasource that lists a folder\'s JSON files and pages through their records read-only', async () => {
    const files = generate('datasource');
    const { createNotesDatasource } = load(files['src/notesDatasource.ts']!, {}, 'notesDatasource.ts') as { createNotesDatasource: () => DatasourcePlugin };
    const plugin = createNotesDatasource();
    assert.deepEqual([plugin.id, plugin.displayName, plugin.apiVersion, plugin.schemes], ['acme.acme-notes', 'Acme Notes', '1.4.0', ['acmenotes']]);
    const folder = mkdtempSync(path.join(tmpdir(), 'nocoflo-scaffold-unit-'));
    try {
      const notes = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, title: `note ${i + 1}`, done: i % 3 === 0, tags: i === 0 ? ['a'] : null }));
      writeFileSync(path.join(folder, 'notes.json'), JSON.stringify(notes));
      writeFileSync(path.join(folder, 'broken.json'), '{"not": "an array"}');
      writeFileSync(path.join(folder, 'readme.txt'), 'not a table');
      assert.deepEqual(plugin.parseUrl!(`acmenotes://${encodeURI(folder)}`), { config: { folder }, secrets: {} });
      assert.deepEqual(await plugin.testConnection!({ folder }, {}, { workspaceFolders: [], log: () => undefined } as never), { ok: true, message: '2 JSON files.' });
      const session = await plugin.connect({ folder }, {}, { workspaceFolders: [], log: () => undefined } as never);
      assert.deepEqual((await session.listTables()).map((t) => t.ref.name).sort(), ['broken', 'notes']);
      const schema = await session.getSchema({ name: 'notes' });
      assert.deepEqual(schema.columns.map((c) => [c.name, c.kind, c.nullable]), [['id', 'float', false], ['title', 'text', true], ['done', 'boolean', true], ['tags', 'text', true]]);
      const pages: unknown[][][] = [];
      let after: string | undefined;
      do {
        const page = await session.readRows({ name: 'notes' }, { limit: 5, ...(after === undefined ? {} : { after }) });
        pages.push(page.rows);
        after = page.next;
      } while (after !== undefined);
      assert.deepEqual(pages.map((rows) => rows.length), [5, 5, 2]);
      assert.deepEqual(pages.flat().map((r) => r[0]), notes.map((n) => n.id), 'every record once, in file order');
      assert.deepEqual(pages[0]![0], [1, 'note 1', true, '["a"]'], 'nested JSON shown as text');
      assert.deepEqual(await session.countRows({ name: 'notes' }, {}), { count: 12, exact: true });
      await assert.rejects(session.getSchema({ name: 'broken' }), (e: Error & { code?: string }) => e.code === 'bad_response' && /does not hold an array/.test(e.message));
      await assert.rejects(session.deleteRow!({ name: 'notes' }, { id: 1 }, {}), (e: Error & { code?: string }) => e.code === 'read_only');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('generate a view that offers itself for tables with a text column, below the built-in table view', () => {
    const { createRecordListView } = load(generate('view', 'acme-list')['src/recordListView.ts']!, {}, 'recordListView.ts') as { createRecordListView: (p: string) => ViewPlugin };
    const view = createRecordListView('/ext');
    const schema = (kinds: string[]) => ({ columns: kinds.map((kind, i) => ({ name: `c${i}`, kind })) }) as unknown as TableSchema;
    assert.equal(view.id, 'acme.acme-list');
    assert.equal(view.canHandle!(schema(['integer', 'text'])), true);
    assert.equal(view.canHandle!(schema(['integer', 'float'])), false);
    assert.ok(typeof view.priority === 'number' && view.priority < 100, 'below the table view (100)');
    assert.deepEqual(view.webview, { root: path.join('/ext', 'media'), script: 'view.js', styles: ['view.css'] });
  });

  it('generate an extension that registers its plugin through the API and refuses another API major version', async () => {
    for (const kind of ['datasource', 'view'] as const) {
      const files = generate(kind);
      const plugin = { kind };
      const registered: unknown[] = [];
      const disposable = { dispose: () => undefined };
      const api = (apiVersion: string) => ({
        apiVersion,
        registerDatasource: (p: unknown) => (registered.push(['datasource', p]), disposable),
        registerView: (p: unknown) => (registered.push(['view', p]), disposable),
      });
      const viewPaths: string[] = [];
      const modules = {
        vscode: { extensions: { getExtension: (id: string) => (id === 'nocoflo.nocoflo' ? { activate: async () => api('1.9.0') } : undefined) } },
        './notesDatasource': { createNotesDatasource: () => plugin },
        './recordListView': { createRecordListView: (extensionPath: string) => (viewPaths.push(extensionPath), plugin) },
      };
      const extension = load(files['src/extension.ts']!, modules, 'extension.ts') as {
        register: (api: unknown, extensionPath?: string) => unknown[];
        activate: (context: { extensionPath: string; subscriptions: unknown[] }) => Promise<void>;
      };
      assert.deepEqual(extension.register(api('1.4.0'), '/dev/plugin'), [disposable]);
      assert.deepEqual(registered, [[kind, plugin]]);
      assert.throws(() => extension.register(api('2.0.0')), /Acme Notes needs Nocoflo API 1\.x, found 2\.0\.0/);
      const context = { extensionPath: '/installed/acme-notes', subscriptions: [] as unknown[] };
      await extension.activate(context);
      assert.deepEqual(context.subscriptions, [disposable], 'registered through activate, disposed with the extension');
      if (kind === 'view') assert.deepEqual(viewPaths, ['/dev/plugin', '/installed/acme-notes'], 'the view finds its media next to the extension');
    }
  });
});
