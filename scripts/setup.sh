#!/usr/bin/env bash
# One-time (idempotent) setup of a Debian 12 machine for PIV Station:
# Debian's PC/SC stack and independent PIV clients, Chromium for the browser
# host tests, CUPS with the cups-pdf queue and the card fonts (issue 11: card
# printing), stress-ng (the CPU burner of `npm run test:burner`, issue 13), the npm dependencies (Electron's binary download skipped: this
# host cannot fetch it), and running pcscd and cupsd. Runs as root or through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(pcscd libpcsclite-dev vsmartcard-vpcd opensc yubico-piv-tool chromium pcsc-tools openssl poppler-utils python3 make g++ iproute2
  cups cups-client cups-ipp-utils printer-driver-cups-pdf fonts-liberation2 stress-ng)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm dependencies: reinstall only when package-lock.json changed since the last install.
stamp=node_modules/.setup-stamp
lockhash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lockhash" ]; then
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$lockhash" > "$stamp"
fi

bash scripts/ensure-pcscd.sh
bash scripts/ensure-cupsd.sh
