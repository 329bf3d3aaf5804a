#!/usr/bin/env bash
# Mutation testing (StrykerJS, stryker.config.json) of src/core/roles and src/core/audit against the unit tests
# that exercise them: roles.test.ts, roleEdges.test.ts, auditLog.test.ts, auditUndo.test.ts, auditEdges.test.ts. Not part of `npm test` or CI: on a 2-core
# machine it takes several minutes. Prints Stryker's table of killed and surviving mutants; the surviving ones are
# in test-results/mutation/mutation.json. The score is recorded in docs/testing.md. How: Stryker copies the repository
# into a sandbox with every mutant compiled in behind a switch, esbuild bundles the tests there (buildCommand), and
# the mocha runner runs those bundles once per mutant, only the tests that reach it (coverageAnalysis perTest).
#
# StrykerJS 10 needs Node >= 22: it runs on the Node 22 that scripts/ensure-node22.sh provides (the one the
# node:sqlite tests use); the tests it runs therefore run on Node 22 too.
set -euo pipefail
cd "$(dirname "$0")/.."
node22=$(bash scripts/ensure-node22.sh | tail -n 1)
exec "$node22" node_modules/@stryker-mutator/core/bin/stryker.js run stryker.config.json "$@"
