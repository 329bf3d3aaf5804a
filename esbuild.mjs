// One build script for every bundle: the extension host, its worker, one browser bundle per webview, and the
// test bundles. Type checking is separate (`npm run typecheck`, one tsc per tsconfig).
//
//   node esbuild.mjs               development build of dist/
//   node esbuild.mjs --production  minified, with source maps (what the .vsix ships)
//   node esbuild.mjs --watch       rebuild dist/ on change
//   node esbuild.mjs --tests       also bundle test/ into out/
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

const common = {
  bundle: true,
  sourcemap: production ? 'linked' : 'inline',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const hostCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // pg-native is an optional native addon of `pg` that we never use.
  external: ['vscode', 'pg-native'],
};

/** Browser bundles, one per webview app, by output name. */
const webviewEntries = Object.fromEntries(
  ['client', 'table', 'form', 'chart', 'connection', 'plugins', 'audit', 'fileOverview']
    .filter((name) => existsSync(join(root, 'webview', name, 'main.ts')))
    .map((name) => [name, `webview/${name}/main.ts`]),
);
// The chart's renderer (vega), loaded by chart.js beside its first data request: webview/chart/vegaLoader.ts.
if (webviewEntries.chart) webviewEntries['chart-vega'] = 'webview/chart/vegaRenderer.ts';

/**
 * Each built-in datasource's connected part (its session, and its npm driver if it has one) in a file of its own,
 * required on the first connection of its kind: activation parses only the plugins' registrations (mysql2 alone is
 * two thirds of a bundle that would hold it; the sessions together are a third of the rest). A plugin's
 * `await import('./driver')` becomes `require('./drivers/<engine>.js')` next to dist/extension.js. Modules a
 * driver shares with the extension (the SQL kit's pure helpers) are copied into it: none of them holds state.
 * Test bundles keep the import inline.
 */
const DRIVERS = Object.fromEntries(['postgres', 'mysql', 'rest', 'sqlite'].map((engine) => [engine, `plugins/${engine}/driver.ts`]));
const lazyDrivers = {
  name: 'lazy-drivers',
  setup(build) {
    build.onResolve({ filter: /^\.\/driver$/ }, (args) => {
      const engine = Object.keys(DRIVERS).find((name) => args.importer === join(root, dirname(DRIVERS[name]), 'index.ts'));
      if (!engine) return undefined;
      if (args.kind !== 'dynamic-import') throw new Error(`${args.importer}: import the driver with await import('./driver'), so it stays out of activation`);
      return { path: `./drivers/${engine}.js`, external: true };
    });
  },
};

/**
 * Fails the extension's build when a driver or a session got into it anyway (a static import of one from anywhere
 * the extension reaches): activation would parse it again, and nothing else would notice.
 */
