// Runs one journey file under mocha in a process of its own and writes what happened to a JSON file, so that
// test/e2e/run.ts can count the tests, name the failures and, if the file failed, run it once more in a fresh process
// (fresh module state; the journey's before() makes a new workspace, VS Code profile and servers).
// Usage: node out/test/e2e/runJourneyFile.js <journey.test.js> <result.json>
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

export interface JourneyFileResult {
  passed: number;
  failed: number;
  /** Full titles of the failed tests and hooks. */
  failures: string[];
}

const [file, resultFile] = process.argv.slice(2);
if (!file || !resultFile) {
  console.error('usage: runJourneyFile.js <journey.test.js> <result.json>');
  process.exit(2);
}

// No retries: a step that fails fails its journey file; run.ts decides whether the whole file runs again.
const mocha = new Mocha({ ui: 'bdd', timeout: 180_000, reporter: 'spec', retries: 0 });
mocha.addFile(file);
const failures: string[] = [];
const runner = mocha.run((failed) => {
  const result: JourneyFileResult = { passed: runner.stats?.passes ?? 0, failed, failures };
  writeFileSync(resultFile, JSON.stringify(result));
  process.exit(failed > 0 ? 1 : 0);
});
runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test) => failures.push(test.fullTitle()));
