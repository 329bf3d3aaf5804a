import type { DatasourcePlugin, PluginManifest, ViewPlugin } from '../../api';

// Plugins come from other extensions, compiled against who knows which typings: check the shape at run time so a
// malformed plugin is refused at registration with a list of problems instead of failing later in the tree.

function manifestProblems(p: Partial<PluginManifest> | undefined): string[] {
  if (typeof p !== 'object' || p === null) return ['the plugin is not an object'];
  const problems: string[] = [];
  if (typeof p.id !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(p.id)) problems.push('"id" must be a non-empty string of letters, digits, ".", "-" or "_"');
  if (typeof p.displayName !== 'string' || p.displayName.trim() === '') problems.push('"displayName" must be a non-empty string');
  if (typeof p.version !== 'string') problems.push('"version" must be a string');
  if (typeof p.apiVersion !== 'string') problems.push('"apiVersion" must be a string such as "1.0.0"');
  return problems;
}

export function validateDatasourcePlugin(p: DatasourcePlugin): string[] {
  const problems = manifestProblems(p);
  if (problems.includes('the plugin is not an object')) return problems;
  if (!Array.isArray(p.schemes) || p.schemes.length === 0 || !p.schemes.every((s) => typeof s === 'string' && /^[a-z][a-z0-9+.-]*$/.test(s))) {
    problems.push('"schemes" must be a non-empty array of lower-case URL schemes');
  }
  if (!Array.isArray(p.configFields)) problems.push('"configFields" must be an array');
  if (typeof p.connect !== 'function') problems.push('"connect" must be a function');
  if (typeof p.testConnection !== 'function') problems.push('"testConnection" must be a function');
  return problems;
}

export function validateViewPlugin(p: ViewPlugin): string[] {
  const problems = manifestProblems(p);
  if (problems.includes('the plugin is not an object')) return problems;
  if (typeof p.canHandle !== 'function') problems.push('"canHandle" must be a function');
  if (typeof p.priority !== 'number' && typeof p.priority !== 'function') problems.push('"priority" must be a number or a function');
  const entry = p.webview;
  if (typeof entry !== 'object' || entry === null || typeof entry.root !== 'string' || typeof entry.script !== 'string') {
    problems.push('"webview" must be { root, script, styles? } with string paths');
  } else if (entry.script.includes('..') || (entry.styles ?? []).some((s) => typeof s !== 'string' || s.includes('..'))) {
    // Assets must stay inside `root`, which is the only folder the webview may load from.
    problems.push('"webview.script" and "webview.styles" must be paths inside "webview.root"');
  }
  return problems;
}
