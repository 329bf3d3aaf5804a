// The real-data suite (test/realdata) on Chinook_Sqlite.sqlite, through the SQLite datasource's worker and engine
// (sql.js by default; scripts/test-sqlite-node22.sh runs this file again with node:sqlite). The oracle is sql.js
// reading the file as it is on disk, and Python's sqlite3 is the other client that changes a row behind our back.
import type { DatasourceSession } from '../../api';
import { copyChinookSqlite, sqliteRawClient } from '../support/datasets';
import { engine, openSqlite, python } from '../support/sqliteFixtures';
import { chinook } from '../realdata/datasetTargets';
import { describeRealDatabaseSuite } from '../realdata/realDatabaseSuite';

const dataset = chinook('sqlite');
const sessions: DatasourceSession[] = [];

/** A fresh copy of the file with the suite's view, opened through the datasource. */
async function openCopy() {
  const file = copyChinookSqlite();
  python('import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute(sys.argv[2])\nc.commit()', file, dataset.createView);
  const session = await openSqlite(file);
  sessions.push(session);
  return { session, raw: await sqliteRawClient(file) };
}

describeRealDatabaseSuite({
  ...dataset,
  name: `Chinook on SQLite (${engine} engine)`,
  open: openCopy,
  openScratch: openCopy,
  async dispose() {
    for (const session of sessions.splice(0)) await session.close();
  },
});
