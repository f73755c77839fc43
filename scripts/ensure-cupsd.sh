#!/usr/bin/env bash
# Makes sure CUPS is running and has the test queue the printing tests use:
# "PIV-Station-PDF", Debian's cups-pdf backend writing each job to a PDF file
# in /var/spool/cups-pdf/piv-station (the queue's own cups-pdf configuration,
# /etc/cups/cups-pdf-piv-station.conf). Under systemd, the cups service is
# started; without systemd (containers, CI) a resident cupsd is started and
# left running, like pcscd. Idempotent.
set -euo pipefail
SUDO=""
# Never a password prompt (CI has no terminal): sudo -n fails instead.
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi

QUEUE="${STATION_TEST_QUEUE:-PIV-Station-PDF}"
INSTANCE="piv-station"
OUT="/var/spool/cups-pdf/$INSTANCE"
SOCKET=/run/cups/cups.sock

if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  $SUDO systemctl start cups
else
  # A cupsd that was killed can linger as a zombie: only a live process counts.
  live_cupsd() { ps -C cupsd -o pid=,stat= | awk '$2 !~ /^Z/ {print $1; exit}'; }
  if [ -z "$(live_cupsd || true)" ]; then
    $SUDO mkdir -p /run/cups
    # Without -l, cupsd never exits when idle (IdleExitTimeout applies to on-demand starts only).
    $SUDO /usr/sbin/cupsd
  fi
fi
for _ in $(seq 1 100); do
  [ -S "$SOCKET" ] && lpstat -r >/dev/null 2>&1 && break
  sleep 0.1
done
lpstat -r >/dev/null 2>&1 || { echo "cupsd did not start" >&2; exit 1; }

# The queue's own cups-pdf settings: a fixed output directory, file named after the job title.
CONF="/etc/cups/cups-pdf-$INSTANCE.conf"
WANT=$'Out '"$OUT"$'\nAnonDirName '"$OUT"$'\nLabel 0\nTitlePref 1\nUserUMask 0022\nAnonUMask 0022\nGrp lpadmin'
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$WANT" ]; then
  printf '%s\n' "$WANT" | $SUDO tee "$CONF" >/dev/null
fi
$SUDO mkdir -p "$OUT"
$SUDO chmod 1777 "$OUT"

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
  $SUDO lpadmin -p "$QUEUE" -E -v "cups-pdf:/$INSTANCE" -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd \
    -D "PIV Station test queue (cups-pdf)"
fi
# cups-pdf takes PostScript: the PDF→PS step through pdftocairo keeps the text of embedded TrueType
# fonts readable in the PDF it writes (the default path turns them into Type 3 glyphs without text;
# README.Debian of printer-driver-cups-pdf gives the same setting).
$SUDO lpadmin -p "$QUEUE" -o pdftops-renderer-default=pdftocairo 2>/dev/null
# A test that stopped the queue and died leaves it stopped: every run starts from an enabled, accepting queue.
$SUDO cupsenable "$QUEUE"
$SUDO cupsaccept "$QUEUE"
