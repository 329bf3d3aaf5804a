// The published types package, the version the host reports, the view client's version and the changelog must
// name the same API version: a plugin author reads one and runs against the others.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const versionIn = (file: string, pattern: RegExp) => {
  const match = pattern.exec(read(file));
  assert.ok(match, `${file} states an API version`);
  return match[1];
};

describe('the API types package', () => {
  it('has one version everywhere: package, host, view client, changelog', () => {
    const pkg = JSON.parse(read('api/package.json')) as { name: string; version: string; types: string; files: string[] };
    assert.equal(pkg.name, '@nocoflo/api');
    assert.equal(versionIn('src/host/api.ts', /export const API_VERSION = '([^']+)'/), pkg.version);
    assert.equal(versionIn('webview/client/main.ts', /apiVersion: '([^']+)'/), pkg.version);
    assert.equal(versionIn('api/CHANGELOG.md', /^## (\d+\.\d+\.\d+)/m), pkg.version, 'the newest changelog entry is this version');
  });

  it('ships only types, and every file it names exists', () => {
    const pkg = JSON.parse(read('api/package.json')) as { types: string; files: string[] };
    for (const file of pkg.files) assert.ok(read(`api/${file}`).length > 0, `api/${file}`);
    assert.ok(pkg.files.every((f) => f.endsWith('.d.ts') || f.endsWith('.md')), 'no runtime code in the package');
    assert.doesNotMatch(read('api/index.d.ts'), /from ['"]vscode['"]/, 'the contract does not depend on vscode types');
  });
});
