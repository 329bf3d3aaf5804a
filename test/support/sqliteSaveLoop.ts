// A child process for the crash test: saves through the SQLite datasource in a loop (every row of `t` set to the
// same generation in one transaction) until it is killed. Prints the generation after each commit.
import { openSqlite } from './sqliteFixtures';

async function main(): Promise<void> {
  const session = await openSqlite(process.argv[2]);
  const table = { name: 't' };
  const rows = Number(process.argv[3]);
  for (let generation = 1; ; generation++) {
    await session.transaction!(async (tx) => {
      for (let id = 1; id <= rows; id++) await tx.updateRow(table, { id }, { generation }, { generation: generation - 1 });
    });
    process.stdout.write(`${generation}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
