#!/usr/bin/env bash
# `npm test`: every test there is, in order of cost. Installs what it needs (system packages, code-server, Node 22
# for the node:sqlite engine) through the project's own scripts, so it works on a fresh machine and in CI.
# Prints "N passed, N failed" as its last line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
log=test-results/test-all.log
: >"$log"
failed_stages=()

stage() {
  local name=$1
  shift
  echo "::: $name"
  if "$@" 2>&1 | tee -a "$log"; then
    echo "::: $name ok"
  else
    echo "::: $name FAILED"
    failed_stages+=("$name")
  fi
}

[ -d node_modules ] || npm ci --no-audit --no-fund
stage typecheck npm run --silent typecheck
stage lint npm run --silent lint
stage build node esbuild.mjs --tests
stage unit npx mocha --config test/unit/.mocharc.json
for script in scripts/test-sqlite-node22.sh scripts/test-integration.sh scripts/test-e2e.sh; do
  [ -f "$script" ] && stage "$(basename "$script" .sh)" bash "$script"
done

# Sum mocha's "N passing"/"N failing" lines and the e2e runner's "N passed, N failed" lines.
passed=$(grep -hoE '^\s*[0-9]+ passing' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -hoE '^\s*[0-9]+ failing' "$log" | awk '{s+=$1} END {print s+0}')
e2e_passed=$(grep -hoE '^[0-9]+ passed, [0-9]+ failed$' "$log" | awk '{s+=$1} END {print s+0}')
e2e_failed=$(grep -hoE '^[0-9]+ passed, [0-9]+ failed$' "$log" | awk '{s+=$3} END {print s+0}')
passed=$((passed + e2e_passed))
failed=$((failed + e2e_failed))
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}"
  [ "$failed" -eq 0 ] && failed=${#failed_stages[@]}
  echo "$passed passed, $failed failed"
  exit 1
fi
echo "$passed passed, $failed failed"