const CONNECTED_ONLY = [/^node_modules\/(pg|pg-[a-z-]+|mysql2)\//, /^plugins\/[^/]+\/\w*Session\.ts$/, /^plugins\/sqlite\/supervisedWorker\.ts$/];
const connectedPartsStayOut = {
  name: 'connected-parts-stay-out',
  setup(build) {
    build.onEnd((result) => {
      const inputs = Object.values(result.metafile?.outputs ?? {}).flatMap((output) => Object.keys(output.inputs));
      const leaked = [...new Set(inputs.filter((input) => CONNECTED_ONLY.some((pattern) => pattern.test(input))))];
      if (leaked.length > 0) return { errors: leaked.map((input) => ({ text: `${input} is in dist/extension.js: import it only from a plugin's driver.ts (loaded on first connection)` })) };
      return undefined;
    });
  },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  // `require`, not a native import(), so the extension host's module loader serves the driver like the bundle itself.
  { ...hostCommon, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', plugins: [lazyDrivers, connectedPartsStayOut], metafile: true, supported: { 'dynamic-import': false } },
  { ...hostCommon, entryPoints: Object.fromEntries(Object.entries(DRIVERS).map(([name, file]) => [`drivers/${name}`, file])), outdir: 'dist' },
  { ...hostCommon, entryPoints: { 'sqlite-worker': 'plugins/sqlite/worker.ts' }, outdir: 'dist' },
];
if (Object.keys(webviewEntries).length > 0) {
  builds.push({
    ...common,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    loader: { '.ttf': 'file' },
  });
}

if (tests) {
  const testFiles = (dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
          .map((f) => `${dir}/${f}`)
      : [];
  const testEntries = [...testFiles('test/unit'), ...testFiles('test/integration'), ...testFiles('test/vscode'), ...testFiles('test/e2e'), ...testFiles('test/electron'), ...testFiles('test/support')];
  builds.push({
    ...hostCommon,
    entryPoints: testEntries,
    outdir: 'out',
    outbase: '.',
    // Tests load node_modules at run time, like the real extension host would load `vscode`.
    packages: 'external',
    // Every function of every module a test imports stays in its bundle, so c8 sees the ones no test calls as
    // uncovered: tree shaking would drop them, and c8 counts the lines of a dropped function as covered.
    treeShaking: false,
  });
  // Test bundles resolve the worker and wasm next to themselves, like dist/extension.js does.
  builds.push({ ...hostCommon, entryPoints: { 'sqlite-worker': 'plugins/sqlite/worker.ts' }, outdir: 'out' });
}

/**
 * A package's folder, found as Node finds it: in node_modules here or in a folder above (a copy of the repository
 * without its own node_modules, such as StrykerJS's sandbox under test-results/, uses the one above it).
 */
function packageDir(name) {
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name))) return join(dir, 'node_modules', name);
    if (dirname(dir) === dir) throw new Error(`esbuild.mjs: ${name} is not installed (run npm ci)`);
  }
}

function copyAssets() {
  const copies = [
    [join(packageDir('sql.js'), 'dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm'],
    [join(packageDir('@vscode/codicons'), 'dist/codicon.css'), 'dist/webview/codicon.css'],
    [join(packageDir('@vscode/codicons'), 'dist/codicon.ttf'), 'dist/webview/codicon.ttf'],
  ];
  if (tests) copies.push([join(packageDir('sql.js'), 'dist/sql-wasm.wasm'), 'out/sql-wasm.wasm']);
  for (const [from, to] of copies) {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    cpSync(from, join(root, to));
  }
  writeCodiconSvgs();
}

/**
 * Tab icons must be image files (a WebviewPanel takes no ThemeIcon), and a view names any codicon, so every codicon's
 * SVG ships in one JSON file: one file in the .vsix instead of five hundred, read once when the first tab opens.
 */
function writeCodiconSvgs() {
  const folder = join(packageDir('@vscode/codicons'), 'src/icons');
  const svgs = Object.fromEntries(
    readdirSync(folder)
      .filter((f) => f.endsWith('.svg'))
      .sort()
      .map((f) => [f.slice(0, -4), readFileSync(join(folder, f), 'utf8').trim()]),
  );
  writeFileSync(join(root, 'dist/codicons.json'), JSON.stringify(svgs));
}

/** Deletes test bundles whose source is gone, so runners never pick up a deleted or renamed test. */
function removeStaleTestBundles() {
  const outTest = join(root, 'out/test');
  if (!existsSync(outTest)) return;
  for (const file of readdirSync(outTest, { recursive: true }).map(String)) {
    if (!file.endsWith('.js')) continue;
    if (!existsSync(join(root, 'test', file.replace(/\.js$/, '.ts')))) rmSync(join(outTest, file), { force: true });
  }
}

const existing = builds.filter((b) => Object.values(b.entryPoints).every((e) => existsSync(join(root, e))));
copyAssets();
if (tests) removeStaleTestBundles();
if (watch) {
  for (const options of existing) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('[esbuild] watching…');
} else {
  await Promise.all(existing.map((options) => esbuild.build(options)));
  console.log(`[esbuild] built ${existing.length} bundle group(s)${production ? ' (production)' : ''}`);
}
