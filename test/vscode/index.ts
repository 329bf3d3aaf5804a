// Entry point VS Code calls (extensionTestsPath) to run the extension-host suites inside a real VS Code.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // The extension host forwards console calls unformatted ("%d passing"); mocha's reporters print through
  // Base.consoleLog, captured when mocha loaded, so format there.
  const log = console.log.bind(console);
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => log(format(...args));
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const dir = __dirname;
  // NOCOFLO_HOST_FILES=treeItems,roleCommands runs only the files whose names contain one of the words (for working
  // on them); it says so, so a run cut down this way is never mistaken for the whole suite.
  const only = process.env.NOCOFLO_HOST_FILES?.split(',').filter(Boolean);
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.js') && (!only || only.some((word) => f.includes(word))));
  if (only) log(`NOCOFLO_HOST_FILES is set: running only ${files.join(', ')}`);
  for (const file of files.sort()) mocha.addFile(path.join(dir, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
    // Said at once as well as in the closing summary: a run stopped by the outer time limit never gets that far.
    runner.on('fail', (test, error: Error) => log(`FAILED: ${test.fullTitle()}: ${error.stack ?? error.message}`));
  });
}
