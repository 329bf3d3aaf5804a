#!/usr/bin/env node
// A 2 GiB SQLite file (four times the sql.js engine's 512 MiB limit) in the VS Code our users run: code-server
// 4.117.0 (VS Code 1.117) on Node 22, where Nocoflo's SQLite datasource uses node:sqlite (issue 17, section 5).
// One run prints, for the file's 28M-row table:
//   - click → first rows painted (first open: worker start and file open included), and Nocoflo's share of it (the
//     webview document's start to the first rows painted, read from webview/shared/paintMarks.ts's mark: what is
//     left when VS Code's own webview start-up is taken out);
//   - one edited cell saved: Ctrl+S → the grid shows it saved (conflict check, write, re-read), median of 5;
//   - the extension host's RSS before Nocoflo activated, with the table open, and the growth.
// Needs `bash scripts/test-e2e.sh --node22` (or its build steps) first: dist/nocoflo.vsix, out/, and
// .cache/code-server-node22. The file is generated once into bench/results/ (about 2.2 GB, a minute or two).
//
//   node bench/big-sqlite.mjs
import { existsSync, mkdirSync, mkdtempSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './support/benchLib.mjs';
import { extensionHostPid, medianRss, pause } from './support/extensionHost.mjs';

process.env.NOCOFLO_CODE_SERVER = 'node22';
const require = createRequire(import.meta.url);
const { codeServerRuntime, startCodeServer } = require(join(root, 'out/test/support/codeServer.js'));
const { Workbench } = require(join(root, 'out/test/support/workbench.js'));
const ROWS = 28_000_000;

function bigFile() {
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, 'bench/results/big-2gib.sqlite');
  if (existsSync(file)) return file;
  const started = performance.now();
  // Rows of about 100 bytes: a note padded to 64 characters.
  const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1] + '.part')
db.executescript('''
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, score INTEGER, note TEXT);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${ROWS})
INSERT INTO events SELECT i, CASE i % 5 WHEN 0 THEN 'click' WHEN 1 THEN 'view' WHEN 2 THEN 'buy' WHEN 3 THEN 'scroll' ELSE 'share' END,
  CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919) % 1000 END, printf('event number %-50d|', i) FROM s;
''')
db.commit()
db.close()
`;
  const made = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`python3 could not generate the SQLite file: ${made.stderr || made.error}`);
  renameSync(`${file}.part`, file);
  console.log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return file;
}

const file = bigFile();
const size = statSync(file).size;
if (size < 2 * 2 ** 30) throw new Error(`${file} is only ${(size / 2 ** 30).toFixed(2)} GiB`);
const workspace = mkdtempSync(join(tmpdir(), 'nocoflo-bench-big-'));
mkdirSync(join(workspace, '.vscode'));
writeFileSync(join(workspace, '.vscode/settings.json'), JSON.stringify({ 'nocoflo.connections': [{ name: 'Big', type: 'sqlite', config: { path: file } }] }));

const server = await startCodeServer({ workspace, extensions: [join(root, 'dist/nocoflo.vsix')] });
const workbench = await Workbench.open(server);
try {
  await pause(10_000);
  const host = extensionHostPid(server.userDataDir);
  const baseline = await medianRss(host);

  await workbench.openNocofloSidebar();
  await workbench.expandTreeItem('Big');
  const item = workbench.treeItem(/^events$/);
  await item.waitFor({ timeout: 120_000 });
  const view = workbench.webview();
  const started = performance.now();
  await item.click();
  await view.locator('.grid-row:not(.loading) .cell').first().waitFor({ timeout: 120_000 });
  const firstRows = performance.now() - started;
  const share = await view.locator('body').evaluate(async () => {
    while (performance.getEntriesByName('nocoflo:first-rows').length === 0) await new Promise((resolve) => globalThis.requestAnimationFrame(resolve));
    return performance.getEntriesByName('nocoflo:first-rows')[0].startTime;
  });

  // Edits of the first row's note, each saved and waited for (no dirty cell left, the pending count gone).
  const headers = await view.locator('.header-cell .header-label').allTextContents();
  const note = view.locator('.grid-row[aria-rowindex="2"] .cell').nth(headers.indexOf('note'));
  const saves = [];
  for (let i = 1; i <= 6; i++) {
    await note.dblclick();
    const editor = view.locator('.cell-editor .editor-field input');
    await editor.waitFor();
    await editor.fill(`edited ${i}`);
    await editor.press('Enter');
    await view.locator('.cell.dirty').first().waitFor();
    const saveStarted = performance.now();
    await workbench.page.keyboard.press('Control+s');
    await view.locator('.cell.dirty').first().waitFor({ state: 'detached', timeout: 60_000 });
    await note.filter({ hasText: `edited ${i}` }).waitFor();
    if (i > 1) saves.push(performance.now() - saveStarted); // the first save warms up the statement cache
  }
  const opened = await medianRss(host);

  saves.sort((a, b) => a - b);
  console.log(`real VS Code: ${codeServerRuntime().label}; ${file}: ${(size / 2 ** 30).toFixed(2)} GiB, ${ROWS.toLocaleString('en-US')} rows`);
  console.log(`click → first rows painted (first open: worker start, file open):  ${firstRows.toFixed(0)} ms`);
  console.log(`  Nocoflo's share (webview document start → first rows painted):   ${share.toFixed(0)} ms`);
  console.log(`  VS Code's webview start-up and the click (the rest):             ${(firstRows - share).toFixed(0)} ms`);
  console.log(`Ctrl+S → one edited cell saved and shown, median of 5:              ${saves[2].toFixed(0)} ms (samples ${saves.map((s) => s.toFixed(0)).join(', ')})`);
  console.log(`extension host RSS before Nocoflo activated:                         ${baseline.toFixed(1)} MB`);
  console.log(`extension host RSS with the 2 GiB table open:                        ${opened.toFixed(1)} MB (+${(opened - baseline).toFixed(1)} MB, ×${(opened / baseline).toFixed(2)})`);
} finally {
  await workbench.close();
  await server.stop();
}
