#!/usr/bin/env bash
# The SQLite datasource tests again, on the node:sqlite engine (Node 22), which VS Code builds on Node >= 22.13 use.
# Never a silent skip: if Node 22 cannot be installed this fails.
set -euo pipefail
cd "$(dirname "$0")/.."
node22=$(bash scripts/ensure-node22.sh | tail -n 1)
[ -f out/test/integration/sqliteDatasource.test.js ] || node esbuild.mjs --tests >/dev/null
echo "node:sqlite engine on $("$node22" --version)"
NODE_NO_WARNINGS=1 NOCOFLO_SQLITE_ENGINE=node "$node22" node_modules/mocha/bin/mocha.js --timeout 120000 --reporter spec out/test/integration/sqlite*.test.js
