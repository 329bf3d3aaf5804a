// The same extension-host suites as test/e2e/run.ts, under @vscode/test-electron (a downloaded desktop VS Code),
// for machines that can download VS Code. `npm run test:vscode`; `npm test` runs it through
// scripts/test-vscode-electron.sh, which says plainly when it cannot (no download). The offline CI runs the same suites
// in code-server (test/e2e/run.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../support/codeServer';
import { makeFixtureWorkspace } from '../support/fixtures';

async function main(): Promise<void> {
  const root = repoRoot();
  const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-electron-ws-')));
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: [root, path.join(root, 'test/fixtures/third-party-plugin')],
    extensionTestsPath: path.join(root, 'out/test/vscode/index.js'),
    launchArgs: [
      workspace,
      '--disable-workspace-trust',
      '--disable-gpu',
      // Chromium refuses to start as root without it (CI machines and containers run as root).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      `--user-data-dir=${mkdtempSync(path.join(tmpdir(), 'nocoflo-electron-ud-'))}`,
      `--extensions-dir=${mkdtempSync(path.join(tmpdir(), 'nocoflo-electron-ext-'))}`,
    ],
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
