// ESLint rule: the folder fences of docs/architecture.md ("who may import whom"). A tsconfig's `types` only keeps
// ambient types out; it lets any file import any other by relative path, so this rule resolves every relative import
// and checks the folder it lands in. Bare specifiers are checked by name (`vscode`, node built-ins).
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map(m => `node:${m}`)]);

/** The zone a repo-relative path belongs to: `webview/table`, `plugins/sqlite`, `src/core`, `shared`, … */
function zoneOf(rel) {
  const parts = rel.split('/');
  if (['webview', 'plugins', 'src'].includes(parts[0]) && parts.length >= 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

/** What each zone may import (zones), and which bare specifiers it may not. */
function policy(zone) {
  if (zone === 'api') return { zones: z => z === 'api', vscode: false, node: false };
  if (zone === 'shared') return { zones: z => z === 'shared' || z === 'api', vscode: false, node: false };
  if (zone === 'src/core') return { zones: z => z === 'src/core' || z === 'shared' || z === 'api', vscode: false, node: true };
  if (zone.startsWith('src/')) return { zones: z => z.startsWith('src/') || z === 'shared' || z === 'api' || z.startsWith('plugins/'), vscode: true, node: true };
  if (zone === 'plugins/kit') return { zones: z => z === 'plugins/kit' || z === 'api', vscode: false, node: true };
  if (zone.startsWith('plugins/')) return { zones: z => z === zone || z === 'plugins/kit' || z === 'api', vscode: false, node: true };
  if (zone === 'webview/shared') return { zones: z => z === 'webview/shared' || z === 'shared' || z === 'api', vscode: false, node: false };
  if (zone.startsWith('webview/')) return { zones: z => z === zone || z === 'webview/shared' || z === 'shared' || z === 'api', vscode: false, node: false };
  return undefined; // tests, examples, scripts, bench: no fence
}

const allowedText = {
  'api': 'api/ only',
  'shared': 'shared/ and api/ (pure code both sides can run)',
  'src/core': 'src/core, shared/ and api/ — no vscode, no plugins',
  'plugins/kit': 'plugins/kit and api/',
  'webview/shared': 'webview/shared, shared/ and api/',
};

export default {
  meta: { type: 'problem', schema: [], docs: { description: 'Folder import fences (docs/architecture.md)' } },
  create(context) {
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const zone = zoneOf(file);
    const rules = policy(zone);
    if (!rules) return {};
    const allowed = allowedText[zone] ?? (zone.startsWith('webview/') ? 'its own folder, webview/shared, shared/ and api/'
      : zone.startsWith('plugins/') ? 'its own folder, plugins/kit and api/' : 'src/, plugins/, shared/ and api/');
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), spec)).split(path.sep).join('/');
        const targetZone = zoneOf(target);
        if (!rules.zones(targetZone)) {
          context.report({ node, message: `${zone}/ may import only ${allowed}; '${spec}' is in ${targetZone}/.` });
        }
      } else if (spec === 'vscode' && !rules.vscode) {
        context.report({ node, message: `${zone}/ must not import 'vscode' (it runs ${zone.startsWith('webview') ? 'in the browser' : 'in plain Node tests'}).` });
      } else if (nodeBuiltins.has(spec) && !rules.node) {
        context.report({ node, message: `${zone}/ must not import the Node built-in '${spec}' (it also runs in the browser).` });
      }
    }
    return {
      ImportDeclaration: node => check(node.source, node.source.value),
      ExportNamedDeclaration: node => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: node => check(node.source, node.source.value),
      ImportExpression: node => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
