#!/usr/bin/env bash
# Runs every test suite: type checks, lint, build, then the unit, integration
# (real pcscd + vpcd), reliability (fault sweeps through pcscd: a seeded sample;
# every point with `npm run test:sweeps`), end-to-end (Chromium against the browser host) and
# packaging tests. Ends with one plain line "N passed, N failed" summing all
# suites; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-pcscd.sh || exit 1
bash scripts/ensure-cupsd.sh || exit 1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
status=0

check() { # name, command…: a check that is not a test runner counts as one test
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "!! $name failed"; fi
}

suite() { # name, vitest arguments…
  local name=$1; shift
  echo "== vitest $name"
  # A suite that stops pcscd (reader-gone sweeps) restarts it; should one fail to, the next suite still meets a running pcscd.
  bash scripts/ensure-pcscd.sh || { failed=$((failed + 1)); status=1; echo "!! pcscd is not running before $name"; }
  npx vitest run "$@" --reporter=default --reporter=json --outputFile="$out/$name.json"
  local rc=$?
  if [ -f "$out/$name.json" ]; then
    local p f
    p=$(node -e "const r=require('$out/$name.json');console.log(r.numPassedTests)")
    # a file that failed to load counts as one failure even with no failed test
    f=$(node -e "const r=require('$out/$name.json');console.log(r.numFailedTests + (r.success===false && r.numFailedTests===0 ? 1 : 0))")
    # a suite that exited non-zero with no failed test (e.g. an unhandled error) counts as one failure
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
  [ $rc -eq 0 ] || status=1
}

check "typecheck: core, CLI, host, native" npx tsc -p tsconfig.json --noEmit
check "typecheck: tests" npx tsc -p tsconfig.tests.json --noEmit
check "typecheck: renderer" npx tsc -p tsconfig.renderer.json --noEmit
check "typecheck: Electron shell and preload (Electron's types)" npm run --silent typecheck:shell
check "lint" npx eslint electron native tests bench renderer/src scripts
check "build" npm run --silent build

suite unit --project unit
suite integration --project integration
# Every sweep on its seeded sample (sizes in tests/reliability/README.md); every point with `npm run test:sweeps`.
suite reliability --project reliability
suite e2e --project e2e
suite packaging --config tests/packaging/vitest.config.ts

echo
echo "$passed passed, $failed failed"
exit $status
