// Runs the extension-host suites (test/vscode) inside a real VS Code: code-server opens the workbench with a
// payload naming the extension under development and the test entry point; the workbench reports the outcome
// through the same window hooks @vscode/test-web uses (codeAutomationLog, codeAutomationExit). The counts are read
// from the suite's own mocha summary ("N passing", "N failing"), printed by test/vscode/index.ts.
import type { CodeServer } from '../support/codeServer';
import { launchBrowser } from '../support/workbench';

export interface VscodeSuiteOutcome {
  /** 0 when every test passed; 124 on a timeout. */
  code: number;
  /** From mocha's summary; undefined when the suite never got that far. */
  passed?: number;
  failed?: number;
}

export async function runVscodeSuite(server: CodeServer, extensionPath: string, testsPath: string, timeoutMs = 900_000): Promise<VscodeSuiteOutcome> {
  const counts: { passed?: number; failed?: number } = {};
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      const summary = /^\s*(\d+) (passing|failing)\b/m.exec(line);
      if (summary) counts[summary[2] === 'passing' ? 'passed' : 'failed'] = Number(summary[1]);
      (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });
    const remote = (p: string) => `vscode-remote://remote${p}`;
    await page.goto(server.workbenchUrl([
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(testsPath)],
    ]));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(`extension-host suite timed out after ${timeoutMs / 1000} s\n`);
        resolve(124);
      }, timeoutMs);
    });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    return { code, ...counts };
  } finally {
    await browser.close();
  }
}
