#!/usr/bin/env bash
# `npm test`: every test there is, in order of cost. Installs what it needs (system packages, code-server, Node 22
# for the node:sqlite engine) through the project's own scripts, so it works on a fresh machine and in CI.
# Prints "N passed, N failed" as its last line, with ", K journey(s) retried: a, b" when a UI journey file passed only
# on its second run (test/e2e/run.ts).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
log=test-results/test-all.log
: >"$log"
rm -f test-results/stage-*.log
failed_stages=()

# Each stage's output goes to test-results/stage-<name>.log as well as to the whole log, so that its tests are counted
# from its own summary lines.
stage() {
  local name=$1
  shift
  echo "::: $name"
  if "$@" 2>&1 | tee "test-results/stage-$name.log" | tee -a "$log"; then
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
stage unit npm run --silent test:unit
# A stage whose script is missing (renamed, deleted) fails the run instead of quietly dropping its tests.
for script in scripts/test-sqlite-node22.sh scripts/test-integration.sh scripts/test-e2e.sh scripts/test-vscode-electron.sh; do
  name=$(basename "$script" .sh)
  if [ -f "$script" ]; then
    stage "$name" bash "$script"
    # The UI and extension-host suites run a second time in VS Code 1.117 on Node 22 (node:sqlite engine).
    [ "$name" = test-e2e ] && stage test-e2e-node22 bash "$script" --node22
  else
    echo "::: $name FAILED: $script is missing" | tee -a "$log"
    failed_stages+=("$name")
  fi
done

# Counts: a stage that ends with the e2e runner's closing line ("N passed, N failed[, K journey(s) retried: …]")
# is counted by that line alone (it already counts each journey's last run, so a retried journey's first run is not
# counted twice); every other stage by mocha's "N passing"/"N failing" lines.
closing='^[0-9]+ passed, [0-9]+ failed(, [0-9]+ journeys? retried: .+)?$'
passed=0
failed=0
retried=()
for stage_log in test-results/stage-*.log; do
  [ -f "$stage_log" ] || continue
  if grep -qE "$closing" "$stage_log"; then
    line=$(grep -E "$closing" "$stage_log" | tail -n 1)
    passed=$((passed + $(awk '{print $1}' <<<"$line")))
    failed=$((failed + $(awk '{print $3}' <<<"$line")))
    names=$(sed -nE 's/.* retried: (.+)$/\1/p' <<<"$line")
    [ -n "$names" ] && retried+=("$names")
  else
    passed=$((passed + $(grep -hoE '^\s*[0-9]+ passing' "$stage_log" | awk '{s+=$1} END {print s+0}')))
    failed=$((failed + $(grep -hoE '^\s*[0-9]+ failing' "$stage_log" | awk '{s+=$1} END {print s+0}')))
  fi
done
# A stage that failed without a failing test (a build error, a missing script) still counts as a failure.
[ ${#failed_stages[@]} -gt 0 ] && [ "$failed" -eq 0 ] && failed=${#failed_stages[@]}
summary="$passed passed, $failed failed"
if [ ${#retried[@]} -gt 0 ]; then
  names=$(printf '%s, ' "${retried[@]}")
  names=${names%, }
  count=$(tr ',' '\n' <<<"$names" | grep -c .)
  echo "!!! journey files that ran twice (failed once, then ran again from scratch): $names; see the e2e summary in test-results/stage-test-e2e.log"
  summary+=", $count journey$([ "$count" -eq 1 ] || echo s) retried: $names"
fi
if [ ${#failed_stages[@]} -gt 0 ] || [ "$failed" -gt 0 ]; then
  [ ${#failed_stages[@]} -gt 0 ] && echo "failed stages: ${failed_stages[*]}"
  echo "$summary"
  exit 1
fi
echo "$summary"
