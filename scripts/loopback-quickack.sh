#!/usr/bin/env bash
# Turns off delayed ACKs on the loopback routes, so a C-APDU crosses vpcd in
# well under a millisecond instead of about 40 ms.
#
# Why: vpcd (vsmartcard, vpcd/vpcd.c sendToVICC) writes each message to the
# card as two send() calls, the 2-byte length then the body, on a socket
# without TCP_NODELAY. Nagle's algorithm holds the body until the length is
# acknowledged, and Linux delays that ACK by up to 40 ms (TCP_DELACK_MIN)
# because the card side has nothing to send yet. Every APDU through pcscd and
# vpcd paid that stall: 43 ms per exchange measured on a plain socket pair
# that mimics vpcd, 0.05 ms with this setting. The card side cannot avoid it
# (Node cannot set TCP_QUICKACK), so the loopback routes carry the `quickack`
# attribute (ip-route(8), Linux ≥ 3.11). It changes nothing but ACK timing on
# 127.0.0.0/8; real readers do not go through it.
#
# Idempotent; needs root (or sudo) and iproute2. Where it cannot be set (a
# container without CAP_NET_ADMIN) it says so and exits 0: the tests still
# pass, only slower. Set PIV_LOOPBACK_QUICKACK=0 to leave the routes alone
# (e.g. to benchmark the stall itself).
set -uo pipefail
[ "${PIV_LOOPBACK_QUICKACK:-1}" = "0" ] && exit 0
command -v ip >/dev/null || { echo "loopback-quickack: iproute2 is missing (apt-get install iproute2); vpcd APDUs stay ~40 ms slower" >&2; exit 0; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi

for dest in 127.0.0.0/8 127.0.0.1; do
  route=$(ip route show table local exact "$dest" | head -n 1)
  [ -n "$route" ] || continue
  case " $route " in *" quickack 1 "*) continue ;; esac
  # shellcheck disable=SC2086 # the route's own words, re-used as ip's arguments
  if ! $SUDO ip route change table local $route quickack 1 2>/dev/null; then
    echo "loopback-quickack: could not set quickack on the loopback route $dest; vpcd APDUs stay ~40 ms slower" >&2
  fi
done
exit 0
