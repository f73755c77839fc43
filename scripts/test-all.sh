#!/usr/bin/env bash
# Runs every test suite: type checks, lint, unit and integration tests (real
# pcscd + vpcd), and ends with one plain line "N passed, N failed" summing all
# suites. Exits non-zero when anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-pcscd.sh || exit 1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
status=0

step() { # name, command…
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "!! $name failed"; fi
}

# Checks that are not test cases count as one test each.
step "typecheck (product)" npx tsc -p tsconfig.json --noEmit
step "typecheck (tests)" npx tsc -p tsconfig.tests.json --noEmit
step "lint" npx eslint electron native tests bench
step "build" npx tsc -p tsconfig.json

run_vitest() { # project
  local project=$1
  echo "== vitest $project"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile="$out/$project.json"
  local rc=$?
  if [ -f "$out/$project.json" ]; then
    local p f
    p=$(node -e "const r=require('$out/$project.json');console.log(r.numPassedTests)")
    f=$(node -e "const r=require('$out/$project.json');console.log(r.numFailedTests + (r.numTotalTestSuites>0 && r.success===false && r.numFailedTests===0 ? 1 : 0))")
    passed=$((passed + p)); failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
  [ $rc -eq 0 ] || status=1
}
run_vitest unit
run_vitest integration

echo
echo "$passed passed, $failed failed"
exit $status
