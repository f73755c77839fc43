#!/usr/bin/env bash
# Runs a test command RUNS times (default 3) on a loaded machine: a CPU burner
# (stress-ng, Debian package; BURNER_CPUS workers, default 2 — both cores of a
# small CI runner) runs for the whole time, so timing-based waits show up as
# failures (issue 13, "Flakes are defects"). The burner is stopped at the end
# whatever happens (a failure, Ctrl-C, a kill of this script short of SIGKILL).
#
#   RUNS=3 npm run test:burner -- npm test
#   RUNS=1 npm run test:burner -- /work/bin/vpcd-lock npx vitest run --project reliability tests/reliability/card-faults.test.ts
#
# Without a command it runs `npm test`. Prints each run's exit status and ends
# with "N of M runs passed"; exits non-zero when any run failed.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
cpus=${BURNER_CPUS:-2}
if [ "$#" -eq 0 ]; then set -- npm test; fi
command -v stress-ng >/dev/null || { echo "stress-ng is missing: run scripts/setup.sh (or apt-get install stress-ng)" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive number, not '$runs'" >&2; exit 2; }

# Its own session and process group, so stopping it stops its workers too, and only them.
setsid stress-ng --cpu "$cpus" --quiet &
burner=$!
stop_burner() {
  if kill -0 "$burner" 2>/dev/null; then
    kill -TERM -- "-$burner" 2>/dev/null
    wait "$burner" 2>/dev/null
  fi
}
trap stop_burner EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# stress-ng exits at once on a bad option: make sure it is burning before the first run.
kill -0 "$burner" 2>/dev/null || { echo "stress-ng did not start" >&2; exit 2; }
echo "burner: stress-ng --cpu $cpus (pid $burner); $runs run(s) of: $*"

passed=0
results=()
for k in $(seq 1 "$runs"); do
  echo "== run $k of $runs under the burner"
  "$@"
  rc=$?
  results+=("run $k: exit $rc")
  [ "$rc" -eq 0 ] && passed=$((passed + 1))
done
echo
printf '%s\n' "${results[@]}"
echo "$passed of $runs runs passed under stress-ng --cpu $cpus"
[ "$passed" -eq "$runs" ]
