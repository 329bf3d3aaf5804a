// The same extension-host suites as test/e2e/run.ts, under @vscode/test-electron (a downloaded desktop VS Code),
// for machines that can download VS Code. `npm run test:vscode`. The offline CI runs them in code-server instead.
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
    launchArgs: [workspace, '--disable-workspace-trust', `--user-data-dir=${mkdtempSync(path.join(tmpdir(), 'nocoflo-electron-ud-'))}`],
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
