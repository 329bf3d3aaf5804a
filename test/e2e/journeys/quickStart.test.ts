// The README's first command as a newcomer runs it: `npm start` says what it is doing from the first second, prints
// the URL only once VS Code answers there, opens a sample workspace that is not inside this repository's git tree,
// and the sidebar goes from "Loading connections…" to the declared sample without ever saying "No datasources yet".
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort, repoRoot } from '../../support/codeServer';
import { Workbench } from '../../support/workbench';

describe('journey: npm start', function () {
  let child: ChildProcess;
  let workbench: Workbench | undefined;
  const lines: string[] = [];
  let url = '';
  let answeredWhenPrinted: number | undefined;
  const sample = mkdtempSync(path.join(tmpdir(), 'nocoflo-start-sample-'));

  before(async function () {
    const port = await freePort();
    child = spawn('bash', ['scripts/run-dev.sh'], {
      cwd: repoRoot(),
      env: { ...process.env, PORT: String(port), NOCOFLO_SAMPLE_DIR: sample, NOCOFLO_RUN_DIR: mkdtempSync(path.join(tmpdir(), 'nocoflo-start-run-')) },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const complete = buffered.split('\n');
        buffered = complete.pop()!;
        for (const line of complete) {
          lines.push(line);
          const match = /running in VS Code at: (\S+)/.exec(line);
          if (match) {
            // Asked the moment the line arrives: nothing else has had time to start the server.
            void fetch(match[1]).then((r) => (answeredWhenPrinted = r.status), () => (answeredWhenPrinted = 0)).then(() => resolve(match[1]));
          }
        }
      });
      child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${lines.join('\n')}`)));
    });
  });

  after(async () => {
    await workbench?.close();
    if (child.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      process.kill(-child.pid, 'SIGINT');
      await exited;
    }
  });

  it('says what it is doing in numbered steps before anything slow, and prints the URL once VS Code answers on it', () => {
    assert.match(lines[0], /^(The first run installs|\[1\/5\])/, 'the very first line explains, before npm ci or apt run');
    const steps = lines.filter((l) => /^\[\d\/5\]/.test(l)).map((l) => l.slice(0, 5));
    assert.deepEqual(steps, ['[1/5]', '[2/5]', '[3/5]', '[4/5]', '[5/5]']);
    assert.equal(answeredWhenPrinted, 200, 'the printed URL worked when it was printed');
    assert.ok(url.includes(`?folder=${sample}`), url);
  });

  it('puts the sample workspace outside any git repository', () => {
    const git = spawnSync('git', ['-C', sample, 'rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' });
    assert.notEqual(git.status, 0, `the sample is inside a git work tree: ${git.stdout}`);
  });

  it('shows the declared sample in the sidebar, never "No datasources yet" while it loads, and no git prompt', async () => {
    // Recorded from the page's first script on: the empty-state text must not flash while Nocoflo activates.
    workbench = await Workbench.openUrl(url, () => {
      const seen: string[] = [];
      (window as unknown as { nocofloWelcomeTexts: string[] }).nocofloWelcomeTexts = seen;
      new MutationObserver(() => {
        document.querySelectorAll('.welcome-view-content').forEach((node) => {
          // VS Code keeps rendering a hidden welcome view once the tree has rows: only what shows counts.
          if ((node as HTMLElement).offsetParent === null) return;
          const text = node.textContent ?? '';
          if (text && !seen.includes(text)) seen.push(text);
        });
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await workbench.openNocofloSidebar();
    await workbench.treeItem('Sample shop').waitFor({ timeout: 60_000 });
    const welcomeTexts = await workbench.page.evaluate(() => (window as unknown as { nocofloWelcomeTexts: string[] }).nocofloWelcomeTexts);
    assert.deepEqual(welcomeTexts.filter((t) => t.includes('No datasources yet')), [], `welcome texts seen: ${JSON.stringify(welcomeTexts)}`);
    await workbench.treeItem('Sample shop').click();
    await workbench.treeItem('customers').waitFor({ timeout: 30_000 });
    assert.equal(await workbench.page.locator('.notification-toast', { hasText: /git repositor/i }).count(), 0);
  });
});
