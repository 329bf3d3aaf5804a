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
