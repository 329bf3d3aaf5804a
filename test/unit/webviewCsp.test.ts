import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderMessageHtml, renderPanelHtml } from '../../src/host/panels/panelHtml';

// Every webview document Nocoflo writes must carry the same strict policy. The documents are rendered here through
// the functions the panels call, and the sources are scanned so that a new panel cannot build its own policy.

const root = join(__dirname, '..', '..', '..');
const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

/** The directives of the one CSP meta tag of a document, by name. */
function policyOf(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
  assert.equal(metas.length, 1, 'exactly one CSP meta tag');
  const policy = new Map<string, string[]>();
  for (const directive of metas[0][1].replace(/&#39;/g, "'").split(';').map((d) => d.trim()).filter(Boolean)) {
    const [name, ...values] = directive.split(/\s+/);
    assert.ok(!policy.has(name), `${name} given twice`);
    policy.set(name, values);
  }
  return policy;
}

function assertStrict(html: string, nonce: string | undefined): void {
  const policy = policyOf(html);
  assert.deepEqual(policy.get('default-src'), ["'none'"]);
  assert.deepEqual(policy.get('form-action'), ["'none'"]);
  assert.deepEqual(policy.get('base-uri'), ["'none'"]);
  if (nonce) assert.deepEqual(policy.get('script-src'), [`'nonce-${nonce}'`]);
  else assert.equal(policy.get('script-src'), undefined, 'no scripts at all (default-src none)');
  for (const [name, values] of policy) {
    for (const bad of ["'unsafe-eval'", "'unsafe-inline'", "'wasm-unsafe-eval'", '*', 'http:', 'https:']) {
      assert.ok(!values.includes(bad), `${name} allows ${bad}`);
    }
  }
  assert.doesNotMatch(html, /<script(?![^>]*nonce=)/, 'every script carries the nonce');
}

/** Source files under a folder, recursively (build output and dependencies are not sources). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'dist', 'out'].includes(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|html)$/.test(name) ? [path] : [];
  });
}

describe('webview Content-Security-Policy', () => {
  it('is strict in a view tab (grid, form, chart and third-party views share the document)', () => {
    assertStrict(
      renderPanelHtml({ cspSource, nonce: 'n0nce', title: 't', codiconCss: 'c.css', styles: ['s.css'], scripts: ['client.js', 'view.js'] }),
      'n0nce',
    );
  });

  for (const app of ['connection', 'audit', 'plugins']) {
    it(`is strict in the ${app} tool tab`, () => {
      // ToolPanel (toolPanel.ts) needs vscode; it passes these inputs, and the scan below checks it uses renderPanelHtml.
      assertStrict(renderPanelHtml({ cspSource, nonce: 'T00l', title: app, codiconCss: 'c.css', styles: [`${app}.css`], scripts: [`${app}.js`] }), 'T00l');
    });
  }

  it('is strict, with no scripts, on the page of a view that cannot run', () => {
    assertStrict(renderMessageHtml(cspSource, 'The view "x" is not available.'), undefined);
  });

  it('is built in one place: every webview document in the sources comes from panelHtml.ts', () => {
    const files = ['src', 'plugins', 'examples'].flatMap((dir) => sources(join(root, dir)));
    assert.ok(files.length > 50, `found the sources (${files.length} files under ${root})`);
    const builders = files.filter((f) => /Content-Security-Policy/i.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    assert.deepEqual(builders, [join('src', 'host', 'panels', 'panelHtml.ts')]);
    const writers = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((line) => /\.html\s*=(?!=)/.test(line))
        .map((line) => `${relative(root, f)}: ${line.trim()}`),
    );
    assert.ok(writers.length >= 3, writers.join('\n'));
    for (const line of writers) assert.match(line, /\.html = render(Panel|Message)Html\(/, line);
  });
});
