// A stand-alone page for the table view outside VS Code, for benchmarks and quick looks: it serves
// dist/webview with the same Content Security Policy as the real panel and a fake host that speaks
// shared/protocol.ts over window.postMessage, backed by a synthetic table of any size (row i is computed, not
// stored, so 10 million rows cost nothing). Used by bench/grid-scroll.mjs.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NONCE = 'benchnonce';
const CSP = `default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; script-src 'nonce-${NONCE}'; form-action 'none'; base-uri 'none'`;

// A few theme variables VS Code would inject (Dark Modern), enough for a faithful look.
const THEME = `:root{--vscode-font-family:system-ui,sans-serif;--vscode-font-size:13px;--vscode-editor-font-family:monospace;--vscode-editor-font-size:13px;
--vscode-foreground:#cccccc;--vscode-editor-background:#1f1f1f;--vscode-editor-foreground:#cccccc;--vscode-descriptionForeground:#9d9d9d;
--vscode-panel-border:#2b2b2b;--vscode-editorGroup-border:#2b2b2b;--vscode-editorGroupHeader-tabsBackground:#181818;--vscode-list-hoverBackground:#2a2d2e;
--vscode-list-activeSelectionBackground:#04395e;--vscode-list-activeSelectionForeground:#ffffff;--vscode-list-inactiveSelectionBackground:#37373d;
--vscode-focusBorder:#0078d4;--vscode-editorLineNumber-foreground:#6e7681;--vscode-editorLineNumber-activeForeground:#cccccc;
--vscode-tree-tableOddRowsBackground:rgba(204,204,204,0.04);--vscode-tree-tableColumnsBorder:rgba(204,204,204,0.12);
--vscode-disabledForeground:rgba(204,204,204,0.5);--vscode-diffEditor-insertedTextBackground:rgba(156,204,44,0.2);
--vscode-editorGutter-modifiedBackground:#0078d4;--vscode-errorForeground:#f85149;--vscode-inputValidation-errorBackground:#5a1d1d;
--vscode-inputValidation-errorBorder:#be1100;--vscode-editorWidget-background:#202020;--vscode-widget-shadow:rgba(0,0,0,0.36);
--vscode-button-background:#0078d4;--vscode-button-foreground:#ffffff;--vscode-input-background:#313131;--vscode-input-foreground:#cccccc;
--vscode-textLink-foreground:#4daafc;--vscode-charts-yellow:#cca700;--vscode-charts-blue:#3794ff}`;

