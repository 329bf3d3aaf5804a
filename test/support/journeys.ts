// Steps many UI journeys share: another program reading and writing a SQLite file, and adding a datasource the
// quickest way a user can (the command palette and a pasted URL).
import { spawnSync } from 'node:child_process';
import type { Workbench } from './workbench';

/** Python's sqlite3 (the real C library, a separate program) runs `sql` with bound `params` on `file` and commits. */
export function sqlite(file: string, sql: string, ...params: (string | number | null)[]): unknown[][] {
  const script = 'import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1])\nr=c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()\nc.commit()\nprint(json.dumps(r))';
  const result = spawnSync('python3', ['-c', script, file, sql, JSON.stringify(params)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 sqlite3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[][];
}

/** Nocoflo: Add Datasource… → Paste a connection URL → `url` → `name`, each answer given once its step shows. */
export async function addDatasourceByUrl(workbench: Workbench, url: string, name: string): Promise<void> {
  await workbench.openNocofloSidebar();
  await workbench.runCommand('Nocoflo: Add Datasource…');
  await workbench.answerQuickInput('Paste a connection URL', 'Add Datasource');
  await workbench.answerQuickInput(url, 'Connection URL');
  await workbench.answerQuickInput(name, 'Datasource name');
}

interface JourneyParts {
  workbench?: Workbench;
  server?: { stop(): Promise<void> };
  /** Other browsers the journey opened, closed before the main one. */
  browsers?: ({ close(): Promise<void> } | undefined)[];
  /** Servers the journey started besides code-server (a REST API, databases), stopped last. */
  services?: ({ stop(): Promise<void> } | undefined)[];
}

/**
 * For one journey's describe block: a screenshot of every failed step (named after the journey and the step), and
 * everything it started closed at the end whatever happened. `parts` reads the journey's variables at that time.
 */
export function journeyCleanup(name: string, parts: () => JourneyParts): void {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await parts().workbench?.screenshot(`FAILED ${name} ${this.currentTest.title}`);
  });
  after(async () => {
    const { workbench, server, browsers = [], services = [] } = parts();
    for (const browser of browsers) await browser?.close();
    await workbench?.close();
    await server?.stop();
    await Promise.all(services.map((service) => service?.stop()));
  });
}
