// "Create Plugin…" for real: generate a datasource and a view plugin extension into a temporary folder, then do
// what an author does next — type-check them against the API types package, build them, run their tests — with
// the same tool versions Nocoflo builds with (linked from this repository's node_modules instead of downloaded).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type ScaffoldKind, scaffoldNameProblem, scaffoldPlugin } from '../../src/core/scaffold/pluginScaffold';
import { repoRoot } from '../support/codeServer';

const root = repoRoot();
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const apiVersion = (JSON.parse(readFileSync(path.join(root, 'api/package.json'), 'utf8')) as { version: string }).version;

function generate(kind: ScaffoldKind, name: string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'nocoflo-scaffold-')), name);
  const files = scaffoldPlugin({
    kind,
    name,
    publisher: 'acme',
    apiVersion,
    apiDependency: `file:${path.join(root, 'api')}`,
    toolVersions: {
      esbuild: pkg.devDependencies.esbuild!,
      typescript: pkg.devDependencies.typescript!,
      mocha: pkg.devDependencies.mocha!,
      typesMocha: pkg.devDependencies['@types/mocha']!,
      typesNode: pkg.devDependencies['@types/node']!,
      typesVscode: pkg.devDependencies['@types/vscode']!,
    },
  });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  // What `npm install` would bring, linked from this checkout (the registry is not needed for the test).
  const modules = path.join(dir, 'node_modules');
  mkdirSync(path.join(modules, '@types'), { recursive: true });
  mkdirSync(path.join(modules, '@nocoflo'), { recursive: true });
  for (const dep of ['esbuild', 'typescript', 'mocha', '@types/mocha', '@types/node', '@types/vscode']) symlinkSync(path.join(root, 'node_modules', dep), path.join(modules, dep));
  symlinkSync(path.join(root, 'api'), path.join(modules, '@nocoflo/api'));
  return dir;
}

function run(dir: string, script: string): string {
  const result = spawnSync('npm', ['run', '--silent', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(root, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
    timeout: 120_000,
  });
  assert.equal(result.status, 0, `npm run ${script} in ${dir} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('Create Plugin… scaffolds', function () {
  this.timeout(180_000);

  for (const [kind, name] of [
    ['datasource', 'acme-notes'],
    ['view', 'acme-list'],
  ] as const) {
    it(`a ${kind} plugin type-checks against the API types, builds, and passes its own tests`, () => {
      const dir = generate(kind, name);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { extensionDependencies: string[]; activationEvents: string[]; main: string };
      assert.deepEqual(manifest.extensionDependencies, ['nocoflo.nocoflo']);
      assert.deepEqual(manifest.activationEvents, [], 'Nocoflo activates its plugin extensions');
      run(dir, 'typecheck');
      run(dir, 'build');
      assert.ok(existsSync(path.join(dir, manifest.main.replace(/^\.\//, ''))), 'the extension bundle exists');
      const output = run(dir, 'test');
      assert.match(output, /1 passing/);
    });
  }

  it('refuses names that cannot be package names', () => {
    for (const bad of ['', 'A', 'My Plugin', '-x', 'x'.repeat(60), '../escape']) assert.ok(scaffoldNameProblem(bad), bad);
    assert.equal(scaffoldNameProblem('acme-notes'), undefined);
    assert.throws(() => scaffoldPlugin({ kind: 'view', name: '../escape', publisher: 'p', apiVersion: '1.0.0', apiDependency: '1.0.0', toolVersions: { esbuild: '', typescript: '', mocha: '', typesMocha: '', typesNode: '', typesVscode: '' } }));
  });
});
