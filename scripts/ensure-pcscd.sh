#!/usr/bin/env bash
# Makes sure pcscd is running. Under systemd, socket activation starts it on
# demand. Without systemd (containers, CI) a resident pcscd is started; one
# left over with --auto-exit would quit when idle and take the vpcd readers
# with it (nothing would start it again), so it is replaced. It also takes
# the ~40 ms delayed-ACK stall out of every APDU through vpcd
# (scripts/loopback-quickack.sh says why).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
bash "$(dirname "$0")/loopback-quickack.sh"

if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  $SUDO systemctl start pcscd.socket
  exit 0
fi
# A pcscd that was killed can linger as a zombie: only a live process counts.
live_pcscd() { ps -C pcscd -o pid=,stat= | awk '$2 !~ /^Z/ {print $1; exit}'; }
if pid=$(live_pcscd) && [ -n "$pid" ]; then
  if tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- '--auto-exit'; then
    $SUDO kill "$pid"
    for _ in $(seq 1 50); do [ -n "$(live_pcscd)" ] || break; sleep 0.1; done
  else
    exit 0
  fi
fi
$SUDO /usr/sbin/pcscd
for _ in $(seq 1 50); do
  [ -S /run/pcscd/pcscd.comm ] && break
  sleep 0.1
done
[ -S /run/pcscd/pcscd.comm ] || { echo "pcscd did not start" >&2; exit 1; }
