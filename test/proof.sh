#!/usr/bin/env bash
# `npm run proof`: the longer runs of the proofs that CI runs small. The mixed load on the national
# trust for two minutes on each database (its figures printed and written to artifacts/bench.json);
# the concurrent edits with 20 people for two minutes; the fuzz of every action, import and page
# address with a thousand cases per property; the faults with imports and drafts of 5,000 rows.
# Each size can be changed from the environment.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
step() { printf '\n== %s\n' "$1"; }

step "Building the app"
npm run build --silent || exit 1

step "The national trust at work (mixed load, ${LOAD_SECONDS:=120} s on each database)"
LOAD_SECONDS="$LOAD_SECONDS" npx tsx test/bench/run.ts mixed-load || status=1

step "Concurrent edits of one draft (${EDITORS:=20} people, ${EDIT_SECONDS:=120} s), the fuzz (${FUZZ_RUNS:=1000} cases a property) and the faults (${FAULTS_ROWS:=5000} rows), on both databases"
EDITORS="$EDITORS" EDIT_SECONDS="$EDIT_SECONDS" FUZZ_RUNS="$FUZZ_RUNS" FAULTS_ROWS="$FAULTS_ROWS" npx vitest run --project integration-pglite --project integration-postgres \
  test/integration/concurrent-edits.test.ts test/integration/fuzz-actions.test.ts test/integration/fuzz-imports.test.ts test/integration/fuzz-loaders.test.ts \
  test/integration/faults.test.ts test/integration/mixed-load.test.ts || status=1

exit "$status"
