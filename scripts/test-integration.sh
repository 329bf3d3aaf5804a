#!/usr/bin/env bash
# Integration tests against real servers: PostgreSQL and MariaDB from Debian's packages, each started by the tests
# themselves on 127.0.0.1 in a throwaway data directory (test/support/servers), and a node:http server for REST.
# Installs the server packages when they are missing; with CI=true a missing server is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
NOCOFLO_DB_SERVERS=1 bash scripts/install-system-deps.sh
[ -d out/test/integration ] || node esbuild.mjs --tests >/dev/null
shopt -s globstar nullglob
files=(out/test/integration/**/*.test.js)
if [ ${#files[@]} -eq 0 ]; then
  echo "no integration tests were built" >&2
  exit 1
fi
npx mocha --timeout 120000 --reporter spec "${files[@]}"
