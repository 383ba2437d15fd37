#!/usr/bin/env bash
# Run the test suite with the whole process clock moved by libfaketime (Debian: faketime), so a
# test that depends on today's date, the hour or the machine's zone fails here.
#   1. the last minute of a month, in UTC, more than a year from now;
#   2. 11:30 UTC today: already "tomorrow" in Pacific/Kiritimati (UTC+14), with that as the
#      machine's zone.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null 2>&1 || {
  echo "moved_clock: faketime is not installed (Debian: apt-get install faketime)" >&2
  exit 2
}
month_end=$(date -u -d "$(date -u +%Y-%m-01) +14 months -1 minute" '+%Y-%m-%d %H:%M:%S')
kiritimati=$(date -u '+%Y-%m-%d 11:30:00')
run() {
  local start=$1 zone=$2
  shift 2
  echo "== the suite at $start UTC (clock running), TZ=$zone"
  TZ=$zone faketime -f "@$start" .venv/bin/python -m pytest -p no:cacheprovider "$@"
}
run "$month_end" UTC "$@"
run "$kiritimati" Pacific/Kiritimati "$@"
