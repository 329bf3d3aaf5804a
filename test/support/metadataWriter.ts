// Child process for the concurrency test: adds N datasources to a shared metadata file, like a second VS Code window.
import * as path from 'node:path';
import { openMetadata } from '../../src/core/metadata/metadata';
import { writeFileAtomic } from '../../plugins/kit/atomicFile';

async function main() {
  const [file, prefix, count] = process.argv.slice(2);
  const metadata = await openMetadata({ path: file, wasmPath: path.resolve(__dirname, '../../sql-wasm.wasm'), watchIntervalMs: 0, replaceFile: writeFileAtomic, lockTimeoutMs: 60_000 });
  for (let i = 0; i < Number(count); i++) {
    await metadata.datasources.addDatasource({ type: 'nocoflo.sqlite', name: `${prefix}-${i}`, config: { path: `/tmp/${prefix}-${i}.db` } });
  }
  metadata.dispose();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
