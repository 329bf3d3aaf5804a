import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// The host and the webviews meet only in shared/ and api/. The tsconfigs do not stop an import that crosses (a
// relative import pulls the file in whatever `include` says), so the sources are scanned here.

const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'dist', 'out'].includes(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module a file imports or re-exports, static or dynamic. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The top-level folder a relative import lands in, or the package name of a bare one. */
function target(file: string, specifier: string): { folder: string } | { pkg: string } {
  if (!specifier.startsWith('.')) return { pkg: specifier };
  return { folder: relative(root, resolve(dirname(file), specifier)).split(sep)[0]! };
}

function crossings(folder: string, allowed: (t: { folder: string } | { pkg: string }) => boolean): string[] {
  return sources(join(root, folder)).flatMap((file) =>
    specifiers(file)
      .filter((s) => !allowed(target(file, s)))
      .map((s) => `${relative(root, file)} imports ${s}`),
  );
}

describe('import boundaries between the host and the webviews', () => {
  it('webview code imports only webview/, shared/, api/ and browser packages', () => {
    const ok = (t: { folder: string } | { pkg: string }) =>
      'folder' in t ? ['webview', 'shared', 'api'].includes(t.folder) : t.pkg !== 'vscode' && !t.pkg.startsWith('node:');
    assert.deepEqual(crossings('webview', ok), []);
  });

  it('shared/ imports only shared/ and api/', () => {
    assert.deepEqual(
      crossings('shared', (t) => 'folder' in t && ['shared', 'api'].includes(t.folder)),
      [],
    );
  });

  it('host code (src/, plugins/) never imports webview code', () => {
    const ok = (t: { folder: string } | { pkg: string }) => !('folder' in t && t.folder === 'webview');
    assert.deepEqual([...crossings('src', ok), ...crossings('plugins', ok)], []);
  });
});
