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
now=$(date -u +%s)
month_end=$(date -u -d "$(date -u +%Y-%m-01) +14 months -1 minute" +%s)
kiritimati=$(date -u -d "$(date -u +%Y-%m-%d) 11:30:00" +%s)
run() {
  local start=$1 zone=$2
  shift 2
  # A relative offset, so every process (DynamoDB Local, the web host, `leg-skill chat`) reads
  # the same moved clock; an absolute "@" start would restart the clock in each child.
  echo "== the suite from $(date -u -d "@$start" '+%Y-%m-%d %H:%M:%S') UTC on, TZ=$zone"
  TZ=$zone faketime -f "$(printf '%+d' $((start - now)))" .venv/bin/python -m pytest \
    -p no:cacheprovider -n 2 "$@"
}
run "$month_end" UTC "$@"
run "$kiritimati" Pacific/Kiritimati "$@"
