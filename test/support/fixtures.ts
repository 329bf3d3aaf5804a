import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './codeServer';

/** A workspace folder holding a freshly generated sample database (the same generator `npm start` uses). */
export async function makeFixtureWorkspace(dir: string, options: { events?: number; settings?: Record<string, unknown> } = {}): Promise<string> {
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [path.join(repoRoot(), 'scripts/make-sample-db.mjs'), path.join(dir, 'shop.sqlite'), '--events', String(options.events ?? 5_000)], {
    stdio: 'pipe',
  });
  if (options.settings) {
    mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify(options.settings, null, 2));
  }
  return dir;
}
