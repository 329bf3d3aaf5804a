// Prints line coverage per folder from c8's report of the unit suites (test-results/coverage/coverage-final.json,
// written by `npm run test:unit` through .c8rc.json): one short table, then every file of src/core, plugins/kit and
// shared that no unit test reaches. Exits 1 if there is such a file, so a module no test reaches fails the stage.
//
// How the numbers are made: the tests run as esbuild bundles (out/test/**, built without tree shaking so a function
// no test calls stays in the bundle and is seen as not run); c8 maps V8's coverage of each bundle back to the .ts
// sources through the bundles' source maps, one entry per source line, and counts a line as run unless it lies in
// code V8 saw never run. c8 counts comments and blank lines too; here they are left out, so a folder's figure is over
// lines that hold code (declarations of types included: they count as run). A source file in no bundle is not in
// c8's report: it is added here with every code line not run. Files that compile to nothing (type declarations only,
// e.g. shared/wire.ts) have nothing to run and are listed apart.
//
//   node scripts/coverage-summary.mjs [path/to/coverage-final.json]
import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { transformSync } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const reportPath = resolve(root, process.argv[2] ?? 'test-results/coverage/coverage-final.json');
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const sourceFolders = ['src', 'plugins', 'shared', 'api', 'webview'];

/** Line numbers (1-based) of a source that hold code: not blank, not only a comment. */
function codeLines(text) {
  const lines = new Set();
  let inBlock = false;
  text.split('\n').forEach((raw, index) => {
    let line = raw.trim();
    if (inBlock) {
      const end = line.indexOf('*/');
      if (end < 0) return;
      inBlock = false;
      line = line.slice(end + 2).trim();
    }
    while (line.startsWith('/*')) {
      const end = line.indexOf('*/', 2);
      if (end < 0) {
        inBlock = true;
        return;
      }
      line = line.slice(end + 2).trim();
    }
    if (line === '' || line.startsWith('//')) return;
    lines.add(index + 1);
  });
  return lines;
}

/** Covered and total code lines per source file, relative to the repository. */
const measured = new Map();
for (const [absolute, coverage] of Object.entries(report)) {
  const file = relative(root, absolute);
  // Only TypeScript: a webview module's `import './x.css'` puts the stylesheet in the bundle's source map too.
  if (!sourceFolders.includes(file.split('/')[0]) || !file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
  const code = codeLines(readFileSync(absolute, 'utf8'));
  let covered = 0;
  let total = 0;
  for (const [id, location] of Object.entries(coverage.statementMap)) {
    if (!code.has(location.start.line)) continue;
    total++;
    if (coverage.s[id] > 0) covered++;
  }
  measured.set(file, { covered, total });
}
for (const folder of sourceFolders) {
  for (const entry of readdirSync(resolve(root, folder), { recursive: true })) {
    const file = `${folder}/${entry}`;
    if (file.endsWith('.ts') && !file.endsWith('.d.ts') && !measured.has(file)) {
      measured.set(file, { covered: 0, total: codeLines(readFileSync(resolve(root, file), 'utf8')).size });
    }
  }
}

/** The row a file is counted in: the folders issue 19 asks about, then the rest of each top-level folder. */
function folderOf(file) {
  const parts = file.split('/');
  if (parts[0] === 'src') return parts[1] === 'core' ? 'src/core' : 'src (host)';
  if (parts[0] === 'plugins') return `plugins/${parts[1]}`;
  return parts[0];
}
const mustBeReached = (folder) => folder === 'src/core' || folder === 'plugins/kit' || folder === 'shared';
const isTypesOnly = (file) => transformSync(readFileSync(resolve(root, file), 'utf8'), { loader: 'ts' }).code.trim() === '';

const folders = new Map();
const typesOnly = [];
const unreached = [];
for (const [file, lines] of [...measured].sort(([a], [b]) => a.localeCompare(b))) {
  const folder = folderOf(file);
  if (lines.covered === 0 && isTypesOnly(file)) {
    typesOnly.push(file);
    continue;
  }
  const row = folders.get(folder) ?? { files: 0, zero: 0, covered: 0, total: 0 };
  row.files++;
  row.covered += lines.covered;
  row.total += lines.total;
  if (lines.covered === 0) {
    row.zero++;
    if (mustBeReached(folder)) unreached.push(file);
  }
  folders.set(folder, row);
}

const order = ['src/core', 'plugins/kit', 'shared'];
const rank = (folder) => (order.includes(folder) ? order.indexOf(folder) : order.length);
const rows = [...folders.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
const pct = (row) => (row.total === 0 ? 100 : (100 * row.covered) / row.total).toFixed(1);
const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(20) : cell.padStart(9))).join('');
console.log('line coverage of the unit suites (c8; code lines, comments and blank lines left out)');
console.log(line(['folder', 'lines', 'run', '%', 'files', 'at 0 %']));
for (const [folder, row] of rows) console.log(line([folder, String(row.total), String(row.covered), pct(row), String(row.files), String(row.zero)]));
if (!folders.has('api')) console.log(`${'api'.padEnd(20)}declarations only (index.d.ts, webview.d.ts): no code to run`);
if (typesOnly.length > 0) console.log(`types only, nothing to run: ${typesOnly.join(', ')}`);
if (unreached.length > 0) {
  console.log(`no unit test reaches: ${unreached.join(', ')}`);
  process.exit(1);
}
