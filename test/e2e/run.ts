// The real-VS-Code test job: (a) the extension-host suites inside VS Code, (b) the UI journeys in Chromium.
// Expects dist/nocoflo.vsix and the test bundles in out/ (scripts/test-e2e.sh builds both). Ends with the line
// `N passed, N failed[, K journey(s) retried: a, b]`, which scripts/test-all.sh adds to its own counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { codeServerRuntime, repoRoot, startCodeServer } from '../support/codeServer';
import { makeFixtureWorkspace } from '../support/fixtures';
import type { JourneyFileResult } from './runJourneyFile';
import { runVscodeSuite } from './runVscodeSuite';

/** What one part of the run counted; `retried` holds the first attempt of a journey file that ran twice. */
interface Part {
  name: string;
  passed: number;
  failed: number;
  failures: string[];
  retried?: { failed: number; failures: string[] };
}

async function main(): Promise<number> {
  const root = repoRoot();
  for (const required of ['dist/nocoflo.vsix', 'dist/test-plugin.vsix', 'out/test/vscode/index.js']) {
    if (!existsSync(path.join(root, required))) throw new Error(`${required} is missing; run scripts/test-e2e.sh`);
  }
  console.log(`Testing in ${codeServerRuntime().label}`);
  const parts: Part[] = [];
  // For working on some journeys: `node out/test/e2e/run.js --journeys <substring>[,<substring>…]` skips the host
  // suites and runs the journey files whose names contain one of the substrings. The test command never passes it.
  const at = process.argv.indexOf('--journeys');
  const only = at > 0 ? (process.argv[at + 1] ?? '').split(',').filter((s) => s !== '') : undefined;

  if (only === undefined) parts.push(await hostSuites(root));
  // `--host`: the extension-host suites alone, for working on them.
  if (!process.argv.includes('--host')) {
    console.log('\n=== UI journeys (Chromium) ===');
    const journeys = path.join(root, 'out/test/e2e/journeys');
    const files = existsSync(journeys)
      ? readdirSync(journeys).filter((f) => f.endsWith('.test.js') && (only === undefined || only.some((s) => f.includes(s)))).sort()
      : [];
    if (files.length === 0) throw new Error(only ? `no UI journey file matches ${only.join(', ')}` : 'no UI journeys were built');
    for (const file of files) parts.push(journeyFile(root, path.join(journeys, file)));
  }
  return summarize(parts);
}

/**
 * One journey file, in a mocha process of its own, without step retries: its steps share one workspace, one VS Code
 * profile and one database, so a step run again would start from what its first attempt left behind. If the file
 * fails, it runs once more from scratch (a new process, so the journey's before() makes a new workspace, profile and
 * servers: the journeys keep no state outside them). The workbench under load can lose a click or a key press; a
 * journey that fails twice fails the run, and one that passed only the second time is named in the summary and in
 * the closing line.
 */
function journeyFile(root: string, file: string): Part {
  const name = path.basename(file, '.test.js');
  const attempt = (): JourneyFileResult => {
    const resultFile = path.join(mkdtempSync(path.join(tmpdir(), 'nocoflo-journey-result-')), 'result.json');
    const child = spawnSync(process.execPath, [path.join(root, 'out/test/e2e/runJourneyFile.js'), file, resultFile], {
      stdio: 'inherit',
      cwd: root,
    });
    let result: JourneyFileResult | undefined;
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8')) as JourneyFileResult;
    } catch {
      // The process died before mocha finished (a crash, a kill): the whole file counts as one failure.
    }
    rmSync(path.dirname(resultFile), { recursive: true, force: true });
    if (result && (result.failed > 0) === (child.status !== 0)) return result;
    const why = child.signal ? `killed by ${child.signal}` : `exit ${String(child.status)}`;
    return { passed: result?.passed ?? 0, failed: Math.max(1, result?.failed ?? 0), failures: [...(result?.failures ?? []), `journey file ${name} did not finish cleanly (${why})`] };
  };
  console.log(`\n--- journey ${name} ---`);
  const first = attempt();
  if (first.failed === 0) return { name: `journey ${name}`, ...first };
  console.log(`\n!!! RETRY: journey ${name} failed (${first.failures.join('; ')}); running the whole file once more from a fresh workspace`);
  const second = attempt();
  return { name: `journey ${name}`, ...second, retried: { failed: first.failed, failures: first.failures } };
}

/** Prints every part, every retry by name, and the closing line `N passed, N failed[, K journey(s) retried: a, b]`. */
function summarize(parts: Part[]): number {
  console.log('\n=== e2e summary ===');
  for (const part of parts) {
    let line = `${part.name}: ${part.passed} passed, ${part.failed} failed`;
    if (part.retried) line += ` — RETRIED: the first attempt failed ${part.retried.failed} (${part.retried.failures.join('; ')})`;
    console.log(line);
    for (const failure of part.failures) console.log(`  failed: ${failure}`);
  }
  const journeyName = (p: Part) => p.name.replace(/^journey /, '');
  const retried = parts.filter((p) => p.retried).map(journeyName);
  const flaky = parts.filter((p) => p.retried && p.failed === 0).map(journeyName);
  const failedTwice = parts.filter((p) => p.retried && p.failed > 0).map(journeyName);
  if (flaky.length > 0) {
    console.log(`\n!!! ${flaky.length} journey file${flaky.length === 1 ? '' : 's'} passed only on a retry: ${flaky.join(', ')}.`);
    console.log('!!! A retry hides a flaky step or a real race: read the first attempt above and fix what failed.');
  }
  if (failedTwice.length > 0) console.log(`\n!!! failed on the retry too: ${failedTwice.join(', ')}.`);
  const passed = parts.reduce((sum, p) => sum + p.passed, 0);
  const failed = parts.reduce((sum, p) => sum + p.failed, 0);
  const retries = retried.length > 0 ? `, ${retried.length} journey${retried.length === 1 ? '' : 's'} retried: ${retried.join(', ')}` : '';
  console.log(`${passed} passed, ${failed} failed${retries}`);
  return failed === 0 ? 0 : 1;
}

async function hostSuites(root: string): Promise<Part> {
  console.log('\n=== extension-host suites (inside VS Code) ===');
  const workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-host-ws-')));
  const server = await startCodeServer({ workspace, extensions: [path.join(root, 'dist/test-plugin.vsix')] });
  try {
    const outcome = await runVscodeSuite(server, root, path.join(root, 'out/test/vscode/index.js'));
    const part: Part = { name: 'extension-host suites', passed: outcome.passed ?? 0, failed: outcome.failed ?? 0, failures: [] };
    if (outcome.code !== 0) {
      console.error(`extension-host suites failed (exit ${outcome.code}); code-server log: ${server.logFile}`);
      part.failures.push(`exit ${outcome.code}; code-server log: ${server.logFile}`);
      // A suite that died before its summary still fails the run.
      part.failed = Math.max(1, part.failed);
    }
    return part;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
