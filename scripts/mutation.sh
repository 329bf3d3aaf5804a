#!/usr/bin/env bash
# Mutation testing (StrykerJS, stryker.config.json) against the unit tests that exercise the mutated code. Not part
# of `npm test` or CI: on a 2-core machine a target takes minutes. How: Stryker copies the repository into a sandbox
# with every mutant compiled in behind a switch, esbuild bundles the tests there (buildCommand), and the mocha runner
# runs those bundles once per mutant, only the tests that reach it (coverageAnalysis perTest).
#
#   bash scripts/mutation.sh                 src/core/roles and src/core/audit (stryker.config.json as it is)
#   bash scripts/mutation.sh validate        shared/validate*.ts
#   bash scripts/mutation.sh protocolCodec   shared/protocolCodec.ts
#   bash scripts/mutation.sh kit-sql         plugins/kit/sql/*.ts
#   bash scripts/mutation.sh kit-sql --mutate plugins/kit/sql/queryBuilder.ts    (further arguments go to Stryker)
#
# A target replaces `mutate` and the mocha spec files of stryker.config.json (targets in scripts/mutation-targets.json)
# and writes its report to test-results/mutation/<target>.json; the default writes test-results/mutation/mutation.json.
# Prints Stryker's table of killed and surviving mutants. Scores are recorded in docs/testing.md.
#
# StrykerJS 10 needs Node >= 22: it runs on the Node 22 that scripts/ensure-node22.sh provides (the one the
# node:sqlite tests use); the tests it runs therefore run on Node 22 too.
set -euo pipefail
cd "$(dirname "$0")/.."
node22=$(bash scripts/ensure-node22.sh | tail -n 1)
config=stryker.config.json
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  target=$1
  shift
  mkdir -p test-results/mutation
  config=test-results/mutation/$target.config.json
  "$node22" -e '
    const fs = require("fs");
    const [target, out] = process.argv.slice(1);
    const targets = JSON.parse(fs.readFileSync("scripts/mutation-targets.json", "utf8"));
    const t = targets[target];
    if (!t) { console.error(`unknown target ${target}; known: ${Object.keys(targets).join(", ")}`); process.exit(2); }
    const base = JSON.parse(fs.readFileSync("stryker.config.json", "utf8"));
    delete base.$schema;
    base.mutate = t.mutate;
    base.mochaOptions = { ...base.mochaOptions, spec: t.spec };
    base.jsonReporter = { fileName: `test-results/mutation/${target}.json` };
    fs.writeFileSync(out, JSON.stringify(base, null, 2));
  ' "$target" "$config"
fi
exec "$node22" node_modules/@stryker-mutator/core/bin/stryker.js run "$config" "$@"
