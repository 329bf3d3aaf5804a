// The real-VS-Code test job: (a) the extension-host suites inside VS Code, (b) the UI journeys in Chromium.
// Expects dist/nocoflo.vsix and the test bundles in out/ (scripts/test-e2e.sh builds both).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot, startCodeServer } from '../support/codeServer';
import { makeFixtureWorkspace } from '../support/fixtures';
import { runVscodeSuite } from './runVscodeSuite';

async function main(): Promise<number> {
  const root = repoRoot();
  for (const required of ['dist/nocoflo.vsix', 'dist/test-plugin.vsix', 'out/test/vscode/index.js']) {
    if (!existsSync(path.join(root, required))) throw new Error(`${required} is missing; run scripts/test-e2e.sh`);
  }
  let failed = 0;
  // For working on one journey: `node out/test/e2e/run.js --journeys <substring>` skips the host suites and runs the
  // matching journey files only. The test command never passes it.
  const only = process.argv.indexOf('--journeys') > 0 ? process.argv[process.argv.indexOf('--journeys') + 1] ?? '' : undefined;

  if (only === undefined) failed += await hostSuites(root);
  // `--host`: the extension-host suites alone, for working on them.
  if (process.argv.includes('--host')) return failed === 0 ? 0 : 1;

  console.log('\n=== UI journeys (Chromium) ===');
  const journeys = path.join(root, 'out/test/e2e/journeys');
  const files = existsSync(journeys)
    ? readdirSync(journeys).filter((f) => f.endsWith('.test.js') && (only === undefined || f.includes(only))).sort().map((f) => path.join(journeys, f))
    : [];
  if (files.length === 0) throw new Error('no UI journeys were built');
  // A UI step that fails is tried once more before it counts as failed: the workbench under load can lose a click or
  // a key press (the journeys already wait on conditions, never on time). A step that fails twice fails the run.
  const mocha = spawnSync(process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--timeout', '180000', '--retries', '1', '--reporter', 'spec', ...files], {
    stdio: 'inherit',
    cwd: root,
  });
  if (mocha.status !== 0) failed++;
  return failed === 0 ? 0 : 1;
}

async function hostSuites(root: string): Promise<number> {
  let failed = 0;
  console.log('\n=== extension-host suites (inside VS Code) ===');
  const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-host-ws-')));
  const server = await startCodeServer({ workspace, extensions: [path.join(root, 'dist/test-plugin.vsix')] });
  try {
    const code = await runVscodeSuite(server, root, path.join(root, 'out/test/vscode/index.js'));
    if (code !== 0) {
      failed++;
      console.error(`extension-host suites failed (exit ${code}); code-server log: ${server.logFile}`);
    }
  } finally {
    await server.stop();
  }
  return failed;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