const HOST = String.raw`
const params = new URLSearchParams(location.search);
const ROWS = Number(params.get('rows') ?? 10000000);
const COLS = Number(params.get('cols') ?? 12);
const LATENCY = Number(params.get('latency') ?? 5);
const kinds = ['integer', 'text', 'float', 'boolean', 'date', 'text', 'json', 'blob', 'decimal', 'datetime', 'text', 'integer'];
const columns = Array.from({ length: COLS }, (_, i) => {
  const kind = i === 0 ? 'integer' : kinds[i % kinds.length];
  return { name: i === 0 ? 'id' : kind + '_' + i, declaredType: kind.toUpperCase(), kind, nullable: i !== 0, ...(i === 0 ? { primaryKeyPosition: 1 } : {}) };
});
const cell = (id, c) => {
  if (c === 0) return id;
  if ((id + c) % 17 === 0) return null;
  switch (columns[c].kind) {
    case 'integer': return (id * 7919 + c) % 100000;
    case 'float': return ((id * 31) % 10000) / 100;
    case 'decimal': return String(((id * 13) % 100000) / 100);
    case 'boolean': return id % 2;
    case 'date': return '2024-' + String(1 + (id % 12)).padStart(2, '0') + '-' + String(1 + (id % 28)).padStart(2, '0');
    case 'datetime': return '2024-01-01 ' + String(id % 24).padStart(2, '0') + ':00:00';
    case 'json': return JSON.stringify({ id, tags: ['a', 'b'] });
    case 'blob': return { $bytes: btoa(String.fromCharCode(id & 255, (id >> 8) & 255, 1, 2, 3, 4, 5, 6, 7, 8)) };
    default: return (id % 23 === 0 ? '' : 'text ' + id + ' ' + 'x'.repeat(id % 40));
  }
};
const stats = { reads: 0, cursorReads: 0, offsetReads: 0, violations: [], messages: [] };
window.harness = stats;
document.addEventListener('securitypolicyviolation', (e) => stats.violations.push(e.violatedDirective + ' ' + e.blockedURI));
let state;
const reply = (m) => setTimeout(() => window.postMessage(m, '*'), LATENCY);
const descending = () => (stats.lastQuery?.sort?.[0]?.direction === 'desc');
window.acquireVsCodeApi = () => ({
  getState: () => state,
  setState: (s) => { state = s; },
  postMessage: (m) => {
    stats.messages.push(m.type === 'request' ? m.method : m.type);
    if (m.type === 'ready') {
      reply({ type: 'init', init: { protocolVersion: 1, table: { datasourceId: 'bench', name: 'synthetic' }, displayName: { table: 'synthetic', datasource: 'bench' }, viewId: 'nocoflo.table',
        schema: { table: { name: 'synthetic' }, kind: 'table', columns, primaryKey: ['id'], foreignKeys: [], rowKey: { columns: ['id'] } },
        capabilities: { insert: true, update: true, delete: true, transactions: true, aggregate: false, schemas: false }, theme: 'dark' } });
    } else if (m.type === 'request' && m.method === 'rows/read') {
      stats.reads++;
      stats.lastQuery = m.params;
      const p = m.params;
      let start;
      if (p.after !== undefined) { stats.cursorReads++; start = Number(p.after) + 1; } else { stats.offsetReads++; start = p.offset ?? 0; }
      const n = Math.max(0, Math.min(p.limit, ROWS - start));
      const ids = Array.from({ length: n }, (_, i) => descending() ? ROWS - 1 - (start + i) : start + i);
      const rows = ids.map((id) => columns.map((_, c) => cell(id, c)));
      const page = { columns: columns.map((c) => c.name), rows, keys: ids.map((id) => ({ id })) };
      if (n === p.limit) page.next = String(start + n - 1);
      reply({ type: 'response', id: m.id, ok: true, result: page });
    } else if (m.type === 'request' && m.method === 'rows/count') {
      reply({ type: 'response', id: m.id, ok: true, result: m.params.cap && ROWS > m.params.cap ? { count: m.params.cap, exact: true, capped: true } : { count: ROWS, exact: true } });
    } else if (m.type === 'request' && m.method === 'changes/apply') {
      // Row 7 was "changed by another program": updating it conflicts until the stored text is expected.
      stats.applied = m.params.changes;
      const index = m.params.changes.findIndex((c) => c.kind === 'update' && c.key.id === 7 && c.expected.text_1 !== 'changed elsewhere');
      const bad = m.params.changes.findIndex((c) => Object.values(c.changes ?? c.values ?? {}).includes('bad'));
      if (index >= 0) {
        const current = Object.fromEntries(columns.map((col, c) => [col.name, c === 1 ? 'changed elsewhere' : cell(7, c)]));
        reply({ type: 'response', id: m.id, ok: true, result: { ok: false, rolledBack: true, failure: { index, code: 'conflict', message: 'The row was changed since it was read.', current } } });
      } else if (bad >= 0) {
        reply({ type: 'response', id: m.id, ok: true, result: { ok: false, rolledBack: true, failure: { index: bad, code: 'constraint', message: 'CHECK constraint failed: text_1 <> \'bad\'', column: 'text_1' } } });
      } else {
        reply({ type: 'response', id: m.id, ok: true, result: { ok: true, results: m.params.changes.map(() => ({ key: null })) } });
      }
    } else if (m.type === 'request') {
      reply({ type: 'response', id: m.id, ok: false, error: { code: 'unsupported', message: 'not in the harness' } });
    }
  },
});
`;

const page = () => `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<link rel="stylesheet" href="/theme.css">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="/webview/codicon.css">
<link rel="stylesheet" href="/webview/table.css"></head>
<body class="vscode-dark"><div id="nocoflo-root"></div>
<script nonce="${NONCE}" src="/host.js"></script>
<script type="module" nonce="${NONCE}" src="/webview/client.js"></script>
<script type="module" nonce="${NONCE}" src="/webview/table.js"></script>
</body></html>`;

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** Starts the harness server on a free port; resolves to its base URL and a close function. */
export async function startHarness() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (url.pathname === '/') return send(res, '.html', page());
      if (url.pathname === '/host.js') return send(res, '.js', HOST);
      if (url.pathname === '/theme.css') return send(res, '.css', THEME);
      if (url.pathname.startsWith('/webview/') && !url.pathname.includes('..')) return send(res, extname(url.pathname), await readFile(join(root, 'dist', url.pathname)));
      res.writeHead(404).end();
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

function send(res, ext, body) {
  res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream' });
  res.end(body);
}
