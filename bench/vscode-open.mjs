#!/usr/bin/env node
// Open-to-first-rows in a real VS Code (code-server 1.100.3 in headless Chromium) on a generated SQLite table:
// the time from clicking the table in the Nocoflo sidebar to rows painted in its tab (cold: first open of the
// datasource, worker start and file load included; warm: the tab closed and opened again), and a jump to the last
// row with Ctrl+End. Needs `bash scripts/test-e2e.sh` (or its build steps) first: dist/nocoflo.vsix and out/.
//
//   node bench/vscode-open.mjs [--rows 10000000]
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const rows = args.includes('--rows') ? Number(args[args.indexOf('--rows') + 1]) : 10_000_000;
const { startCodeServer } = require(join(root, 'out/test/support/codeServer.js'));
const { Workbench } = require(join(root, 'out/test/support/workbench.js'));
const fixtures = require(join(root, 'out/test/support/sqliteFixtures.js'));

mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, `bench/results/sqlite-paging-${rows}.sqlite`);
if (!existsSync(file)) {
  await fixtures.makeDatabase(file, 'CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, score INTEGER, note TEXT)', (run) => {
    const kinds = ['click', 'view', 'buy', 'scroll', 'share'];
    for (let i = 1; i <= rows; i++) run('INSERT INTO events VALUES (?, ?, ?, ?)', [i, kinds[i % 5], i % 17 === 0 ? null : (i * 7919) % 1000, `event number ${i}`]);
  });
}
const workspace = mkdtempSync(join(tmpdir(), 'nocoflo-bench-ws-'));
mkdirSync(join(workspace, '.vscode'));
writeFileSync(join(workspace, '.vscode/settings.json'), JSON.stringify({ 'nocoflo.connections': [{ name: 'Bench', type: 'sqlite', config: { path: file } }] }));

const server = await startCodeServer({ workspace, extensions: [join(root, 'dist/nocoflo.vsix')] });
const workbench = await Workbench.open(server);
try {
  await workbench.openNocofloSidebar();
  await workbench.treeItem('Bench').click();
  const item = workbench.treeItem('events');
  await item.waitFor({ timeout: 60_000 });
  const tab = workbench.page.locator('.tab', { hasText: 'events — Bench' });
  const firstRows = async () => {
    const started = performance.now();
    await item.click();
    await workbench.webview().locator('.grid-row:not(.loading) .cell').first().waitFor({ timeout: 120_000 });
    return performance.now() - started;
  };
  const cold = await firstRows();
  const view = workbench.webview();
  await view.locator('.grid-row:not(.loading) .cell').first().click();
  const jumpStarted = performance.now();
  await workbench.page.keyboard.press('Control+End');
  await view.locator('.row-number', { hasText: rows.toLocaleString('en-US').replace(/,/g, '') }).or(view.locator('.row-number', { hasText: String(rows) })).first().waitFor({ timeout: 60_000 });
  const jump = performance.now() - jumpStarted;
  await tab.hover();
  await tab.locator('.codicon-close').click();
  await tab.waitFor({ state: 'detached' });
  const warm = [];
  for (let i = 0; i < 3; i++) {
    warm.push(await firstRows());
    await tab.hover();
    await tab.locator('.codicon-close').click();
    await tab.waitFor({ state: 'detached' });
  }
  console.log(`warm samples: ${warm.map((w) => w.toFixed(0)).join(", ")} ms`);
  warm.sort((a, b) => a - b);
  console.log(`real VS Code (code-server, sql.js engine on Node 20), ${rows.toLocaleString('en-US')} rows`);
  console.log(`click → first rows painted, cold (datasource opened, file loaded): ${cold.toFixed(0)} ms`);
  console.log(`click → first rows painted, warm (tab reopened), median of 3:     ${warm[1].toFixed(0)} ms`);
  console.log(`Ctrl+End → last row painted:                                      ${jump.toFixed(0)} ms`);
  await workbench.screenshot('bench-vscode-open');
} finally {
  await workbench.close();
  await server.stop();
}
