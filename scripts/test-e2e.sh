#!/usr/bin/env bash
# Tests in a real VS Code: installs Chromium, code-server and the database servers (the PostgreSQL/MariaDB journeys
# start their own) if missing, packages Nocoflo, the third-party test plugin and the example plugin
# (examples/csv-kanban), bundles the tests, then runs the extension-host suites and the UI journeys (test/e2e/run.ts).
# `--node22`: the same suites in code-server 4.117.0 (VS Code 1.117) on Node 22, the runtime of current desktop
# VS Code, where the SQLite datasource uses node:sqlite instead of sql.js (scripts/install-code-server.sh --node22).
set -euo pipefail
cd "$(dirname "$0")/.."
NOCOFLO_DB_SERVERS=1 bash scripts/install-system-deps.sh
if [ "${1:-}" = --node22 ]; then
  bash scripts/install-code-server.sh --node22 >/dev/null
  export NOCOFLO_CODE_SERVER=node22
else
  bash scripts/install-code-server.sh >/dev/null
fi
node esbuild.mjs --tests
node esbuild.mjs --production
npx --no-install vsce package --no-dependencies --no-rewrite-relative-links --out dist/nocoflo.vsix >/dev/null
(cd test/fixtures/third-party-plugin && npx --no-install vsce package --no-dependencies --allow-missing-repository --skip-license --no-rewrite-relative-links --out ../../../dist/test-plugin.vsix >/dev/null)
(cd examples/csv-kanban && npx --no-install vsce package --no-dependencies --allow-missing-repository --skip-license --no-rewrite-relative-links --out ../../dist/example-csv-kanban.vsix >/dev/null) # its vscode:prepublish builds it
node out/test/e2e/run.js
