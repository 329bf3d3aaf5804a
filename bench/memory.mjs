#!/usr/bin/env node
// Memory and activation of Nocoflo in a real VS Code (code-server 1.100.3 in headless Chromium), as ratios against
// the same window before Nocoflo activated, in one run:
//   - the extension host's RSS (median of 5 samples a second apart): before activation (baseline), with Chinook's
//     Track table open, after closing it and waiting out nocoflo.idleSessionSeconds, with a 1M-row table open, and
//     after closing that and waiting again (is the memory given back?);
//   - Nocoflo's activation time as VS Code reports it (Developer: Show Running Extensions).
// Needs `bash scripts/test-e2e.sh` (or its build steps) first: dist/nocoflo.vsix and out/.
//
//   node bench/memory.mjs [--rows 1000000] [--idle 60] [--vsix other.vsix]   (another build, e.g. an earlier commit's)
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsFile, option, root } from './support/benchLib.mjs';
import { extensionHostPid, medianRss, pause } from './support/extensionHost.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const rows = option('--rows', 1_000_000);
const idleSeconds = option('--idle', 60);
const vsix = args.includes('--vsix') ? args[args.indexOf('--vsix') + 1] : join(root, 'dist/nocoflo.vsix');
const { codeServerRuntime, startCodeServer } = require(join(root, 'out/test/support/codeServer.js'));
const { Workbench } = require(join(root, 'out/test/support/workbench.js'));

const big = eventsFile('memory', rows);
const workspace = mkdtempSync(join(tmpdir(), 'nocoflo-bench-mem-'));
const chinook = join(workspace, 'Chinook_Sqlite.sqlite');
copyFileSync(join(root, 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite'), chinook);
mkdirSync(join(workspace, '.vscode'));
writeFileSync(
  join(workspace, '.vscode/settings.json'),
  JSON.stringify({ 'nocoflo.connections': [{ name: 'Chinook', type: 'sqlite', config: { path: chinook } }, { name: 'Big', type: 'sqlite', config: { path: big } }] }),
);

const server = await startCodeServer({ workspace, extensions: [vsix], settings: { 'nocoflo.idleSessionSeconds': idleSeconds } });
const workbench = await Workbench.open(server);
const results = [];
try {
  // The window settles (extension host started, built-in extensions activated) before the baseline.
  await pause(10_000);
  const host = extensionHostPid(server.userDataDir);
  const baseline = await medianRss(host);
  results.push(['before Nocoflo activated (baseline)', baseline]);

  const open = async (connection, table, rowsText) => {
    await workbench.openNocofloSidebar();
    await workbench.expandTreeItem(connection);
    await workbench.treeItem(new RegExp(`^${table}$`)).click();
    await workbench.webview().locator('.status-count', { hasText: rowsText }).waitFor({ timeout: 180_000 });
    await pause(2000);
  };
  const closeAllAndWait = async () => {
    await workbench.runCommand('View: Close All Editors');
    await workbench.page.locator('.tab').first().waitFor({ state: 'detached', timeout: 30_000 });
    // The idle time, then a little for the worker to end.
    await pause(idleSeconds * 1000 + 5000);
  };

  await open('Chinook', 'Track', '3,503 rows');
  results.push(["Chinook's Track open", await medianRss(host)]);
  await closeAllAndWait();
  results.push([`${idleSeconds} s after closing it`, await medianRss(host)]);
  await open('Big', 'events', `${rows.toLocaleString('en-US')} rows`);
  results.push([`a ${rows.toLocaleString('en-US')}-row table open`, await medianRss(host)]);
  await closeAllAndWait();
  results.push([`${idleSeconds} s after closing it`, await medianRss(host)]);

  // Activation as VS Code measured it: the Running Extensions editor lists each extension's activation time.
  await workbench.runCommand('Developer: Show Running Extensions');
  const row = workbench.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Nocoflo' }).first();
  await row.waitFor({ timeout: 30_000 });
  const text = (await row.innerText()).replace(/\s+/g, ' ');
  const activation = /Activation:\s*([\d.]+)\s*ms/i.exec(text)?.[1];

  console.log(`${vsix}\nreal VS Code: ${codeServerRuntime().label}; extension host RSS, median of 5 samples`);
  for (const [what, mb] of results) console.log(`${what.padEnd(44)} ${mb.toFixed(1).padStart(7)} MB  ×${(mb / baseline).toFixed(2)}`);
  console.log(`activation (Running Extensions): ${activation ? `${activation} ms` : `not found in "${text}"`}`);
} finally {
  await workbench.close();
  await server.stop();
}
