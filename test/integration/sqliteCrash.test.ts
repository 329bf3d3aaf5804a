// kill -9 in the middle of saving must leave a file that SQLite itself finds intact, holding one whole save: the
// last one that finished, or the one in flight, never a mix.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../support/codeServer';
import { engine, makeDatabase, python, tempDir } from '../support/sqliteFixtures';

const ROWS = 2_000;

describe(`SQLite save killed with SIGKILL (${engine} engine)`, function () {
  this.timeout(120_000);

  for (const delayMs of [150, 400, 900]) {
    it(`leaves an intact file holding one whole save (killed after ${delayMs} ms of saving)`, async () => {
      const file = await makeDatabase(path.join(tempDir('nocoflo-crash-'), 'crash.sqlite'), 'CREATE TABLE t (id INTEGER PRIMARY KEY, generation INTEGER NOT NULL, pad TEXT)', (run) => {
        for (let id = 1; id <= ROWS; id++) run('INSERT INTO t VALUES (?, 0, ?)', [id, 'x'.repeat(500)]);
      });
      const child = spawn(process.execPath, [path.join(repoRoot(), 'out/test/support/sqliteSaveLoop.js'), file, String(ROWS)], {
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let finished = 0;
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (finished = Math.max(finished, ...chunk.toString().trim().split('\n').map(Number))));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // Wait for the first save, so the kill lands while later saves are being written.
      const started = Date.now();
      while (finished === 0) {
        assert.equal(child.exitCode, null, `the save loop died: ${stderr}`);
        assert.ok(Date.now() - started < 60_000, 'no save finished within a minute');
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, delayMs));
      const lastReported = finished;
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const report = JSON.parse(
        python(
          "import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1])\nprint(json.dumps({'check': c.execute('pragma integrity_check').fetchone()[0], 'gens': [r[0] for r in c.execute('select distinct generation from t')], 'rows': c.execute('select count(*) from t').fetchone()[0]}))",
          file,
        ),
      );
      assert.equal(report.check, 'ok');
      assert.equal(report.rows, ROWS);
      assert.equal(report.gens.length, 1, `rows from different saves: ${report.gens.join(', ')}`);
      assert.ok(report.gens[0] >= lastReported && report.gens[0] <= lastReported + 1, `generation ${report.gens[0]} after ${lastReported} reported`);
    });
  }
});
