// Child process for the concurrency test: adds N datasources to a shared metadata file, like a second VS Code window.
import * as path from 'node:path';
import { MetadataStore } from '../../src/core/metadata/metadataStore';

async function main() {
  const [file, prefix, count] = process.argv.slice(2);
  const store = await MetadataStore.open({ path: file, wasmPath: path.resolve(__dirname, '../../sql-wasm.wasm'), watchIntervalMs: 0, lockTimeoutMs: 60_000 });
  for (let i = 0; i < Number(count); i++) {
    await store.addDatasource({ type: 'nocoflo.sqlite', name: `${prefix}-${i}`, config: { path: `/tmp/${prefix}-${i}.db` } });
  }
  store.dispose();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
